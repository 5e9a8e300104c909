// Certificate profiles and the validity policy. A profile says which extensions a certificate
// carries; the policy says how long it may live. Both are decided here, once, for the window, the
// CLI and ceremonies alike.
import type { KeyFamily } from '../../shared/algorithms';
import type { KeyPurpose } from '../../shared/cryptoperiods';
import { MazeVaultError } from '../../shared/errors';

export const PROFILE_NAMES = ['root-ca', 'sub-ca', 'tls-server', 'tls-client'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];
export type EndEntityProfile = 'tls-server' | 'tls-client';

export type KeyUsageName = 'digitalSignature' | 'keyEncipherment' | 'keyCertSign' | 'cRLSign';

export interface Profile {
  name: ProfileName;
  isCa: boolean;
  keyPurpose: KeyPurpose;
  /** RFC 5280 §4.2.1.12 purposes; absent on CA certificates. */
  extendedKeyUsage: readonly string[];
  /** Whether the profile needs at least one subjectAltName (RFC 6125 §6.4.4: servers are named there). */
  requiresSan: boolean;
  policy: ValidityRange;
}

export interface ValidityRange {
  label: string;
  min: { years?: number; days?: number };
  max: { years?: number; days?: number };
}

export const ID_KP_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const ID_KP_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

const CA_POLICY_ROOT: ValidityRange = {
  label: 'root CA: 10 to 20 years',
  min: { years: 10 },
  max: { years: 20 },
};
const CA_POLICY_SUB: ValidityRange = {
  label: 'subordinate CA: 5 to 10 years',
  min: { years: 5 },
  max: { years: 10 },
};
const END_ENTITY_POLICY: ValidityRange = {
  label: 'end-entity: 90 days to 1 year',
  min: { days: 90 },
  max: { years: 1 },
};

export const PROFILES: Record<ProfileName, Profile> = {
  'root-ca': {
    name: 'root-ca',
    isCa: true,
    keyPurpose: 'root-ca',
    extendedKeyUsage: [],
    requiresSan: false,
    policy: CA_POLICY_ROOT,
  },
  'sub-ca': {
    name: 'sub-ca',
    isCa: true,
    keyPurpose: 'sub-ca',
    extendedKeyUsage: [],
    requiresSan: false,
    policy: CA_POLICY_SUB,
  },
  'tls-server': {
    name: 'tls-server',
    isCa: false,
    keyPurpose: 'tls-server',
    extendedKeyUsage: [ID_KP_SERVER_AUTH],
    requiresSan: true,
    policy: END_ENTITY_POLICY,
  },
  'tls-client': {
    name: 'tls-client',
    isCa: false,
    keyPurpose: 'tls-client',
    extendedKeyUsage: [ID_KP_CLIENT_AUTH],
    requiresSan: false,
    policy: END_ENTITY_POLICY,
  },
};

export function profileByName(name: string): Profile {
  const profile = PROFILES[name as ProfileName];
  if (!profile) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `Unknown certificate profile "${name}"; use one of ${PROFILE_NAMES.join(', ')}.`,
    );
  }
  return profile;
}

/**
 * RFC 5280 §4.2.1.3 and §4.2.1.9: CAs sign certificates and CRLs. For end entities the usage
 * follows the key: RSA TLS servers may still see RSA key transport (keyEncipherment), ECDSA and
 * Ed25519 keys only sign (RFC 8446 §4.4.2.2, CA/B Forum BR 7.1.2.7.11).
 */
export function keyUsageFor(
  profile: Profile,
  family: KeyFamily,
  key: { rsaPssOnly?: boolean } = {},
): KeyUsageName[] {
  if (profile.isCa) return ['digitalSignature', 'keyCertSign', 'cRLSign'];
  // RFC 4055 §1.2: an id-RSASSA-PSS key signs only; it must not be certified for key transport.
  if (profile.name === 'tls-server' && family === 'rsa' && !key.rsaPssOnly) {
    return ['digitalSignature', 'keyEncipherment'];
  }
  return ['digitalSignature'];
}

export interface ValidityRequest {
  years?: number;
  days?: number;
}

export interface PolicyOverride {
  reason: string;
}

function addPeriod(from: Date, period: { years?: number; days?: number }): Date {
  const result = new Date(from.getTime());
  if (period.years) result.setUTCFullYear(result.getUTCFullYear() + period.years);
  if (period.days) result.setUTCDate(result.getUTCDate() + period.days);
  return result;
}

/** The notAfter for a requested validity, counted in calendar years and days from notBefore. */
export function validityEnd(notBefore: Date, validity: ValidityRequest): Date {
  const years = validity.years ?? 0;
  const days = validity.days ?? 0;
  for (const [name, value] of [
    ['years', years],
    ['days', days],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `Validity ${name} must be a whole number of zero or more, not ${value}.`,
      );
    }
  }
  if (years === 0 && days === 0) {
    throw new MazeVaultError('INVALID_INPUT', 'Give a validity in years or days.');
  }
  // RFC 5280 §4.1.2.5: notAfter is inclusive, so the last second is one before the period ends.
  return new Date(addPeriod(notBefore, { years, days }).getTime() - 1000);
}

export interface PolicyDecision {
  within: boolean;
  /** Set when the officer overrode the policy; the caller audits it with the certificate. */
  override?: { reason: string; policy: string };
}

/**
 * Checks a validity against the profile's policy. Outside it, refuses unless the officer gave an
 * override with a reason, which the caller records in the audit trail.
 */
export function checkValidityPolicy(
  profile: Profile,
  notBefore: Date,
  notAfter: Date,
  override?: PolicyOverride,
): PolicyDecision {
  const periodEnd = notAfter.getTime() + 1000;
  const min = addPeriod(notBefore, profile.policy.min).getTime();
  const max = addPeriod(notBefore, profile.policy.max).getTime();
  if (periodEnd >= min && periodEnd <= max) return { within: true };

  const reason = override?.reason?.trim();
  if (reason) return { within: false, override: { reason, policy: profile.policy.label } };
  const days = Math.round((periodEnd - notBefore.getTime()) / 86_400_000);
  throw new MazeVaultError(
    'POLICY_VIOLATION',
    `A validity of ${days} days is outside the policy for ${/^[aeiou]/i.test(profile.policy.label) ? 'an' : 'a'} ${profile.policy.label}. ` +
      'Choose a validity in that range, or override the policy with a reason (it is audited).',
  );
}

/** RFC 5280 §4.1.2.5: a certificate must not outlive the CA that vouches for it. */
export function checkWithinIssuer(
  notAfter: Date,
  issuerNotAfter: Date,
  issuerSubject: string,
): void {
  if (notAfter.getTime() > issuerNotAfter.getTime()) {
    throw new MazeVaultError(
      'POLICY_VIOLATION',
      `The certificate would outlive its issuer "${issuerSubject}", which expires ${issuerNotAfter.toISOString()}; ` +
        'choose a shorter validity.',
    );
  }
}
