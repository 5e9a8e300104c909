// One certificate as path validation sees it: the exact signed bytes from a strict DER walk
// (RFC 5280 §4.1), and the extensions decoded with @peculiar/asn1-x509 where that is lossless
// and with our own reader where it is not (general names keep their raw bytes).
import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  ExtendedKeyUsage,
  KeyUsage,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import {
  CONSTRUCTED,
  CONTEXT,
  DER_TAG,
  DerError,
  children,
  decodeBitString,
  decodeBoolean,
  decodeOid,
  decodeSmallInteger,
  decodeTime,
  expectTag,
  readOnly,
} from './der';
import { formatName, parseName, type DistinguishedName } from './distinguished-name';
import { decodeGeneralNames, type GeneralName } from './general-name';
import { decodeNameConstraints, type NameConstraints } from './name-constraints';

export const OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  freshestCrl: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  ctPrecertificateScts: '1.3.6.1.4.1.11129.2.4.2',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

export const EXTENSION_NAMES: Record<string, string> = {
  [OID.subjectKeyIdentifier]: 'subjectKeyIdentifier',
  [OID.keyUsage]: 'keyUsage',
  [OID.subjectAltName]: 'subjectAltName',
  [OID.issuerAltName]: 'issuerAltName',
  [OID.basicConstraints]: 'basicConstraints',
  [OID.nameConstraints]: 'nameConstraints',
  [OID.crlDistributionPoints]: 'cRLDistributionPoints',
  [OID.certificatePolicies]: 'certificatePolicies',
  [OID.authorityKeyIdentifier]: 'authorityKeyIdentifier',
  [OID.extKeyUsage]: 'extKeyUsage',
  [OID.freshestCrl]: 'freshestCRL',
  [OID.authorityInfoAccess]: 'authorityInfoAccess',
  [OID.subjectInfoAccess]: 'subjectInfoAccess',
  [OID.ctPrecertificateScts]: 'CT precertificate SCTs',
  '2.5.29.36': 'policyConstraints',
  '2.5.29.33': 'policyMappings',
  '2.5.29.54': 'inhibitAnyPolicy',
};

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'crlSign'
  | 'encipherOnly'
  | 'decipherOnly';

export interface CertificateExtension {
  oid: string;
  name: string;
  critical: boolean;
  value: Buffer;
}

export interface AuthorityKeyId {
  keyIdentifier?: Buffer;
  hasIssuer: boolean;
  hasSerial: boolean;
}

export interface ParsedCertificate {
  der: Buffer;
  sha256: string;
  tbs: Buffer;
  /** 1, 2 or 3 (the encoded value plus one). */
  version: number;
  /** Content octets of the serial INTEGER, two's complement. */
  serial: Buffer;
  tbsSignatureAlgorithm: Buffer;
  signatureAlgorithm: Buffer;
  signature: Buffer;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  subjectText: string;
  notBefore: Date;
  notAfter: Date;
  spki: Buffer;
  extensions: CertificateExtension[];
  duplicateExtensions: string[];
  /** Extensions this validator understands but could not decode, with the reason. */
  malformedExtensions: { name: string; reason: string }[];
  basicConstraints?: { ca: boolean; pathLen?: number };
  keyUsage?: Set<KeyUsageName>;
  extKeyUsage?: string[];
  subjectKeyId?: Buffer;
  authorityKeyId?: AuthorityKeyId;
  subjectAltName?: GeneralName[];
  nameConstraints?: NameConstraints;
}

function parseExtensions(node: ReturnType<typeof readOnly>): CertificateExtension[] {
  const [sequence, ...rest] = children(node);
  if (!sequence || rest.length > 0) throw new DerError('the extensions field is not one SEQUENCE');
  expectTag(sequence, DER_TAG.SEQUENCE, 'the extensions');
  const list = children(sequence).map((ext) => {
    expectTag(ext, DER_TAG.SEQUENCE, 'an extension');
    const parts = children(ext);
    if (parts.length < 2 || parts.length > 3) throw new DerError('an extension has wrong fields');
    const oid = decodeOid(parts[0]);
    let critical = false;
    // An explicit FALSE breaks DER (X.690 §11.5) but is common in older certificates; accepted.
    if (parts.length === 3) critical = decodeBoolean(parts[1]);
    const value = expectTag(parts[parts.length - 1], DER_TAG.OCTET_STRING, 'an extension value');
    return { oid, name: EXTENSION_NAMES[oid] ?? oid, critical, value: Buffer.from(value.value) };
  });
  // §4.1.2.9: when present, extensions is a SEQUENCE SIZE (1..MAX).
  if (list.length === 0) throw new DerError('the extensions field is present but empty');
  return list;
}

function bufferOf(data: ArrayBuffer): Buffer {
  return Buffer.from(new Uint8Array(data));
}

