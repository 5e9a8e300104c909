import { describe, expect, it } from 'vitest';
import { DEFAULT_CRYPTOPERIOD_DAYS, KEY_PURPOSES } from '../../../shared/cryptoperiods';
import {
  cryptoperiodAdvice,
  cryptoperiodProblem,
  defaultCryptoperiodDays,
  describeDays,
} from './cryptoperiodField';

describe('the cryptoperiod field of the Generate key page', () => {
  it('starts from the shared default for each purpose', () => {
    for (const purpose of KEY_PURPOSES) {
      expect(defaultCryptoperiodDays(purpose)).toBe(DEFAULT_CRYPTOPERIOD_DAYS[purpose]);
    }
    expect(defaultCryptoperiodDays('tls-server')).toBe(365);
  });

  it('writes whole years beside the days', () => {
    expect(describeDays(365)).toBe('365 days (1 year)');
    expect(describeDays(7300)).toBe('7300 days (20 years)');
    expect(describeDays(400)).toBe('400 days');
    expect(describeDays(1)).toBe('1 day');
  });

  it('cites NIST SP 800-57 Table 1 with the range of the key type', () => {
    expect(cryptoperiodAdvice('signing')).toBe(
      'Default for this purpose: 1095 days (3 years). NIST SP 800-57 Part 1 Table 1 suggests an ' +
        'originator-usage period of 365 days (1 year) to 1095 days (3 years) for a private ' +
        'signature key.',
    );
    expect(cryptoperiodAdvice('tls-client')).toContain('private authentication key');
    expect(cryptoperiodAdvice('root-ca')).toContain('CA validity policy');
    expect(cryptoperiodAdvice('general')).not.toContain('CA validity policy');
  });

  it('accepts whole days from 1 to 36500', () => {
    for (const text of ['1', '365', ' 730 ', '36500']) {
      expect(cryptoperiodProblem(text)).toBeUndefined();
    }
  });

  it('says what is wrong with an empty, fractional, negative or too long period', () => {
    expect(cryptoperiodProblem('')).toBe('Enter the cryptoperiod in days.');
    expect(cryptoperiodProblem('1.5')).toMatch(/whole number of days/);
    expect(cryptoperiodProblem('-3')).toMatch(/whole number of days/);
    expect(cryptoperiodProblem('one year')).toMatch(/whole number of days/);
    expect(cryptoperiodProblem('0')).toMatch(/between 1 and 36500 days/);
    expect(cryptoperiodProblem('36501')).toMatch(/between 1 and 36500 days/);
  });
});
