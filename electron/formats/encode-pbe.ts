// Password-based encryption of PKCS#8 keys and PKCS#12 bags: PBES2 (RFC 8018 §6.2) with
// PBKDF2-HMAC-SHA256 and AES-256-CBC, and the legacy PKCS#12 3DES scheme (RFC 7292 §C) that
// Windows before Server 2019 still asks for. Each call draws a fresh salt and IV.

import { createCipheriv, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

import { algorithmIdentifier, integer, nullValue, octetString, sequence } from './encode-der';
import { OID } from './encode-oids';
import { derivePkcs12Key, PKCS12_KDF_PURPOSE, pkcs12PasswordBytes } from './encode-pkcs12-kdf';

const pbkdf2Async = promisify(pbkdf2);

export type PbeScheme = 'pbes2-aes256' | 'pkcs12-3des';

export interface PbeResult {
  /** DER AlgorithmIdentifier naming the scheme and its parameters. */
  algorithm: Buffer;
  ciphertext: Buffer;
}

/** NIST SP 800-132 §5.1: at least 128 bits of salt. */
const SALT_BYTES = 16;

/**
 * PBES2: the key comes from PBKDF2 over the password's UTF-8 bytes (RFC 8018 §3), as OpenSSL
 * and Java both encode it, and the data is AES-256-CBC with PKCS#7 padding.
 */
export async function encryptPbes2(
  plaintext: Buffer,
  password: string,
  iterations: number,
): Promise<PbeResult> {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(16);
  const key = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);

  // RFC 8018 §A.2: keyLength is optional and left out, as OpenSSL writes it.
  const kdf = algorithmIdentifier(
    OID.pbkdf2,
    sequence(
      octetString(salt),
      integer(iterations),
      algorithmIdentifier(OID.hmacWithSHA256, nullValue()),
    ),
  );
  const scheme = algorithmIdentifier(OID.aes256Cbc, octetString(iv));
  return { algorithm: algorithmIdentifier(OID.pbes2, sequence(kdf, scheme)), ciphertext };
}

/** RFC 7292 §C: pbeWithSHAAnd3-KeyTripleDES-CBC, key and IV from the PKCS#12 KDF over SHA-1. */
export async function encryptPkcs12TripleDes(
  plaintext: Buffer,
  password: string,
  iterations: number,
): Promise<PbeResult> {
  // OpenSSL and Windows write 8 octets of salt for this scheme.
  const salt = randomBytes(8);
  const passwordBytes = pkcs12PasswordBytes(password);
  const key = await derivePkcs12Key(
    'sha1',
    passwordBytes,
    salt,
    iterations,
    PKCS12_KDF_PURPOSE.key,
    24,
  );
  const iv = await derivePkcs12Key(
    'sha1',
    passwordBytes,
    salt,
    iterations,
    PKCS12_KDF_PURPOSE.iv,
    8,
  );
  const cipher = createCipheriv('des-ede3-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const parameters = sequence(octetString(salt), integer(iterations));
  return {
    algorithm: algorithmIdentifier(OID.pbeWithSHAAnd3KeyTripleDESCBC, parameters),
    ciphertext,
  };
}

export function encryptWith(
  scheme: PbeScheme,
  plaintext: Buffer,
  password: string,
  iterations: number,
): Promise<PbeResult> {
  return scheme === 'pbes2-aes256'
    ? encryptPbes2(plaintext, password, iterations)
    : encryptPkcs12TripleDes(plaintext, password, iterations);
}
