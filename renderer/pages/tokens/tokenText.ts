// Sentences the officer reads about a token: its PIN warnings and its state in a few words.
import type { TokenDto, TokenFlagsDto } from '../../../shared/bridge/tokens-dto';

/** The token's PIN warnings (PKCS#11 v2.40 CK_TOKEN_INFO flags), most serious first. */
export function pinWarnings(flags: TokenFlagsDto): string[] {
  const warnings: string[] = [];
  if (flags.userPinLocked) warnings.push('User PIN locked: the security officer must unblock it.');
  else if (flags.userPinFinalTry) warnings.push('Final try: the next wrong user PIN locks it.');
  else if (flags.userPinCountLow) warnings.push('A wrong user PIN was entered: few tries left.');
  if (flags.userPinToBeChanged) warnings.push('The user PIN must be changed before use.');
  if (flags.soPinLocked) warnings.push('SO PIN locked.');
  else if (flags.soPinFinalTry) warnings.push('SO PIN: final try.');
  else if (flags.soPinCountLow) warnings.push('SO PIN: few tries left.');
  if (!flags.userPinInitialized) warnings.push('No user PIN set: initialise the token.');
  return warnings;
}

export function tokenName(token: Pick<TokenDto, 'label' | 'serial'>): string {
  return `${token.label} (serial ${token.serial})`;
}

/** Yes/no flags in one line, e.g. "login required, RNG, initialised". */
export function flagSummary(flags: TokenFlagsDto): string {
  const on: string[] = [];
  if (flags.loginRequired) on.push('login required');
  if (flags.tokenInitialized) on.push('initialised');
  if (flags.userPinInitialized) on.push('user PIN set');
  if (flags.protectedAuthenticationPath) on.push('PIN pad');
  if (flags.writeProtected) on.push('write-protected');
  if (flags.rng) on.push('RNG');
  return `${on.join(', ') || 'none'} (0x${flags.raw.toString(16).padStart(8, '0')})`;
}
