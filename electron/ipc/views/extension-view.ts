// X.509 v3 extensions decoded into lines an officer reads in the certificate inspector, after
// RFC 5280 §4.2. An extension we cannot decode is shown as hex rather than hidden.
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CertificatePolicies,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  Extension,
  GeneralName,
  KeyUsage,
  NameConstraints,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import type { ExtensionDto } from '../../../shared/contract';
import { formatDistinguishedName } from '../../pki/names';

const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.14': 'Subject Key Identifier',
  '2.5.29.15': 'Key Usage',
  '2.5.29.17': 'Subject Alternative Name',
  '2.5.29.18': 'Issuer Alternative Name',
  '2.5.29.19': 'Basic Constraints',
  '2.5.29.30': 'Name Constraints',
  '2.5.29.31': 'CRL Distribution Points',
  '2.5.29.32': 'Certificate Policies',
  '2.5.29.35': 'Authority Key Identifier',
  '2.5.29.37': 'Extended Key Usage',
  '1.3.6.1.5.5.7.1.1': 'Authority Information Access',
  '1.3.6.1.4.1.11129.2.4.2': 'Signed Certificate Timestamps',
};

const KEY_PURPOSE_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'TLS server authentication',
  '1.3.6.1.5.5.7.3.2': 'TLS client authentication',
  '1.3.6.1.5.5.7.3.3': 'Code signing',
  '1.3.6.1.5.5.7.3.4': 'Email protection',
  '1.3.6.1.5.5.7.3.8': 'Time stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP signing',
  '2.5.29.37.0': 'Any extended key usage',
};

const ACCESS_METHOD_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.48.1': 'OCSP',
  '1.3.6.1.5.5.7.48.2': 'CA Issuers',
};

// RFC 5280 §4.2.1.3, bit order.
const KEY_USAGE_LABELS: Record<string, string> = {
  digitalSignature: 'Digital signature',
  nonRepudiation: 'Content commitment (non-repudiation)',
  keyEncipherment: 'Key encipherment',
  dataEncipherment: 'Data encipherment',
  keyAgreement: 'Key agreement',
  keyCertSign: 'Certificate signing',
  crlSign: 'CRL signing',
  encipherOnly: 'Encipher only',
  decipherOnly: 'Decipher only',
};

export function colonHex(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    .toString('hex')
    .toUpperCase()
    .replace(/(..)(?=.)/g, '$1:');
}

export function describeGeneralName(name: GeneralName): string {
  if (name.dNSName !== undefined) return `DNS: ${name.dNSName}`;
  if (name.iPAddress !== undefined) return `IP: ${name.iPAddress}`;
  if (name.rfc822Name !== undefined) return `Email: ${name.rfc822Name}`;
  if (name.uniformResourceIdentifier !== undefined) return `URI: ${name.uniformResourceIdentifier}`;
  if (name.directoryName) return `Directory name: ${formatDistinguishedName(name.directoryName)}`;
  if (name.registeredID !== undefined) return `Registered ID: ${name.registeredID}`;
  if (name.otherName) {
    return `Other name (${name.otherName.typeId}): ${colonHex(name.otherName.value)}`;
  }
  return 'A name form this inspector does not show';
}

function decodeLines(oid: string, value: ArrayBuffer): string[] {
  switch (oid) {
    case '2.5.29.19': {
      const constraints = AsnConvert.parse(value, BasicConstraints);
      const lines = [`CA: ${constraints.cA ? 'true' : 'false'}`];
      if (constraints.pathLenConstraint !== undefined) {
        lines.push(`Path length: ${constraints.pathLenConstraint}`);
      } else if (constraints.cA) {
        lines.push('Path length: unlimited');
      }
      return lines;
    }
    case '2.5.29.15': {
      const usage = AsnConvert.parse(value, KeyUsage);
      return usage.toJSON().map((flag) => KEY_USAGE_LABELS[flag] ?? flag);
    }
    case '2.5.29.37':
      return [...AsnConvert.parse(value, ExtendedKeyUsage)].map((purpose) =>
        KEY_PURPOSE_NAMES[purpose] ? `${KEY_PURPOSE_NAMES[purpose]} (${purpose})` : purpose,
      );
    case '2.5.29.14':
      return [colonHex(AsnConvert.parse(value, SubjectKeyIdentifier).buffer)];
    case '2.5.29.35': {
      const identifier = AsnConvert.parse(value, AuthorityKeyIdentifier);
      const lines: string[] = [];
      if (identifier.keyIdentifier) {
        lines.push(`Key ID: ${colonHex(identifier.keyIdentifier.buffer)}`);
      }
      for (const name of identifier.authorityCertIssuer ?? []) {
        lines.push(`Issuer: ${describeGeneralName(name)}`);
      }
      if (identifier.authorityCertSerialNumber) {
        lines.push(`Serial: ${colonHex(identifier.authorityCertSerialNumber)}`);
      }
      return lines;
    }
    case '2.5.29.17':
    case '2.5.29.18':
      return [...AsnConvert.parse(value, SubjectAlternativeName)].map(describeGeneralName);
    case '2.5.29.31':
      return [...AsnConvert.parse(value, CRLDistributionPoints)].flatMap((point) =>
        (point.distributionPoint?.fullName ?? []).map(describeGeneralName),
      );
    case '1.3.6.1.5.5.7.1.1':
      return [...AsnConvert.parse(value, AuthorityInfoAccessSyntax)].map((access) => {
        const method = ACCESS_METHOD_NAMES[access.accessMethod] ?? access.accessMethod;
        return `${method}: ${describeGeneralName(access.accessLocation)}`;
      });
    case '2.5.29.32':
      return [...AsnConvert.parse(value, CertificatePolicies)].map((policy) =>
        policy.policyIdentifier === '2.5.29.32.0'
          ? 'Any policy (2.5.29.32.0)'
          : `Policy: ${policy.policyIdentifier}`,
      );
    case '2.5.29.30': {
      const constraints = AsnConvert.parse(value, NameConstraints);
      return [
        ...[...(constraints.permittedSubtrees ?? [])].map(
          (tree) => `Permitted: ${describeGeneralName(tree.base)}`,
        ),
        ...[...(constraints.excludedSubtrees ?? [])].map(
          (tree) => `Excluded: ${describeGeneralName(tree.base)}`,
        ),
      ];
    }
    default:
      return [colonHex(value)];
  }
}

export function describeExtension(extension: Extension): ExtensionDto {
  const oid = extension.extnID;
  const value = extension.extnValue.buffer;
  let lines: string[];
  try {
    lines = decodeLines(oid, value);
  } catch {
    // A malformed value is itself worth seeing: show its bytes and say so.
    lines = [`Could not be decoded: ${colonHex(value)}`];
  }
  return {
    oid,
    name: EXTENSION_NAMES[oid] ?? `Extension ${oid}`,
    critical: extension.critical,
    lines,
  };
}
