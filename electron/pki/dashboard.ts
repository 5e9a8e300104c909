// The lifecycle dashboard and its lists: counts, an expiry timeline, what is due, and paged,
// filtered, sorted lists, each answered by an indexed SQL query in the main process so the window
// never receives more than one page, whether the vault holds a hundred certificates or 100,000.
import { KEY_STATES, type KeyState } from '../../shared/lifecycle';
import { MazeVaultError } from '../../shared/errors';
import { asCertId, asCrlId, asKeyId, type CertId, type CrlId, type KeyId } from '../../shared/ids';
import type { Vault } from '../vault/vault';
import { ROTATABLE } from './rotation';

export interface DashboardOptions {
  now?: Date;
  /** "Expiring soon" means within this many days; 30 by default. */
  expiringWithinDays?: number;
  /** CRLs whose nextUpdate is this close (or past) are listed; 24 hours by default. */
  crlWarningHours?: number;
}

export interface CertificateCounts {
  /** Not revoked and not expired. */
  valid: number;
  expired: number;
  revoked: number;
  /** Valid and expiring within the window (a subset of `valid`). */
  expiringSoon: number;
}

export interface CrlAttention {
  crlId: CrlId;
  issuerCertId: CertId;
  issuerSubject: string;
  crlNumber: number;
  delta: boolean;
  nextUpdate: string;
  overdue: boolean;
}

export interface DashboardSummary {
  at: string;
  keysByState: Record<KeyState, number>;
  certificatesByStatus: CertificateCounts;
  /** Valid certificates by the month (UTC, "YYYY-MM") they will expire: the rest of this month and the next 11. */
  expiryTimeline: { month: string; count: number }[];
  rotationsDue: number;
  crlsNearNextUpdate: CrlAttention[];
  keysPastCryptoperiod: number;
}

export const CERTIFICATE_LIST_STATUSES = [
  'valid',
  'expired',
  'revoked',
  'expiring',
  'due',
] as const;
export type CertificateListStatus = (typeof CERTIFICATE_LIST_STATUSES)[number];
export const CERTIFICATE_SORT_FIELDS = ['notAfter', 'notBefore', 'subject', 'createdAt'] as const;
export type CertificateSortField = (typeof CERTIFICATE_SORT_FIELDS)[number];
export type SortDirection = 'asc' | 'desc';

export interface CertificateListQuery {
  status?: CertificateListStatus;
  issuerCertId?: string;
  keyId?: string;
  profile?: string;
  isCa?: boolean;
  /** Subject starts with this ("CN=web"); answered from the subject index. */
  subjectPrefix?: string;
  /** notAfter at or after this time (ISO 8601), e.g. the start of a month in the expiry timeline. */
  expiresFrom?: string;
  /** notAfter before this time (ISO 8601). */
  expiresBefore?: string;
  sortBy?: CertificateSortField;
  sortDirection?: SortDirection;
  /** Zero-based. */
  page?: number;
  pageSize?: number;
  now?: Date;
  expiringWithinDays?: number;
}

export interface CertificateListRow {
  id: CertId;
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  status: 'valid' | 'revoked';
  revocationReason: string | null;
  revokedAt: string | null;
  profile: string | null;
  isCa: boolean;
  keyId: KeyId | null;
  issuerCertId: CertId | null;
}

export const KEY_SORT_FIELDS = ['createdAt', 'label', 'cryptoperiodEnd'] as const;
export type KeySortField = (typeof KEY_SORT_FIELDS)[number];

export interface KeyListQuery {
  state?: KeyState;
  purpose?: string;
  provider?: string;
  /** Only Active or Suspended keys whose cryptoperiod has ended. */
  pastCryptoperiod?: boolean;
  labelPrefix?: string;
  sortBy?: KeySortField;
  sortDirection?: SortDirection;
  page?: number;
  pageSize?: number;
  now?: Date;
}

export interface KeyListRow {
  id: KeyId;
  label: string;
  algorithm: string;
  purpose: string;
  provider: string;
  state: KeyState;
  createdAt: string;
  activationDate: string | null;
  cryptoperiodDays: number;
  cryptoperiodEndsAt: string;
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ListStatement {
  list: string;
  count: string;
  params: Record<string, unknown>;
}

const DAY_MS = 86_400_000;
const MAX_PAGE_SIZE = 1000;

/** The cryptoperiod end as the keys_cryptoperiod_end index stores it (a Julian day number). */
const CRYPTOPERIOD_END = 'julianday(COALESCE(activation_date, created_at)) + cryptoperiod_days';
/** Keys that still apply protection; a Deactivated key past its period is as it should be. */
const IN_USE_STATES = "state IN ('active', 'suspended')";

function pageOf(query: { page?: number; pageSize?: number }): { page: number; pageSize: number } {
  const page = query.page ?? 0;
  const pageSize = query.pageSize ?? 100;
  if (!Number.isInteger(page) || page < 0) {
    throw new MazeVaultError('INVALID_INPUT', 'The page number is a whole number from 0.');
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new MazeVaultError('INVALID_INPUT', `A page holds from 1 to ${MAX_PAGE_SIZE} rows.`);
  }
  return { page, pageSize };
}

function isoBound(value: string, name: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `${name} "${value}" is not a date and time; use ISO 8601 (2026-04-01T00:00:00Z).`,
    );
  }
  // Stored times are ISO 8601 in UTC, so the bound must be too for the text comparison to hold.
  return new Date(time).toISOString();
}

