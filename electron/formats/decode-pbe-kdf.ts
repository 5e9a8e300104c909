// Password-based key derivation for encrypted keys and key stores: PBKDF2 and scrypt
// (RFC 8018 §5.2, RFC 7914), PBKDF1 (RFC 8018 §5.1), the PKCS#12 KDF (RFC 7292 Appendix B) and
// OpenSSL's EVP_BytesToKey for "Proc-Type: 4,ENCRYPTED" PEM. Work factors are capped so a hostile
// file cannot make the app spin for minutes; the caps sit well above what any tool writes.
import { createHash, pbkdf2, scrypt } from 'node:crypto';
import { MazeVaultError } from '../../shared/errors';

/** OWASP 2023 advises 600,000 for PBKDF2-SHA256; ten times that is the ceiling we accept. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;
/** The PKCS#12 and PBKDF1 loops run in JavaScript, so their ceiling is lower. */
export const MAX_LEGACY_ITERATIONS = 1_000_000;
export const MAX_SCRYPT_MEMORY = 512 * 1024 * 1024;

export type HashName =
  'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'sha512-224' | 'sha512-256';

function tooExpensive(what: string, value: number, ceiling: number): MazeVaultError {
  return new MazeVaultError(
    'UNSUPPORTED',
    `The file asks for ${value.toLocaleString('en')} ${what}, above the ${ceiling.toLocaleString('en')} ` +
      'MazeVault accepts; it is damaged or hostile. Re-export it with standard settings.',
  );
}

export function checkIterations(iterations: number, ceiling: number): void {
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new MazeVaultError('MALFORMED', `The iteration count ${iterations} is not valid.`);
  }
  if (iterations > ceiling) throw tooExpensive('key-derivation iterations', iterations, ceiling);
}

export function pbkdf2Async(
  password: Buffer,
  salt: Buffer,
  iterations: number,
  keyLength: number,
  hash: HashName,
): Promise<Buffer> {
  checkIterations(iterations, MAX_PBKDF2_ITERATIONS);
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, keyLength, hash, (error, key) => {
      if (error) reject(new MazeVaultError('UNSUPPORTED', `PBKDF2 with ${hash} is not available.`));
      else resolve(key);
    });
  });
}

export function scryptAsync(
  password: Buffer,
  salt: Buffer,
  cost: number,
  blockSize: number,
  parallelization: number,
  keyLength: number,
): Promise<Buffer> {
  const memory = 128 * cost * blockSize;
  const validCost = cost > 1 && (cost & (cost - 1)) === 0;
  if (!validCost || blockSize < 1 || parallelization < 1 || parallelization > 16) {
    throw new MazeVaultError('MALFORMED', 'The scrypt parameters of this key are not valid.');
  }
  if (memory > MAX_SCRYPT_MEMORY) {
    throw tooExpensive('bytes of scrypt memory', memory, MAX_SCRYPT_MEMORY);
  }
  return new Promise((resolve, reject) => {
    const options = { N: cost, r: blockSize, p: parallelization, maxmem: 2 * memory + (1 << 20) };
    scrypt(password, salt, keyLength, options, (error, key) => {
      if (error) reject(new MazeVaultError('UNSUPPORTED', 'scrypt with these parameters failed.'));
      else resolve(key);
    });
  });
}

/** PBKDF1 (RFC 8018 §5.1): the PKCS#5 v1.5 schemes take key and IV from one 16-byte output. */
export async function pbkdf1(
  password: Buffer,
  salt: Buffer,
  iterations: number,
  hash: HashName,
): Promise<Buffer> {
  checkIterations(iterations, MAX_LEGACY_ITERATIONS);
  let value = createHash(hash).update(password).update(salt).digest();
  for (let i = 1; i < iterations; i++) {
    value = createHash(hash).update(value).digest();
    if (i % 20_000 === 0) await yieldToEventLoop();
  }
  return value;
}

const HASH_BLOCK: Record<string, number> = { md5: 64, sha1: 64, sha224: 64, sha256: 64 };

/** RFC 7292 Appendix B.3: passwords are BMPStrings with a two-byte terminator. */
export function bmpPassword(password: string): Buffer {
  const out = Buffer.alloc((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

/**
 * RFC 7292 Appendix B.2. `id` is 1 for key material, 2 for the IV and 3 for the MAC key.
 * `password` is already encoded (BMPString with terminator, or empty for "no password").
 */
export async function pkcs12Kdf(
  password: Buffer,
  salt: Buffer,
  iterations: number,
  id: 1 | 2 | 3,
  size: number,
  hash: HashName,
): Promise<Buffer> {
  checkIterations(iterations, MAX_LEGACY_ITERATIONS);
  const v = HASH_BLOCK[hash] ?? 128;
  const u = createHash(hash).digest().length;
  const fill = (source: Buffer): Buffer => {
    if (source.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(source.length / v));
    for (let i = 0; i < out.length; i++) out[i] = source[i % source.length]!;
    return out;
  };
  const diversifier = Buffer.alloc(v, id);
  const input = Buffer.concat([fill(salt), fill(password)]);
  const blocks = Math.ceil(size / u);
  const output: Buffer[] = [];
  let work = 0;

  for (let block = 0; block < blocks; block++) {
    let a = createHash(hash).update(diversifier).update(input).digest();
    for (let i = 1; i < iterations; i++) {
      a = createHash(hash).update(a).digest();
      if (++work % 20_000 === 0) await yieldToEventLoop();
    }
    output.push(a);
    if (block === blocks - 1) break;

    // I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block of I.
    const b = Buffer.alloc(v);
    for (let i = 0; i < v; i++) b[i] = a[i % u]!;
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = input[j + k]! + b[k]! + carry;
        input[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(output).subarray(0, size);
}

/** OpenSSL EVP_BytesToKey with MD5 and one iteration, as PEM encryption uses (salt = IV[0..8]). */
export function evpBytesToKey(password: Buffer, salt: Buffer, keyLength: number): Buffer {
  const parts: Buffer[] = [];
  let previous = Buffer.alloc(0);
  let total = 0;
  while (total < keyLength) {
    previous = createHash('md5').update(previous).update(password).update(salt).digest();
    parts.push(previous);
    total += previous.length;
  }
  return Buffer.concat(parts).subarray(0, keyLength);
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
