import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedInventory } from '../testing/bulk-seed';
import { tempVault } from '../testing/temp';
import type { Vault } from '../vault/vault';
import {
  CERTIFICATE_LIST_STATUSES,
  CERTIFICATE_SORT_FIELDS,
  certificateListStatement,
  DashboardService,
  dashboardStatements,
  KEY_SORT_FIELDS,
  keyListStatement,
  type CertificateListQuery,
} from './dashboard';

let vault: Vault;
let cleanup: () => void;
let dashboard: DashboardService;
const now = new Date('2026-03-15T12:00:00Z');

beforeAll(async () => {
  const made = await tempVault();
  vault = made.vault;
  cleanup = made.cleanup;
  seedInventory(vault, { keys: 400, certificates: 4000, revokedFraction: 0.1, now });
  dashboard = new DashboardService(vault);
});
afterAll(() => cleanup());

function plan(sql: string, params: Record<string, unknown>): string[] {
  const { limit: _limit, offset: _offset, ...rest } = params;
  const bound = sql.includes('@limit') ? params : rest;
  return (vault.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(bound) as { detail: string }[]).map(
    (row) => row.detail,
  );
}

/** Every table access in the plan goes through an index (no full scan of a table's rows). */
function expectIndexed(lines: string[]): void {
  // "SCAN CONSTANT ROW" is the one-row SELECT that combines scalar subqueries, not a table read.
  const accesses = lines.filter(
    (line) => /^(SCAN|SEARCH) /.test(line) && line !== 'SCAN CONSTANT ROW',
  );
  expect(accesses.length).toBeGreaterThan(0);
  for (const line of accesses) {
    expect(line).toMatch(/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/);
  }
}

interface Row {
  status: string;
  not_after: string;
  subject: string;
}

