// Revocation from first-hand records (the vault's own, for the CAs it runs) and from the CRLs
// the officer supplied (RFC 5280 §6.3): a CRL counts only when its issuer name matches, its
// signature verifies with the issuing CA's key, that CA may sign CRLs, and it is current at the
// validation time. A listed serial fails the path with its reason. Revocation that could not be
// checked at all is `unknown`, never `ok`.
import { createHash } from 'node:crypto';
import type { ParsedCertificate } from './certificate';
import { namesEqual } from './distinguished-name';
import type { ParsedCrl } from './crl';
import { verifySignature } from './signature';
import type { CheckStatus, RevocationRecords } from './types';

export interface RevocationOutcome {
  status: CheckStatus;
  detail: string;
}

function day(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

function serialHexOf(cert: ParsedCertificate): string {
  return cert.serial.toString('hex').replace(/^(00)+(?=.)/, '');
}

/** The first-hand record of `cert`, when the source speaks for its issuer. */
function fromRecords(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  records: RevocationRecords | undefined,
  at: Date,
): RevocationOutcome | undefined {
  if (!records) return undefined;
  const issuerSpkiSha256 = createHash('sha256').update(issuer.spki).digest('hex');
  const record = records.lookup(issuerSpkiSha256, serialHexOf(cert));
  if (record === undefined) return undefined;
  if (!record.known) {
    return {
      status: 'unknown',
      detail: `not checked: ${records.name} hold no certificate with serial ${serialHexOf(cert)} from its issuer`,
    };
  }
  if (record.revoked && record.revokedAt <= at) {
    return {
      status: 'fail',
      detail: `revoked on ${day(record.revokedAt)} (reason: ${record.reason}) according to ${records.name}`,
    };
  }
  return { status: 'ok', detail: `not revoked at ${day(at)} according to ${records.name}` };
}

export function checkRevocation(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  crls: ParsedCrl[] | undefined,
  at: Date,
  records?: RevocationRecords,
): RevocationOutcome {
  const recorded = fromRecords(cert, issuer, records, at);
  if (recorded?.status === 'fail') return recorded;
  const listed = checkCrls(cert, issuer, crls, at);
  // The issuer's own records speak first-hand; a CRL can only add a revocation to them.
  if (recorded?.status === 'ok' && !listed.revoked) return recorded;
  if (recorded?.status === 'unknown' && listed.status === 'unknown') return recorded;
  return { status: listed.status, detail: listed.detail };
}

function checkCrls(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  crls: ParsedCrl[] | undefined,
  at: Date,
): RevocationOutcome & { revoked?: true } {
  if (crls === undefined) {
    return { status: 'unknown', detail: 'not checked: no CRLs were supplied' };
  }
  const isCa = cert.basicConstraints?.ca === true;
  const named = crls.filter(
    (crl) =>
      namesEqual(crl.issuer, cert.issuer) &&
      !(isCa && crl.onlyUserCerts) &&
      !(!isCa && crl.onlyCaCerts),
  );
  if (named.length === 0) {
    return {
      status: 'unknown',
      detail: 'not checked: none of the supplied CRLs comes from its issuer',
    };
  }

  const signed = named.filter(
    (crl) =>
      verifySignature(crl.signatureAlgorithm, issuer.spki, crl.tbs, crl.signature).ok &&
      crl.signatureAlgorithm.equals(crl.tbsSignatureAlgorithm),
  );
  if (signed.length === 0) {
    return {
      status: 'fail',
      detail: `the CRL naming "${named[0].issuerText}" as issuer is not signed by the issuing CA's key; obtain the CRL the CA actually published`,
    };
  }
  // §6.3.3 (f): the key that signed the CRL must be allowed to sign CRLs.
  if (issuer.keyUsage && !issuer.keyUsage.has('crlSign')) {
    return {
      status: 'fail',
      detail: `the issuing CA's keyUsage does not include cRLSign, so its CRL cannot be relied on`,
    };
  }
  const usable = signed.filter((crl) => crl.unusable === undefined);
  if (usable.length === 0) {
    return { status: 'fail', detail: `the issuer's CRL cannot be used: ${signed[0].unusable}` };
  }
  const current = usable.filter(
    (crl) => crl.thisUpdate <= at && (crl.nextUpdate === undefined || at <= crl.nextUpdate),
  );
  if (current.length === 0) {
    const crl = usable[0];
    const window = `${day(crl.thisUpdate)} to ${crl.nextUpdate ? day(crl.nextUpdate) : 'open'}`;
    return {
      status: 'fail',
      detail: `the issuer's CRL is not current at ${day(at)} (it covers ${window}); obtain a fresh CRL`,
    };
  }

  const serialHex = cert.serial.toString('hex');
  for (const crl of current) {
    const entry = crl.revoked.find((e) => e.serialHex === serialHex && e.revocationDate <= at);
    if (entry && entry.reason !== 'removeFromCRL') {
      const reason = entry.reason ?? 'no reason given';
      return {
        status: 'fail',
        revoked: true,
        detail: `revoked on ${day(entry.revocationDate)} (reason: ${reason}) according to the CRL issued ${day(crl.thisUpdate)}`,
      };
    }
  }
  const crl = current[0];
  return { status: 'ok', detail: `not listed on the CRL issued ${day(crl.thisUpdate)}` };
}
