// Default cryptoperiods by key purpose, after NIST SP 800-57 Part 1 Rev. 5 §5.3.6 and Table 1
// (private signature keys: 1–3 years of originator use). CA keys sign for as long as the
// certificates they issue must be issuable, so they follow the CA validity policy instead.

export const KEY_PURPOSES = [
  'root-ca',
  'sub-ca',
  'tls-server',
  'tls-client',
  'signing',
  'general',
] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

export const DEFAULT_CRYPTOPERIOD_DAYS: Record<KeyPurpose, number> = {
  'root-ca': 20 * 365,
  'sub-ca': 10 * 365,
  'tls-server': 365,
  'tls-client': 365,
  signing: 3 * 365,
  general: 2 * 365,
};
