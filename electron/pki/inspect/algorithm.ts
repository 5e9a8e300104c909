// Signature AlgorithmIdentifiers, with RSASSA-PSS parameters spelled out (RFC 4055 §3.1: hash
// SHA-1, MGF1 with SHA-1, salt 20 and trailer 1 when absent).
import {
  type Asn1Node,
  TAG,
  children,
  content,
  encoded,
  is,
  readOid,
  readSmallInt,
} from '../../formats/decode-asn1';
import { HASHES, SIGNATURE_ALGORITHMS, WEAK_SIGNATURES } from './oids';

export interface PssParameters {
  hash: string;
  maskGenHash: string;
  saltLength: number;
  trailerField: number;
}

export interface AlgorithmInfo {
  oid: string;
  name: string;
  /** MD2, MD4, MD5 and SHA-1 based signatures. */
  weak?: boolean;
  pss?: PssParameters;
  /** Parameters other than NULL or absent, hex. */
  parametersHex?: string;
}

const RSASSA_PSS = '1.2.840.113549.1.1.10';

export function readAlgorithm(node: Asn1Node): AlgorithmInfo {
  const [oidNode, params] = children(node);
  const oid = readOid(oidNode!);
  const info: AlgorithmInfo = { oid, name: SIGNATURE_ALGORITHMS[oid] ?? oid };
  if (WEAK_SIGNATURES.has(oid)) info.weak = true;
  if (oid === RSASSA_PSS) info.pss = readPss(params);
  else if (params && !is(params, TAG.NULL)) info.parametersHex = encoded(params).toString('hex');
  return info;
}

export function readPss(params: Asn1Node | undefined): PssParameters {
  const out: PssParameters = {
    hash: 'SHA-1',
    maskGenHash: 'SHA-1',
    saltLength: 20,
    trailerField: 1,
  };
  if (!params || is(params, TAG.NULL)) return out;
  for (const field of children(params)) {
    const inner = children(field)[0]!;
    if (field.tagNumber === 0) out.hash = hashName(inner);
    if (field.tagNumber === 1) {
      const [mgfOid, mgfParams] = children(inner);
      const mgf = readOid(mgfOid!);
      out.maskGenHash = mgf === '1.2.840.113549.1.1.8' && mgfParams ? hashName(mgfParams) : mgf;
    }
    if (field.tagNumber === 2) out.saltLength = readSmallInt(inner, 'salt length');
    if (field.tagNumber === 3) out.trailerField = readSmallInt(inner, 'trailer field');
  }
  return out;
}

function hashName(algorithm: Asn1Node): string {
  const oid = readOid(children(algorithm)[0]!);
  return HASHES[oid] ?? oid;
}

/** Two AlgorithmIdentifiers are the same when their DER is (RFC 5280 §4.1.1.2). */
export function sameAlgorithm(a: Asn1Node, b: Asn1Node): boolean {
  return content(a).equals(content(b));
}
