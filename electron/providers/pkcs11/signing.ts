// How a signature algorithm becomes a token mechanism. A token that offers the hash-and-sign
// mechanism gets the whole message; otherwise the message is hashed here and the token signs the
// digest (RSA with the DigestInfo of RFC 8017 §9.2). ECDSA comes back as r‖s (PKCS#11 v2.40
// §2.3.1) and is re-encoded as the DER Ecdsa-Sig-Value X.509 carries (RFC 5480 §2.2 / RFC 3279).
import { createHash } from 'node:crypto';
import type { SignatureAlgorithm } from '../../../shared/algorithms';
import { MazeVaultError } from '../../../shared/errors';
import { CKG_MGF1, CKM } from './constants';

export interface SignMechanism {
  mechanism: number;
  parameter?: { kind: 'rsa-pss'; hashAlg: number; mgf: number; saltLen: number };
}

export interface SignPlan {
  mechanism: SignMechanism;
  /** What the token signs: the message or its digest (with DigestInfo for CKM_RSA_PKCS). */
  input: Buffer;
  /** The token returns r‖s and X.509 wants DER. */
  ecdsaRaw: boolean;
}

type Hash = 'sha256' | 'sha384' | 'sha512';

const HASH: Record<Hash, { ckm: number; mgf: number; bytes: number; digestInfo: string }> = {
  // RFC 8017 §9.2 note 1: the DER DigestInfo prefixes.
  sha256: {
    ckm: CKM.SHA256,
    mgf: CKG_MGF1.SHA256,
    bytes: 32,
    digestInfo: '3031300d060960864801650304020105000420',
  },
  sha384: {
    ckm: CKM.SHA384,
    mgf: CKG_MGF1.SHA384,
    bytes: 48,
    digestInfo: '3041300d060960864801650304020205000430',
  },
  sha512: {
    ckm: CKM.SHA512,
    mgf: CKG_MGF1.SHA512,
    bytes: 64,
    digestInfo: '3051300d060960864801650304020305000440',
  },
};

const COMBINED: Record<string, number> = {
  'rsa-pkcs1-sha256': CKM.SHA256_RSA_PKCS,
  'rsa-pkcs1-sha384': CKM.SHA384_RSA_PKCS,
  'rsa-pkcs1-sha512': CKM.SHA512_RSA_PKCS,
  'rsa-pss-sha256': CKM.SHA256_RSA_PKCS_PSS,
  'rsa-pss-sha384': CKM.SHA384_RSA_PKCS_PSS,
  'rsa-pss-sha512': CKM.SHA512_RSA_PKCS_PSS,
  'ecdsa-sha256': CKM.ECDSA_SHA256,
  'ecdsa-sha384': CKM.ECDSA_SHA384,
  'ecdsa-sha512': CKM.ECDSA_SHA512,
};

/** The mechanisms a signature algorithm can use, for checking what a token offers. */
export function mechanismsFor(algorithm: SignatureAlgorithm): number[] {
  if (algorithm === 'ed25519') return [CKM.EDDSA];
  const base = algorithm.startsWith('rsa-pss-')
    ? CKM.RSA_PKCS_PSS
    : algorithm.startsWith('rsa-')
      ? CKM.RSA_PKCS
      : CKM.ECDSA;
  return [COMBINED[algorithm]!, base];
}

export function planSignature(
  algorithm: SignatureAlgorithm,
  data: Uint8Array,
  offered: ReadonlySet<number>,
): SignPlan {
  const message = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (algorithm === 'ed25519') {
    if (!offered.has(CKM.EDDSA)) throw unsupported(algorithm);
    return { mechanism: { mechanism: CKM.EDDSA }, input: message, ecdsaRaw: false };
  }
  const hash = algorithm.slice(algorithm.lastIndexOf('-') + 1) as Hash;
  const h = HASH[hash];
  const digest = (): Buffer => createHash(hash).update(message).digest();
  const combined = COMBINED[algorithm]!;
  const useCombined = offered.has(combined);

  if (algorithm.startsWith('rsa-pss-')) {
    // RFC 4055 §3.1 and the CA/Browser Forum profile: MGF1 with the same hash, salt = hash length.
    const parameter = { kind: 'rsa-pss' as const, hashAlg: h.ckm, mgf: h.mgf, saltLen: h.bytes };
    if (useCombined) {
      return { mechanism: { mechanism: combined, parameter }, input: message, ecdsaRaw: false };
    }
    if (!offered.has(CKM.RSA_PKCS_PSS)) throw unsupported(algorithm);
    return {
      mechanism: { mechanism: CKM.RSA_PKCS_PSS, parameter },
      input: digest(),
      ecdsaRaw: false,
    };
  }
  if (algorithm.startsWith('rsa-')) {
    if (useCombined) return { mechanism: { mechanism: combined }, input: message, ecdsaRaw: false };
    if (!offered.has(CKM.RSA_PKCS)) throw unsupported(algorithm);
    const input = Buffer.concat([Buffer.from(h.digestInfo, 'hex'), digest()]);
    return { mechanism: { mechanism: CKM.RSA_PKCS }, input, ecdsaRaw: false };
  }
  if (useCombined) return { mechanism: { mechanism: combined }, input: message, ecdsaRaw: true };
  if (!offered.has(CKM.ECDSA)) throw unsupported(algorithm);
  return { mechanism: { mechanism: CKM.ECDSA }, input: digest(), ecdsaRaw: true };
}

function unsupported(algorithm: SignatureAlgorithm): MazeVaultError {
  return new MazeVaultError(
    'UNSUPPORTED',
    `This token offers no mechanism for ${algorithm} signatures.`,
  );
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  return Buffer.from([0x82, length >> 8, length & 0xff]);
}

function derInteger(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1;
  let body = magnitude.subarray(start);
  // X.690 §8.3: a positive INTEGER whose top bit is set needs a leading zero octet.
  if (body[0]! & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}

/** r‖s (each half the length) → Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }. */
export function ecdsaRawToDer(raw: Buffer): Buffer {
  if (raw.length === 0 || raw.length % 2 !== 0) {
    throw new MazeVaultError(
      'PROVIDER_ERROR',
      'The token returned an ECDSA signature of odd length.',
    );
  }
  const half = raw.length / 2;
  const body = Buffer.concat([derInteger(raw.subarray(0, half)), derInteger(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}
