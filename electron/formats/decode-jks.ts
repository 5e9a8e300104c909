// Java key stores: JKS (magic FEEDFEED) and JCEKS (magic CECECECE), as written by the JDK's
// sun.security.provider.JavaKeyStore and com.sun.crypto.provider.JceKeyStore. Both end with a
// SHA-1 over the store password, the phrase "Mighty Aphrodite" and every byte before it: that is
// the store's integrity check. Each private key has its own password, often the store's.
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { MazeVaultError } from '../../shared/errors';
import { type Bundle, type BundlePrivateKey, emptyBundle } from './bundle';
import { endOfSerializedObject } from './decode-java-serialization';
import {
  type Asn1Node,
  TAG,
  children,
  expect,
  expectChildren,
  parseDer,
  readOctets,
  readOid,
  readSmallInt,
} from './decode-asn1';
import { PasswordNeededError, wrongFilePassword } from './decode-errors';
import { checkPrivateKeyInfo } from './decode-keys';
import { MAX_LEGACY_ITERATIONS, checkIterations } from './decode-pbe-kdf';

const JKS_KEY_PROTECTOR = '1.3.6.1.4.1.42.2.17.1.1';
const PBE_MD5_TRIPLE_DES = '1.3.6.1.4.1.42.2.19.1';
const MAX_ENTRIES = 100_000;
const DIGEST_LENGTH = 20;

export interface JksSecrets {
  password?: string;
  /** Key passwords by alias, for entries whose password differs from the store password. */
  keyPasswords?: Record<string, string>;
}

/** Reads a big-endian stream, saying TRUNCATED with the offset when the data runs out. */
class Reader {
  offset = 0;
  constructor(
    private readonly bytes: Buffer,
    private readonly end: number,
  ) {}

  private need(count: number): void {
    if (count < 0 || this.offset + count > this.end) {
      throw new MazeVaultError(
        'TRUNCATED',
        `The key store ends too early: ${count} bytes were expected at byte ${this.offset}. ` +
          'It was probably cut short while copying; get a complete copy.',
      );
    }
  }

