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

/**
 * The key types of NIST SP 800-57 Part 1 Rev. 5 Table 1 that an asymmetric signing key in this
 * vault can be. Each carries the suggested originator-usage period as a range in days; the
 * window shows the range and the warning uses the key's own cryptoperiod.
 */
export const NIST_KEY_TYPES = {
  'private-signature': { label: 'Private signature key', minDays: 365, maxDays: 3 * 365 },
  'private-authentication': { label: 'Private authentication key', minDays: 365, maxDays: 2 * 365 },
  'private-key-transport': { label: 'Private key-transport key', minDays: 1, maxDays: 2 * 365 },
  'private-static-key-agreement': {
    label: 'Private static key-agreement key',
    minDays: 365,
    maxDays: 2 * 365,
  },
} as const;
export type NistKeyType = keyof typeof NIST_KEY_TYPES;

/**
 * Which Table 1 row governs each purpose. TLS keys authenticate their holder in a handshake
 * (RFC 8446 §4.4.3 CertificateVerify), so they are authentication keys; CA and document signing
 * keys make signatures that others verify later, so they are signature keys. A CA key's period is
 * stretched to the CA validity policy (§5.3.6 allows it when the risk is managed, e.g. in an HSM).
 */
export const PURPOSE_KEY_TYPE: Record<KeyPurpose, NistKeyType> = {
  'root-ca': 'private-signature',
  'sub-ca': 'private-signature',
  'tls-server': 'private-authentication',
  'tls-client': 'private-authentication',
  signing: 'private-signature',
  general: 'private-signature',
};

/** Days before the end of a cryptoperiod from which the window warns ahead of time. */
export const CRYPTOPERIOD_WARNING_DAYS = 30;

export type CryptoperiodState = 'within' | 'ending' | 'past';

export interface CryptoperiodStatus {
  /** ISO time the originator-usage period ends: activation (or creation) plus the cryptoperiod. */
  endsAt: string;
  /** Whole days left; negative once past. */
  daysLeft: number;
  state: CryptoperiodState;
}

const DAY_MS = 86_400_000;

/**
 * Where a key stands in its cryptoperiod. Counted from activation, since a Pre-active key has not
 * yet been used (SP 800-57 §5.3.5); a never-activated key counts from creation.
 */
export function cryptoperiodStatus(
  key: { activationDate: string | null; createdAt: string; cryptoperiodDays: number },
  now: Date = new Date(),
): CryptoperiodStatus {
  const start = Date.parse(key.activationDate ?? key.createdAt);
  const end = start + key.cryptoperiodDays * DAY_MS;
  const daysLeft = Math.floor((end - now.getTime()) / DAY_MS);
  const state: CryptoperiodState =
    end <= now.getTime() ? 'past' : daysLeft < CRYPTOPERIOD_WARNING_DAYS ? 'ending' : 'within';
  return { endsAt: new Date(end).toISOString(), daysLeft, state };
}

/** The officer-facing warning for a key used past its cryptoperiod, or undefined when within it. */
export function cryptoperiodWarning(
  key: {
    label: string;
    activationDate: string | null;
    createdAt: string;
    cryptoperiodDays: number;
  },
  use: string,
  now: Date = new Date(),
): string | undefined {
  const status = cryptoperiodStatus(key, now);
  if (status.state !== 'past') return undefined;
  return (
    `Key "${key.label}" is ${-status.daysLeft} days past its cryptoperiod (ended ${status.endsAt.slice(0, 10)}) ` +
    `and was used to ${use}; NIST SP 800-57 advises replacing it: renew with a new key or roll the CA over.`
  );
}
