import { describe, expect, it } from 'vitest';
import { MINIMUM_PASSPHRASE_LENGTH as VAULT_MINIMUM } from '../../electron/vault/vault';
import { MINIMUM_PASSPHRASE_LENGTH, passphraseStrength } from './passphraseStrength';

describe('the passphrase strength hint', () => {
  it('uses the same minimum length as the vault', () => {
    expect(MINIMUM_PASSPHRASE_LENGTH).toBe(VAULT_MINIMUM);
  });

  it('calls an empty passphrase empty and asks for the minimum length', () => {
    expect(passphraseStrength('')).toEqual({
      score: 0,
      label: 'Empty',
      advice: 'Use at least 12 characters.',
    });
  });

  it('calls anything under 12 characters too short, however varied', () => {
    expect(passphraseStrength('Aa1!Bb2@Cc3')).toMatchObject({ score: 0, label: 'Too short' });
  });

  it('counts characters, not UTF-16 units, so 11 emoji are still too short', () => {
    expect(passphraseStrength('🔑'.repeat(11)).label).toBe('Too short');
    expect(passphraseStrength('🔑'.repeat(12)).label).not.toBe('Too short');
  });

  it('rates a long run of one repeated character as weak', () => {
    expect(passphraseStrength('a'.repeat(40))).toMatchObject({ score: 1, label: 'Weak' });
  });

  it('rates twelve distinct lower-case letters as fair and four words as strong', () => {
    // 12 · log2(26) ≈ 56 bits.
    expect(passphraseStrength('abcdefghijkl').label).toBe('Fair');
    expect(passphraseStrength('aaaaaabbbbbb').label).toBe('Weak');
    expect(passphraseStrength('correct horse battery staple')).toMatchObject({
      score: 4,
      label: 'Strong',
    });
  });

  it('rises with the length and the kinds of characters', () => {
    const scores = [
      'abcdefghijkl',
      'abcdefghijklmnopqr',
      'abcdefghijklmnopqrstuvwx',
      'Abcdefgh1jklmnopqrstuv-xyz!',
    ].map((passphrase) => passphraseStrength(passphrase).score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(scores[0]).toBeLessThan(scores.at(-1)!);
  });
});
