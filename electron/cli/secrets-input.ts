// Where the CLI gets passphrases and passwords: an environment variable, a file, or a prompt that
// does not echo. Never from a command-line argument, which other users can read in `ps`.
import { readFileSync } from 'node:fs';
import { MazeVaultError } from '../../shared/errors';

/** The first line of a file, without its line end: `echo pass > file` must work as people expect. */
export function readSecretFile(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new MazeVaultError(
      'IO_ERROR',
      `Cannot read the ${what} file ${path}; check the path and its permissions.`,
    );
  }
  // Windows editors save UTF-8 with a byte order mark; it is not part of the secret.
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  if (!line) throw new MazeVaultError('INVALID_INPUT', `The ${what} file ${path} is empty.`);
  return line;
}

export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Reads a line from the terminal without echoing it. */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const finish = (error?: MazeVaultError) => {
      stdin.setRawMode(wasRaw);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') {
          return finish(new MazeVaultError('CANCELLED', 'Cancelled.'));
        }
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else value += char;
      }
      return undefined;
    };
    stdin.on('data', onData);
  });
}

/** Asks a yes/no question on the terminal; only "y" or "yes" is a yes. */
export async function promptConfirm(question: string): Promise<boolean> {
  const stdin = process.stdin;
  process.stderr.write(`${question} [y/N] `);
  stdin.resume();
  stdin.setEncoding('utf8');
  const answer = await new Promise<string>((resolve) =>
    stdin.once('data', (chunk: string) => resolve(chunk)),
  );
  stdin.pause();
  return /^\s*y(es)?\s*$/i.test(answer);
}

export interface SecretSource {
  /** The environment variable that may hold it. */
  env?: string;
  file?: string;
  what: string;
  /** Ask twice on a prompt, for a new secret. */
  confirm?: boolean;
  /** Says which options provide it, for the error when none does. */
  hint: string;
}

export async function obtainSecret(source: SecretSource): Promise<string> {
  if (source.file) return readSecretFile(source.file, source.what);
  const fromEnv = source.env ? process.env[source.env] : undefined;
  if (fromEnv) return fromEnv;
  if (!canPrompt()) {
    throw new MazeVaultError('INVALID_INPUT', `No ${source.what} given: ${source.hint}.`);
  }
  const first = await promptHidden(`${capitalise(source.what)}: `);
  if (source.confirm) {
    const second = await promptHidden(`Repeat the ${source.what}: `);
    if (first !== second) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `The two ${source.what}s differ; nothing was done.`,
      );
    }
  }
  return first;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The token user PIN: --pin-file, MAZEVAULT_PKCS11_PIN, or a no-echo prompt on a terminal. */
export function tokenPin(pinFile: string | undefined): Promise<string> {
  return obtainSecret({
    file: pinFile,
    env: 'MAZEVAULT_PKCS11_PIN',
    what: 'token user PIN',
    hint: 'set MAZEVAULT_PKCS11_PIN, pass --pin-file FILE, or run in a terminal to be asked',
  });
}
