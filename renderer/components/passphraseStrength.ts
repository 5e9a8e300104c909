// A rough strength hint while the officer types a new passphrase. It estimates entropy from
// length and character classes; it is advice only, the main process enforces the minimum.

/** The vault's minimum (electron/vault/vault.ts MINIMUM_PASSPHRASE_LENGTH). */
export const MINIMUM_PASSPHRASE_LENGTH = 12;

export interface StrengthHint {
  /** 0..4, for the meter. */
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  advice: string;
}

export function passphraseStrength(passphrase: string): StrengthHint {
  const length = [...passphrase].length;
  if (length === 0) {
    return {
      score: 0,
      label: 'Empty',
      advice: `Use at least ${MINIMUM_PASSPHRASE_LENGTH} characters.`,
    };
  }
  if (length < MINIMUM_PASSPHRASE_LENGTH) {
    return {
      score: 0,
      label: 'Too short',
      advice: `Use at least ${MINIMUM_PASSPHRASE_LENGTH} characters.`,
    };
  }

  let alphabet = 0;
  if (/[a-z]/.test(passphrase)) alphabet += 26;
  if (/[A-Z]/.test(passphrase)) alphabet += 26;
  if (/[0-9]/.test(passphrase)) alphabet += 10;
  if (/[^a-zA-Z0-9]/.test(passphrase)) alphabet += 33;
  const distinct = new Set(passphrase).size;
  // Repetition ("aaaaaaaaaaaa") earns little: count at most the distinct characters' worth.
  const bits = Math.min(length, distinct * 2) * Math.log2(Math.max(alphabet, 2));

  if (bits < 50) {
    return { score: 1, label: 'Weak', advice: 'Add words or mix in other kinds of characters.' };
  }
  if (bits < 70) {
    return { score: 2, label: 'Fair', advice: 'A few more words would make it much stronger.' };
  }
  if (bits < 90) return { score: 3, label: 'Good', advice: 'Good for a vault passphrase.' };
  return { score: 4, label: 'Strong', advice: 'Strong: keep it as safe as the keys it protects.' };
}
