// Signature verification with Node's crypto for the algorithms this validator accepts:
// RSA PKCS#1 v1.5 and RSASSA-PSS (RFC 4055), ECDSA on P-256/384/521 (RFC 5758), Ed25519
// (RFC 8410). SHA-1, MD5, DSA and small keys are refused on purpose (NIST SP 800-131A).
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { DER_TAG, children, decodeOid, decodeSmallInteger, readOnly, type DerNode } from './der';

export type SignatureScheme =
  | { kind: 'rsa-pkcs1'; hash: string }
  | { kind: 'rsa-pss'; hash: string; saltLength: number }
  | { kind: 'ecdsa'; hash: string }
  | { kind: 'ed25519' };

export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

const HASHES: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const RSA_PKCS1: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

const ECDSA: Record<string, string> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const REFUSED: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'MD5 with RSA, which is broken',
  '1.2.840.113549.1.1.5': 'SHA-1 with RSA, which is no longer trusted',
  '1.2.840.10045.4.1': 'ECDSA with SHA-1, which is no longer trusted',
  '1.2.840.10040.4.3': 'DSA with SHA-1, which is not accepted',
  '2.16.840.1.101.3.4.3.1': 'DSA with SHA-224, which is not accepted',
  '2.16.840.1.101.3.4.3.2': 'DSA with SHA-256, which is not accepted',
};

const ALLOWED_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

function isNull(node: DerNode): boolean {
  return node.tag === DER_TAG.NULL && node.value.length === 0;
}

/** RFC 4055 §3.1 RSASSA-PSS-params; only SHA-2 with MGF1 of the same hash is accepted. */
function parsePssParams(params: DerNode | undefined): Outcome<SignatureScheme> {
  if (!params || params.tag !== DER_TAG.SEQUENCE) {
    return {
      ok: false,
      reason: 'RSASSA-PSS parameters are missing (the SHA-1 defaults are refused)',
    };
  }
  let hash: string | undefined;
  let mgfHash: string | undefined;
  let saltLength = 20;
  for (const field of children(params)) {
    const [inner] = children(field);
    if (field.tag === 0xa0) {
      hash = HASHES[decodeOid(children(inner)[0])];
    } else if (field.tag === 0xa1) {
      const [mgfOid, mgfParams] = children(inner);
      if (decodeOid(mgfOid) !== '1.2.840.113549.1.1.8' || !mgfParams) {
        return { ok: false, reason: 'RSASSA-PSS uses a mask generation function other than MGF1' };
      }
      mgfHash = HASHES[decodeOid(children(mgfParams)[0])];
    } else if (field.tag === 0xa2) {
      saltLength = decodeSmallInteger(inner);
    } else if (field.tag === 0xa3 && decodeSmallInteger(inner) !== 1) {
      return { ok: false, reason: 'RSASSA-PSS uses a trailer field other than 0xBC' };
    }
  }
  if (!hash || hash !== mgfHash) {
    return { ok: false, reason: 'RSASSA-PSS must use SHA-256/384/512 for both hash and MGF1' };
  }
  return { ok: true, value: { kind: 'rsa-pss', hash, saltLength } };
}

/** Reads an AlgorithmIdentifier into the scheme to verify with, or says why it is refused. */
export function signatureScheme(algorithmIdentifier: Buffer): Outcome<SignatureScheme> {
  try {
    const [oidNode, params, ...rest] = children(readOnly(algorithmIdentifier));
    if (rest.length > 0) return { ok: false, reason: 'the algorithm identifier has extra fields' };
    const oid = decodeOid(oidNode);
    if (oid in RSA_PKCS1) {
      // RFC 4055 §5: the parameters MUST be NULL; absence is tolerated as many encoders omit it.
      if (params && !isNull(params)) return { ok: false, reason: 'RSA parameters are not NULL' };
      return { ok: true, value: { kind: 'rsa-pkcs1', hash: RSA_PKCS1[oid] } };
    }
    if (oid in ECDSA) {
      // RFC 5758 §3.2: the parameters field MUST be absent.
      if (params) return { ok: false, reason: 'ECDSA signature parameters must be absent' };
      return { ok: true, value: { kind: 'ecdsa', hash: ECDSA[oid] } };
    }
    if (oid === '1.3.101.112') {
      if (params) return { ok: false, reason: 'Ed25519 parameters must be absent (RFC 8410)' };
      return { ok: true, value: { kind: 'ed25519' } };
    }
    if (oid === '1.2.840.113549.1.1.10') return parsePssParams(params);
    if (oid in REFUSED) return { ok: false, reason: `the signature algorithm is ${REFUSED[oid]}` };
    return { ok: false, reason: `the signature algorithm ${oid} is not supported` };
  } catch {
    return { ok: false, reason: 'the signature algorithm identifier is malformed' };
  }
}

