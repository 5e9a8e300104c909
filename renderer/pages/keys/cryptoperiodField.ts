// The cryptoperiod field of the Generate key page: its default per purpose, the NIST SP 800-57
// wording the officer reads beside it, and what is wrong with a typed value.
import {
  DEFAULT_CRYPTOPERIOD_DAYS,
  NIST_KEY_TYPES,
  PURPOSE_KEY_TYPE,
  type KeyPurpose,
} from '../../../shared/cryptoperiods';

/** The contract's bounds for `keys:generate` `cryptoperiodDays`. */
export const CRYPTOPERIOD_MIN_DAYS = 1;
export const CRYPTOPERIOD_MAX_DAYS = 36_500;

/** "365 days (1 year)", "7300 days (20 years)", "45 days". */
export function describeDays(days: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (days >= 365 && days % 365 === 0) {
    return `${plural(days, 'day')} (${plural(days / 365, 'year')})`;
  }
  return plural(days, 'day');
}

export function defaultCryptoperiodDays(purpose: KeyPurpose): number {
  return DEFAULT_CRYPTOPERIOD_DAYS[purpose];
}

/**
 * The helper text under the field: the default for the purpose and the Table 1 range of the key
 * type it counts as, so the officer sees where a chosen value stands against the standard.
 */
export function cryptoperiodAdvice(purpose: KeyPurpose): string {
  const type = NIST_KEY_TYPES[PURPOSE_KEY_TYPE[purpose]];
  const range = `${describeDays(type.minDays)} to ${describeDays(type.maxDays)}`;
  const caNote =
    purpose === 'root-ca' || purpose === 'sub-ca'
      ? ' A CA key follows the CA validity policy instead, as §5.3.6 allows for well-protected keys.'
      : '';
  return (
    `Default for this purpose: ${describeDays(defaultCryptoperiodDays(purpose))}. ` +
    `NIST SP 800-57 Part 1 Table 1 suggests an originator-usage period of ${range} ` +
    `for a ${type.label.toLowerCase()}.${caNote}`
  );
}

/** What is wrong with the typed number of days, or undefined when it is acceptable. */
export function cryptoperiodProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return 'Enter the cryptoperiod in days.';
  if (!/^\d+$/.test(trimmed)) return 'The cryptoperiod is a whole number of days, e.g. 365.';
  const days = Number(trimmed);
  if (days < CRYPTOPERIOD_MIN_DAYS || days > CRYPTOPERIOD_MAX_DAYS) {
    return `The cryptoperiod must be between ${CRYPTOPERIOD_MIN_DAYS} and ${CRYPTOPERIOD_MAX_DAYS} days (100 years).`;
  }
  return undefined;
}
