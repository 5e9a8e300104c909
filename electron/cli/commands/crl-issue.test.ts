import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMazevault } from '../../testing/cli';

// Finding 3: an output that cannot be written must leave no CRL, no CRL number and no success
// in the audit trail; the file is written whole or not at all.

let dir: string;
let vault: string;
let rootId: string;
let leafId: string;

function mazevault(args: string[]) {
  return runMazevault(args);
}

function json(args: string[]): Record<string, unknown> {
  const run = mazevault(['--json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function count(sql: string, ...params: unknown[]): number {
  const db = new Database(vault, { readonly: true });
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

function crlState() {
  return {
    stored: count('SELECT COUNT(*) AS n FROM issued_crls WHERE issuer_cert_id = ?', rootId),
    lastNumber: count(
      'SELECT COALESCE(MAX(last_crl_number), 0) AS n FROM crl_policies WHERE issuer_cert_id = ?',
      rootId,
    ),
    audited: count(
      `SELECT COUNT(*) AS n FROM audit_events WHERE action = 'crl.issue' AND subject = ?`,
      rootId,
    ),
  };
}

function crlNumberOf(path: string): string {
  const run = spawnSync('openssl', ['crl', '-in', path, '-noout', '-crlnumber'], {
    encoding: 'utf8',
  });
  return run.stdout.trim();
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mazevault-crl-out-'));
  vault = join(dir, 'v.mzv');
  expect(mazevault(['vault', 'init', '--vault', vault]).status).toBe(0);
  rootId = json([
    'ca',
    'root',
    '--vault',
    vault,
    '--subject',
    'CN=Out Root',
    '--algorithm',
    'ec-p256',
    '--years',
    '20',
  ]).id as string;
  leafId = json([
    'cert',
    'issue',
    '--vault',
    vault,
    '--issuer',
    rootId,
    '--subject',
    'CN=out.example.com',
    '--san',
    'DNS:out.example.com',
    '--algorithm',
    'ec-p256',
    '--days',
    '90',
  ]).id as string;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('crl issue with an output it cannot write', () => {
  it('refuses an existing --out before signing: no CRL stored, numbered or audited', () => {
    const out = join(dir, 'a.crl');
    json(['crl', 'issue', '--vault', vault, '--issuer', rootId, '--out', out]);
    expect(crlNumberOf(out)).toBe('crlNumber=0x01');
    const before = crlState();
    expect(before).toEqual({ stored: 1, lastNumber: 1, audited: 1 });

    const again = mazevault(['crl', 'issue', '--vault', vault, '--issuer', rootId, '--out', out]);
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toBe(
      `mazevault: ${out} already exists; choose another name or pass --force to replace it.`,
    );
    expect(crlState()).toEqual(before);
    expect(crlNumberOf(out)).toBe('crlNumber=0x01');
  });

  it('refuses an --out in a folder that does not exist, and a folder as --out, the same way', () => {
    const before = crlState();
    const missing = join(dir, 'no-such-folder', 'b.crl');
    const run = mazevault(['crl', 'issue', '--vault', vault, '--issuer', rootId, '--out', missing]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/The folder .*no-such-folder does not exist; create it first/);
    const folder = mazevault(['crl', 'issue', '--vault', vault, '--issuer', rootId, '--out', dir]);
    expect(folder.stderr).toMatch(/is a folder; give a file name/);
    expect(crlState()).toEqual(before);
  });

  it('numbers the next CRL that is written 2, replaces a file with --force, and leaves no temp file', () => {
    const out = join(dir, 'a.crl');
    const issued = json([
      'crl',
      'issue',
      '--vault',
      vault,
      '--issuer',
      rootId,
      '--out',
      out,
      '--force',
      '--format',
      'der',
    ]);
    expect(issued.crlNumber).toBe(2);
    const der = spawnSync(
      'openssl',
      ['crl', '-inform', 'DER', '-in', out, '-noout', '-crlnumber'],
      {
        encoding: 'utf8',
      },
    );
    expect(der.stdout.trim()).toBe('crlNumber=0x02');
    expect(crlState()).toEqual({ stored: 2, lastNumber: 2, audited: 2 });
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses export --format csr into a missing folder before the key signs anything', () => {
    const signatures = () =>
      count(`SELECT COUNT(*) AS n FROM audit_events WHERE action IN ('key.sign', 'csr.create')`);
    const before = signatures();
    const out = join(dir, 'missing', 'leaf.csr');
    const run = mazevault(['export', '--vault', vault, leafId, '--format', 'csr', '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/The folder .*missing does not exist/);
    expect(signatures()).toBe(before);
    expect(existsSync(out)).toBe(false);

    writeFileSync(join(dir, 'taken.csr'), 'keep me');
    const taken = mazevault([
      'export',
      '--vault',
      vault,
      leafId,
      '--format',
      'csr',
      '--out',
      join(dir, 'taken.csr'),
    ]);
    expect(taken.stderr).toMatch(/already exists; choose another name or pass --force/);
    expect(signatures()).toBe(before);
  });
});
