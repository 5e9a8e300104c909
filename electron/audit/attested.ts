// Rows that decide security (a trust mark, a revocation, a key's state) are plain columns that
// anyone who can write the vault file can edit. The audit trail is not: every event written while
// the vault is unlocked carries a MAC under a key derived from the data key. So what a row claims
// is relied on only when an attested event says the same; these are the look-ups for that.
import { MazeVaultError } from '../../shared/errors';
import type { Vault } from '../vault/vault';
import { toEvent, type AuditEvent, type AuditOutcome, type AuditRow } from './log';

/** The sentence every refusal ends with: what happened and what to do. */
export const ALTERED_FILE = 'the vault file was altered. Restore it from a backup.';

function requireKey(vault: Vault): void {
  if (!vault.isUnlocked) {
    throw new MazeVaultError(
      'VAULT_LOCKED',
      'The vault is locked, so its audit trail cannot be checked; unlock it and try again.',
    );
  }
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/**
 * The newest event about this subject among these actions, with this outcome (a refusal changed
 * nothing, so it attests nothing), that this vault wrote while unlocked
 * and nobody changed since; events without a valid MAC are passed over, never counted.
 * One look-up in the (subject, seq) index of migration 002.
 */
export function newestAttestedEvent(
  vault: Vault,
  subject: string,
  actions: readonly string[],
  outcome: AuditOutcome = 'success',
): AuditEvent | undefined {
  requireKey(vault);
  const rows = vault.db
    .prepare(
      `SELECT * FROM audit_events WHERE subject = ? AND action IN (${placeholders(actions)})
         AND outcome = ? ORDER BY seq DESC`,
    )
    .iterate(subject, ...actions, outcome) as IterableIterator<AuditRow>;
  for (const row of rows) {
    if (vault.audit.attests(row)) {
      rows.return?.();
      return toEvent(row);
    }
  }
  return undefined;
}

/**
 * Every attested successful event with this action that `relevant` keeps, oldest first. One pass over the
 * trail for a whole CA rather than one query per certificate; `relevant` sees the parsed event
 * before its MAC is checked, so events of other CAs cost no MAC.
 */
export function attestedEventsByAction(
  vault: Vault,
  action: string,
  relevant: (event: AuditEvent) => boolean = () => true,
): AuditEvent[] {
  requireKey(vault);
  const rows = vault.db
    .prepare("SELECT * FROM audit_events WHERE action = ? AND outcome = 'success' ORDER BY seq")
    .iterate(action) as IterableIterator<AuditRow>;
  const events: AuditEvent[] = [];
  for (const row of rows) {
    const event = toEvent(row);
    if (relevant(event) && vault.audit.attests(row)) events.push(event);
  }
  return events;
}
