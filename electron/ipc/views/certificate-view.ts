// Certificates as the window sees them: a summary for lists and the dashboard, and the full
// inspector view (every extension decoded, fingerprints, PEM) for one certificate.
import { createPublicKey } from 'node:crypto';
import type { CertificateDetail, CertificateSummary } from '../../../shared/contract';
import { certificateFacts } from '../../pki/certificate-facts';
import type { CertificateRecord } from '../../pki/certificates';
import { describeExtension } from './extension-view';
import { publicKeyPemOf } from './key-view';

const DAY_MS = 86_400_000;

// RFC 4055, RFC 5758, RFC 8410 algorithm identifiers, named as OpenSSL prints them.
const SIGNATURE_ALGORITHM_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
};

const CURVE_NAMES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

export function toPem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function describePublicKey(spki: Buffer): string {
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return `RSA ${details.modulusLength} bits`;
  if (key.asymmetricKeyType === 'ec') {
    return `EC ${CURVE_NAMES[details.namedCurve ?? ''] ?? details.namedCurve}`;
  }
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  return key.asymmetricKeyType ?? 'unknown key type';
}

export function displayNameOf(subject: string): string {
  const match = /(?:^|,)CN=((?:\\.|[^,\\])*)/.exec(subject);
  return match ? match[1]!.replace(/\\(.)/g, '$1') : subject;
}

export function toCertificateSummary(
  record: CertificateRecord,
  now = new Date(),
): CertificateSummary {
  const notBefore = Date.parse(record.notBefore);
  const notAfter = Date.parse(record.notAfter);
  const status =
    record.status === 'revoked'
      ? 'revoked'
      : now.getTime() > notAfter
        ? 'expired'
        : now.getTime() < notBefore
          ? 'not-yet-valid'
          : 'valid';
  return {
    id: record.id,
    subject: record.subject,
    issuer: record.issuer,
    displayName: displayNameOf(record.subject),
    serialNumber: record.serial.toUpperCase(),
    notBefore: record.notBefore,
    notAfter: record.notAfter,
    status,
    daysRemaining: Math.floor((notAfter - now.getTime()) / DAY_MS),
    isCa: record.isCa,
    selfSigned: record.subject === record.issuer && record.issuerCertId === null,
    keyId: record.keyId,
    issuerId: record.issuerCertId,
    sha256: record.sha256,
  };
}

export function toCertificateDetail(
  record: CertificateRecord,
  der: Buffer,
  chain: readonly CertificateRecord[],
  now = new Date(),
): CertificateDetail {
  const facts = certificateFacts(der);
  const tbs = facts.certificate.tbsCertificate;
  const signatureOid = facts.certificate.signatureAlgorithm.algorithm;
  return {
    ...toCertificateSummary(record, now),
    selfSigned: facts.selfIssued && record.issuerCertId === null,
    // RFC 5280 §4.1.2.1: the field holds version − 1.
    version: tbs.version + 1,
    signatureAlgorithm: {
      oid: signatureOid,
      name: SIGNATURE_ALGORITHM_NAMES[signatureOid] ?? signatureOid,
    },
    publicKey: {
      description: describePublicKey(facts.spki),
      spkiSha256: facts.spkiSha256,
      pem: publicKeyPemOf(facts.spki),
    },
    fingerprints: { sha1: facts.sha1, sha256: facts.sha256 },
    extensions: (tbs.extensions ?? []).map(describeExtension),
    pem: toPem(der, 'CERTIFICATE'),
    chain: chain.map((link) => ({ id: link.id, displayName: displayNameOf(link.subject) })),
  };
}
