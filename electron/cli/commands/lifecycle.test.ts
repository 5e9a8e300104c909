import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMazevault } from '../../testing/cli';

let dir: string;
let vault: string;

function mazevault(args: string[]) {
  return runMazevault(args, { MAZEVAULT_ACTOR: 'lifecycle-cli-test' });
}

function json(args: string[]): Record<string, unknown> {
  const run = mazevault(['--json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(vault, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

function pemOf(certId: string): string {
  const [row] = query<{ der: Buffer }>('SELECT der FROM certificates WHERE id = ?', certId);
  const path = join(dir, `${certId}.pem`);
  writeFileSync(
    path,
    `-----BEGIN CERTIFICATE-----\n${row!.der.toString('base64').replace(/.{64}/g, '$&\n').trimEnd()}\n-----END CERTIFICATE-----\n`,
  );
  return path;
}

function openssl(args: string[]): { status: number; out: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status ?? -1, out: result.stdout + result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mazevault-lifecycle-cli-'));
  vault = join(dir, 'life.mzv');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the mazevault lifecycle commands', () => {
  let rootId: string;
  let leafId: string;

  it('rotates a due certificate with rotate --due, and only lists it with --dry-run', () => {
    expect(mazevault(['vault', 'init', '--vault', vault]).status).toBe(0);
    rootId = json([
      'ca',
      'root',
      '--vault',
      vault,
      '--subject',
      'CN=Lifecycle Root',
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
      'CN=svc.example.com',
      '--san',
      'DNS:svc.example.com',
      '--algorithm',
      'ec-p256',
      '--days',
      '90',
    ]).id as string;
    // A lead time longer than the certificate's life makes it due at once.
    json([
      'rotation-policy',
      '--vault',
      vault,
      '--scope',
      'profile',
      '--target',
      'tls-server',
      '--lead-days',
      '100',
    ]);

    const dry = json(['rotate', '--vault', vault, '--due', '--dry-run']);
    expect(dry.dryRun).toBe(true);
    const dryItems = dry.items as { certId: string; outcome: string }[];
    expect(dryItems).toEqual([
      expect.objectContaining({ certId: leafId, outcome: 'would-rotate' }),
    ]);
    expect(query('SELECT id FROM certificates WHERE predecessor_id = ?', leafId)).toHaveLength(0);

    const run = json(['rotate', '--vault', vault, '--due']);
    expect(run.rotated).toBe(1);
    const [item] = run.items as { certId: string; outcome: string; successorId: string }[];
    expect(item).toMatchObject({ certId: leafId, outcome: 'rotated' });
    const successors = query<{ id: string; key_id: string }>(
      'SELECT id, key_id FROM certificates WHERE predecessor_id = ?',
      leafId,
    );
    expect(successors.map((s) => s.id)).toEqual([item!.successorId]);
    const [oldKey] = query<{ state: string }>(
      'SELECT k.state FROM keys k JOIN certificates c ON c.key_id = k.id WHERE c.id = ?',
      leafId,
    );
    expect(oldKey!.state).toBe('deactivated');
    leafId = item!.successorId;
  });

  it('does not re-key on every cron run when the lead time is longer than the validity', () => {
    for (let turn = 0; turn < 2; turn += 1) {
      const run = json(['rotate', '--vault', vault, '--due']);
      expect(run).toMatchObject({ rotated: 0, skipped: 1, failed: 0 });
      expect(run.items).toEqual([
        expect.objectContaining({ certId: leafId, outcome: 'skipped', action: 'manual' }),
      ]);
    }
    expect(query('SELECT id FROM certificates WHERE predecessor_id = ?', leafId)).toHaveLength(0);
    const text = mazevault(['rotate', '--vault', vault, '--due']);
    expect(text.stdout).toMatch(/due as soon as it was issued: the 100-day lead time/);
    expect(text.stdout).toMatch(/Shorten the lead time \(mazevault rotation-policy --lead-days\)/);
  });

  it('refuses a --target with the vault scope, and a missing --target with the others', () => {
    const extra = mazevault([
      'rotation-policy',
      '--vault',
      vault,
      '--scope',
      'vault',
      '--target',
      'tls-server',
      '--lead-days',
      '30',
    ]);
    expect(extra.status).not.toBe(0);
    expect(extra.stderr).toMatch(/leave out --target/);
    const missing = mazevault([
      'rotation-policy',
      '--vault',
      vault,
      '--scope',
      'certificate',
      '--lead-days',
      '30',
    ]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/needs --target with the certificate id/);
  });

  it('refuses a policy for an unknown profile and counts as due only what the policy governs', () => {
    const unknown = mazevault([
      'rotation-policy',
      '--vault',
      vault,
      '--scope',
      'profile',
      '--target',
      'no-such-profile',
      '--lead-days',
      '10',
    ]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe(
      'mazevault: There is no profile "no-such-profile"; a profile policy is for one of: ' +
        'root-ca, sub-ca, tls-server, tls-client.',
    );
    // The tls-server successor is still due (as manual); a tls-client policy governs none of it.
    const client = mazevault([
      'rotation-policy',
      '--vault',
      vault,
      '--scope',
      'profile',
      '--target',
      'tls-client',
      '--lead-days',
      '10',
    ]);
    expect(client.stderr).toBe('');
    expect(client.stdout).toMatch(/Rotation policy for profile tls-client: .*; 0 due now/);
    const server = mazevault([
      'rotation-policy',
      '--vault',
      vault,
      '--scope',
      'profile',
      '--target',
      'tls-server',
      '--lead-days',
      '100',
    ]);
    expect(server.stdout).toMatch(/; 1 due now/);
    expect(server.stderr).toMatch(
      /warning: 1 certificate\(s\) under this policy live no longer than the 100-day lead time/,
    );
  });

  it('renews with the same key, revokes, and issues a CRL that openssl verify -crl_check agrees with', () => {
    const renewed = json(['cert', 'renew', '--vault', vault, leafId, '--key-policy', 'reuse']);
    expect(renewed.predecessorId).toBe(leafId);
    const spkis = query<{ spki_sha256: string }>(
      'SELECT spki_sha256 FROM certificates WHERE id IN (?, ?)',
      leafId,
      renewed.id as string,
    );
    expect(new Set(spkis.map((s) => s.spki_sha256)).size).toBe(1);

    const early = mazevault([
      'cert',
      'revoke',
      '--vault',
      vault,
      renewed.id as string,
      '--reason',
      'key-compromise',
      '--at',
      '2001-01-01T00:00:00Z',
    ]);
    expect(early.status).toBe(1);
    expect(early.stderr.trim().split('\n')).toHaveLength(1);
    expect(early.stderr).toMatch(/is before "CN=svc.example.com" became valid.*--invalidity-date/);
    const revoked = json([
      'cert',
      'revoke',
      '--vault',
      vault,
      renewed.id as string,
      '--reason',
      'key-compromise',
      '--invalidity-date',
      '2025-06-01T00:00:00Z',
    ]);
    expect(revoked).toMatchObject({ status: 'revoked', reason: 'key-compromise' });

    const crlPath = join(dir, 'root.crl');
    const crl = json([
      'crl',
      'issue',
      '--vault',
      vault,
      '--issuer',
      rootId,
      '--out',
      crlPath,
      '--format',
      'pem',
    ]);
    expect(crl).toMatchObject({ crlNumber: 1, entries: 1 });
    expect(readFileSync(crlPath, 'utf8')).toMatch(/^-----BEGIN X509 CRL-----/);

    const rootPem = pemOf(rootId);
    const text = openssl(['crl', '-in', crlPath, '-CAfile', rootPem, '-noout', '-text']);
    expect(text.out).toMatch(/verify OK/);
    expect(text.out).toMatch(/Key Compromise/);
    const revokedCheck = openssl([
      'verify',
      '-crl_check',
      '-CAfile',
      rootPem,
      '-CRLfile',
      crlPath,
      pemOf(renewed.id as string),
    ]);
    expect(revokedCheck.status).not.toBe(0);
    expect(revokedCheck.out).toMatch(/certificate revoked/);
    const goodCheck = openssl([
      'verify',
      '-crl_check',
      '-CAfile',
      rootPem,
      '-CRLfile',
      crlPath,
      pemOf(leafId),
    ]);
    expect(goodCheck.status).toBe(0);
  });

  it('rolls the root over with cross-certificates and refuses a bad reason in one line', () => {
    const rolled = json(['ca', 'rollover', '--vault', vault, rootId, '--cross-sign']);
    expect(rolled.previousId).toBe(rootId);
    expect(rolled.newWithOldId).toMatch(/^cert_/);
    expect(rolled.oldWithNewId).toMatch(/^cert_/);

    const bad = mazevault(['cert', 'revoke', '--vault', vault, leafId, '--reason', 'bored']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--reason must be one of/);
  });
});
