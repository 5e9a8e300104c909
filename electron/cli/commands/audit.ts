// mazevault audit …: verify the hash chain of the audit trail and read it.
import type { Command } from 'commander';
import { MazeVaultError } from '../../../shared/errors';
import { parseWholeNumber, withServices, withVaultOption } from '../context';
import { table } from '../output';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('verify and read the audit trail');

  withVaultOption(audit.command('verify'))
    .description(
      'walk the hash chain (and the MACs, with the vault unlocked) and name the first broken link',
    )
    .action(async (options: { vault: string }, command: Command) => {
      await withServices(command, options.vault, async (services, output) => {
        const result = services.vault.audit.verify();
        if (!result.ok) {
          throw new MazeVaultError(
            'AUDIT_BROKEN',
            `The audit trail is broken at event ${result.firstBroken!.seq}: ${result.firstBroken!.reason}.`,
          );
        }
        output.result(
          { ...result },
          `Audit trail intact: ${result.events} events, ${result.macChecked} MACs checked.`,
        );
      });
    });

  withVaultOption(audit.command('list'))
    .description('list the latest audit events, newest first')
    .option('--limit <n>', 'how many', parseWholeNumber('limit'), 50)
    .option('--action <name>', 'only this action, e.g. cert.issue')
    .action(
      async (options: { vault: string; limit: number; action?: string }, command: Command) => {
        await withServices(command, options.vault, async (services, output) => {
          const events = services.vault.audit.list({
            limit: options.limit,
            ...(options.action ? { action: options.action } : {}),
          });
          output.result(
            { events },
            table([
              ['SEQ', 'TIME', 'ACTOR', 'ACTION', 'OUTCOME', 'SUBJECT'],
              ...events.map((e) => [
                String(e.seq),
                e.time,
                e.actor,
                e.action,
                e.outcome,
                e.subject,
              ]),
            ]),
          );
        });
      },
    );
}
