// Errors are part of the interface: a stable code for programs and a sentence for the officer.
// Only `{ code, message }` ever crosses to the window or the CLI's stderr; stacks stay behind.

export const ERROR_CODES = [
  'VAULT_LOCKED',
  'VAULT_EXISTS',
  'VAULT_NOT_FOUND',
  'VAULT_DAMAGED',
  'WRONG_PASSPHRASE',
  'WEAK_PASSPHRASE',
  'RECORD_DAMAGED',
  'NOT_FOUND',
  'INVALID_INPUT',
  'FORBIDDEN_BY_LIFECYCLE',
  'FORBIDDEN_TRANSITION',
  'POLICY_VIOLATION',
  'UNSUPPORTED',
  'WRONG_PASSWORD',
  'MALFORMED',
  'TRUNCATED',
  'DUPLICATE',
  'PROVIDER_ERROR',
  'TOKEN_ERROR',
  'WRONG_PIN',
  'PIN_LOCKED',
  'TIMEOUT',
  'CANCELLED',
  'BUSY',
  'AUDIT_BROKEN',
  'CONFIRMATION_REQUIRED',
  'IO_ERROR',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

export class MazeVaultError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MazeVaultError';
    this.code = code;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message };
  }
}

/** Maps anything thrown to the payload that may leave the main process. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof MazeVaultError) return error.toPayload();
  // SQLite's busy codes (better-sqlite3 SqliteError.code): another process holds the vault's
  // write lock for longer than the busy timeout.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
    return {
      code: 'BUSY',
      message:
        'The vault is in use by another MazeVault process; nothing was changed. Try again when ' +
        'it has finished.',
    };
  }
  return { code: 'INTERNAL', message: 'An internal error occurred; the details are in the log.' };
}
