// Scheduled rotation: which certificates are due (within a lead time of their rotation interval or
// of expiry) and renewing them. The same service answers the window's "rotate now", the in-app
// schedule and `mazevault rotate --due` from cron.
import { MazeVaultError } from '../../shared/errors';
import { asCertId, type CertId } from '../../shared/ids';
import type { Vault } from '../vault/vault';
import { PROFILE_NAMES } from './profiles';
import { isKeyPolicy, type KeyPolicy, type RenewalService } from './renewal';

export const ROTATION_SCOPES = ['certificate', 'profile', 'vault'] as const;
export type RotationScope = (typeof ROTATION_SCOPES)[number];

export interface RotationPolicy {
  scope: RotationScope;
  /** A certificate id, a profile name, or "*" for the vault default. */
  target: string;
  /** Rotate this many days after notBefore; null rotates on expiry only. */
  intervalDays: number | null;
  /** Days ahead of the interval or of expiry from which the certificate is due. */
  leadDays: number;
  keyPolicy: KeyPolicy;
}

/** What rotation does with a due certificate. CA keys roll over in a ceremony, not from cron. */
export type RotationAction = 'renew' | 'ca-rollover' | 'manual';

export interface DueCertificate {
  certId: CertId;
  subject: string;
  profile: string | null;
  isCa: boolean;
  notBefore: string;
  notAfter: string;
  dueAt: string;
  trigger: 'expiry' | 'interval';
  keyPolicy: KeyPolicy;
  policyScope: RotationScope;
  action: RotationAction;
  /** Why the action is not "renew", for the officer. */
  note?: string;
}

export interface RotationItem extends DueCertificate {
  outcome: 'would-rotate' | 'rotated' | 'skipped' | 'failed';
  successorId?: CertId;
  message?: string;
}

export interface RotationRun {
  dryRun: boolean;
  at: string;
  items: RotationItem[];
  rotated: number;
  skipped: number;
  failed: number;
}

export interface RotateOptions {
  dryRun?: boolean;
  now?: Date;
  /** At most this many certificates in one run; the rest stay due for the next. */
  limit?: number;
  onProgress?: (done: number, total: number, item: RotationItem) => void;
}

interface DueRow {
  id: string;
  subject: string;
  profile: string | null;
  is_ca: number;
  key_id: string | null;
  issuer_cert_id: string | null;
  not_before: string;
  not_after: string;
  due_at: string;
  policy_scope: RotationScope;
  key_policy: string;
  interval_days: number | null;
  lead_days: number;
  predecessor_id: string | null;
}

/**
 * A CA certificate that came from elsewhere (imported, no key here) is not this vault's to rotate:
 * its own CA renews it. It stays on the schedule table but never counts as due.
 */
export const ROTATABLE = `NOT (c.is_ca = 1 AND c.source <> 'issued')`;

/** Which certificates a policy governs, as an SQL condition on rotation_schedule r / certificates c. */
function governedBy(scope: RotationScope): string {
  if (scope === 'certificate') return `r.policy_scope = 'certificate' AND c.id = @target`;
  if (scope === 'profile') return `r.policy_scope = 'profile' AND c.profile = @target`;
  return `r.policy_scope = 'vault'`;
}

const DAY_MS = 86_400_000;

/** The schedule's due time from a certificate's terms, the same formula as the migration's trigger. */
const SCHEDULE_SELECT = `
  SELECT t.cert_id,
    strftime('%Y-%m-%dT%H:%M:%fZ', min(julianday(t.not_after),
      COALESCE(julianday(t.not_before) + t.interval_days, julianday(t.not_after))) - t.lead_days),
    t.policy_scope
  FROM rotation_terms t JOIN certificates c ON c.id = t.cert_id
  WHERE c.status = 'valid' AND NOT EXISTS (SELECT 1 FROM certificates s WHERE s.predecessor_id = c.id)`;

function checkPolicy(policy: RotationPolicy): void {
  if (!ROTATION_SCOPES.includes(policy.scope)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `Unknown rotation scope "${policy.scope}"; use certificate, profile or vault.`,
    );
  }
  if (
    policy.intervalDays !== null &&
    (!Number.isInteger(policy.intervalDays) || policy.intervalDays < 1)
  ) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      'A rotation interval is a whole number of days, at least 1 (or none).',
    );
  }
  if (!Number.isInteger(policy.leadDays) || policy.leadDays < 0 || policy.leadDays > 3650) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      'The lead time is a whole number of days from 0 to 3650.',
    );
  }
  // A successor's interval starts at its own notBefore: with a lead of the whole interval or more it
  // would be due the moment it is issued, and every rotation run would re-key it again.
  if (policy.intervalDays !== null && policy.leadDays >= policy.intervalDays) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `A lead time of ${policy.leadDays} days is not shorter than the ${policy.intervalDays}-day rotation ` +
        'interval, so every certificate would be due again as soon as it is renewed; choose a lead time ' +
        'shorter than the interval.',
    );
  }
  if (!isKeyPolicy(policy.keyPolicy)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `Unknown key policy "${String(policy.keyPolicy)}"; use regenerate or reuse.`,
    );
  }
}