function prefixRange(prefix: string): { from: string; to: string } {
  // Every string with the prefix sorts at or after it and before it followed by U+FFFF.
  return { from: prefix, to: `${prefix}\uffff` };
}

/** The SQL of a certificate list page and its count; exported so tests can check the plan. */
export function certificateListStatement(query: CertificateListQuery): ListStatement {
  const now = (query.now ?? new Date()).toISOString();
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const sortBy = query.sortBy ?? 'notAfter';
  // SQLite's unary + keeps a term out of index selection. With a sort other than notAfter the
  // (status, sort column) index answers in order, and notAfter is checked row by row; with a key
  // filter the key index wins, since a key has only a few certificates.
  const status = query.keyId ? '+c.status' : 'c.status';
  const notAfter = query.keyId || sortBy !== 'notAfter' ? '+c.not_after' : 'c.not_after';
  let join = '';
  switch (query.status) {
    case undefined:
      break;
    case 'revoked':
      where.push(`${status} = 'revoked'`);
      break;
    case 'valid':
      where.push(`${status} = 'valid'`, `${notAfter} >= @now`);
      params.now = now;
      break;
    case 'expired':
      where.push(`${status} = 'valid'`, `${notAfter} < @now`);
      params.now = now;
      break;
    case 'expiring': {
      const days = query.expiringWithinDays ?? 30;
      // A narrow window: the notAfter range is the best index even when sorting by another column.
      where.push(`${status} = 'valid'`, 'c.not_after >= @now', 'c.not_after < @until');
      params.now = now;
      params.until = new Date(Date.parse(now) + days * DAY_MS).toISOString();
      break;
    }
    case 'due':
      join = 'JOIN rotation_schedule r ON r.cert_id = c.id';
      where.push('r.due_at <= @now', ROTATABLE);
      params.now = now;
      break;
    default:
      throw new MazeVaultError('INVALID_INPUT', `Unknown status filter "${String(query.status)}".`);
  }
  if (query.issuerCertId) {
    where.push('c.issuer_cert_id = @issuerCertId');
    params.issuerCertId = query.issuerCertId;
  }
  if (query.keyId) {
    where.push('c.key_id = @keyId');
    params.keyId = query.keyId;
  }
  if (query.profile) {
    where.push('c.profile = @profile');
    params.profile = query.profile;
  }
  if (query.isCa !== undefined) {
    where.push('c.is_ca = @isCa');
    params.isCa = query.isCa ? 1 : 0;
  }
  if (query.expiresFrom !== undefined) {
    where.push('c.not_after >= @expiresFrom');
    params.expiresFrom = isoBound(query.expiresFrom, 'expiresFrom');
  }
  if (query.expiresBefore !== undefined) {
    where.push('c.not_after < @expiresBefore');
    params.expiresBefore = isoBound(query.expiresBefore, 'expiresBefore');
  }
  if (query.subjectPrefix) {
    const range = prefixRange(query.subjectPrefix);
    where.push('c.subject >= @subjectFrom', 'c.subject < @subjectTo');
    params.subjectFrom = range.from;
    params.subjectTo = range.to;
  }

  const column = {
    notAfter: 'c.not_after',
    notBefore: 'c.not_before',
    subject: 'c.subject',
    createdAt: 'c.created_at',
  }[sortBy];
  if (!column) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `Certificates cannot be sorted by "${String(sortBy)}".`,
    );
  }
  const direction = query.sortDirection === 'desc' ? 'DESC' : 'ASC';
  const { page, pageSize } = pageOf(query);
  params.limit = pageSize;
  params.offset = page * pageSize;

  const from = `FROM certificates c ${join} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  return {
    list: `SELECT c.id, c.subject, c.issuer, c.serial, c.not_before, c.not_after, c.status, c.revocation_reason,
             c.revoked_at, c.profile, c.is_ca, c.key_id, c.issuer_cert_id
           ${from} ORDER BY ${column} ${direction}, c.rowid ${direction} LIMIT @limit OFFSET @offset`,
    count: `SELECT COUNT(*) AS n ${from}`,
    params,
  };
}

/** The SQL of a key list page and its count; exported so tests can check the plan. */
export function keyListStatement(query: KeyListQuery): ListStatement {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.pastCryptoperiod) {
    where.push(IN_USE_STATES, `${CRYPTOPERIOD_END} < julianday(@now)`);
    params.now = (query.now ?? new Date()).toISOString();
  }
  if (query.state) {
    if (!KEY_STATES.includes(query.state)) {
      throw new MazeVaultError('INVALID_INPUT', `Unknown key state "${query.state}".`);
    }
    where.push('state = @state');
    params.state = query.state;
  }
  if (query.purpose) {
    where.push('purpose = @purpose');
    params.purpose = query.purpose;
  }
  if (query.provider) {
    where.push('provider = @provider');
    params.provider = query.provider;
  }
  if (query.labelPrefix) {
    const range = prefixRange(query.labelPrefix);
    where.push('label >= @labelFrom', 'label < @labelTo');
    params.labelFrom = range.from;
    params.labelTo = range.to;
  }
  const sortBy = query.sortBy ?? 'createdAt';
  const column = { createdAt: 'created_at', label: 'label', cryptoperiodEnd: CRYPTOPERIOD_END }[
    sortBy
  ];
  if (!column) {
    throw new MazeVaultError('INVALID_INPUT', `Keys cannot be sorted by "${String(sortBy)}".`);
  }
  const direction = query.sortDirection === 'asc' ? 'ASC' : 'DESC';
  const { page, pageSize } = pageOf(query);
  params.limit = pageSize;
  params.offset = page * pageSize;
  const from = `FROM keys ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  return {
    list: `SELECT id, label, algorithm, purpose, provider, state, created_at, activation_date, cryptoperiod_days
           ${from} ORDER BY ${column} ${direction}, rowid ${direction} LIMIT @limit OFFSET @offset`,
    count: `SELECT COUNT(*) AS n ${from}`,
    params,
  };
}

