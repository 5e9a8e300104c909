import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMazevault } from '../../testing/cli';

let dir: string;
let vault: string;
const ids: Record<'root' | 'revoked' | 'valid' | 'expired', string> = {
  root: '',
  revoked: '',
  valid: '',
  expired: '',
};

function mazevault(args: string[]) {
  return runMazevault(args, { MAZEVAULT_ACTOR: 'cert-test' });
}

function issued(args: string[]): string {
  const run = mazevault(['--json', ...args]);
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as { id: string }).id;
}

function leaf(cn: string): string {
  return issued([
    'cert',
    'issue',
    '--vault',
    vault,
    '--issuer',
    ids.root,
    '--subject',
    `CN=${cn}`,
    '--san',
    `DNS:${cn}`,
    '--algorithm',
    'ec-p256',
    '--days',
    '90',
  ]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mazevault-cert-cli-'));
  vault = join(dir, 'v.mzv');
  expect(mazevault(['vault', 'init', '--vault', vault]).status).toBe(0);
  ids.root = issued([
    'ca',
    'root',
    '--vault',
    vault,
    '--subject',
    'CN=Status Root',
    '--algorithm',
    'ec-p256',
    '--years',
    '10',
  ]);
  ids.revoked = leaf('revoked.example');
  ids.valid = leaf('valid.example');
  ids.expired = leaf('expired.example');
  const revoke = mazevault([
    'cert',
    'revoke',
    ids.revoked,
    '--vault',
    vault,
    '--reason',
    'key-compromise',
  ]);
  expect(revoke.status).toBe(0);
  // An expired certificate cannot be issued today; age one in the inventory instead.
  const db = new Database(vault);
  db.prepare("UPDATE certificates SET not_after = '2020-01-01T00:00:00.000Z' WHERE id = ?").run(
    ids.expired,
  );
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function listed(extra: string[] = []): string[] {
  const run = mazevault(['cert', 'list', '--vault', vault, ...extra]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.trimEnd().split('\n');
}

describe('certificate status in cert list and cert show (newcomer finding #12)', () => {
  it('shows a STATUS column with the revocation reason', () => {
    const lines = listed();
    expect(lines[0]).toMatch(/^ID\s+PROFILE\s+NOT AFTER\s+STATUS\s+SUBJECT$/);
    const line = (id: string) => lines.find((l) => l.startsWith(id)) ?? '';
    expect(line(ids.revoked)).toMatch(/revoked \(key-compromise\)\s+CN=revoked\.example$/);
    expect(line(ids.valid)).toMatch(/\svalid\s+CN=valid\.example$/);
    expect(line(ids.expired)).toMatch(/\sexpired\s+CN=expired\.example$/);
    expect(line(ids.root)).toMatch(/\svalid\s+CN=Status Root$/);
  });

  it('filters by --status valid, revoked and expired', () => {
    const idsOf = (status: string) =>
      listed(['--status', status])
        .slice(1)
        .map((l) => l.split(/\s+/)[0])
        .sort();
    expect(idsOf('revoked')).toEqual([ids.revoked]);
    expect(idsOf('expired')).toEqual([ids.expired]);
    expect(idsOf('valid')).toEqual([ids.root, ids.valid].sort());
  });

  it('refuses an unknown --status value with the accepted ones', () => {
    const run = mazevault(['cert', 'list', '--vault', vault, '--status', 'good']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/--status must be one of valid, revoked, expired, not "good"/);
  });

  it('shows the status in cert show', () => {
    const revoked = mazevault(['cert', 'show', ids.revoked, '--vault', vault]);
    expect(revoked.stdout).toMatch(/^ {2}status {5}revoked \(key-compromise\) at \d{4}-/m);
    const valid = mazevault(['cert', 'show', ids.valid, '--vault', vault]);
    expect(valid.stdout).toMatch(/^ {2}status {5}valid$/m);
  });
});

describe('paging in cert list (newcomer finding: the list stopped at 500 without a word)', () => {
  it('says how many there are in all and how to see the next page', () => {
    const page = mazevault(['cert', 'list', '--vault', vault, '--limit', '2']);
    expect(page.status).toBe(0);
    const rows = page.stdout.split('\n').filter((line) => line.startsWith('cert_'));
    expect(rows).toHaveLength(2);
    expect(page.stdout).toMatch(/Showing 1–2 of 4; the next page: --offset 2\./);

    const json = JSON.parse(
      mazevault(['--json', 'cert', 'list', '--vault', vault, '--limit', '2', '--offset', '2'])
        .stdout,
    ) as { certificates: { id: string }[]; total: number; offset: number };
    expect(json.total).toBe(4);
    expect(json.offset).toBe(2);
    expect(json.certificates.map((c) => c.id)).not.toContain(rows[0]!.split(/\s+/)[0]);

    const last = mazevault(['cert', 'list', '--vault', vault, '--limit', '2', '--offset', '2']);
    expect(last.stdout).not.toMatch(/Showing/);
    expect(mazevault(['cert', 'list', '--vault', vault, '--limit', '0']).stderr).toMatch(
      /--limit takes 1 to 10000/,
    );
  });
});

describe('paging in key list', () => {
  it('says how many keys there are in all and how to see the next page', () => {
    const json = JSON.parse(
      mazevault(['--json', 'key', 'list', '--vault', vault, '--limit', '1']).stdout,
    ) as { keys: unknown[]; total: number };
    expect(json.keys).toHaveLength(1);
    expect(json.total).toBeGreaterThan(1);
    const text = mazevault(['key', 'list', '--vault', vault, '--limit', '1']).stdout;
    expect(text).toMatch(new RegExp(`Showing 1–1 of ${json.total}; the next page: --offset 1\\.`));
  });
});