/** Loads a public key and refuses the kinds and sizes this validator does not trust. */
export function loadPublicKey(spki: Buffer): Outcome<KeyObject> {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    return { ok: false, reason: 'its public key cannot be read (unknown type or explicit curve)' };
  }
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      if ((details.modulusLength ?? 0) < 2048) {
        return {
          ok: false,
          reason: `its RSA key has ${details.modulusLength} bits; 2048 or more are required`,
        };
      }
      return { ok: true, value: key };
    case 'ec':
      if (!ALLOWED_CURVES.has(details.namedCurve ?? '')) {
        return {
          ok: false,
          reason: `its EC key is on ${details.namedCurve ?? 'an explicit curve'}; P-256, P-384 or P-521 are required`,
        };
      }
      return { ok: true, value: key };
    case 'ed25519':
      return { ok: true, value: key };
    default:
      return {
        ok: false,
        reason: `its ${key.asymmetricKeyType ?? 'unknown'} key is not accepted for signing certificates`,
      };
  }
}

function keyFits(scheme: SignatureScheme, key: KeyObject): boolean {
  const type = key.asymmetricKeyType;
  if (scheme.kind === 'rsa-pkcs1') return type === 'rsa';
  if (scheme.kind === 'rsa-pss') return type === 'rsa' || type === 'rsa-pss';
  if (scheme.kind === 'ecdsa') return type === 'ec';
  return type === 'ed25519';
}

/** Verifies `signature` over `data` with the issuer's SPKI; the reason is officer-readable. */
export function verifySignature(
  algorithmIdentifier: Buffer,
  spki: Buffer,
  data: Buffer,
  signature: Buffer,
): Outcome<SignatureScheme> {
  const scheme = signatureScheme(algorithmIdentifier);
  if (!scheme.ok) return scheme;
  const key = loadPublicKey(spki);
  if (!key.ok) return { ok: false, reason: `the issuer's key is refused: ${key.reason}` };
  if (!keyFits(scheme.value, key.value)) {
    return {
      ok: false,
      reason: `the issuer's ${key.value.asymmetricKeyType} key cannot make a ${scheme.value.kind} signature`,
    };
  }
  const s = scheme.value;
  let verified: boolean;
  try {
    if (s.kind === 'ed25519') verified = verify(null, data, key.value, signature);
    else if (s.kind === 'rsa-pss') {
      verified = verify(
        s.hash,
        data,
        { key: key.value, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: s.saltLength },
        signature,
      );
    } else verified = verify(s.hash, data, key.value, signature);
  } catch {
    verified = false;
  }
  return verified
    ? scheme
    : { ok: false, reason: "the signature does not verify with the issuer's public key" };
}

export function describeScheme(scheme: SignatureScheme): string {
  switch (scheme.kind) {
    case 'rsa-pkcs1':
      return `RSA PKCS#1 v1.5 with ${scheme.hash.toUpperCase()}`;
    case 'rsa-pss':
      return `RSASSA-PSS with ${scheme.hash.toUpperCase()}`;
    case 'ecdsa':
      return `ECDSA with ${scheme.hash.toUpperCase()}`;
    case 'ed25519':
      return 'Ed25519';
  }
}
