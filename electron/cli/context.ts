// What every command shares: the global options, opening and unlocking the vault, the services
// over it, and the output layer. Commands stay thin: parse options, call a service, print.
import type { Command } from 'commander';
import { MazeVaultError } from '../../shared/errors';
import { createServices, type Services } from '../services';
import { Vault } from '../vault/vault';
import { createOutput, type Output } from './output';
import { canPrompt, obtainSecret, tokenPin } from './secrets-input';
import { isControlCharacter } from '../pki/names';

export interface GlobalOptions {
  json?: boolean;
  passphraseFile?: string;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export function outputFor(command: Command): Output {
  return createOutput(globalOptions(command).json === true);
}

export const PASSPHRASE_HINT =
  'set MAZEVAULT_PASSPHRASE, pass --passphrase-file FILE, or run in a terminal to be asked';

export function vaultPassphrase(command: Command, confirm = false): Promise<string> {
  return obtainSecret({
    file: globalOptions(command).passphraseFile,
    env: 'MAZEVAULT_PASSPHRASE',
    what: 'vault passphrase',
    confirm,
    hint: PASSPHRASE_HINT,
  });
}

/**
 * Whether a vault passphrase can be had without failing: a file, the environment, or a terminal
 * to ask on. Commands that can do useful work locked (audit verify) check this first.
 */
export function passphraseAvailable(command: Command): boolean {
  return Boolean(
    globalOptions(command).passphraseFile || process.env.MAZEVAULT_PASSPHRASE || canPrompt(),
  );
}

export function actor(): string | undefined {
  const name = process.env.MAZEVAULT_ACTOR;
  if (name && [...name].some(isControlCharacter)) {
    // The actor is written into every audit event and listed by `audit list`.
    throw new MazeVaultError(
      'INVALID_INPUT',
      'MAZEVAULT_ACTOR must not hold control characters (newline, tab, escape…).',
    );
  }
  return name || undefined;
}

/** Opens and unlocks the vault, runs the work over its services, and always closes the vault. */
export async function withServices<T>(
  command: Command,
  vaultPath: string,
  work: (services: Services, output: Output) => Promise<T>,
): Promise<T> {
  const vault = Vault.open(vaultPath, { actor: actor() });
  try {
    await vault.unlock(await vaultPassphrase(command));
    const services = createServices(vault);
    // A token key signs only after a login: the PIN comes from --pin-file, the environment or
    // the terminal, asked only when a signature needs it.
    const { pinFile } = command.opts<{ pinFile?: string }>();
    services.pkcs11.setPinSupplier(() => tokenPin(pinFile));
    try {
      return await work(services, outputFor(command));
    } finally {
      await services.pkcs11.close();
    }
  } finally {
    vault.close();
  }
}

/** Adds the `--vault FILE` option every vault command takes. */
export function withVaultOption(command: Command): Command {
  return command.requiredOption('--vault <file>', 'the vault file');
}

export function parseWholeNumber(name: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) {
      throw new MazeVaultError('INVALID_INPUT', `--${name} takes a whole number, not "${value}".`);
    }
    return Number(value);
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** An option parser that accepts only the listed values, with a message naming them. */
export function oneOf<T extends string>(values: readonly T[], name: string): (value: string) => T {
  return (value) => {
    if (!(values as readonly string[]).includes(value)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `--${name} must be one of ${values.join(', ')}, not "${value}".`,
      );
    }
    return value as T;
  };
}
