// The block and stream ciphers found in encrypted keys and key stores. Node's OpenSSL 3 default
// provider has AES, Camellia, ARIA and 3DES but not DES, RC2 or RC4 (they live in the legacy
// provider, which Node does not load), so those come from node-forge or, for RC4, a few lines here.
import { createDecipheriv } from 'node:crypto';
import forge from 'node-forge';

export type CipherName =
  | 'aes-128-cbc'
  | 'aes-192-cbc'
  | 'aes-256-cbc'
  | 'camellia-128-cbc'
  | 'camellia-192-cbc'
  | 'camellia-256-cbc'
  | 'aria-128-cbc'
  | 'aria-192-cbc'
  | 'aria-256-cbc'
  | 'des-ede3-cbc'
  | 'des-ede-cbc'
  | 'des-cbc'
  | 'rc2-cbc'
  | 'rc4';

export interface CipherSpec {
  name: CipherName;
  keyLength: number;
  ivLength: number;
  /** RC2 effective key bits (RFC 2268), when not the key length. */
  effectiveBits?: number;
}

/**
 * Decrypts and removes PKCS#7 padding. Returns undefined when the padding is wrong, which with
 * a CBC cipher almost always means the password was wrong.
 */
export function decrypt(
  spec: CipherSpec,
  key: Buffer,
  iv: Buffer,
  data: Buffer,
): Buffer | undefined {
  if (spec.name === 'rc4') return rc4(key, data);
  if (data.length === 0 || data.length % 8 !== 0) return undefined;
  if (spec.name === 'des-cbc' || spec.name === 'rc2-cbc') return forgeDecrypt(spec, key, iv, data);

  try {
    const decipher = createDecipheriv(spec.name, key, iv);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return undefined;
  }
}

function forgeDecrypt(spec: CipherSpec, key: Buffer, iv: Buffer, data: Buffer): Buffer | undefined {
  const keyBuffer = forge.util.createBuffer(key.toString('binary'));
  const cipher =
    spec.name === 'rc2-cbc'
      ? forge.rc2.createDecryptionCipher(keyBuffer, spec.effectiveBits ?? key.length * 8)
      : forge.cipher.createDecipher('DES-CBC', keyBuffer);
  if (spec.name === 'rc2-cbc') {
    (cipher as forge.rc2.cipher).start(forge.util.createBuffer(iv.toString('binary')));
  } else {
    (cipher as forge.cipher.BlockCipher).start({
      iv: forge.util.createBuffer(iv.toString('binary')),
    });
  }
  cipher.update(forge.util.createBuffer(data.toString('binary')));
  if (!cipher.finish()) return undefined;
  return Buffer.from(cipher.output.getBytes(), 'binary');
}

/** RC4 (used only by pbeWithSHAAnd128BitRC4 and 40BitRC4 of RFC 7292 Appendix C). */
function rc4(key: Buffer, data: Buffer): Buffer {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}