/** The dashboard's own queries, by name, so a test can check each one's plan. */
export function dashboardStatements(
  options: DashboardOptions = {},
): Record<string, { sql: string; params: Record<string, unknown> }> {
  const now = options.now ?? new Date();
  const timelineEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 12, 1));
  const iso = now.toISOString();
  return {
    keysByState: { sql: 'SELECT state, COUNT(*) AS n FROM keys GROUP BY state', params: {} },
    certificatesByStatus: {
      sql: `SELECT status, SUM(not_after < @now) AS expired, SUM(not_after >= @now AND not_after < @soon) AS soon,
              COUNT(*) AS n FROM certificates GROUP BY status`,
      params: {
        now: iso,
        soon: new Date(now.getTime() + (options.expiringWithinDays ?? 30) * DAY_MS).toISOString(),
      },
    },
    expiryTimeline: {
      sql: `SELECT substr(not_after, 1, 7) AS month, COUNT(*) AS n FROM certificates
            WHERE status = 'valid' AND not_after >= @from AND not_after < @to GROUP BY month`,
      params: { from: iso, to: timelineEnd.toISOString() },
    },
    rotationsDue: {
      // All due rows (the due_at index) less the few imported CA certificates among them (the
      // is_ca index), rather than a join over every due row.
      sql: `SELECT (SELECT COUNT(*) FROM rotation_schedule WHERE due_at <= @now)
              - (SELECT COUNT(*) FROM certificates c JOIN rotation_schedule r ON r.cert_id = c.id
                  WHERE c.is_ca = 1 AND NOT ${ROTATABLE} AND r.due_at <= @now) AS n`,
      params: { now: iso },
    },
    crlsNearNextUpdate: {
      sql: `SELECT l.id, l.issuer_cert_id, c.subject, l.crl_number, l.base_crl_number, l.next_update
            FROM issued_crls l JOIN certificates c ON c.id = l.issuer_cert_id
            WHERE l.next_update <= @horizon
              AND NOT EXISTS (SELECT 1 FROM issued_crls n WHERE n.issuer_cert_id = l.issuer_cert_id
                AND n.crl_number > l.crl_number AND (n.base_crl_number IS NULL) = (l.base_crl_number IS NULL))
            ORDER BY l.next_update LIMIT 100`,
      params: {
        horizon: new Date(
          now.getTime() + (options.crlWarningHours ?? 24) * 3_600_000,
        ).toISOString(),
      },
    },
    keysPastCryptoperiod: {
      sql: `SELECT COUNT(*) AS n FROM keys WHERE ${IN_USE_STATES} AND ${CRYPTOPERIOD_END} < julianday(@now)`,
      params: { now: iso },
    },
  };
}

interface CertificateListDbRow {
  id: string;
  subject: string;
  issuer: string;
  serial: string;
  not_before: string;
  not_after: string;
  status: 'valid' | 'revoked';
  revocation_reason: string | null;
  revoked_at: string | null;
  profile: string | null;
  is_ca: number;
  key_id: string | null;
  issuer_cert_id: string | null;
}

