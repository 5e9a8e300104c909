// The facts the inventory and issuance need from a certificate's DER: names, serial, validity,
// CA flag, fingerprints and key identifiers. Reading only; signing lives in issuance.ts.
import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  BasicConstraints,
  Certificate,
  id_ce_basicConstraints,
  id_ce_subjectKeyIdentifier,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
} from '@peculiar/asn1-x509';
import { MazeVaultError } from '../../shared/errors';
import { formatDistinguishedName } from './names';
import { children, CONSTRUCTED, CONTEXT, DerError, readOnly } from './validate/der';

export interface CertificateFacts {
  certificate: Certificate;
  subject: string;
  issuer: string;
  /** Lower-case hex of the serial's content octets, as OpenSSL prints it without colons. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  /** basicConstraints pathLenConstraint, when the certificate is a CA and sets one. */
  pathLen: number | undefined;
  spki: Buffer;
  sha256: string;
  sha1: string;
  spkiSha256: string;
  /** The subjectKeyIdentifier extension, or the RFC 5280 §4.2.1.2 method 1 value when absent. */
  keyIdentifier: Buffer;
  selfIssued: boolean;
}

/** RFC 5280 §4.2.1.2 (1): SHA-1 of the subjectPublicKey BIT STRING's value. */
export function keyIdentifierOf(spki: Buffer): Buffer {
  const info = AsnConvert.parse(spki, SubjectPublicKeyInfo);
  return createHash('sha1').update(Buffer.from(info.subjectPublicKey)).digest();
}

export function parseCertificateDer(der: Buffer): Certificate {
  try {
    return AsnConvert.parse(der, Certificate);
  } catch {
    throw new MazeVaultError(
      'MALFORMED',
      'This is not a readable X.509 certificate (DER expected).',
    );
  }
}

/**
 * Recently read certificates by SHA-256: an import reads each certificate for its preview, then
 * for its insert and its issuer link, and every certificate of a bundle is checked against the
 * same CA. Sized for a 10,000-certificate bundle (a few kilobytes each).
 */
const recentFacts = new Map<string, CertificateFacts>();
const RECENT_FACTS_LIMIT = 12_000;

/** The facts of a certificate; the result is shared between callers and must not be changed. */
export function certificateFacts(der: Buffer): CertificateFacts {
  const sha256 = createHash('sha256').update(der).digest('hex');
  const cached = recentFacts.get(sha256);
  if (cached) {
    recentFacts.delete(sha256);
    recentFacts.set(sha256, cached);
    return cached;
  }
  const facts = readCertificateFacts(der, sha256);
  recentFacts.set(sha256, facts);
  if (recentFacts.size > RECENT_FACTS_LIMIT) {
    recentFacts.delete(recentFacts.keys().next().value as string);
  }
  return facts;
}

function readCertificateFacts(der: Buffer, sha256: string): CertificateFacts {
  const certificate = parseCertificateDer(der);
  const tbs = certificate.tbsCertificate;
  const raw = rawTbsFields(der);
  const spki = raw?.spki ?? Buffer.from(AsnConvert.serialize(tbs.subjectPublicKeyInfo));

  let isCa = false;
  let pathLen: number | undefined;
  let keyIdentifier: Buffer | undefined;
  for (const extension of tbs.extensions ?? []) {
    const value = extension.extnValue.buffer;
    if (extension.extnID === id_ce_basicConstraints) {
      const constraints = AsnConvert.parse(value, BasicConstraints);
      isCa = constraints.cA;
      pathLen = constraints.cA ? constraints.pathLenConstraint : undefined;
    } else if (extension.extnID === id_ce_subjectKeyIdentifier) {
      keyIdentifier = Buffer.from(AsnConvert.parse(value, SubjectKeyIdentifier).buffer);
    }
  }

  const subject = formatDistinguishedName(tbs.subject);
  const issuer = formatDistinguishedName(tbs.issuer);
  return {
    certificate,
    subject,
    issuer,
    serial: Buffer.from(tbs.serialNumber)
      .toString('hex')
      .replace(/^(00)+(?=.)/, ''),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    isCa,
    pathLen,
    spki,
    sha256,
    sha1: createHash('sha1').update(der).digest('hex'),
    spkiSha256: createHash('sha256').update(spki).digest('hex'),
    keyIdentifier: keyIdentifier ?? keyIdentifierOf(spki),
    selfIssued: raw
      ? raw.subject.equals(raw.issuer)
      : Buffer.from(AsnConvert.serialize(tbs.subject)).equals(
          Buffer.from(AsnConvert.serialize(tbs.issuer)),
        ),
  };
}

/**
 * The issuer, subject and SPKI exactly as encoded, read by walking the DER instead of
 * re-serialising the parsed structure (which dominated bulk imports). Undefined when the
 * certificate is not strict DER; the caller then re-serialises.
 */
function rawTbsFields(der: Buffer): { issuer: Buffer; subject: Buffer; spki: Buffer } | undefined {
  try {
    const [tbs] = children(readOnly(der));
    const fields = children(tbs!);
    // RFC 5280 §4.1: [0] version is optional, then serial, signature, issuer, validity, subject, SPKI.
    const start = fields[0]!.tag === (CONTEXT | CONSTRUCTED) ? 1 : 0;
    const [issuer, , subject, spki] = fields.slice(start + 2, start + 6);
    if (!issuer || !subject || !spki) return undefined;
    return { issuer: issuer.raw, subject: subject.raw, spki: spki.raw };
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}