export class RotationService {
  constructor(
    private readonly vault: Vault,
    private readonly renewal: RenewalService,
  ) {}

  policies(): RotationPolicy[] {
    const rows = this.vault.db
      .prepare(
        'SELECT scope, target, interval_days, lead_days, key_policy FROM rotation_policies ORDER BY scope, target',
      )
      .all() as {
      scope: RotationScope;
      target: string;
      interval_days: number | null;
      lead_days: number;
      key_policy: KeyPolicy;
    }[];
    return rows.map((row) => ({
      scope: row.scope,
      target: row.target,
      intervalDays: row.interval_days,
      leadDays: row.lead_days,
      keyPolicy: row.key_policy,
    }));
  }

  /** The policy in force for one certificate: its own, its profile's, or the vault default. */
  policyFor(certId: string): RotationPolicy {
    const row = this.vault.db
      .prepare(
        'SELECT interval_days, lead_days, key_policy, policy_scope FROM rotation_terms WHERE cert_id = ?',
      )
      .get(certId) as
      | {
          interval_days: number | null;
          lead_days: number;
          key_policy: KeyPolicy;
          policy_scope: RotationScope;
        }
      | undefined;
    if (!row) {
      throw new MazeVaultError('NOT_FOUND', `No certificate with id ${certId} in this vault.`);
    }
    return {
      scope: row.policy_scope,
      target: row.policy_scope === 'vault' ? '*' : row.policy_scope === 'certificate' ? certId : '',
      intervalDays: row.interval_days,
      leadDays: row.lead_days,
      keyPolicy: row.key_policy,
    };
  }

