// The PKCS#12 key derivation (RFC 7292 appendix B.2). Still required: every PKCS#12 MAC key is
// derived with it, and the legacy profile's 3DES keys and IVs too. Node has no binding for it.

import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** RFC 7292 §B.3: what the derived bytes are for. */
export const PKCS12_KDF_PURPOSE = { key: 1, iv: 2, mac: 3 } as const;

export type Pkcs12KdfHash = 'sha1' | 'sha256';

const HASH_SIZES: Record<Pkcs12KdfHash, { outputBytes: number; blockBytes: number }> = {
  sha1: { outputBytes: 20, blockBytes: 64 },
  sha256: { outputBytes: 32, blockBytes: 64 },
};

/** Hash rounds between two yields, so a long derivation never freezes the main process. */
const ROUNDS_PER_SLICE = 20_000;

/** RFC 7292 §B.1: the password as a BMPString with two zero octets at the end. */
export function pkcs12PasswordBytes(password: string): Buffer {
  const bytes = Buffer.from(`${password}\u0000`, 'utf16le');
  bytes.swap16();
  return bytes;
}

function repeatToMultiple(source: Buffer, blockBytes: number): Buffer {
  if (source.length === 0) return Buffer.alloc(0);
  const length = blockBytes * Math.ceil(source.length / blockBytes);
  const out = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += source.length) source.copy(out, offset);
  return out;
}

export async function derivePkcs12Key(
  hash: Pkcs12KdfHash,
  password: Buffer,
  salt: Buffer,
  iterations: number,
  purpose: number,
  length: number,
): Promise<Buffer> {
  const { outputBytes: u, blockBytes: v } = HASH_SIZES[hash];
  const diversifier = Buffer.alloc(v, purpose);
  const input = Buffer.concat([repeatToMultiple(salt, v), repeatToMultiple(password, v)]);
  const blocks: Buffer[] = [];

  for (let produced = 0; produced < length; produced += u) {
    let a = createHash(hash).update(diversifier).update(input).digest();
    for (let round = 1; round < iterations; round++) {
      a = createHash(hash).update(a).digest();
      if (round % ROUNDS_PER_SLICE === 0) await yieldToEventLoop();
    }
    blocks.push(a);
    if (produced + u >= length) break;

    // §B.2 step 6C: I_j = (I_j + B + 1) mod 2^(8v), with B = A repeated to v octets.
    const b = repeatToMultiple(a, v).subarray(0, v);
    for (let start = 0; start < input.length; start += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = input[start + k]! + b[k]! + carry;
        input[start + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length);
}
