// Passphrase → key-encryption key with scrypt, a memory-hard KDF. The parameters are stored with
// the key slot so they can be raised later without creating a new vault.
import { randomBytes, scrypt } from 'node:crypto';
import { MazeVaultError } from '../../shared/errors';

export interface ScryptParams {
  algorithm: 'scrypt';
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
  /** Base64 salt, 32 random bytes. */
  salt: string;
}

/** The floor the vault accepts: scrypt N=2^17, r=8, p=1 (128 MiB per derivation). */
export const MINIMUM_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

/**
 * Parameters for vaults that tests create and throw away. Never used unless the caller asks for
 * them by name; a vault made with them says so in its settings.
 */
export const TEST_ONLY_SCRYPT = { N: 2 ** 12, r: 8, p: 1 } as const;

export function newScryptParams(
  cost: { N: number; r: number; p: number } = MINIMUM_SCRYPT,
): ScryptParams {
  return { algorithm: 'scrypt', ...cost, salt: randomBytes(32).toString('base64') };
}

export function isAtLeastMinimum(params: ScryptParams): boolean {
  return (
    params.N >= MINIMUM_SCRYPT.N && params.r >= MINIMUM_SCRYPT.r && params.p >= MINIMUM_SCRYPT.p
  );
}

export function deriveKeyEncryptionKey(passphrase: string, params: ScryptParams): Promise<Buffer> {
  if (params.algorithm !== 'scrypt' || !Number.isInteger(Math.log2(params.N))) {
    return Promise.reject(
      new MazeVaultError('VAULT_DAMAGED', 'The vault key slot names an unknown KDF.'),
    );
  }
  const maxmem = 128 * params.N * params.r * params.p + 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFC'),
      Buffer.from(params.salt, 'base64'),
      32,
      { N: params.N, r: params.r, p: params.p, maxmem },
      (error, key) => {
        if (error) {
          // Node refuses scrypt only when it cannot get the memory it needs (N*r*128 bytes).
          reject(
            new MazeVaultError(
              'INTERNAL',
              `Key derivation failed: scrypt with N=2^${Math.log2(params.N)}, r=${params.r} needs ` +
                `${Math.ceil(maxmem / 2 ** 20)} MiB of memory, which this machine did not provide; ` +
                'close other programs and try again.',
            ),
          );
        } else resolve(key);
      },
    );
  });
}
