// mazevault audit …: verify the hash chain of the audit trail and read it.
import type { Command } from 'commander';
import { MazeVaultError } from '../../../shared/errors';
import type { AuditVerification } from '../../audit/log';
import { Vault } from '../../vault/vault';
import {
  actor,
  outputFor,
  parseWholeNumber,
  passphraseAvailable,
  withServices,
  withVaultOption,
} from '../context';
import { table, type Output } from '../output';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('verify and read the audit trail');

  withVaultOption(audit.command('verify'))
    .description(
      'walk the hash chain and check it reaches the recorded head; with the passphrase the MACs ' +
        'too. Without a passphrase (none given and no terminal, or --without-passphrase) only the ' +
        'hash chain and the head are checked',
    )
    .option('--without-passphrase', 'check the hash chain and the head only, without unlocking')
    .action(async (options: { vault: string; withoutPassphrase?: boolean }, command: Command) => {
      if (options.withoutPassphrase || !passphraseAvailable(command)) {
        const vault = Vault.open(options.vault, { actor: actor() });
        try {
          reportVerification(vault.audit.verify(), outputFor(command));
        } finally {
          vault.close();
        }
        return;
      }
      await withServices(command, options.vault, async (services, output) => {
        reportVerification(services.vault.audit.verify(), output);
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

function reportVerification(result: AuditVerification, output: Output): void {
  if (!result.ok) {
    const { seq, reason } = result.firstBroken!;
    const where = seq > 0 ? ` at event ${seq}` : '';
    throw new MazeVaultError('AUDIT_BROKEN', `The audit trail is broken${where}: ${reason}.`);
  }
  const lines = [
    result.macSkipped
      ? `Audit hash chain intact: ${result.events} events. MACs were not checked (no passphrase ` +
        'given), so a trail rebuilt by someone who can write the file would also pass.'
      : `Audit trail intact: ${result.events} events, ${result.macChecked} MACs checked.`,
  ];
  if (!result.macHead) {
    lines.push(
      'No MACed head is recorded yet (the trail was last written by an older MazeVault), so ' +
        'events cut off its end cannot be detected until the next unlock records one.',
    );
  } else if (result.macSkipped) {
    lines.push(
      `The trail reaches its recorded head (event ${result.macHead.seq}); its MAC was not checked.`,
    );
  } else {
    lines.push(`The trail reaches its MACed head (event ${result.macHead.seq}).`);
  }
  if (result.unmacedTail > 0) {
    lines.push(
      `${result.unmacedTail} later event(s) were written while the vault was locked (e.g. failed ` +
        'unlocks) and carry no MAC: their removal cannot be detected.',
    );
  }
  output.result({ ...result }, lines);
}
