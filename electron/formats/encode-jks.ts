// Java keystores as keytool writes them: JKS (magic FEEDFEED) and JCEKS (magic CECECECE), both
// version 2. Each key entry is encrypted under its own key password with Sun's key protector;
// the whole file ends with a SHA-1 digest keyed by the store password. Layout after the JDK's
// sun.security.provider.JavaKeyStore and com.sun.crypto.provider.JceKeyStore.

import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

import { MazeVaultError } from '../../shared/errors';
import { algorithmIdentifier, integer, nullValue, octetString, sequence } from './encode-der';
import type { KeystoreContents } from './encode-keystore';
import { OID } from './encode-oids';

export type JavaKeystoreType = 'jks' | 'jceks';

export interface JavaKeystoreOptions {
  type: JavaKeystoreType;
  /** Password of each key entry by alias (any case); entries not named use the store password. */
  keyPasswords?: Readonly<Record<string, string>>;
  /** JCEKS only: iterations of PBEWithMD5AndTripleDES (the JDK writes 200,000). */
  iterations: number;
  /** Creation date recorded in every entry. */
  created: Date;
}

const MAGIC: Record<JavaKeystoreType, number> = { jks: 0xfeedfeed, jceks: 0xcececece };
const PRIVATE_KEY_ENTRY = 1;
const TRUSTED_CERT_ENTRY = 2;
const JKS_INTEGRITY_SALT = 'Mighty Aphrodite';

/** Java char[] as the JDK hashes it: each UTF-16 code unit as two bytes, big-endian. */
function javaCharBytes(password: string): Buffer {
  const bytes = Buffer.from(password, 'utf16le');
  bytes.swap16();
  return bytes;
}

/** DataOutputStream.writeUTF: a 16-bit length, then modified UTF-8 (CESU-8, NUL as C0 80). */
function javaUtf(text: string): Buffer {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0x01 && unit <= 0x7f) bytes.push(unit);
    else if (unit <= 0x7ff) bytes.push(0xc0 | (unit >> 6), 0x80 | (unit & 0x3f));
    else bytes.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
  }
  if (bytes.length > 0xffff) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      'An alias is too long for a Java keystore; shorten it.',
    );
  }
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, Buffer.from(bytes)]);
}

function int32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

function int64(value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigInt64BE(BigInt(value));
  return out;
}

function sized(bytes: Buffer): Buffer {
  return Buffer.concat([int32(bytes.length), bytes]);
}

/**
 * The JKS key protector: the key XORed with a SHA-1 keystream seeded by a random 20-byte salt,
 * followed by SHA-1(password || key) as the check value (sun.security.provider.KeyProtector).
 */
function protectJks(pkcs8: Buffer, password: string): Buffer {
  const passwordBytes = javaCharBytes(password);
  const salt = randomBytes(20);
  const keystream = Buffer.alloc(pkcs8.length);
  let digest = salt;
  for (let offset = 0; offset < pkcs8.length; offset += 20) {
    digest = createHash('sha1').update(passwordBytes).update(digest).digest();
    digest.copy(keystream, offset, 0, Math.min(20, pkcs8.length - offset));
  }
  const encrypted = Buffer.alloc(pkcs8.length);
  for (let index = 0; index < pkcs8.length; index++) {
    encrypted[index] = pkcs8[index]! ^ keystream[index]!;
  }
  const check = createHash('sha1').update(passwordBytes).update(pkcs8).digest();

  const algorithm = algorithmIdentifier(OID.sunJksKeyProtector, nullValue());
  return sequence(algorithm, octetString(Buffer.concat([salt, encrypted, check])));
}

/**
 * The JCEKS key protector, Sun's PBEWithMD5AndTripleDES: each half of an 8-byte salt is hashed
 * with the password through `iterations` rounds of MD5; the two digests give the 3DES key and IV.
 */
async function protectJceks(pkcs8: Buffer, password: string, iterations: number): Promise<Buffer> {
  const passwordBytes = Buffer.from(password, 'latin1');
  let salt = randomBytes(8);
  // Equal salt halves would hit a JDK quirk that rewrites the salt; draw again instead.
  while (salt.subarray(0, 4).equals(salt.subarray(4))) salt = randomBytes(8);

  const derived: Buffer[] = [];
  for (const half of [salt.subarray(0, 4), salt.subarray(4)]) {
    let digest = Buffer.from(half);
    for (let round = 0; round < iterations; round++) {
      digest = createHash('md5').update(digest).update(passwordBytes).digest();
      if (round % 20_000 === 19_999) await yieldToEventLoop();
    }
    derived.push(digest);
  }
  const material = Buffer.concat(derived);
  const cipher = createCipheriv(
    'des-ede3-cbc',
    material.subarray(0, 24),
    material.subarray(24, 32),
  );
  const encrypted = Buffer.concat([cipher.update(pkcs8), cipher.final()]);

  const parameters = sequence(octetString(salt), integer(iterations));
  const algorithm = algorithmIdentifier(OID.sunPbeWithMD5AndTripleDES, parameters);
  return sequence(algorithm, octetString(encrypted));
}

/** The JDK turns a JCEKS key password into bytes by dropping the high bit; it refuses non-ASCII. */
function checkJceksKeyPassword(password: string, alias: string): void {
  if (!/^[\x20-\x7e]*$/.test(password)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `The JCEKS key password of "${alias}" may hold only printable ASCII characters; choose ` +
        'another password, or export as JKS or PKCS#12.',
    );
  }
}

function certificateRecord(der: Buffer): Buffer {
  return Buffer.concat([javaUtf('X.509'), sized(der)]);
}

export async function encodeJavaKeystore(
  contents: KeystoreContents,
  storePassword: string,
  options: JavaKeystoreOptions,
): Promise<Buffer> {
  const created = int64(options.created.getTime());
  const keyPasswords = new Map(
    Object.entries(options.keyPasswords ?? {}).map(([alias, password]) => [
      alias.toLowerCase(),
      password,
    ]),
  );
  const parts: Buffer[] = [
    int32(MAGIC[options.type]),
    int32(2),
    int32(contents.keys.length + contents.trusted.length),
  ];

  const keyPasswordOf = (alias: string) => keyPasswords.get(alias.toLowerCase()) ?? storePassword;
  if (options.type === 'jceks') {
    for (const entry of contents.keys) {
      checkJceksKeyPassword(keyPasswordOf(entry.alias), entry.alias);
    }
  }

  for (const entry of contents.keys) {
    const keyPassword = keyPasswordOf(entry.alias);
    const protectedKey =
      options.type === 'jks'
        ? protectJks(entry.privateKey, keyPassword)
        : await protectJceks(entry.privateKey, keyPassword, options.iterations);
    // keytool folds aliases to lower case when it stores and when it looks them up.
    parts.push(int32(PRIVATE_KEY_ENTRY), javaUtf(entry.alias.toLowerCase()), created);
    parts.push(
      sized(protectedKey),
      int32(entry.chain.length),
      ...entry.chain.map(certificateRecord),
    );
  }
  for (const entry of contents.trusted) {
    parts.push(int32(TRUSTED_CERT_ENTRY), javaUtf(entry.alias.toLowerCase()), created);
    parts.push(certificateRecord(entry.certificate));
  }

  const body = Buffer.concat(parts);
  const integrity = createHash('sha1')
    .update(javaCharBytes(storePassword))
    .update(JKS_INTEGRITY_SALT, 'utf8')
    .update(body)
    .digest();
  return Buffer.concat([body, integrity]);
}