describe('DashboardService', () => {
  it('answers every dashboard figure from an index', () => {
    for (const [name, statement] of Object.entries(dashboardStatements({ now }))) {
      const lines = plan(statement.sql, statement.params);
      expect(lines, name).not.toHaveLength(0);
      expectIndexed(lines);
    }
  });

  it('pages certificates by status and sort with an index, ordered by the index itself', () => {
    for (const status of [undefined, ...CERTIFICATE_LIST_STATUSES]) {
      for (const sortBy of CERTIFICATE_SORT_FIELDS) {
        const statement = certificateListStatement({ status, sortBy, now });
        const lines = plan(statement.list, statement.params);
        expectIndexed(lines);
        expectIndexed(plan(statement.count, statement.params));
        // The narrow "expiring" and "due" windows are sorted after the range read; the rest never sort.
        if (status !== 'expiring' && status !== 'due') {
          expect(lines.join(' | '), `${status} by ${sortBy}`).not.toMatch(
            /TEMP B-TREE FOR ORDER BY/,
          );
        }
      }
    }
  });

  it('uses an index for the issuer, key, profile and subject filters', () => {
    const filters: CertificateListQuery[] = [
      { issuerCertId: 'cert_x' },
      { keyId: 'key_seed_1' },
      { profile: 'tls-server' },
      { subjectPrefix: 'CN=host0001' },
    ];
    for (const filter of filters) {
      const statement = certificateListStatement({ ...filter, status: 'valid', now });
      expectIndexed(plan(statement.list, statement.params));
      expectIndexed(plan(statement.count, statement.params));
    }
  });

  it('lists the certificates of one month of the expiry timeline, from an index', () => {
    const summary = dashboard.summary({ now });
    const month = summary.expiryTimeline.find((entry) => entry.count > 0)!;
    const query: CertificateListQuery = {
      status: 'valid',
      expiresFrom: `${month.month}-01T00:00:00Z`,
      expiresBefore: new Date(
        Date.UTC(Number(month.month.slice(0, 4)), Number(month.month.slice(5, 7)), 1),
      ).toISOString(),
      pageSize: 1000,
      now,
    };
    const page = dashboard.listCertificates(query);
    expect(page.total).toBe(month.count);
    for (const row of page.rows) expect(row.notAfter.startsWith(month.month)).toBe(true);
    const statement = certificateListStatement(query);
    expectIndexed(plan(statement.list, statement.params));
    expectIndexed(plan(statement.count, statement.params));
    expect(() => dashboard.listCertificates({ expiresFrom: 'next spring' })).toThrow(
      /not a date and time/,
    );
  });

  it('pages keys by state, cryptoperiod and label with an index', () => {
    for (const query of [
      {},
      { state: 'active' as const },
      { pastCryptoperiod: true },
      { labelPrefix: 'seed key 00' },
    ]) {
      for (const sortBy of KEY_SORT_FIELDS) {
        const statement = keyListStatement({ ...query, sortBy, now });
        expectIndexed(plan(statement.list, statement.params));
        expectIndexed(plan(statement.count, statement.params));
      }
    }
  });

  it('counts what a full read of the tables counts', () => {
    const rows = vault.db
      .prepare('SELECT status, not_after, subject FROM certificates')
      .all() as Row[];
    const iso = now.toISOString();
    const soon = new Date(now.getTime() + 30 * 86_400_000).toISOString();
    const summary = dashboard.summary({ now });

    expect(summary.certificatesByStatus).toEqual({
      revoked: rows.filter((r) => r.status === 'revoked').length,
      expired: rows.filter((r) => r.status === 'valid' && r.not_after < iso).length,
      valid: rows.filter((r) => r.status === 'valid' && r.not_after >= iso).length,
      expiringSoon: rows.filter(
        (r) => r.status === 'valid' && r.not_after >= iso && r.not_after < soon,
      ).length,
    });
    expect(summary.expiryTimeline.map((m) => m.month)).toEqual([
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
    for (const { month, count } of summary.expiryTimeline) {
      expect(count).toBe(
        rows.filter(
          (r) => r.status === 'valid' && r.not_after.startsWith(month) && r.not_after >= iso,
        ).length,
      );
    }

    const keys = vault.db
      .prepare('SELECT state, activation_date, created_at, cryptoperiod_days FROM keys')
      .all() as {
      state: string;
      activation_date: string | null;
      created_at: string;
      cryptoperiod_days: number;
    }[];
    for (const [state, count] of Object.entries(summary.keysByState)) {
      expect(count).toBe(keys.filter((k) => k.state === state).length);
    }
    expect(summary.keysPastCryptoperiod).toBe(
      keys.filter(
        (k) =>
          (k.state === 'active' || k.state === 'suspended') &&
          Date.parse(k.activation_date ?? k.created_at) + k.cryptoperiod_days * 86_400_000 <
            now.getTime(),
      ).length,
    );
    const scheduled = vault.db.prepare('SELECT due_at FROM rotation_schedule').all() as {
      due_at: string;
    }[];
    expect(summary.rotationsDue).toBe(scheduled.filter((r) => r.due_at <= iso).length);
    expect(summary.rotationsDue).toBeGreaterThan(0);
  });

  it('returns one sorted page and the filtered total', () => {
    const page = dashboard.listCertificates({
      status: 'valid',
      sortBy: 'subject',
      page: 2,
      pageSize: 25,
      now,
    });
    const all = (
      vault.db.prepare('SELECT subject, status, not_after FROM certificates').all() as Row[]
    )
      .filter((r) => r.status === 'valid' && r.not_after >= now.toISOString())
      .map((r) => r.subject)
      .sort();
    expect(page.total).toBe(all.length);
    expect(page.rows.map((r) => r.subject)).toEqual(all.slice(50, 75));

    const keys = dashboard.listKeys({
      pastCryptoperiod: true,
      sortBy: 'cryptoperiodEnd',
      sortDirection: 'asc',
      now,
      pageSize: 10,
    });
    expect(keys.rows).toHaveLength(10);
    const ends = keys.rows.map((k) => k.cryptoperiodEndsAt);
    expect([...ends].sort()).toEqual(ends);
    for (const key of keys.rows) {
      expect(Date.parse(key.cryptoperiodEndsAt)).toBeLessThan(now.getTime());
    }
  });
});
