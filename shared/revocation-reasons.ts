// RFC 5280 §5.3.1 CRLReason codes, named once for the CLI, the window and the CRL encoder.
// removeFromCRL (8) only appears in delta CRLs to undo a hold, so an officer never picks it.

export const REVOCATION_REASONS = [
  'unspecified',
  'key-compromise',
  'ca-compromise',
  'affiliation-changed',
  'superseded',
  'cessation-of-operation',
  'certificate-hold',
  'privilege-withdrawn',
  'aa-compromise',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** The CRLReason ENUMERATED value of each reason (value 7 is unused in RFC 5280). */
export const REVOCATION_REASON_CODES: Record<RevocationReason, number> = {
  unspecified: 0,
  'key-compromise': 1,
  'ca-compromise': 2,
  'affiliation-changed': 3,
  superseded: 4,
  'cessation-of-operation': 5,
  'certificate-hold': 6,
  'privilege-withdrawn': 9,
  'aa-compromise': 10,
};

export const REVOCATION_REASON_LABELS: Record<RevocationReason, string> = {
  unspecified: 'Unspecified',
  'key-compromise': 'Key compromise',
  'ca-compromise': 'CA compromise',
  'affiliation-changed': 'Affiliation changed',
  superseded: 'Superseded',
  'cessation-of-operation': 'Cessation of operation',
  'certificate-hold': 'Certificate hold',
  'privilege-withdrawn': 'Privilege withdrawn',
  'aa-compromise': 'AA compromise',
};

export function isRevocationReason(value: unknown): value is RevocationReason {
  return typeof value === 'string' && (REVOCATION_REASONS as readonly string[]).includes(value);
}

/** The reason named by a CRLReason code, as a CRL or OCSP response carries it. */
export function reasonOfCode(code: number): RevocationReason | undefined {
  return REVOCATION_REASONS.find((reason) => REVOCATION_REASON_CODES[reason] === code);
}
