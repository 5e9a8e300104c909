// Turns a token's CKR_ return values into MazeVault errors an officer can act on. The token's
// own flags decide the PIN warnings (PKCS#11 v2.40 §3.2, CK_TOKEN_INFO flags).
import { MazeVaultError } from '../../../shared/errors';
import { CKF_TOKEN } from './constants';

/** What the worker reports for a failed call: the CKR_ name and number, never an argument. */
export interface Pkcs11Failure {
  ckr?: string;
  code?: number;
  method?: string;
  message: string;
}

export class Pkcs11CallError extends Error {
  readonly ckr: string | undefined;
  readonly code: number | undefined;

  constructor(failure: Pkcs11Failure) {
    super(failure.ckr ?? failure.message);
    this.name = 'Pkcs11CallError';
    this.ckr = failure.ckr;
    this.code = failure.code;
  }
}

/** Return values meaning the device, the slot or the session is gone: reconnect before reuse. */
const CONNECTION_LOST = new Set([
  'CKR_GENERAL_ERROR',
  'CKR_DEVICE_ERROR',
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_TOKEN_NOT_RECOGNIZED',
  'CKR_SESSION_CLOSED',
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SLOT_ID_INVALID',
  'CKR_CRYPTOKI_NOT_INITIALIZED',
  'CKR_OBJECT_HANDLE_INVALID',
  'CKR_KEY_HANDLE_INVALID',
]);

export function isConnectionLost(error: unknown): boolean {
  return error instanceof Pkcs11CallError && CONNECTION_LOST.has(error.ckr ?? '');
}

export function ckrOf(error: unknown): string | undefined {
  return error instanceof Pkcs11CallError ? error.ckr : undefined;
}

/** The warning an officer must read after a wrong PIN, from the token's flags. */
export function pinWarning(flags: number | undefined): string {
  if (flags === undefined) return '';
  if (flags & CKF_TOKEN.USER_PIN_LOCKED) return ' The user PIN is now locked.';
  if (flags & CKF_TOKEN.USER_PIN_FINAL_TRY) {
    return ' Warning: the next wrong PIN locks the token (final try).';
  }
  if (flags & CKF_TOKEN.USER_PIN_COUNT_LOW) return ' Warning: few PIN tries are left.';
  return '';
}

export function pinLocked(token: string): MazeVaultError {
  return new MazeVaultError(
    'PIN_LOCKED',
    `The user PIN of token ${token} is locked after too many wrong tries; ` +
      'the security officer must unblock it (or re-initialise the token) before it can be used.',
  );
}

/**
 * Maps a failed token call to a MazeVault error. `what` says what was being done ("sign with key
 * 0a1b"), `token` names the token ("\"Root CA\" (serial 1234)").
 */
export function toMazeVaultError(error: unknown, what: string, token: string): MazeVaultError {
  if (error instanceof MazeVaultError) return error;
  if (!(error instanceof Pkcs11CallError)) {
    return new MazeVaultError(
      'PROVIDER_ERROR',
      `Could not ${what} on token ${token}; the details are in the log.`,
      { cause: error },
    );
  }
  const ckr = error.ckr ?? 'an unknown error';
  switch (error.ckr) {
    case 'CKR_PIN_INCORRECT':
    case 'CKR_PIN_INVALID':
    case 'CKR_PIN_LEN_RANGE':
      return new MazeVaultError('WRONG_PIN', `Wrong PIN for token ${token}.`);
    case 'CKR_PIN_LOCKED':
      return pinLocked(token);
    case 'CKR_PIN_EXPIRED':
      return new MazeVaultError(
        'WRONG_PIN',
        `The PIN of token ${token} has expired; change it first.`,
      );
    case 'CKR_USER_NOT_LOGGED_IN':
      return new MazeVaultError(
        'TOKEN_ERROR',
        `Token ${token} needs the user PIN: log in, then ${what}.`,
      );
    case 'CKR_USER_PIN_NOT_INITIALIZED':
      return new MazeVaultError(
        'TOKEN_ERROR',
        `Token ${token} has no user PIN yet; initialise the token or set its user PIN first.`,
      );
    case 'CKR_MECHANISM_INVALID':
    case 'CKR_MECHANISM_PARAM_INVALID':
    case 'CKR_KEY_TYPE_INCONSISTENT':
    case 'CKR_KEY_FUNCTION_NOT_PERMITTED':
      return new MazeVaultError('UNSUPPORTED', `Token ${token} cannot ${what} (${ckr}).`);
    case 'CKR_TOKEN_WRITE_PROTECTED':
      return new MazeVaultError(
        'TOKEN_ERROR',
        `Token ${token} is write-protected; it cannot ${what}.`,
      );
    case 'CKR_DEVICE_MEMORY':
      return new MazeVaultError('TOKEN_ERROR', `Token ${token} is full; it cannot ${what}.`);
    default:
      if (isConnectionLost(error)) {
        return new MazeVaultError(
          'TOKEN_ERROR',
          `Token ${token} is not reachable (${ckr}): it was removed, or its session closed. ` +
            'Reconnect or re-insert it; MazeVault reconnects on the next operation.',
        );
      }
      return new MazeVaultError('PROVIDER_ERROR', `Token ${token} refused to ${what} (${ckr}).`);
  }
}
