// The append-only audit trail. Each event carries the hash of the previous one, so an edited,
// inserted or deleted row breaks the chain; while the vault is unlocked each event is also MACed
// with a key derived from the data key, so the chain cannot be rebuilt without the passphrase.
// The newest MACed event is also kept as a MACed head (seq, hash), written in the same
// transaction as the event, so cutting events off the end of the trail is caught too.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
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
  /**
   * The MACed head the rows were checked against: the newest event written while the vault was
   * unlocked. Null for a vault whose trail was last written before heads were kept.
   */
  macHead: { seq: number; macChecked: boolean } | null;
  /**
   * Events after the MACed head, written while the vault was locked (failed unlocks): they carry
   * no MAC, so removing them cannot be detected until the next unlocked event covers them.
   */
  unmacedTail: number;
  firstBroken?: { seq: number; reason: string };
}

const GENESIS = '0'.repeat(64);
const FORBIDDEN_DETAIL_KEYS = /pass(word|phrase)|\bpin\b|^pin$|private.?key|secret|plaintext/i;
/** The unMACed head: the newest event, locked or not. A cheap check and the seq high-water mark. */
const PLAIN_HEAD = 'audit.head';
/** The MACed head: the newest event written while unlocked, with a MAC over (seq, hash). */
const MAC_HEAD = 'audit.macHead';

