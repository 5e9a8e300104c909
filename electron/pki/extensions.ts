// The X.509 v3 extensions a profile puts in a certificate (RFC 5280 §4.2), and the officer's
// subjectAltName strings ("DNS:…", "IP:…", "email:…", "URI:…") turned into GeneralNames.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  ExtendedKeyUsage,
  Extension,
  GeneralName,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { MazeVaultError } from '../../shared/errors';
import type { KeyUsageName, Profile } from './profiles';

function extension(oid: string, critical: boolean, value: unknown): Extension {
  return new Extension({
    extnID: oid,
    critical,
    extnValue: new OctetString(AsnConvert.serialize(value)),
  });
}

// RFC 1035 §2.3.1 letters-digits-hyphen labels; RFC 6125 §6.4.3: a wildcard only as the whole
// left-most label.
const DNS_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

function checkDnsName(name: string): string {
  const labels = name.split('.');
  const ok =
    name.length <= 253 &&
    labels.length >= 1 &&
    labels.every(
      (label, index) =>
        DNS_LABEL.test(label) || (index === 0 && label === '*' && labels.length > 2),
    );
  if (!ok) {
    // RFC 5280 §7.3: internationalised names go in as their A-labels (punycode).
    const ascii = /[^\x20-\x7e]/.test(name) ? domainToASCII(name) : '';
    throw new MazeVaultError(
      'INVALID_INPUT',
      ascii
        ? `"${name}" is an internationalised domain name; certificates carry its ASCII form: ` +
            `write DNS:${ascii}.`
        : `"${name}" is not a DNS name; use letters, digits and hyphens (e.g. www.example.com).`,
    );
  }
  return name.toLowerCase();
}

/**
 * A CRL distribution point relying parties can fetch: http(s) or ldap (RFC 5280 §4.2.1.13; RFC
 * 5280 §4.2.1.13 and the CA/B Baseline Requirements name these). A mistyped point stays in a CA
 * certificate for its whole life, so anything else is refused here, wherever it is entered.
 */
export function checkCrlDistributionPoint(uri: string): GeneralName {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  if (!scheme || !['http', 'https', 'ldap'].includes(scheme) || !URL.canParse(uri)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `"${uri}" is not a CRL distribution point relying parties can fetch; give an http://, ` +
        'https:// or ldap:// URI (e.g. http://pki.example.com/root.crl).',
    );
  }
  return parseSubjectAltName(`URI:${uri}`);
}

/** Parses one "TYPE:value" subjectAltName as OpenSSL writes them in its config files. */
export function parseSubjectAltName(text: string): GeneralName {
  const colon = text.indexOf(':');
  const type = colon > 0 ? text.slice(0, colon).trim().toLowerCase() : '';
  const value = colon > 0 ? text.slice(colon + 1).trim() : '';
  if (type && !value) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `The subject alternative name "${text}" has a type but no value: write ${text.trim()}value.`,
    );
  }
  if (!value) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `The subject alternative name "${text}" needs a type: write DNS:host, IP:address, email:address or URI:uri.`,
    );
  }
  switch (type) {
    case 'dns':
      return new GeneralName({ dNSName: checkDnsName(value) });
    case 'ip':
      if (!isIP(value)) {
        throw new MazeVaultError('INVALID_INPUT', `"${value}" is not an IPv4 or IPv6 address.`);
      }
      return new GeneralName({ iPAddress: value });
    case 'email':
      if (!/^[\x21-\x7e]+@[A-Za-z0-9.-]+$/.test(value)) {
        throw new MazeVaultError(
          'INVALID_INPUT',
          `"${value}" is not an e-mail address (RFC 5280 §4.2.1.6 wants ASCII).`,
        );
      }
      return new GeneralName({ rfc822Name: value });
    case 'uri':
      if (!URL.canParse(value) || !/^[\x21-\x7e]+$/.test(value)) {
        throw new MazeVaultError(
          'INVALID_INPUT',
          `"${value}" is not an absolute URI (e.g. https://example.com/x).`,
        );
      }
      return new GeneralName({ uniformResourceIdentifier: value });
    default:
      throw new MazeVaultError(
        'INVALID_INPUT',
        `Unknown subject alternative name type "${text.slice(0, colon)}"; use DNS, IP, email or URI.`,
      );
  }
}

export function subjectAltNameExtension(names: GeneralName[], subjectIsEmpty: boolean): Extension {
  // RFC 5280 §4.2.1.6: critical when the subject field is an empty sequence.
  return extension(id_ce_subjectAltName, subjectIsEmpty, new SubjectAlternativeName(names));
}

export interface ExtensionPlan {
  profile: Profile;
  keyUsage: KeyUsageName[];
  subjectKeyIdentifier: Buffer;
  /** Absent on a self-signed root: RFC 5280 §4.2.1.1 lets it be left out there. */
  authorityKeyIdentifier?: Buffer;
  pathLen?: number;
  subjectAltNames: GeneralName[];
  subjectIsEmpty: boolean;
  crlDistributionPoint?: string;
}

const KEY_USAGE_FLAGS: Record<KeyUsageName, number> = {
  digitalSignature: KeyUsageFlags.digitalSignature,
  keyEncipherment: KeyUsageFlags.keyEncipherment,
  keyCertSign: KeyUsageFlags.keyCertSign,
  cRLSign: KeyUsageFlags.cRLSign,
};

export function buildExtensions(plan: ExtensionPlan): Extension[] {
  const extensions: Extension[] = [];

  // RFC 5280 §4.2.1.9: critical in CA certificates; we mark it critical in leaves too (cA false).
  const constraints = new BasicConstraints({ cA: plan.profile.isCa });
  if (plan.profile.isCa && plan.pathLen !== undefined) constraints.pathLenConstraint = plan.pathLen;
  extensions.push(extension(id_ce_basicConstraints, true, constraints));

  // RFC 5280 §4.2.1.3: SHOULD be critical.
  const flags = plan.keyUsage.reduce((bits, name) => bits | KEY_USAGE_FLAGS[name], 0);
  extensions.push(extension(id_ce_keyUsage, true, new KeyUsage(flags)));

  if (plan.profile.extendedKeyUsage.length) {
    extensions.push(
      extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([...plan.profile.extendedKeyUsage])),
    );
  }

  extensions.push(
    extension(
      id_ce_subjectKeyIdentifier,
      false,
      new SubjectKeyIdentifier(plan.subjectKeyIdentifier),
    ),
  );
  if (plan.authorityKeyIdentifier) {
    extensions.push(
      extension(
        id_ce_authorityKeyIdentifier,
        false,
        new AuthorityKeyIdentifier({
          keyIdentifier: new KeyIdentifier(plan.authorityKeyIdentifier),
        }),
      ),
    );
  }

  if (plan.subjectAltNames.length) {
    extensions.push(subjectAltNameExtension(plan.subjectAltNames, plan.subjectIsEmpty));
  }

  if (plan.crlDistributionPoint) {
    const uri = checkCrlDistributionPoint(plan.crlDistributionPoint);
    const point = new DistributionPoint({
      distributionPoint: new DistributionPointName({ fullName: [uri] }),
    });
    extensions.push(
      extension(id_ce_cRLDistributionPoints, false, new CRLDistributionPoints([point])),
    );
  }
  return extensions;
}
