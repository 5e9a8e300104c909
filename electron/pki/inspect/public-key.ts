// SubjectPublicKeyInfo in words: the key type and its size or curve. Explicit EC parameters
// (RFC 3279 §2.3.5 ECParameters) are compared with the named curves Node knows, so a key that
// spells out P-256 is shown as P-256, and one that matches no named curve is flagged.
import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  type Asn1Node,
  TAG,
  children,
  content,
  encoded,
  is,
  parseDer,
  readBigInt,
  readOctets,
  readOid,
} from '../../formats/decode-asn1';
import { readPss, type PssParameters } from './algorithm';
import { CURVES, KEY_ALGORITHMS } from './oids';

export interface PublicKeyInfo {
  algorithmOid: string;
  /** RSA, RSA-PSS, EC, DSA, Ed25519, Ed448, X25519, X448, or the OID. */
  type: string;
  /** Modulus bits (RSA), prime bits (DSA), field bits (EC), or the fixed size of EdDSA/XDH. */
  bits?: number;
  curve?: string;
  curveOid?: string;
  /** True when the curve was given by explicit parameters rather than a name. */
  explicitCurve?: boolean;
  publicExponent?: string;
  pss?: PssParameters;
  problems: string[];
  /** SHA-256 of the SubjectPublicKeyInfo DER, hex: the key's identity across certificates. */
  spkiSha256: string;
}

const FIXED_BITS: Record<string, number> = { Ed25519: 256, Ed448: 456, X25519: 255, X448: 448 };

export function readPublicKey(spki: Asn1Node): PublicKeyInfo {
  const [algorithm, keyBits] = children(spki);
  const [oidNode, params] = children(algorithm!);
  const algorithmOid = readOid(oidNode!);
  const type = KEY_ALGORITHMS[algorithmOid] ?? algorithmOid;
  const info: PublicKeyInfo = {
    algorithmOid,
    type,
    problems: [],
    spkiSha256: createHash('sha256').update(encoded(spki)).digest('hex'),
  };
  if (!is(keyBits, TAG.BIT_STRING)) {
    info.problems.push('the public key is not a BIT STRING');
    return info;
  }
  const bits = content(keyBits!);
  if (bits[0] !== 0) info.problems.push(`the key BIT STRING has ${bits[0]} unused bits`);
  const key = bits.subarray(1);

  try {
    if (type === 'RSA' || type === 'RSA-PSS') readRsa(key, info);
    if (type === 'RSA-PSS' && params) info.pss = readPss(params);
    if (type === 'EC') readEc(params, key, info);
    if (type === 'DSA') readDsa(params, info);
    if (FIXED_BITS[type]) info.bits = FIXED_BITS[type];
  } catch {
    info.problems.push(`the ${type} key or its parameters cannot be decoded`);
  }
  if (type === algorithmOid) info.problems.push(`unknown key algorithm ${algorithmOid}`);
  return info;
}

function readRsa(key: Buffer, info: PublicKeyInfo): void {
  const [modulus, exponent] = children(parseDer(key));
  const n = readBigInt(modulus!);
  info.bits = n.toString(2).length;
  info.publicExponent = readBigInt(exponent!).toString();
  if (n <= 0n) info.problems.push('the RSA modulus is not positive');
}

function readDsa(params: Asn1Node | undefined, info: PublicKeyInfo): void {
  if (!params || is(params, TAG.NULL)) {
    info.problems.push('no DSA parameters: they are inherited from the issuer (RFC 3279 §2.3.2)');
    return;
  }
  const [p] = children(params);
  info.bits = readBigInt(p!).toString(2).length;
}

function readEc(params: Asn1Node | undefined, point: Buffer, info: PublicKeyInfo): void {
  if (point[0] === 2 || point[0] === 3) info.problems.push('compressed public point');
  if (!params) {
    info.problems.push('no curve parameters');
    return;
  }
  if (is(params, TAG.OID)) {
    const oid = readOid(params);
    info.curveOid = oid;
    const known = CURVES[oid];
    info.curve = known?.[0] ?? oid;
    info.bits = known?.[2];
    if (!known) info.problems.push(`unknown named curve ${oid}`);
    return;
  }
  if (is(params, TAG.NULL)) {
    info.problems.push('implicitlyCA curve: the parameters are inherited from the CA');
    return;
  }
  info.explicitCurve = true;
  const match = matchExplicitCurve(params);
  if (match) {
    info.curveOid = match;
    info.curve = CURVES[match]![0];
    info.bits = CURVES[match]![2];
    info.problems.push(`the curve is given by explicit parameters (they match ${info.curve})`);
  } else {
    info.curve = 'explicit parameters (no named curve)';
    info.problems.push('explicit curve parameters that match no named curve');
  }
}

interface CurveFingerprint {
  prime: bigint;
  a: bigint;
  b: bigint;
  order: bigint;
  generator: string;
}

let namedFingerprints: Map<string, CurveFingerprint> | undefined;

/** The explicit parameters of each named curve, learnt from Node's own encoding of a key. */
function namedCurveFingerprints(): Map<string, CurveFingerprint> {
  if (namedFingerprints) return namedFingerprints;
  namedFingerprints = new Map();
  for (const [oid, [, nodeName]] of Object.entries(CURVES)) {
    try {
      const { publicKey } = generateKeyPairSync('ec', {
        namedCurve: nodeName,
        paramEncoding: 'explicit',
      });
      const spki = parseDer(publicKey.export({ format: 'der', type: 'spki' }));
      const params = children(children(spki)[0]!)[1]!;
      const fingerprint = curveFingerprint(params);
      if (fingerprint) namedFingerprints.set(oid, fingerprint);
    } catch {
      // A curve this Node build lacks simply cannot be matched.
    }
  }
  return namedFingerprints;
}

function curveFingerprint(params: Asn1Node): CurveFingerprint | undefined {
  // ECParameters ::= SEQUENCE { version, fieldID, curve, base, order, cofactor OPTIONAL }
  const [, fieldId, curve, base, order] = children(params);
  const [fieldType, prime] = children(fieldId!);
  if (readOid(fieldType!) !== '1.2.840.10045.1.1') return undefined; // prime fields only
  const [a, b] = children(curve!);
  const asInt = (node: Asn1Node) => BigInt('0x' + (readOctets(node).toString('hex') || '0'));
  return {
    prime: readBigInt(prime!),
    a: asInt(a!),
    b: asInt(b!),
    order: readBigInt(order!),
    generator: readOctets(base!).toString('hex'),
  };
}

function matchExplicitCurve(params: Asn1Node): string | undefined {
  const given = curveFingerprint(params);
  if (!given) return undefined;
  for (const [oid, known] of namedCurveFingerprints()) {
    if (
      known.prime === given.prime &&
      known.a === given.a &&
      known.b === given.b &&
      known.order === given.order &&
      known.generator === given.generator
    ) {
      return oid;
    }
  }
  return undefined;
}
