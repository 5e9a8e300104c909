// mazevault cert trust / cert untrust: the officer's explicit word that a certificate in the
// vault is (or is no longer) a trust anchor for validation. Importing never grants trust; the
// vault's own CAs need no mark. Each change is audited.
import type { Command } from 'commander';
import { MazeVaultError } from '../../../shared/errors';
import { TrustAnchorStore, type TrustChange } from '../../pki/validate/trust-anchors';
import { withServices, withVaultOption } from '../context';

function changeText(change: TrustChange): string {
  const what = `${change.subject} (${change.id}, SHA-256 ${change.sha256})`;
  if (change.trusted) {
    return change.changed
      ? `${what} is now a trust anchor for validation.`
      : `${what} is already a trust anchor for validation: ${change.reason}.`;
  }
  return change.changed
    ? `${what} is no longer a trust anchor for validation.`
    : `${what} was not a trust anchor; nothing changed.`;
}

/** Adds `trust` and `untrust` to the `cert` group that commands/cert.ts registers. */
export function registerCertTrustCommands(program: Command): void {
  const cert = program.commands.find((command) => command.name() === 'cert');
  if (!cert) throw new MazeVaultError('INTERNAL', 'The cert command group is not registered.');

  for (const trusted of [true, false]) {
    withVaultOption(cert.command(trusted ? 'trust' : 'untrust'))
      .description(
        trusted
          ? 'trust a certificate in the vault as a trust anchor for validation (audited)'
          : 'stop trusting a certificate marked with cert trust (audited)',
      )
      .argument('<cert>', 'the certificate id (mazevault cert list shows them)')
      .action(async (id: string, options: { vault: string }, command: Command) => {
        await withServices(command, options.vault, async (services, output) => {
          const change = new TrustAnchorStore(services.vault).setTrusted(id, trusted);
          output.result({ ...change }, changeText(change));
        });
      });
  }
}
