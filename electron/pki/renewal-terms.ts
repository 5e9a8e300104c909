// What a renewal carries over from the certificate it replaces: the subject alternative names and
// the CRL distribution point, as the strings issuance takes ("DNS:…", "IP:…", "email:…", "URI:…").
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  CRLDistributionPoints,
  id_ce_cRLDistributionPoints,
  id_ce_subjectAltName,
  SubjectAlternativeName,
  type Certificate,
  type GeneralName,
} from '@peculiar/asn1-x509';
import { MazeVaultError } from '../../shared/errors';

/** A GeneralName as issuance's "TYPE:value" text, or undefined for a form issuance cannot write. */
export function generalNameText(name: GeneralName): string | undefined {
  if (name.dNSName !== undefined) return `DNS:${name.dNSName}`;
  if (name.iPAddress !== undefined) return `IP:${name.iPAddress}`;
  if (name.rfc822Name !== undefined) return `email:${name.rfc822Name}`;
  if (name.uniformResourceIdentifier !== undefined) return `URI:${name.uniformResourceIdentifier}`;
  return undefined;
}

/**
 * The subjectAltNames of a certificate as text. A name issuance cannot write (an otherName, a
 * directoryName) would be silently lost, so it stops the renewal unless the officer gives the SANs.
 */
export function subjectAltNamesOf(certificate: Certificate, subject: string): string[] {
  const texts: string[] = [];
  for (const extension of certificate.tbsCertificate.extensions ?? []) {
    if (extension.extnID !== id_ce_subjectAltName) continue;
    for (const name of AsnConvert.parse(extension.extnValue.buffer, SubjectAlternativeName)) {
      const text = generalNameText(name);
      if (!text) {
        throw new MazeVaultError(
          'UNSUPPORTED',
          `"${subject}" has a subject alternative name of a kind MazeVault cannot re-issue (not DNS, IP, e-mail or URI); ` +
            'give the SANs for the renewed certificate explicitly.',
        );
      }
      texts.push(text);
    }
  }
  return texts;
}

/** The first URI of the CRL distribution points extension (RFC 5280 §4.2.1.13), if any. */
export function crlDistributionPointOf(certificate: Certificate): string | undefined {
  for (const extension of certificate.tbsCertificate.extensions ?? []) {
    if (extension.extnID !== id_ce_cRLDistributionPoints) continue;
    for (const point of AsnConvert.parse(extension.extnValue.buffer, CRLDistributionPoints)) {
      for (const name of point.distributionPoint?.fullName ?? []) {
        if (name.uniformResourceIdentifier) return name.uniformResourceIdentifier;
      }
    }
  }
  return undefined;
}
