// The two exports that are not a copy of the certificate: a new CSR signed by the certificate's
// key in the vault (for renewal at another CA), and the newest complete CRL the vault issued for a
// CA. Shared by `mazevault export --format csr|crl` and the export wizard.
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  Certificate,
  id_ce_subjectAltName,
  SubjectAlternativeName,
  type GeneralName,
} from '@peculiar/asn1-x509';
import { MazeVaultError } from '../../shared/errors';
import type { Services } from '../services';

/** The certificate's subjectAltNames exactly as issued (every name form), for the new CSR. */
function subjectAltNames(der: Buffer): GeneralName[] {
  const certificate = AsnConvert.parse(der, Certificate);
  const extension = certificate.tbsCertificate.extensions?.find(
    (candidate) => candidate.extnID === id_ce_subjectAltName,
  );
  if (!extension) return [];
  return [...AsnConvert.parse(extension.extnValue.buffer, SubjectAlternativeName)];
}

/** A PKCS#10 request, DER, for the certificate's subject and names, signed by its vault key. */
export async function certificateRequestDer(services: Services, certId: string): Promise<Buffer> {
  const certificate = services.certificates.get(certId);
  if (!certificate.keyId) {
    throw new MazeVaultError(
      'NOT_FOUND',
      `The key of "${certificate.subject}" is not in this vault, and a CSR must be signed by it; ` +
        'make the CSR where the key lives.',
    );
  }
  return services.issuance.createCsr({
    keyId: certificate.keyId,
    subject: certificate.subject,
    generalNames: subjectAltNames(services.certificates.der(certId)),
  });
}

/** The newest complete CRL the CA of `certId` issued in this vault, DER. */
export function latestCrlDer(services: Services, certId: string): Buffer {
  const certificate = services.certificates.get(certId);
  if (!certificate.isCa) {
    const issuer = certificate.issuerCertId ? ` (${certificate.issuerCertId})` : '';
    throw new MazeVaultError(
      'INVALID_INPUT',
      `"${certificate.subject}" is not a CA certificate, so it issues no CRLs; export the CRL ` +
        `of its issuer "${certificate.issuer}"${issuer} instead.`,
    );
  }
  const latest = services.crls.latest(certId);
  if (!latest) {
    throw new MazeVaultError(
      'NOT_FOUND',
      `"${certificate.subject}" has issued no CRL in this vault; issue one for this CA ` +
        '(`mazevault crl issue`) first.',
    );
  }
  return services.crls.der(latest.id);
}
