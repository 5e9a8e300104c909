// Signature algorithm identifiers as certificates and CSRs carry them, and signature checks on
// structures we did not sign ourselves (CSRs, imported issuers).
import { constants, createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { id_mgf1, id_RSASSA_PSS, RsaSaPssParams, sha256, sha384, sha512 } from '@peculiar/asn1-rsa';
import type { SignatureAlgorithm } from '../../shared/algorithms';
import { MazeVaultError } from '../../shared/errors';

// RFC 4055 §5 (RSA PKCS#1 v1.5, parameters NULL), RFC 5758 §3.2 (ECDSA, parameters absent),
// RFC 8410 §3 (Ed25519, parameters absent).
const FIXED_OIDS: Partial<Record<SignatureAlgorithm, { oid: string; nullParameters: boolean }>> = {
  'rsa-pkcs1-sha256': { oid: '1.2.840.113549.1.1.11', nullParameters: true },
  'rsa-pkcs1-sha384': { oid: '1.2.840.113549.1.1.12', nullParameters: true },
  'rsa-pkcs1-sha512': { oid: '1.2.840.113549.1.1.13', nullParameters: true },
  'ecdsa-sha256': { oid: '1.2.840.10045.4.3.2', nullParameters: false },
  'ecdsa-sha384': { oid: '1.2.840.10045.4.3.3', nullParameters: false },
  'ecdsa-sha512': { oid: '1.2.840.10045.4.3.4', nullParameters: false },
  ed25519: { oid: '1.3.101.112', nullParameters: false },
};

const PSS_HASHES = {
  'rsa-pss-sha256': { hash: sha256, name: 'sha256', saltLength: 32 },
  'rsa-pss-sha384': { hash: sha384, name: 'sha384', saltLength: 48 },
  'rsa-pss-sha512': { hash: sha512, name: 'sha512', saltLength: 64 },
} as const;

const NULL_DER = new Uint8Array([0x05, 0x00]).buffer;

export function signatureAlgorithmIdentifier(algorithm: SignatureAlgorithm): AlgorithmIdentifier {
  const fixed = FIXED_OIDS[algorithm];
  if (fixed) {
    return new AlgorithmIdentifier({
      algorithm: fixed.oid,
      ...(fixed.nullParameters ? { parameters: NULL_DER } : {}),
    });
  }
  // RFC 4055 §3.1: the MGF1 hash and salt length follow the message hash (CA/B Forum 7.1.3.2).
  const pss = PSS_HASHES[algorithm as keyof typeof PSS_HASHES];
  const params = new RsaSaPssParams({
    hashAlgorithm: new AlgorithmIdentifier(pss.hash),
    maskGenAlgorithm: new AlgorithmIdentifier({
      algorithm: id_mgf1,
      parameters: AsnConvert.serialize(pss.hash),
    }),
    saltLength: pss.saltLength,
  });
  return new AlgorithmIdentifier({
    algorithm: id_RSASSA_PSS,
    parameters: AsnConvert.serialize(params),
  });
}

/** The DER of the AlgorithmIdentifier, for assembling a signed structure byte for byte. */
export function signatureAlgorithmDer(algorithm: SignatureAlgorithm): Buffer {
  return Buffer.from(AsnConvert.serialize(signatureAlgorithmIdentifier(algorithm)));
}

const HASH_BY_OID: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.3.14.3.2.26': 'sha1',
};

interface VerifyPlan {
  hash: string | null;
  padding?: number;
  saltLength?: number;
  dsaEncoding?: 'der';
}

function verifyPlan(identifier: AlgorithmIdentifier): VerifyPlan {
  for (const [name, fixed] of Object.entries(FIXED_OIDS)) {
    if (fixed.oid !== identifier.algorithm) continue;
    if (name === 'ed25519') return { hash: null };
    const hash = name.slice(name.lastIndexOf('-') + 1);
    return name.startsWith('ecdsa-') ? { hash, dsaEncoding: 'der' } : { hash };
  }
  if (identifier.algorithm === '1.2.840.113549.1.1.5') return { hash: 'sha1' };
  if (identifier.algorithm === '1.2.840.10045.4.1') return { hash: 'sha1', dsaEncoding: 'der' };
  if (identifier.algorithm === id_RSASSA_PSS && identifier.parameters) {
    const params = AsnConvert.parse(identifier.parameters, RsaSaPssParams);
    const hash = HASH_BY_OID[params.hashAlgorithm.algorithm];
    if (hash) {
      return { hash, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength };
    }
  }
  throw new MazeVaultError(
    'UNSUPPORTED',
    `Signatures made with algorithm ${identifier.algorithm} cannot be checked here; ask for RSA, ECDSA or Ed25519.`,
  );
}

/** Issuer keys seen lately: a bundle's certificates are checked against the same few CAs. */
const recentKeys = new Map<string, KeyObject>();
const RECENT_KEYS_LIMIT = 64;

function publicKeyObject(spki: Buffer): KeyObject {
  const id = spki.toString('base64');
  const cached = recentKeys.get(id);
  if (cached) return cached;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    throw new MazeVaultError('MALFORMED', 'The public key is not a readable SubjectPublicKeyInfo.');
  }
  recentKeys.set(id, key);
  if (recentKeys.size > RECENT_KEYS_LIMIT) {
    recentKeys.delete(recentKeys.keys().next().value as string);
  }
  return key;
}

/** Checks a signature over `data` made by the key in `spki` (DER) with the given algorithm. */
export function verifySignature(
  spki: Buffer,
  identifier: AlgorithmIdentifier,
  data: Buffer,
  signature: Buffer,
): boolean {
  const plan = verifyPlan(identifier);
  const key = publicKeyObject(spki);
  try {
    return nodeVerify(
      plan.hash,
      data,
      {
        key,
        ...(plan.padding !== undefined
          ? { padding: plan.padding, saltLength: plan.saltLength }
          : {}),
        ...(plan.dsaEncoding ? { dsaEncoding: plan.dsaEncoding } : {}),
      },
      signature,
    );
  } catch {
    // A key of the wrong type for the algorithm, or a garbled signature: either way not valid.
    return false;
  }
}
