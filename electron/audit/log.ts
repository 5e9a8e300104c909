// The append-only audit trail. Each event carries the hash of the previous one, so an edited,
// inserted or deleted row breaks the chain; while the vault is unlocked each event is also MACed
// with a key derived from the data key, so the chain cannot be rebuilt without the passphrase.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { VaultDatabase } from '../vault/database';
import { MazeVaultError } from '../../shared/errors';

export type AuditOutcome = 'success' | 'failure' | 'refused';

export interface AuditEventInput {
  actor: string;
  action: string;
  subject: string;
  outcome: AuditOutcome;
  details?: Record<string, unknown>;
}

export interface AuditEvent {
  seq: number;
  time: string;
  actor: string;
  action: string;
  subject: string;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
  mac: string | null;
}

export interface AuditVerification {
  ok: boolean;
  events: number;
  /** Events whose MAC was checked (those written while the vault was unlocked). */
  macChecked: number;
  macSkipped: boolean;
  firstBroken?: { seq: number; reason: string };
}

const GENESIS = '0'.repeat(64);
const FORBIDDEN_DETAIL_KEYS = /pass(word|phrase)|\bpin\b|^pin$|private.?key|secret|plaintext/i;

interface AuditRow {
  seq: number;
  time: string;
  actor: string;
  action: string;
  subject: string;
  outcome: AuditOutcome;
  details: string;
  prev_hash: string;
  hash: string;
  mac: string | null;
}

function eventHash(row: Omit<AuditRow, 'hash' | 'mac'>): string {
  const canonical = JSON.stringify([
    row.seq,
    row.time,
    row.actor,
    row.action,
    row.subject,
    row.outcome,
    row.details,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function assertNoSecrets(details: Record<string, unknown>): void {
  for (const key of Object.keys(details)) {
    if (FORBIDDEN_DETAIL_KEYS.test(key)) {
      throw new MazeVaultError(
        'INTERNAL',
        `Refusing to audit a detail named "${key}": it looks like a secret.`,
      );
    }
  }
}

export class AuditLog {
  constructor(
    private readonly db: VaultDatabase,
    private readonly macKey: () => Buffer | undefined,
  ) {}

  /** Appends one event. Call inside the caller's transaction when the event belongs to a change. */
  append(input: AuditEventInput): AuditEvent {
    const details = input.details ?? {};
    assertNoSecrets(details);

    const last = this.db
      .prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1')
      .get() as { seq: number; hash: string } | undefined;
    const partial = {
      seq: (last?.seq ?? 0) + 1,
      time: new Date().toISOString(),
      actor: input.actor,
      action: input.action,
      subject: input.subject,
      outcome: input.outcome,
      details: JSON.stringify(details),
      prev_hash: last?.hash ?? GENESIS,
    };
    const hash = eventHash(partial);
    const key = this.macKey();
    const mac = key ? createHmac('sha256', key).update(hash).digest('hex') : null;

    this.db
      .prepare(
        `INSERT INTO audit_events (seq, time, actor, action, subject, outcome, details, prev_hash, hash, mac)
         VALUES (@seq, @time, @actor, @action, @subject, @outcome, @details, @prev_hash, @hash, @mac)`,
      )
      .run({ ...partial, hash, mac });
    this.db
      .prepare(
        `INSERT INTO settings (name, value) VALUES ('audit.head', @value)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      )
      .run({ value: JSON.stringify({ seq: partial.seq, hash }) });

    return toEvent({ ...partial, hash, mac });
  }

  list(options: { limit?: number; offset?: number; action?: string } = {}): AuditEvent[] {
    const limit = Math.min(options.limit ?? 200, 10_000);
    const offset = options.offset ?? 0;
    const rows = options.action
      ? this.db
          .prepare('SELECT * FROM audit_events WHERE action = ? ORDER BY seq DESC LIMIT ? OFFSET ?')
          .all(options.action, limit, offset)
      : this.db
          .prepare('SELECT * FROM audit_events ORDER BY seq DESC LIMIT ? OFFSET ?')
          .all(limit, offset);
    return (rows as AuditRow[]).map(toEvent);
  }

  /** The newest events about any of these subjects (a key, a certificate), newest first. */
  listBySubjects(subjects: readonly string[], limit = 10_000): AuditEvent[] {
    if (!subjects.length) return [];
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_events WHERE subject IN (${subjects.map(() => '?').join(', ')})
         ORDER BY seq DESC LIMIT ?`,
      )
      .all(...subjects, Math.min(limit, 100_000));
    return (rows as AuditRow[]).map(toEvent);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM audit_events').get() as { n: number }).n;
  }

  /** Walks the whole chain and names the first broken link. */
  verify(): AuditVerification {
    const key = this.macKey();
    let expectedSeq = 1;
    let prevHash = GENESIS;
    let events = 0;
    let macChecked = 0;
    const broken = (seq: number, reason: string): AuditVerification => ({
      ok: false,
      events,
      macChecked,
      macSkipped: !key,
      firstBroken: { seq, reason },
    });

    const rows = this.db
      .prepare('SELECT * FROM audit_events ORDER BY seq')
      .iterate() as Iterable<AuditRow>;
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return broken(
          expectedSeq,
          `event ${expectedSeq} is missing (the next event found is ${row.seq})`,
        );
      }
      if (row.prev_hash !== prevHash) {
        return broken(
          row.seq,
          `event ${row.seq} does not follow event ${row.seq - 1} (previous hash differs)`,
        );
      }
      if (eventHash(row) !== row.hash) {
        return broken(
          row.seq,
          `event ${row.seq} was altered after it was written (its hash does not match)`,
        );
      }
      if (key && row.mac !== null) {
        const expected = createHmac('sha256', key).update(row.hash).digest();
        const actual = Buffer.from(row.mac, 'hex');
        if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
          return broken(row.seq, `event ${row.seq} carries a MAC this vault did not write`);
        }
        macChecked += 1;
      }
      prevHash = row.hash;
      expectedSeq += 1;
      events += 1;
    }

    const head = this.db.prepare("SELECT value FROM settings WHERE name = 'audit.head'").get() as
      { value: string } | undefined;
    if (head) {
      const recorded = JSON.parse(head.value) as { seq: number; hash: string };
      if (recorded.seq > events) {
        return broken(
          events + 1,
          `events ${events + 1} to ${recorded.seq} were deleted from the end of the trail`,
        );
      }
      if (recorded.seq === events && recorded.hash !== prevHash) {
        return broken(events, `event ${events} was replaced after it was written`);
      }
    }
    return { ok: true, events, macChecked, macSkipped: !key };
  }
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    seq: row.seq,
    time: row.time,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    outcome: row.outcome,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
    mac: row.mac,
  };
}
