import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../services';
import { tempVault } from '../testing/temp';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function fileBytes(path: string): Buffer {
  return Buffer.concat(
    ['', '-wal'].map((suffix) =>
      existsSync(`${path}${suffix}`) ? readFileSync(`${path}${suffix}`) : Buffer.alloc(0),
    ),
  );
}

describe('destroyed key material (newcomer finding #4)', () => {
  it('leaves none of the sealed key bytes in the vault file or its WAL', async () => {
    const t = await tempVault();
    cleanups.push(t.cleanup);
    const { keys, vault } = createServices(t.vault);
    const key = await keys.generate({ algorithm: 'rsa-2048', label: 'to destroy' });
    const keep = await keys.generate({ algorithm: 'ec-p256', label: 'to keep' });
    const sealed = (secretOf: string) =>
      vault.db
        .prepare(
          'SELECT s.ciphertext FROM secrets s JOIN keys k ON k.secret_id = s.id WHERE k.id = ?',
        )
        .get(secretOf) as { ciphertext: Buffer };
    const doomed = sealed(key.id).ciphertext;
    const kept = sealed(keep.id).ciphertext;
    // Long enough to be unique; taken from the middle so it is not a shared header.
    const needle = doomed.subarray(64, 128);
    expect(fileBytes(t.path).includes(needle)).toBe(true);

    await keys.transition(key.id, 'deactivated', 'end of use');
    await keys.transition(key.id, 'destroyed', 'end of life');

    expect(fileBytes(t.path).includes(needle)).toBe(false);
    expect(fileBytes(t.path).includes(kept.subarray(0, 48))).toBe(true);
    vault.close();
    expect(fileBytes(t.path).includes(needle)).toBe(false);
  });

  it('turns secure_delete on for every vault connection', async () => {
    const t = await tempVault();
    cleanups.push(t.cleanup);
    expect(t.vault.db.pragma('secure_delete', { simple: true })).toBe(1);
  });
});