  u32(): number {
    this.need(4);
    const value = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  skip(count: number): void {
    this.need(count);
    this.offset += count;
  }

  bytesOf(count: number): Buffer {
    this.need(count);
    const out = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  /** java.io.DataOutput.writeUTF: a 16-bit length, then modified UTF-8. */
  utf(): string {
    this.need(2);
    const length = this.bytes.readUInt16BE(this.offset);
    this.offset += 2;
    return decodeModifiedUtf8(this.bytesOf(length), this.offset - length);
  }
}

/**
 * Java's modified UTF-8: UTF-16 code units in one to three bytes each, NUL as C0 80, and a
 * character outside the BMP as its two surrogates (CESU-8), so plain UTF-8 decoding garbles both.
 */
export function decodeModifiedUtf8(bytes: Buffer, at: number): string {
  const units: number[] = [];
  const bad = (index: number) =>
    new MazeVaultError(
      'MALFORMED',
      `A name in the key store is not valid modified UTF-8 (at byte ${at + index}); the store ` +
        'is damaged.',
    );
  for (let index = 0; index < bytes.length;) {
    const first = bytes[index]!;
    if (first < 0x80 && first !== 0) {
      units.push(first);
      index += 1;
    } else if ((first & 0xe0) === 0xc0) {
      const second = bytes[index + 1];
      if (second === undefined || (second & 0xc0) !== 0x80) throw bad(index);
      units.push(((first & 0x1f) << 6) | (second & 0x3f));
      index += 2;
    } else if ((first & 0xf0) === 0xe0) {
      const second = bytes[index + 1];
      const third = bytes[index + 2];
      if (second === undefined || third === undefined) throw bad(index);
      if ((second & 0xc0) !== 0x80 || (third & 0xc0) !== 0x80) throw bad(index);
      units.push(((first & 0x0f) << 12) | ((second & 0x3f) << 6) | (third & 0x3f));
      index += 3;
    } else {
      throw bad(index);
    }
  }
  let text = '';
  for (let index = 0; index < units.length; index += 4096) {
    text += String.fromCharCode(...units.slice(index, index + 4096));
  }
  return text;
}

export async function decodeJks(bytes: Buffer, secrets: JksSecrets): Promise<Bundle> {
  const magic = bytes.length >= 4 ? bytes.readUInt32BE(0) : 0;
  const jceks = magic === 0xcececece;
  const bundle = emptyBundle(jceks ? 'jceks' : 'jks');
  const kind = jceks ? 'JCEKS key store' : 'JKS key store';
  if (bytes.length < 12 + DIGEST_LENGTH) {
    throw new MazeVaultError(
      'TRUNCATED',
      `The ${kind} is only ${bytes.length} bytes long: it is cut short.`,
    );
  }

  const reader = new Reader(bytes, bytes.length - DIGEST_LENGTH);
  reader.u32();
  const version = reader.u32();
  if (version !== 1 && version !== 2) {
    throw new MazeVaultError(
      'UNSUPPORTED',
      `The ${kind} has version ${version}; only 1 and 2 exist.`,
    );
  }
  const count = reader.u32();
  if (count > MAX_ENTRIES) {
    throw new MazeVaultError(
      'MALFORMED',
      `The ${kind} claims ${count} entries; the count is damaged.`,
    );
  }

  const encryptedKeys: { alias: string; encrypted: Buffer; chain: Buffer[] }[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < count; index++) {
    const entryOffset = reader.offset;
    const tag = reader.u32();
    const alias = reader.utf();
    if (seen.has(alias.toLowerCase())) {
      throw new MazeVaultError(
        'MALFORMED',
        `The ${kind} lists the alias "${alias}" twice (at byte ${entryOffset}); Java would keep only ` +
          'one of them. Repair the store with keytool before importing.',
      );
    }
    seen.add(alias.toLowerCase());
    reader.skip(8); // creation date, milliseconds since 1970

    if (tag === 1) {
      const encrypted = reader.bytesOf(reader.u32());
      const chainLength = reader.u32();
      if (chainLength > 100) {
        throw new MazeVaultError('MALFORMED', `The chain of "${alias}" is damaged.`);
      }
      const chain: Buffer[] = [];
      for (let i = 0; i < chainLength; i++) {
        chain.push(readCertificate(reader, version, alias, bundle));
      }
      encryptedKeys.push({ alias, encrypted, chain });
    } else if (tag === 2) {
      const der = readCertificate(reader, version, alias, bundle);
      if (der.length > 0) bundle.certificates.push({ der: Buffer.from(der), alias });
    } else if (tag === 3 && jceks) {
      const after = endOfSerializedObject(
        bytes,
        reader.offset,
        bytes.length - DIGEST_LENGTH,
        `The secret-key entry "${alias}"`,
      );
      reader.skip(after - reader.offset);
      bundle.warnings.push(
        `The secret-key entry "${alias}" was skipped: MazeVault imports certificates and private keys.`,
      );
    } else {
      throw new MazeVaultError(
        'MALFORMED',
        `The ${kind} has an entry of unknown type ${tag} at byte ${entryOffset}.`,
      );
    }
  }
  if (reader.offset !== bytes.length - DIGEST_LENGTH) {
    throw new MazeVaultError(
      'MALFORMED',
      `The ${kind} has ${bytes.length - DIGEST_LENGTH - reader.offset} unexplained bytes at byte ${reader.offset}.`,
    );
  }

  checkIntegrity(bytes, secrets.password, kind, encryptedKeys.length > 0, bundle);

  for (const entry of encryptedKeys) {
    const keyPassword = secrets.keyPasswords?.[entry.alias] ?? secrets.password ?? '';
    const pkcs8 = recoverKey(
      entry.encrypted,
      keyPassword,
      entry.alias,
      secrets.keyPasswords?.[entry.alias] !== undefined,
    );
    const key: BundlePrivateKey = {
      pkcs8,
      alias: entry.alias,
      friendlyName: entry.alias,
      chain: entry.chain,
    };
    bundle.privateKeys.push(key);
    entry.chain.forEach((der, position) =>
      bundle.certificates.push({
        der: Buffer.from(der),
        alias: position === 0 ? entry.alias : undefined,
      }),
    );
  }
  warnUnusedKeyPasswords(secrets.keyPasswords, encryptedKeys, kind, bundle);
  return bundle;
}

/** A key password for an alias the store does not hold is a typo the officer should see. */
function warnUnusedKeyPasswords(
  keyPasswords: Record<string, string> | undefined,
  keys: readonly { alias: string }[],
  kind: string,
  bundle: Bundle,
): void {
  const aliases = keys.map((key) => key.alias);
  for (const alias of Object.keys(keyPasswords ?? {})) {
    if (aliases.includes(alias)) continue;
    const near = aliases.find((known) => known.toLowerCase() === alias.toLowerCase());
    const held = aliases.length
      ? `its private-key entries are ${aliases.map((a) => `"${a}"`).join(', ')}`
      : 'it holds no private-key entry';
    bundle.warnings.push(
      `A key password was given for the alias "${alias}", but the ${kind} has no private-key ` +
        `entry by that name (${held}${near ? `; aliases are matched exactly, did you mean "${near}"?` : ''}); that password was not used.`,
    );
  }
}

function readCertificate(reader: Reader, version: number, alias: string, bundle: Bundle): Buffer {
  const type = version === 2 ? reader.utf() : 'X.509';
  const der = reader.bytesOf(reader.u32());
  if (type !== 'X.509') {
    bundle.warnings.push(`A certificate of type "${type}" under "${alias}" was skipped.`);
    return Buffer.alloc(0);
  }
  return der;
}

function checkIntegrity(
  bytes: Buffer,
  password: string | undefined,
  kind: string,
  hasKeys: boolean,
  bundle: Bundle,
): void {
  if (password === undefined) {
    if (hasKeys) throw wrongFilePassword(kind, false);
    bundle.warnings.push(
      `The ${kind} was read without its password, so its integrity was not checked.`,
    );
    return;
  }
  const body = bytes.subarray(0, bytes.length - DIGEST_LENGTH);
  const expected = bytes.subarray(bytes.length - DIGEST_LENGTH);
  const digest = createHash('sha1')
    .update(javaPasswordBytes(password))
    .update('Mighty Aphrodite', 'utf8')
    .update(body)
    .digest();
  if (!timingSafeEqual(digest, expected)) {
    throw new PasswordNeededError(
      { kind: 'file' },
      true,
      `The ${kind} integrity check fails: either the store password is wrong, or the file was ` +
        'altered or damaged. Check the password; if it is right, get an intact copy.',
    );
  }
}

/** Java chars as big-endian 16-bit units, as JavaKeyStore hashes the password. */
function javaPasswordBytes(password: string): Buffer {
  const out = Buffer.alloc(password.length * 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

function recoverKey(
  encrypted: Buffer,
  password: string,
  alias: string,
  ownPassword: boolean,
): Buffer {
  const [algorithm, data] = expectChildren(
    parseDer(encrypted),
    TAG.SEQUENCE,
    `the key of "${alias}"`,
  );
  const oid = readOid(expectChildren(algorithm, TAG.SEQUENCE, 'the key protection algorithm')[0]!);
  const ciphertext = readOctets(expect(data, TAG.OCTET_STRING, 'the protected key'));

  let plain: Buffer | undefined;
  if (oid === JKS_KEY_PROTECTOR) plain = jksKeyProtector(ciphertext, password);
  else if (oid === PBE_MD5_TRIPLE_DES) {
    plain = pbeMd5TripleDes(children(algorithm!)[1], ciphertext, password);
  } else {
    throw new MazeVaultError(
      'UNSUPPORTED',
      `The key "${alias}" is protected with ${oid}, which MazeVault cannot decrypt. Convert the ` +
        'store to PKCS#12 with keytool -importkeystore.',
    );
  }

  const key = plain && tryPrivateKeyInfo(plain);
  if (!key) {
    throw new PasswordNeededError(
      { kind: 'key', alias },
      ownPassword,
      ownPassword
        ? `The key password given for "${alias}" is wrong. Check it and try again.`
        : `The key "${alias}" has its own password, different from the store password. Give the ` +
            `key password for "${alias}".`,
    );
  }
  return key;
}

function tryPrivateKeyInfo(bytes: Buffer): Buffer | undefined {
  try {
    return Buffer.from(checkPrivateKeyInfo(bytes));
  } catch {
    return undefined;
  }
}

/**
 * sun.security.provider.KeyProtector: salt (20) ‖ key XOR SHA-1 keystream ‖ check (20), where
 * each keystream block is SHA-1(password ‖ previous block) and check is SHA-1(password ‖ key).
 */
function jksKeyProtector(data: Buffer, password: string): Buffer | undefined {
  if (data.length < 2 * DIGEST_LENGTH) return undefined;
  const passwordBytes = javaPasswordBytes(password);
  const salt = data.subarray(0, DIGEST_LENGTH);
  const body = data.subarray(DIGEST_LENGTH, data.length - DIGEST_LENGTH);
  const check = data.subarray(data.length - DIGEST_LENGTH);

  const plain = Buffer.alloc(body.length);
  let block: Buffer = salt;
  for (let i = 0; i < body.length; i++) {
    if (i % DIGEST_LENGTH === 0) {
      block = createHash('sha1').update(passwordBytes).update(block).digest();
    }
    plain[i] = body[i]! ^ block[i % DIGEST_LENGTH]!;
  }
  const digest = createHash('sha1').update(passwordBytes).update(plain).digest();
  return timingSafeEqual(digest, check) ? plain : undefined;
}

/**
 * com.sun.crypto.provider PBEWithMD5AndTripleDES: each salt half is hashed with the password
 * `iterations` times (halves made different first), giving a 24-byte key and an 8-byte IV.
 */
function pbeMd5TripleDes(
  params: Asn1Node | undefined,
  data: Buffer,
  password: string,
): Buffer | undefined {
  const [saltNode, iterationsNode] = expectChildren(params, TAG.SEQUENCE, 'PBE parameters');
  const salt = Buffer.from(readOctets(expect(saltNode, TAG.OCTET_STRING, 'the PBE salt')));
  const iterations = readSmallInt(
    expect(iterationsNode, TAG.INTEGER, 'the iteration count'),
    'iterations',
  );
  checkIterations(iterations, MAX_LEGACY_ITERATIONS);
  if (salt.length !== 8) {
    throw new MazeVaultError('MALFORMED', 'The JCEKS key salt is not 8 bytes.');
  }
  if (salt.subarray(0, 4).equals(salt.subarray(4))) salt.subarray(0, 4).reverse();

  const passwordBytes = Buffer.from(Array.from(password, (c) => c.charCodeAt(0) & 0xff));
  const derived: Buffer[] = [];
  for (let half = 0; half < 2; half++) {
    let value = salt.subarray(half * 4, half * 4 + 4);
    for (let i = 0; i < iterations; i++) {
      value = createHash('md5').update(value).update(passwordBytes).digest();
    }
    derived.push(value);
  }
  const material = Buffer.concat(derived);
  if (data.length === 0 || data.length % 8 !== 0) return undefined;
  try {
    const decipher = createDecipheriv(
      'des-ede3-cbc',
      material.subarray(0, 24),
      material.subarray(24, 32),
    );
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return undefined;
  }
}
