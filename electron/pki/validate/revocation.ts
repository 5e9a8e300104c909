// Revocation from the CRLs the officer supplied (RFC 5280 §6.3): a CRL counts only when its
// issuer name matches, its signature verifies with the issuing CA's key, that CA may sign CRLs,
// and it is current at the validation time. A listed serial fails the path with its reason.
import type { ParsedCertificate } from './certificate';
import { namesEqual } from './distinguished-name';
import type { ParsedCrl } from './crl';
import { verifySignature } from './signature';

export interface RevocationOutcome {
  ok: boolean;
  detail: string;
}

function day(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

export function checkRevocation(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  crls: ParsedCrl[] | undefined,
  at: Date,
): RevocationOutcome {
  if (crls === undefined) return { ok: true, detail: 'not checked: no CRLs were supplied' };
  const isCa = cert.basicConstraints?.ca === true;
  const named = crls.filter(
    (crl) =>
      namesEqual(crl.issuer, cert.issuer) &&
      !(isCa && crl.onlyUserCerts) &&
      !(!isCa && crl.onlyCaCerts),
  );
  if (named.length === 0) {
    return { ok: true, detail: 'not checked: none of the supplied CRLs comes from its issuer' };
  }

  const signed = named.filter(
    (crl) =>
      verifySignature(crl.signatureAlgorithm, issuer.spki, crl.tbs, crl.signature).ok &&
      crl.signatureAlgorithm.equals(crl.tbsSignatureAlgorithm),
  );
  if (signed.length === 0) {
    return {
      ok: false,
      detail: `the CRL naming "${named[0].issuerText}" as issuer is not signed by the issuing CA's key; obtain the CRL the CA actually published`,
    };
  }
  // §6.3.3 (f): the key that signed the CRL must be allowed to sign CRLs.
  if (issuer.keyUsage && !issuer.keyUsage.has('crlSign')) {
    return {
      ok: false,
      detail: `the issuing CA's keyUsage does not include cRLSign, so its CRL cannot be relied on`,
    };
  }
  const usable = signed.filter((crl) => crl.unusable === undefined);
  if (usable.length === 0) {
    return { ok: false, detail: `the issuer's CRL cannot be used: ${signed[0].unusable}` };
  }
  const current = usable.filter(
    (crl) => crl.thisUpdate <= at && (crl.nextUpdate === undefined || at <= crl.nextUpdate),
  );
  if (current.length === 0) {
    const crl = usable[0];
    const window = `${day(crl.thisUpdate)} to ${crl.nextUpdate ? day(crl.nextUpdate) : 'open'}`;
    return {
      ok: false,
      detail: `the issuer's CRL is not current at ${day(at)} (it covers ${window}); obtain a fresh CRL`,
    };
  }

  const serialHex = cert.serial.toString('hex');
  for (const crl of current) {
    const entry = crl.revoked.find((e) => e.serialHex === serialHex && e.revocationDate <= at);
    if (entry && entry.reason !== 'removeFromCRL') {
      const reason = entry.reason ?? 'no reason given';
      return {
        ok: false,
        detail: `revoked on ${day(entry.revocationDate)} (reason: ${reason}) according to the CRL issued ${day(crl.thisUpdate)}`,
      };
    }
  }
  const crl = current[0];
  return { ok: true, detail: `not listed on the CRL issued ${day(crl.thisUpdate)}` };
}