interface KeyListDbRow {
  id: string;
  label: string;
  algorithm: string;
  purpose: string;
  provider: string;
  state: KeyState;
  created_at: string;
  activation_date: string | null;
  cryptoperiod_days: number;
}

export class DashboardService {
  constructor(private readonly vault: Vault) {}

  summary(options: DashboardOptions = {}): DashboardSummary {
    const now = options.now ?? new Date();
    const statements = dashboardStatements({ ...options, now });
    const db = this.vault.db;
    const run = (name: string) => db.prepare(statements[name]!.sql).all(statements[name]!.params);

    const keysByState = Object.fromEntries(KEY_STATES.map((state) => [state, 0])) as Record<
      KeyState,
      number
    >;
    for (const row of run('keysByState') as { state: KeyState; n: number }[]) {
      keysByState[row.state] = row.n;
    }

    const certificatesByStatus: CertificateCounts = {
      valid: 0,
      expired: 0,
      revoked: 0,
      expiringSoon: 0,
    };
    for (const row of run('certificatesByStatus') as {
      status: string;
      expired: number;
      soon: number;
      n: number;
    }[]) {
      if (row.status === 'revoked') certificatesByStatus.revoked = row.n;
      else {
        certificatesByStatus.expired = row.expired;
        certificatesByStatus.valid = row.n - row.expired;
        certificatesByStatus.expiringSoon = row.soon;
      }
    }

    const byMonth = new Map(
      (run('expiryTimeline') as { month: string; n: number }[]).map((row) => [row.month, row.n]),
    );
    const expiryTimeline = Array.from({ length: 12 }, (_, offset) => {
      const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1))
        .toISOString()
        .slice(0, 7);
      return { month, count: byMonth.get(month) ?? 0 };
    });

    const crlsNearNextUpdate = (
      run('crlsNearNextUpdate') as {
        id: string;
        issuer_cert_id: string;
        subject: string;
        crl_number: number;
        base_crl_number: number | null;
        next_update: string;
      }[]
    ).map((row) => ({
      crlId: asCrlId(row.id),
      issuerCertId: asCertId(row.issuer_cert_id),
      issuerSubject: row.subject,
      crlNumber: row.crl_number,
      delta: row.base_crl_number !== null,
      nextUpdate: row.next_update,
      overdue: Date.parse(row.next_update) <= now.getTime(),
    }));

    return {
      at: now.toISOString(),
      keysByState,
      certificatesByStatus,
      expiryTimeline,
      rotationsDue: (run('rotationsDue')[0] as { n: number }).n,
      crlsNearNextUpdate,
      keysPastCryptoperiod: (run('keysPastCryptoperiod')[0] as { n: number }).n,
    };
  }

  listCertificates(query: CertificateListQuery = {}): Page<CertificateListRow> {
    const statement = certificateListStatement(query);
    const rows = this.vault.db
      .prepare(statement.list)
      .all(statement.params) as CertificateListDbRow[];
    const { limit: _limit, offset: _offset, ...countParams } = statement.params;
    const total = (this.vault.db.prepare(statement.count).get(countParams) as { n: number }).n;
    return {
      rows: rows.map((row) => ({
        id: asCertId(row.id),
        subject: row.subject,
        issuer: row.issuer,
        serial: row.serial,
        notBefore: row.not_before,
        notAfter: row.not_after,
        status: row.status,
        revocationReason: row.revocation_reason,
        revokedAt: row.revoked_at,
        profile: row.profile,
        isCa: row.is_ca === 1,
        keyId: row.key_id === null ? null : asKeyId(row.key_id),
        issuerCertId: row.issuer_cert_id === null ? null : asCertId(row.issuer_cert_id),
      })),
      total,
      ...pageOf(query),
    };
  }

  listKeys(query: KeyListQuery = {}): Page<KeyListRow> {
    const statement = keyListStatement(query);
    const rows = this.vault.db.prepare(statement.list).all(statement.params) as KeyListDbRow[];
    const { limit: _limit, offset: _offset, ...countParams } = statement.params;
    const total = (this.vault.db.prepare(statement.count).get(countParams) as { n: number }).n;
    return {
      rows: rows.map((row) => ({
        id: asKeyId(row.id),
        label: row.label,
        algorithm: row.algorithm,
        purpose: row.purpose,
        provider: row.provider,
        state: row.state,
        createdAt: row.created_at,
        activationDate: row.activation_date,
        cryptoperiodDays: row.cryptoperiod_days,
        cryptoperiodEndsAt: new Date(
          Date.parse(row.activation_date ?? row.created_at) + row.cryptoperiod_days * DAY_MS,
        ).toISOString(),
      })),
      total,
      ...pageOf(query),
    };
  }
}
