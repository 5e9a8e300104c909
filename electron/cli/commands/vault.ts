// mazevault vault …: create a vault file.
import { Option, type Command } from 'commander';
import { Vault } from '../../vault/vault';
import { actor, outputFor, vaultPassphrase, withVaultOption } from '../context';

export function registerVaultCommands(program: Command): void {
  const vault = program.command('vault').description('create and inspect vault files');

  withVaultOption(vault.command('init'))
    .description('create a new vault file, protected by a passphrase (scrypt N=2^17 or stronger)')
    .addOption(
      new Option(
        '--test-fast-kdf',
        'TEST ONLY: cheap KDF parameters for throw-away test vaults',
      ).hideHelp(),
    )
    .addHelpText(
      'after',
      '\nTest-only: MAZEVAULT_TEST_FAST_KDF=1 (or the hidden --test-fast-kdf) selects cheap KDF\n' +
        'parameters for throw-away test vaults. Never use it for a real vault.',
    )
    .action(async (options: { vault: string; testFastKdf?: boolean }, command: Command) => {
      const fast = options.testFastKdf === true || process.env.MAZEVAULT_TEST_FAST_KDF === '1';
      const passphrase = await vaultPassphrase(command, true);
      const created = await Vault.create(options.vault, passphrase, {
        actor: actor(),
        ...(fast ? { kdfCost: 'test-only' as const } : {}),
      });
      const kdf = created.kdfParameters();
      created.close();
      outputFor(command).result({ path: options.vault, kdf, testOnlyKdf: fast }, [
        `Created vault ${options.vault}`,
        ...(fast ? ['WARNING: test-only KDF parameters; not for real keys.'] : []),
      ]);
    });
}
