import { describe, expect, it } from 'vitest';
import { MINIMUM_SCRYPT, TEST_ONLY_SCRYPT } from '../../../electron/vault/kdf';
import {
  describeKdf,
  formatMemory,
  HIGHEST_OFFERED_N,
  isBelowMinimum,
  kdfMemoryBytes,
  MINIMUM_SCRYPT_N,
  powerOfTwo,
  strongerCostOptions,
} from './kdfCost';

describe('the KDF section of the settings page', () => {
  it('knows the same floor as the vault', () => {
    expect(MINIMUM_SCRYPT_N).toBe(MINIMUM_SCRYPT.N);
    expect(isBelowMinimum(MINIMUM_SCRYPT)).toBe(false);
    expect(isBelowMinimum(TEST_ONLY_SCRYPT)).toBe(true);
  });

  it('describes the parameters with the memory one unlock needs (128 · N · r · p)', () => {
    expect(kdfMemoryBytes({ N: 2 ** 17, r: 8, p: 1 })).toBe(128 * 2 ** 20);
    expect(describeKdf({ N: 2 ** 17, r: 8, p: 1 })).toBe(
      'scrypt N=2^17, r=8, p=1 (128 MiB per unlock)',
    );
    expect(describeKdf({ N: 2 ** 12, r: 8, p: 1 })).toBe(
      'scrypt N=2^12, r=8, p=1 (4 MiB per unlock)',
    );
  });

  it('writes powers of two as such and memory in MiB or GiB', () => {
    expect(powerOfTwo(262_144)).toBe('2^18');
    expect(powerOfTwo(300_000)).toBe('300000');
    expect(formatMemory(2 ** 30)).toBe('1 GiB');
    expect(formatMemory(256 * 2 ** 20)).toBe('256 MiB');
    expect(formatMemory(1.5 * 2 ** 20)).toBe('1.5 MiB');
  });

  it('offers every power of two above the current N up to 2^20', () => {
    expect(strongerCostOptions({ N: 2 ** 17, r: 8, p: 1 })).toEqual([2 ** 18, 2 ** 19, 2 ** 20]);
    expect(strongerCostOptions({ N: 2 ** 12, r: 8, p: 1 })).toHaveLength(8);
    expect(strongerCostOptions({ N: HIGHEST_OFFERED_N, r: 8, p: 1 })).toEqual([]);
  });

  it('offers nothing that needs more than 1 GiB per unlock', () => {
    expect(strongerCostOptions({ N: 2 ** 17, r: 16, p: 1 })).toEqual([2 ** 18, 2 ** 19]);
    for (const n of strongerCostOptions({ N: 2 ** 14, r: 8, p: 4 })) {
      expect(kdfMemoryBytes({ N: n, r: 8, p: 4 })).toBeLessThanOrEqual(2 ** 30);
    }
  });
});
