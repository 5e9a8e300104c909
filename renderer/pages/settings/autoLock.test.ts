import { describe, expect, it } from 'vitest';
import { autoLockProblem, describeAutoLock } from './autoLock';

describe('the auto-lock field of the settings page', () => {
  it('describes the current setting, off included', () => {
    expect(describeAutoLock(10)).toBe('locks after 10 minutes without activity');
    expect(describeAutoLock(1)).toBe('locks after 1 minute without activity');
    expect(describeAutoLock(null)).toBe('auto-lock is off');
  });

  it('accepts whole minutes from 1 to 1440', () => {
    for (const text of ['1', '10', ' 60 ', '1440']) expect(autoLockProblem(text)).toBeUndefined();
  });

  it('says what is wrong with anything else', () => {
    expect(autoLockProblem('')).toMatch(/turn auto-lock off/);
    expect(autoLockProblem('2.5')).toMatch(/whole number of minutes/);
    expect(autoLockProblem('ten')).toMatch(/whole number of minutes/);
    expect(autoLockProblem('0')).toMatch(/between 1 and 1440 minutes/);
    expect(autoLockProblem('1441')).toMatch(/between 1 and 1440 minutes/);
  });
});