/** An event as stored: the columns of audit_events. */
export interface AuditRow {
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

interface ChainHead {
  seq: number;
  hash: string;
}

interface MacedHead extends ChainHead {
  mac: string;
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

/**
 * The MAC of an event written since MACed heads are kept. It differs from the older form (a MAC
 * of the bare hash), so a trail that has such events must also have a head: deleting the head
 * setting together with the tail does not pass for an older vault.
 */
export function eventMac(key: Buffer, hash: string): string {
  return createHmac('sha256', key).update(`mazevault/v1|audit-event|${hash}`).digest('hex');
}

/** The MAC events carried before MACed heads were kept; still accepted on those events. */
export function legacyEventMac(key: Buffer, hash: string): string {
  return createHmac('sha256', key).update(hash).digest('hex');
}

export function headMac(key: Buffer, head: ChainHead): string {
  return createHmac('sha256', key)
    .update(`mazevault/v1|audit-head|${head.seq}|${head.hash}`)
    .digest('hex');
}

function sameHex(actualHex: string, expectedHex: string): boolean {
  const actual = Buffer.from(actualHex, 'hex');
  const expected = Buffer.from(expectedHex, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
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

/** Parses a head setting; a value that is not one reads as "damaged" rather than throwing. */
function parseHead(value: string | undefined): (Partial<MacedHead> & ChainHead) | 'damaged' | null {
  if (value === undefined) return null;
  try {
    const head = JSON.parse(value) as Partial<MacedHead>;
    if (
      typeof head.seq === 'number' &&
      Number.isInteger(head.seq) &&
      typeof head.hash === 'string' &&
      (head.mac === undefined || typeof head.mac === 'string')
    ) {
      return head as Partial<MacedHead> & ChainHead;
    }
  } catch {
    // Falls through: a head that is not JSON was written by someone else.
  }
  return 'damaged';
}

/**
 * Whether a stored event was written by the holder of this MAC key: its fields still hash to its
 * hash, and its MAC (current or older form) is over that hash. An event without a MAC never is.
 */
export function eventIsAttested(key: Buffer, row: AuditRow): boolean {
  if (row.mac === null || eventHash(row) !== row.hash) return false;
  return (
    sameHex(row.mac, eventMac(key, row.hash)) || sameHex(row.mac, legacyEventMac(key, row.hash))
  );
}

export class AuditLog {
  /** Prepared once per connection: an import appends one event per certificate. */
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: VaultDatabase,
    private readonly macKey: () => Buffer | undefined,
  ) {}

  private prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Appends one event. Call inside the caller's transaction when the event belongs to a change. */
  append(input: AuditEventInput): AuditEvent {
    const details = input.details ?? {};
    assertNoSecrets(details);
    // IMMEDIATE: the next sequence number is read under the write lock, never by two processes.
    return this.db.transaction(() => this.appendInTransaction(input, details)).immediate();
  }

  private appendInTransaction(
    input: AuditEventInput,
    details: Record<string, unknown>,
  ): AuditEvent {
    const last = this.prepared(
      'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
    ).get() as ChainHead | undefined;
    const plainHead = parseHead(this.setting(PLAIN_HEAD));
    const macHead = parseHead(this.setting(MAC_HEAD));
    // A sequence number is never handed out twice: if rows were cut off the end, the next event
    // leaves a gap that verification reports, instead of quietly taking the removed numbers.
    const highest = Math.max(
      last?.seq ?? 0,
      plainHead && plainHead !== 'damaged' ? plainHead.seq : 0,
      macHead && macHead !== 'damaged' ? macHead.seq : 0,
    );
    const partial = {
      seq: highest + 1,
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
    const mac = key ? eventMac(key, hash) : null;

    this.prepared(
      `INSERT INTO audit_events (seq, time, actor, action, subject, outcome, details, prev_hash, hash, mac)
         VALUES (@seq, @time, @actor, @action, @subject, @outcome, @details, @prev_hash, @hash, @mac)`,
    ).run({ ...partial, hash, mac });
    this.writeSetting(PLAIN_HEAD, JSON.stringify({ seq: partial.seq, hash }));
    if (key && this.mayMoveMacHead(key, macHead)) {
      const head = { seq: partial.seq, hash };
      this.writeSetting(MAC_HEAD, JSON.stringify({ ...head, mac: headMac(key, head) }));
    }

    return toEvent({ ...partial, hash, mac });
  }

  /**
   * Moving the MACed head over evidence of tampering would erase that evidence: a head whose MAC
   * is wrong, or a head removed from a trail that already had one, stays as found so that
   * verification keeps reporting it.
   */
  private mayMoveMacHead(key: Buffer, current: ReturnType<typeof parseHead>): boolean {
    if (current === 'damaged') return false;
    if (current) {
      return current.mac !== undefined && sameHex(current.mac, headMac(key, current));
    }
    const newestMaced = this.prepared(
      'SELECT hash, mac FROM audit_events WHERE mac IS NOT NULL ORDER BY seq DESC LIMIT 1 OFFSET 1',
    ).get() as { hash: string; mac: string } | undefined;
    // The event just inserted is skipped (OFFSET 1); before it, only a trail from before heads
    // were kept, or a new vault, may lack a head.
    return !newestMaced || !sameHex(newestMaced.mac, eventMac(key, newestMaced.hash));
  }

  list(options: { limit?: number; offset?: number; action?: string } = {}): AuditEvent[] {
    const limit = Math.min(options.limit ?? 200, 10_000);
    const offset = options.offset ?? 0;
    const rows = options.action
      ? this.prepared(
          'SELECT * FROM audit_events WHERE action = ? ORDER BY seq DESC LIMIT ? OFFSET ?',
        ).all(options.action, limit, offset)
      : this.prepared('SELECT * FROM audit_events ORDER BY seq DESC LIMIT ? OFFSET ?').all(
          limit,
          offset,
        );
    return (rows as AuditRow[]).map(toEvent);
  }

  /** The newest events about any of these subjects (a key, a certificate), newest first. */
  listBySubjects(subjects: readonly string[], limit = 10_000): AuditEvent[] {
    if (!subjects.length) return [];
    const rows = this.prepared(
      `SELECT * FROM audit_events WHERE subject IN (${subjects.map(() => '?').join(', ')})
         ORDER BY seq DESC LIMIT ?`,
    ).all(...subjects, Math.min(limit, 100_000));
    return (rows as AuditRow[]).map(toEvent);
  }

  /**
   * Whether this stored event was written while this vault was unlocked and is unchanged since;
   * undefined while the vault is locked, when no event can be checked.
   */
  attests(row: AuditRow): boolean | undefined {
    const key = this.macKey();
    return key ? eventIsAttested(key, row) : undefined;
  }

  count(): number {
    return (this.prepared('SELECT COUNT(*) AS n FROM audit_events').get() as { n: number }).n;
  }

  /**
   * Walks the whole chain, then checks that it still reaches the recorded heads, and names the
   * first broken link. Without the vault key (locked) only the hashes and the heads' positions are
   * checked; with it every MAC too.
   */
  verify(): AuditVerification {
    const key = this.macKey();
    const macHeadValue = parseHead(this.setting(MAC_HEAD));
    const macHead = macHeadValue === 'damaged' ? null : macHeadValue;
    let expectedSeq = 1;
    let prevHash = GENESIS;
    let events = 0;
    let macChecked = 0;
    let sawCurrentMac = false;
    let hashAtMacHead: string | undefined;
    let unmacedTail = 0;
    const headSummary = (): AuditVerification['macHead'] =>
      macHead ? { seq: macHead.seq, macChecked: Boolean(key) } : null;
    const broken = (seq: number, reason: string): AuditVerification => ({
      ok: false,
      events,
      macChecked,
      macSkipped: !key,
      macHead: headSummary(),
      unmacedTail,
      firstBroken: { seq, reason },
    });

    if (macHeadValue === 'damaged') {
      return broken(0, 'the recorded head of the trail is unreadable: it was edited');
    }
    if (
      macHead &&
      key &&
      !(macHead.mac !== undefined && sameHex(macHead.mac, headMac(key, macHead)))
    ) {
      return broken(
        macHead.seq,
        'the recorded head of the trail carries a MAC this vault did not write: it was edited',
      );
    }

    const rows = this.prepared(
      'SELECT * FROM audit_events ORDER BY seq',
    ).iterate() as Iterable<AuditRow>;
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        const range =
          row.seq - 1 === expectedSeq
            ? `event ${expectedSeq} is`
            : `events ${expectedSeq} to ${row.seq - 1} are`;
        return broken(
          expectedSeq,
          `${range} missing (the next event found is ${row.seq}): events were removed`,
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
      if (row.mac !== null && macHead && row.seq > macHead.seq) {
        return broken(
          row.seq,
          `event ${row.seq} was written with the vault unlocked after the recorded head ` +
            `(event ${macHead.seq}): the head was moved back`,
        );
      }
      if (key && row.mac !== null) {
        if (sameHex(row.mac, eventMac(key, row.hash))) {
          sawCurrentMac = true;
        } else if (sawCurrentMac || !sameHex(row.mac, legacyEventMac(key, row.hash))) {
          return broken(row.seq, `event ${row.seq} carries a MAC this vault did not write`);
        }
        macChecked += 1;
      }
      if (macHead && row.seq === macHead.seq) hashAtMacHead = row.hash;
      if (macHead && row.seq > macHead.seq) unmacedTail += 1;
      prevHash = row.hash;
      expectedSeq += 1;
      events += 1;
    }

    if (macHead) {
      if (macHead.seq > events) {
        return broken(
          events + 1,
          `the trail ends at event ${events} but event ${macHead.seq} was recorded: events were removed`,
        );
      }
      if (hashAtMacHead !== macHead.hash) {
        return broken(
          macHead.seq,
          `event ${macHead.seq} is not the event recorded as the head of the trail: it was replaced`,
        );
      }
    } else if (sawCurrentMac) {
      return broken(
        events,
        'the recorded head of the trail was removed, so events may have been cut off its end',
      );
    }

    const plainHead = parseHead(this.setting(PLAIN_HEAD));
    if (plainHead && plainHead !== 'damaged') {
      if (plainHead.seq > events) {
        return broken(
          events + 1,
          `the trail ends at event ${events} but event ${plainHead.seq} was recorded: events were removed`,
        );
      }
      if (plainHead.seq === events && plainHead.hash !== prevHash) {
        return broken(events, `event ${events} was replaced after it was written`);
      }
    }
    return { ok: true, events, macChecked, macSkipped: !key, macHead: headSummary(), unmacedTail };
  }

  private setting(name: string): string | undefined {
    const row = this.prepared('SELECT value FROM settings WHERE name = ?').get(name) as
      { value: string } | undefined;
    return row?.value;
  }

  private writeSetting(name: string, value: string): void {
    this.prepared(
      `INSERT INTO settings (name, value) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    ).run(name, value);
  }
}

export function toEvent(row: AuditRow): AuditEvent {
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
