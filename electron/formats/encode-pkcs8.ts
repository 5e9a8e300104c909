// PKCS#8 private keys (RFC 5208, RFC 5958): plain PrivateKeyInfo as given, or wrapped in an
// EncryptedPrivateKeyInfo with PBES2 (RFC 5958 §3), which `openssl pkey -passin` and Java read.

import { octetString, sequence } from './encode-der';
import { encryptPbes2 } from './encode-pbe';

/** RFC 5958 §3: EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData }. */
export async function encodeEncryptedPkcs8(
  privateKeyInfo: Buffer,
  password: string,
  iterations: number,
): Promise<Buffer> {
  const { algorithm, ciphertext } = await encryptPbes2(privateKeyInfo, password, iterations);
  return sequence(algorithm, octetString(ciphertext));
}