/** Decodes the extensions this validator acts on into `cert`, noting any that are malformed. */
function decodeKnownExtensions(cert: ParsedCertificate): void {
  for (const ext of cert.extensions) {
    try {
      switch (ext.oid) {
        case OID.basicConstraints: {
          const bc = AsnConvert.parse(ext.value, BasicConstraints);
          cert.basicConstraints = { ca: bc.cA, pathLen: bc.pathLenConstraint };
          break;
        }
        case OID.keyUsage: {
          const ku = AsnConvert.parse(ext.value, KeyUsage);
          cert.keyUsage = new Set(ku.toJSON() as KeyUsageName[]);
          break;
        }
        case OID.extKeyUsage: {
          const eku = AsnConvert.parse(ext.value, ExtendedKeyUsage);
          if (eku.length === 0) throw new DerError('the list of key purposes is empty');
          cert.extKeyUsage = [...eku];
          break;
        }
        case OID.subjectKeyIdentifier:
          cert.subjectKeyId = bufferOf(AsnConvert.parse(ext.value, SubjectKeyIdentifier).buffer);
          break;
        case OID.authorityKeyIdentifier: {
          const aki = AsnConvert.parse(ext.value, AuthorityKeyIdentifier);
          cert.authorityKeyId = {
            keyIdentifier: aki.keyIdentifier ? bufferOf(aki.keyIdentifier.buffer) : undefined,
            hasIssuer: aki.authorityCertIssuer !== undefined,
            hasSerial: aki.authorityCertSerialNumber !== undefined,
          };
          break;
        }
        case OID.subjectAltName:
          cert.subjectAltName = decodeGeneralNames(ext.value);
          break;
        case OID.nameConstraints:
          cert.nameConstraints = decodeNameConstraints(ext.value);
          break;
        case OID.authorityInfoAccess: {
          // §4.2.2.1: AuthorityInfoAccessSyntax is SEQUENCE SIZE (1..MAX) OF AccessDescription.
          readOnly(ext.value);
          const aia = AsnConvert.parse(ext.value, AuthorityInfoAccessSyntax);
          if (aia.length === 0) throw new DerError('it lists no access descriptions');
          break;
        }
        default:
          break;
      }
    } catch (error) {
      const reason = error instanceof DerError ? error.message : 'its contents do not decode';
      cert.malformedExtensions.push({ name: ext.name, reason });
    }
  }
}

/**
 * Parses one DER certificate. Throws DerError when the certificate's own structure is broken;
 * a broken extension is recorded instead, so validation can name it in its report.
 */
export function parseCertificate(der: Buffer): ParsedCertificate {
  const certificate = expectTag(readOnly(der), DER_TAG.SEQUENCE, 'the certificate');
  const top = children(certificate);
  if (top.length !== 3) throw new DerError('the certificate is not TBS, algorithm and signature');
  const [tbsNode, outerAlgorithm, signatureNode] = top;
  expectTag(tbsNode, DER_TAG.SEQUENCE, 'the to-be-signed certificate');
  expectTag(outerAlgorithm, DER_TAG.SEQUENCE, 'the signature algorithm');

  const fields = children(tbsNode);
  let index = 0;
  let version = 1;
  if (fields[0]?.tag === (CONTEXT | CONSTRUCTED | 0)) {
    const [versionNode] = children(fields[0]);
    version = decodeSmallInteger(versionNode) + 1;
    // X.690 §11.5: v1 is the DEFAULT and must then be omitted.
    if (version === 1) throw new DerError('the version field encodes v1, which DER omits');
    index = 1;
  }
  const [serialNode, innerAlgorithm, issuerNode, validityNode, subjectNode, spkiNode] =
    fields.slice(index, index + 6);
  if (!spkiNode) throw new DerError('the to-be-signed certificate is missing fields');
  expectTag(serialNode, DER_TAG.INTEGER, 'the serial number');
  if (serialNode.value.length === 0) throw new DerError('the serial number is empty');
  expectTag(innerAlgorithm, DER_TAG.SEQUENCE, 'the inner signature algorithm');
  const validity = children(expectTag(validityNode, DER_TAG.SEQUENCE, 'the validity'));
  if (validity.length !== 2) throw new DerError('the validity is not two times');
  expectTag(spkiNode, DER_TAG.SEQUENCE, 'the subject public key info');

  let extensions: CertificateExtension[] = [];
  for (const optional of fields.slice(index + 6)) {
    if (optional.tag === (CONTEXT | 1) || optional.tag === (CONTEXT | 2)) continue;
    if (optional.tag !== (CONTEXT | CONSTRUCTED | 3)) {
      throw new DerError('the to-be-signed certificate has an unknown trailing field');
    }
    extensions = parseExtensions(optional);
  }
  const seen = new Set<string>();
  const duplicateExtensions: string[] = [];
  for (const ext of extensions) {
    if (seen.has(ext.oid)) duplicateExtensions.push(ext.name);
    seen.add(ext.oid);
  }

  const subject = parseName(subjectNode);
  const cert: ParsedCertificate = {
    der,
    sha256: createHash('sha256').update(der).digest('hex'),
    tbs: Buffer.from(tbsNode.raw),
    version,
    serial: Buffer.from(serialNode.value),
    tbsSignatureAlgorithm: Buffer.from(innerAlgorithm.raw),
    signatureAlgorithm: Buffer.from(outerAlgorithm.raw),
    signature: Buffer.from(decodeBitString(signatureNode).bytes),
    issuer: parseName(issuerNode),
    subject,
    subjectText: formatName(subject),
    notBefore: decodeTime(validity[0]),
    notAfter: decodeTime(validity[1]),
    spki: Buffer.from(spkiNode.raw),
    extensions,
    duplicateExtensions,
    malformedExtensions: [],
  };
  decodeKnownExtensions(cert);
  return cert;
}

/** Accepts DER or a single PEM block, as officers paste either. */
export function toDer(input: Buffer): Buffer {
  const text = input.subarray(0, 64).toString('latin1');
  if (!text.includes('-----BEGIN')) return input;
  const match = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/.exec(
    input.toString('latin1'),
  );
  return match ? Buffer.from(match[1].replace(/\s+/g, ''), 'base64') : input;
}
