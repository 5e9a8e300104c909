// The one typed error decoders add to MazeVaultError: a password is needed or was wrong, and for
// which part of the file, so the import wizard can ask for exactly that password and retry.
import { MazeVaultError } from '../../shared/errors';

export type PasswordTarget =
  /** The file's own password (PKCS#12, JKS store, encrypted PEM or PKCS#8). */
  | { kind: 'file' }
  /** The key password of one key store entry, when it differs from the store password. */
  | { kind: 'key'; alias: string };

export class PasswordNeededError extends MazeVaultError {
  readonly target: PasswordTarget;
  /** False when no password was given at all; true when the one given did not fit. */
  readonly attempted: boolean;

  constructor(target: PasswordTarget, attempted: boolean, message: string) {
    super('WRONG_PASSWORD', message);
    this.name = 'PasswordNeededError';
    this.target = target;
    this.attempted = attempted;
  }
}

export function wrongFilePassword(what: string, attempted: boolean): PasswordNeededError {
  return new PasswordNeededError(
    { kind: 'file' },
    attempted,
    attempted
      ? `The password does not open this ${what}. Check it and try again.`
      : `This ${what} is protected by a password; give it to open the file.`,
  );
}
