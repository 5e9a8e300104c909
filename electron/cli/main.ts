// The mazevault command: a second front door to the same services as the window. Each command
// group lives in commands/<group>.ts and registers itself with one line below.
import { Command, CommanderError, Help } from 'commander';
import { registerAuditCommands } from './commands/audit';
import { registerCaCommands } from './commands/ca';
import { registerCertCommands } from './commands/cert';
import { registerCertTrustCommands } from './commands/cert-trust';
import { registerExportCommands } from './commands/export';
import { registerImportCommands } from './commands/import';
import { registerInspectCommands } from './commands/inspect';
import { registerKeyCommands } from './commands/key';
import { registerLifecycleCommands } from './commands/lifecycle';
import { registerTemplateAndBatchCommands } from './commands/template';
import { registerTokenCommands } from './commands/token';
import { registerValidateCommands } from './commands/validate';
import { registerVaultCommands } from './commands/vault';
import { guardOutputStreams, reportError, withOutputStatus } from './output';

const COMMAND_GROUPS: readonly ((program: Command) => void)[] = [
  registerVaultCommands,
  registerKeyCommands,
  registerCaCommands,
  registerCertCommands,
  registerCertTrustCommands,
  registerExportCommands,
  registerAuditCommands,
  registerTokenCommands,
  registerLifecycleCommands,
  registerInspectCommands,
  registerImportCommands,
  registerValidateCommands,
  registerTemplateAndBatchCommands,
];

export function buildProgram(): Command {
  const program = new Command('mazevault')
    .description('MazeVault: keys, certificate authorities and certificates in an encrypted vault')
    .option('--json', 'print the result as one JSON object')
    .option('--passphrase-file <file>', 'read the vault passphrase from the first line of a file')
    .addHelpText(
      'after',
      '\nThe vault passphrase comes from --passphrase-file, MAZEVAULT_PASSPHRASE, or a prompt.\n' +
        'MAZEVAULT_ACTOR names who acts in the audit trail (default: the operating-system user).',
    )
    .exitOverride()
    // Commander's help does not say which options are required; every command inherits this.
    .configureHelp({
      optionDescription: (option) => {
        const text = new Help().optionDescription(option);
        return option.mandatory ? `(required) ${text}` : text;
      },
    });
  for (const register of COMMAND_GROUPS) register(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  guardOutputStreams();
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return withOutputStatus(0);
  } catch (error) {
    // Commander has already printed its own one-line usage errors, and help.
    if (error instanceof CommanderError) return withOutputStatus(error.exitCode === 0 ? 0 : 2);
    return reportError(error);
  }
}
