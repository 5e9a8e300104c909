import { describe, expect, it } from 'vitest';
import type { TokenFlagsDto } from '../../../shared/bridge/tokens-dto';
import { flagSummary, pinWarnings } from './tokenText';

const HEALTHY: TokenFlagsDto = {
  loginRequired: true,
  tokenInitialized: true,
  userPinInitialized: true,
  writeProtected: false,
  protectedAuthenticationPath: false,
  rng: true,
  userPinCountLow: false,
  userPinFinalTry: false,
  userPinLocked: false,
  userPinToBeChanged: false,
  soPinCountLow: false,
  soPinFinalTry: false,
  soPinLocked: false,
  soPinToBeChanged: false,
  raw: 0x40d,
};

describe('the words for a token', () => {
  it('warns of nothing on a healthy token', () => {
    expect(pinWarnings(HEALTHY)).toEqual([]);
  });

  it('names the most serious user PIN state only', () => {
    expect(
      pinWarnings({
        ...HEALTHY,
        userPinCountLow: true,
        userPinFinalTry: true,
        userPinLocked: true,
      }),
    ).toEqual(['User PIN locked: the security officer must unblock it.']);
    expect(pinWarnings({ ...HEALTHY, userPinCountLow: true, userPinFinalTry: true })).toEqual([
      'Final try: the next wrong user PIN locks it.',
    ]);
  });

  it('says when a token has no user PIN yet', () => {
    expect(pinWarnings({ ...HEALTHY, userPinInitialized: false })).toContain(
      'No user PIN set: initialise the token.',
    );
  });

  it('sums up the flags with the raw word for support', () => {
    expect(flagSummary(HEALTHY)).toBe(
      'login required, initialised, user PIN set, RNG (0x0000040d)',
    );
  });
});
