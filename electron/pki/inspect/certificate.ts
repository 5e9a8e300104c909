// Everything in an X.509 certificate (RFC 5280 §4.1), as plain JSON for the window and the CLI.
import { createHash } from 'node:crypto';
import { MazeVaultError } from '../../../shared/errors';
import {
  type Asn1Node,
  TAG,
  children,
  content,
  encoded,
  is,
  parseDer,
  readBigInt,
} from '../../formats/decode-asn1';
import { type AlgorithmInfo, readAlgorithm, sameAlgorithm } from './algorithm';
import { type ExtensionInfo, readExtensions } from './extensions';
import { type Undecodable, attempt } from './field';
import { type NameInfo, readName } from './names';
import { type PublicKeyInfo, readPublicKey } from './public-key';
import { type TimeInfo, readTime } from './time';

export interface SerialInfo {
  /** The signed value in hex, with a leading "-" when negative. */
  hex: string;
  decimal: string;
  negative: boolean;
  zero: boolean;
  /** RFC 5280 §4.1.2.2 allows at most 20 octets. */
  tooLong: boolean;
  octets: number;
}

export interface Fingerprints {
  /** Upper-case hex, colon-separated, as OpenSSL and browsers show them. */
  sha1: string;
  sha256: string;
}

export interface CertificateInspection {
  kind: 'certificate';
  version: number | Undecodable;
  serial: SerialInfo | Undecodable;
  signatureAlgorithm: AlgorithmInfo | Undecodable;
  issuer: NameInfo | Undecodable;
  subject: NameInfo | Undecodable;
  validity: { notBefore: TimeInfo; notAfter: TimeInfo } | Undecodable;
  publicKey: PublicKeyInfo | Undecodable;
  issuerUniqueId?: string;
  subjectUniqueId?: string;
  extensions: ExtensionInfo[] | Undecodable;
  selfIssued: boolean;
  fingerprints: Fingerprints;
  signatureHex: string;
  /** Everything that is wrong or unusual, in words. Empty when all is well. */
  problems: string[];
}

export function fingerprints(der: Buffer): Fingerprints {
  const colon = (hex: string) => hex.toUpperCase().match(/../g)!.join(':');
  return {
    sha1: colon(createHash('sha1').update(der).digest('hex')),
    sha256: colon(createHash('sha256').update(der).digest('hex')),
  };
}

export function readSerial(node: Asn1Node): SerialInfo {
  const value = readBigInt(node);
  const octets = content(node).length;
  const magnitude = value < 0n ? -value : value;
  return {
    hex: (value < 0n ? '-' : '') + magnitude.toString(16).toUpperCase().padStart(2, '0'),
    decimal: value.toString(),
    negative: value < 0n,
    zero: value === 0n,
    tooLong: octets > 20,
    octets,
  };
}

/** Throws MALFORMED only when the outer SEQUENCE itself is unreadable; fields fail one by one. */
export function inspectCertificate(der: Buffer): CertificateInspection {
  const root = parseDer(der, true);
  const [tbsNode, outerAlgorithm, signature] = children(root);
  if (!is(tbsNode, TAG.SEQUENCE)) {
    throw new MazeVaultError('MALFORMED', 'This is not a certificate: it has no TBSCertificate.');
  }
  const problems: string[] = [];
  if (root.end !== der.length) {
    problems.push(`${der.length - root.end} bytes after the certificate`);
  }

  const tbs = children(tbsNode!);
  const explicitVersion = is(tbs[0], 0, 'context') ? tbs[0] : undefined;
  const fields = explicitVersion ? tbs.slice(1) : tbs;
  const [serialNode, innerAlgorithm, issuerNode, validityNode, subjectNode, spkiNode, ...rest] =
    fields;

  const version = explicitVersion
    ? attempt('version', explicitVersion, problems, (n) => Number(readBigInt(children(n)[0]!)) + 1)
    : 1;
  if (typeof version === 'number' && (version < 1 || version > 3)) {
    problems.push(`version ${version} is not defined (only v1, v2, v3)`);
  }
  const serial = attempt('serial number', serialNode, problems, readSerial);
  if (typeof serial === 'object' && 'negative' in serial) {
    if (serial.negative) problems.push('the serial number is negative (RFC 5280 §4.1.2.2)');
    if (serial.zero) problems.push('the serial number is zero (RFC 5280 §4.1.2.2)');
    if (serial.tooLong) problems.push(`the serial number is ${serial.octets} octets, above 20`);
  }

  const signatureAlgorithm = attempt(
    'signature algorithm',
    outerAlgorithm,
    problems,
    readAlgorithm,
  );
  if (outerAlgorithm && innerAlgorithm && !sameAlgorithm(outerAlgorithm, innerAlgorithm)) {
    problems.push('the outer signature algorithm differs from the one inside the TBSCertificate');
  }
  if (
    typeof signatureAlgorithm === 'object' &&
    'weak' in signatureAlgorithm &&
    signatureAlgorithm.weak
  ) {
    problems.push(`${signatureAlgorithm.name} is a weak signature algorithm`);
  }

  const issuer = attempt('issuer', issuerNode, problems, readName);
  const subject = attempt('subject', subjectNode, problems, readName);
  for (const [label, name] of [
    ['issuer', issuer],
    ['subject', subject],
  ] as const) {
    if ('rdns' in name) {
      for (const attribute of name.rdns.flat()) {
        if (attribute.problem) problems.push(`${label} ${attribute.name}: ${attribute.problem}`);
      }
    }
  }
  const validity = attempt('validity', validityNode, problems, (node) => {
    const [notBefore, notAfter] = children(node).map(readTime);
    for (const time of [notBefore, notAfter]) {
      if (time?.problem) problems.push(`validity: ${time.problem}`);
    }
    return { notBefore: notBefore!, notAfter: notAfter! };
  });
  const publicKey = attempt('public key', spkiNode, problems, readPublicKey);
  if ('problems' in publicKey) problems.push(...publicKey.problems.map((p) => `public key: ${p}`));

  const out: CertificateInspection = {
    kind: 'certificate',
    version,
    serial,
    signatureAlgorithm,
    issuer,
    subject,
    validity,
    publicKey,
    extensions: [],
    selfIssued: !!issuerNode && !!subjectNode && encoded(issuerNode).equals(encoded(subjectNode)),
    fingerprints: fingerprints(der.subarray(0, root.end)),
    signatureHex: is(signature, TAG.BIT_STRING)
      ? content(signature!).subarray(1).toString('hex')
      : '',
    problems,
  };
  for (const field of rest) {
    if (is(field, 1, 'context')) out.issuerUniqueId = content(field).toString('hex');
    if (is(field, 2, 'context')) out.subjectUniqueId = content(field).toString('hex');
    if (is(field, 3, 'context')) {
      out.extensions = attempt('extensions', field, problems, (n) =>
        readExtensions(children(n)[0]!, problems),
      );
      if (version !== 3) problems.push('extensions in a certificate that is not v3');
    }
  }
  return out;
}