  /** Sets a policy and re-plans the certificates it governs, in one audited transaction. */
  setPolicy(policy: RotationPolicy): RotationPolicy {
    const target = policy.scope === 'vault' ? '*' : policy.target.trim();
    checkPolicy(policy);
    if (!target) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'Name the certificate id or profile the rotation policy is for.',
      );
    }
    this.vault.transaction(() => {
      if (
        policy.scope === 'certificate' &&
        !this.vault.db.prepare('SELECT 1 FROM certificates WHERE id = ?').get(target)
      ) {
        throw new MazeVaultError('NOT_FOUND', `No certificate with id ${target} in this vault.`);
      }
      if (policy.scope === 'profile') this.requireProfile(target);
      this.vault.db
        .prepare(
          `INSERT INTO rotation_policies (scope, target, interval_days, lead_days, key_policy, updated_at)
           VALUES (@scope, @target, @interval, @lead, @keyPolicy, @now)
           ON CONFLICT (scope, target) DO UPDATE SET interval_days = @interval, lead_days = @lead,
             key_policy = @keyPolicy, updated_at = @now`,
        )
        .run({
          scope: policy.scope,
          target,
          interval: policy.intervalDays,
          lead: policy.leadDays,
          keyPolicy: policy.keyPolicy,
          now: new Date().toISOString(),
        });
      this.replan(policy.scope, target);
      this.vault.record({
        action: 'rotation.policy',
        subject: `${policy.scope}:${target}`,
        outcome: 'success',
        details: {
          intervalDays: policy.intervalDays,
          leadDays: policy.leadDays,
          keyPolicy: policy.keyPolicy,
        },
      });
    });
    return { ...policy, target };
  }

  /** Removes a certificate or profile policy; the next broader one applies again. */
  removePolicy(scope: Exclude<RotationScope, 'vault'>, target: string): void {
    this.vault.transaction(() => {
      this.vault.db
        .prepare('DELETE FROM rotation_policies WHERE scope = ? AND target = ?')
        .run(scope, target);
      this.replan(scope, target);
      this.vault.record({
        action: 'rotation.policy-remove',
        subject: `${scope}:${target}`,
        outcome: 'success',
      });
    });
  }

  /** Certificates due at `now`, soonest first; paged for the window's list. */
  due(options: { now?: Date; limit?: number; offset?: number } = {}): DueCertificate[] {
    const now = (options.now ?? new Date()).toISOString();
    const rows = this.vault.db
      .prepare(
        `SELECT c.id, c.subject, c.profile, c.is_ca, c.key_id, c.issuer_cert_id, c.not_before, c.not_after,
           c.predecessor_id, r.due_at, r.policy_scope, t.key_policy, t.interval_days, t.lead_days
         FROM rotation_schedule r
         JOIN certificates c ON c.id = r.cert_id
         JOIN rotation_terms t ON t.cert_id = r.cert_id
         WHERE r.due_at <= @now AND ${ROTATABLE}
         ORDER BY r.due_at, r.cert_id LIMIT @limit OFFSET @offset`,
      )
      .all({
        now,
        limit: Math.min(options.limit ?? 500, 10_000),
        offset: options.offset ?? 0,
      }) as DueRow[];
    return rows.map((row) => this.toDue(row));
  }

  /** When a certificate falls due for rotation; undefined when it is not on the schedule. */
  dueAt(certId: string): string | undefined {
    const row = this.vault.db
      .prepare('SELECT due_at FROM rotation_schedule WHERE cert_id = ?')
      .get(certId) as { due_at: string } | undefined;
    return row?.due_at;
  }

  /** How many certificates are due at `now`; with a policy, only those that policy governs. */
  dueCount(now: Date = new Date(), policy?: Pick<RotationPolicy, 'scope' | 'target'>): number {
    if (!policy) {
      return (
        this.vault.db
          .prepare(
            `SELECT COUNT(*) AS n FROM rotation_schedule r JOIN certificates c ON c.id = r.cert_id
             WHERE r.due_at <= ? AND ${ROTATABLE}`,
          )
          .get(now.toISOString()) as { n: number }
      ).n;
    }
    return (
      this.vault.db
        .prepare(
          `SELECT COUNT(*) AS n FROM rotation_schedule r JOIN certificates c ON c.id = r.cert_id
           WHERE r.due_at <= @now AND ${ROTATABLE} AND ${governedBy(policy.scope)}`,
        )
        .get({ now: now.toISOString(), target: policy.target }) as { n: number }
    ).n;
  }

  /**
   * How many certificates a policy governs that fall due within a day of their own notBefore: the
   * lead time is not shorter than their validity, so each successor would be due at once as well.
   */
  dueAtOnceCount(policy: Pick<RotationPolicy, 'scope' | 'target'>): number {
    return (
      this.vault.db
        .prepare(
          `SELECT COUNT(*) AS n FROM rotation_schedule r JOIN certificates c ON c.id = r.cert_id
           WHERE julianday(r.due_at) - julianday(c.not_before) < 1 AND ${governedBy(policy.scope)}`,
        )
        .get({ target: policy.target }) as { n: number }
    ).n;
  }

  /** Renews every due certificate that can be renewed unattended; a dry run changes nothing. */
  async rotate(options: RotateOptions = {}): Promise<RotationRun> {
    const now = options.now ?? new Date();
    const due = this.due({ now, limit: options.limit ?? 10_000 });
    const run: RotationRun = {
      dryRun: options.dryRun === true,
      at: now.toISOString(),
      items: [],
      rotated: 0,
      skipped: 0,
      failed: 0,
    };

    for (const [index, certificate] of due.entries()) {
      let item: RotationItem;
      if (certificate.action !== 'renew') {
        item = { ...certificate, outcome: 'skipped', message: certificate.note };
        run.skipped += 1;
      } else if (run.dryRun) {
        item = { ...certificate, outcome: 'would-rotate' };
      } else {
        try {
          const renewed = await this.renewal.renew(certificate.certId, {
            keyPolicy: certificate.keyPolicy,
            requestedBy: 'rotation',
          });
          item = { ...certificate, outcome: 'rotated', successorId: renewed.certificate.id };
          const messages = [...renewed.warnings];
          const successorDue = this.dueAt(renewed.certificate.id);
          if (
            successorDue &&
            Date.parse(successorDue) - Date.parse(renewed.certificate.notBefore) < DAY_MS
          ) {
            messages.push(
              `Its successor is already due: the ${this.policyFor(certificate.certId).leadDays}-day lead time is not shorter ` +
                'than its validity, so rotation leaves it to you; shorten the lead time.',
            );
          }
          if (messages.length) item.message = messages.join(' ');
          run.rotated += 1;
        } catch (error) {
          const message =
            error instanceof MazeVaultError
              ? error.message
              : 'An internal error stopped this renewal.';
          item = { ...certificate, outcome: 'failed', message };
          run.failed += 1;
        }
      }
      run.items.push(item);
      options.onProgress?.(index + 1, due.length, item);
    }

    if (!run.dryRun) {
      this.vault.record({
        action: 'rotation.run',
        subject: this.vault.path,
        outcome: run.failed ? 'failure' : 'success',
        details: {
          due: due.length,
          rotated: run.rotated,
          skipped: run.skipped,
          failed: run.failed,
        },
      });
    }
    return run;
  }

  /**
   * Runs `rotate` every `everyMs` while the app is open. Runs never overlap; a locked vault skips a
   * turn. Returns a function that stops the schedule.
   */
  schedule(
    everyMs: number,
    onRun: (run: RotationRun) => void,
    onError?: (error: unknown) => void,
    /** True skips a turn, e.g. while an import holds the vault's write transaction. */
    skip?: () => boolean,
  ): () => void {
    if (!Number.isFinite(everyMs) || everyMs < 60_000) {
      throw new MazeVaultError('INVALID_INPUT', 'Scheduled rotation runs at most once a minute.');
    }
    let running = false;
    const timer = setInterval(() => {
      if (running || !this.vault.isUnlocked || skip?.()) return;
      running = true;
      this.rotate()
        .then(onRun, (error: unknown) => onError?.(error))
        .finally(() => {
          running = false;
        });
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private toDue(row: DueRow): DueCertificate {
    const keyPolicy: KeyPolicy = isKeyPolicy(row.key_policy) ? row.key_policy : 'regenerate';
    const intervalEnd =
      row.interval_days === null
        ? Number.POSITIVE_INFINITY
        : Date.parse(row.not_before) + row.interval_days * DAY_MS;
    const due: DueCertificate = {
      certId: asCertId(row.id),
      subject: row.subject,
      profile: row.profile,
      isCa: row.is_ca === 1,
      notBefore: row.not_before,
      notAfter: row.not_after,
      dueAt: row.due_at,
      trigger: intervalEnd < Date.parse(row.not_after) ? 'interval' : 'expiry',
      keyPolicy,
      policyScope: row.policy_scope,
      action: 'renew',
    };
    if (row.is_ca === 1) {
      due.action = 'ca-rollover';
      due.note =
        'A CA key is rolled over in a ceremony: run a CA rollover (mazevault ca rollover) for it.';
    } else if (!row.profile || row.profile === 'cross-ca' || !row.issuer_cert_id) {
      due.action = 'manual';
      due.note = 'It was not issued here by a CA in this vault; renew it with its own CA.';
    } else if (!row.key_id) {
      due.action = 'manual';
      due.note = 'Its key is held elsewhere (it came from a CSR); ask the holder for a new CSR.';
    } else if (
      row.predecessor_id &&
      Date.parse(row.due_at) - Date.parse(row.not_before) < DAY_MS &&
      this.issuedByRotation(row.id)
    ) {
      // A rotation successor that was due the day it was issued: renewing it again gives one that
      // is due at once too, so an unattended run would re-key and re-issue it on every turn.
      due.action = 'manual';
      due.note =
        `It was due as soon as it was issued: the ${row.lead_days}-day lead time is not shorter than ` +
        'its validity (or rotation interval), so each successor would be due at once again. ' +
        'Shorten the lead time (mazevault rotation-policy --lead-days), then it rotates on its own.';
    }
    return due;
  }

  /** Whether a rotation run (not an officer's renewal) issued this certificate. */
  private issuedByRotation(certId: string): boolean {
    return Boolean(
      this.vault.db
        .prepare(
          `SELECT 1 FROM audit_events WHERE subject = ? AND action = 'cert.renew'
             AND json_extract(details, '$.requestedBy') = 'rotation' LIMIT 1`,
        )
        .get(certId),
    );
  }

  /** A profile policy names a profile certificates are issued with, or it would govern nothing. */
  private requireProfile(name: string): void {
    const inVault = (
      this.vault.db
        .prepare('SELECT DISTINCT profile FROM certificates WHERE profile IS NOT NULL')
        .all() as { profile: string }[]
    ).map((row) => row.profile);
    const known = [...new Set<string>([...PROFILE_NAMES, ...inVault])];
    if (!known.includes(name)) {
      throw new MazeVaultError(
        'NOT_FOUND',
        `There is no profile "${name}"; a profile policy is for one of: ${known.join(', ')}.`,
      );
    }
  }

  /** Recomputes the schedule rows of the certificates a policy governs. */
  private replan(scope: RotationScope, target: string): void {
    const filter =
      scope === 'certificate'
        ? ' AND c.id = @target'
        : scope === 'profile'
          ? ' AND c.profile = @target'
          : '';
    const statement = this.vault.db.prepare(
      `INSERT OR REPLACE INTO rotation_schedule (cert_id, due_at, policy_scope) ${SCHEDULE_SELECT}${filter}`,
    );
    if (scope === 'vault') statement.run();
    else statement.run({ target });
  }
}
