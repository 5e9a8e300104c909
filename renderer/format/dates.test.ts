import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDaysRemaining } from './dates';

describe('dates as officers read them', () => {
  it('says how many days remain or have passed, in words', () => {
    expect(formatDaysRemaining(0)).toBe('today');
    expect(formatDaysRemaining(1)).toBe('in 1 day');
    expect(formatDaysRemaining(29)).toBe('in 29 days');
    expect(formatDaysRemaining(-1)).toBe('1 day ago');
    expect(formatDaysRemaining(-3)).toBe('3 days ago');
  });

  it('writes the year, and a time zone with the time', () => {
    expect(formatDate('2031-07-04T12:00:00Z')).toContain('2031');
    const text = formatDateTime('2031-07-04T12:00:00Z');
    expect(text).toContain('2031');
    // Whatever the locale, the zone is spelled out (e.g. "UTC", "GMT+2", "CEST").
    expect(text).toMatch(/[A-Z]{2,}|GMT|UTC/);
  });
});
