import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { corpusPath } from '../testing/corpus';
import { decodeJks } from './decode-jks';
import { endOfSerializedObject } from './decode-java-serialization';

const STORE = corpusPath('pyjks/tests/keystores/jceks/custom_entry_passwords.jceks');
const SECRET_ONLY = corpusPath('pyjks/tests/keystores/jceks/AES256.jceks');

/** Offset of the serialized SealedObject of the first (secret key) entry of a JCEKS store. */
function firstSealedObject(bytes: Buffer): number {
  return bytes.indexOf(Buffer.from([0xac, 0xed, 0x00, 0x05]));
}

function failure(work: () => unknown): MazeVaultError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(MazeVaultError);
    return error as MazeVaultError;
  }
  throw new Error('expected a MazeVaultError');
}

describe('stepping over serialized Java objects in JCEKS stores', () => {
  it('reads the entries after a secret key, with their own key password', async () => {
    const bundle = await decodeJks(readFileSync(STORE), {
      password: 'store_password',
      keyPasswords: { private: 'private_password' },
    });
    expect(bundle.privateKeys).toHaveLength(1);
    expect(bundle.certificates.map((certificate) => certificate.alias)).toEqual(
      expect.arrayContaining(['cert', 'private']),
    );
    expect(bundle.warnings.join('\n')).toMatch(/secret-key entry "secret" was skipped/);
  });

  it('ends a SealedObject exactly where the store digest begins when it is the last entry', () => {
    const bytes = readFileSync(SECRET_ONLY);
    const start = firstSealedObject(bytes);
    expect(start).toBeGreaterThan(0);
    const end = bytes.length - 20;
    expect(endOfSerializedObject(bytes, start, end, 'The test object')).toBe(end);
  });

  it('says truncated when the object is cut short, and malformed for a dangling reference', () => {
    const bytes = readFileSync(SECRET_ONLY);
    const start = firstSealedObject(bytes);
    const cut = failure(() => endOfSerializedObject(bytes, start, start + 40, 'The test object'));
    expect(cut.code).toBe('TRUNCATED');
    expect(cut.message).toMatch(/ends too early/);

    // TC_OBJECT followed by a back reference to a handle that was never assigned.
    const dangling = Buffer.from([0xac, 0xed, 0x00, 0x05, 0x73, 0x71, 0x00, 0x7e, 0x00, 0x09]);
    const bad = failure(() => endOfSerializedObject(dangling, 0, dangling.length, 'The object'));
    expect(bad.code).toBe('MALFORMED');
    expect(bad.message).toMatch(/back reference points at nothing .*at byte/);

    const notJava = Buffer.from('not a java stream');
    expect(failure(() => endOfSerializedObject(notJava, 0, notJava.length, 'X')).code).toBe(
      'MALFORMED',
    );
  });

  it('refuses objects nested without end instead of recursing', () => {
    // An array of Object whose elements are arrays of Object, nested 200 deep.
    const arrayClass = [
      0x72,
      0x00,
      0x13,
      ...Buffer.from('[Ljava.lang.Object;'),
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      1,
      0x02,
      0x00,
      0x00,
      0x78,
      0x70,
    ];
    const parts: number[] = [0xac, 0xed, 0x00, 0x05, 0x75, ...arrayClass, 0, 0, 0, 1];
    for (let i = 0; i < 200; i += 1) parts.push(0x75, 0x71, 0x00, 0x7e, 0x00, 0x00, 0, 0, 0, 1);
    parts.push(0x70);
    const nested = Buffer.from(parts);
    const error = failure(() => endOfSerializedObject(nested, 0, nested.length, 'The object'));
    expect(error.code).toBe('MALFORMED');
    expect(error.message).toMatch(/nest too deeply/);
  });
});
