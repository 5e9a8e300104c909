import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMazevault } from '../testing/cli';

const PASSPHRASE = 'correct horse battery staple';

let dir: string;
let vault: string;

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function mazevault(args: string[], env: Record<string, string | undefined> = {}): Run {
  return runMazevault(args, {
    MAZEVAULT_PASSPHRASE: PASSPHRASE,
    MAZEVAULT_ACTOR: 'cli-test',
    ...env,
  });
}

function json(args: string[]): Record<string, unknown> {
  const run = mazevault(['--json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function expectOneLineError(run: Run, pattern: RegExp): void {
  expect(run.status).not.toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mazevault-cli-'));
  vault = join(dir, 'ca.mzv');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the mazevault CLI', () => {
  let rootId: string;
  let subId: string;
  let leafId: string;

  it('creates a vault, a root, a subordinate and a leaf that openssl verify accepts', () => {
    expect(mazevault(['vault', 'init', '--vault', vault]).status).toBe(0);

    const root = json([
      'ca',
      'root',
      '--vault',
      vault,
      '--subject',
      'CN=CLI Root,O=Acme\\, Inc.',
      '--algorithm',
      'ec-p384',
      '--years',
      '20',
    ]);
    expect(root.id).toMatch(/^cert_/);
    expect(root.keyId).toMatch(/^key_/);
    rootId = root.id as string;

    const sub = json([
      'ca',
      'sub',
      '--vault',
      vault,
      '--issuer',
      rootId,
      '--subject',
      'CN=CLI Sub',
      '--algorithm',
      'rsa-3072',
      '--years',
      '10',
    ]);
    subId = sub.id as string;

    const leaf = json([
      'cert',
      'issue',
      '--vault',
      vault,
      '--issuer',
      subId,
      '--algorithm',
      'rsa-2048',
      '--subject',
      'CN=web.example.com',
      '--san',
      'DNS:web.example.com',
      '--san',
      'IP:10.0.0.1',
      '--profile',
      'tls-server',
      '--days',
      '90',
    ]);
    leafId = leaf.id as string;
    expect(leaf.keyId).toMatch(/^key_/);

    const files = ['root', 'sub', 'leaf'].map((name) => join(dir, `${name}.pem`));
    [rootId, subId, leafId].forEach((id, index) => {
      expect(
        mazevault(['export', '--vault', vault, id, '--format', 'pem', '--out', files[index]!])
          .status,
      ).toBe(0);
    });
    const verified = execFileSync(
      'openssl',
      ['verify', '-CAfile', files[0]!, '-untrusted', files[1]!, files[2]!],
      { encoding: 'utf8' },
    );
    expect(verified.trim()).toBe(`${files[2]}: OK`);
  });

  it('issues a certificate for a CSR made by openssl req', () => {
    const csr = join(dir, 'client.csr');
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'ed25519',
        '-nodes',
        '-keyout',
        join(dir, 'client.key'),
        '-subj',
        '/CN=alice',
        '-out',
        csr,
      ],
      { stdio: 'ignore' },
    );
    const issued = json([
      'cert',
      'issue',
      '--vault',
      vault,
      '--issuer',
      subId,
      '--csr',
      csr,
      '--profile',
      'tls-client',
      '--days',
      '90',
    ]);
    expect(issued.keyId).toBeNull();
    expect((issued.certificate as { subject: string }).subject).toBe('CN=alice');
    const list = json(['cert', 'list', '--vault', vault]);
    expect((list.certificates as unknown[]).length).toBe(4);
  });

  it('exports a PKCS#12 with the key that openssl and keytool open, mode 0600', () => {
    const passwordFile = join(dir, 'p12.pass');
    writeFileSync(passwordFile, 'export-secret-1\n');
    const out = join(dir, 'web.p12');
    const run = mazevault([
      'export',
      '--vault',
      vault,
      leafId,
      '--format',
      'p12',
      '--chain',
      '--with-key',
      '--password-file',
      passwordFile,
      '--out',
      out,
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const opened = spawnSync(
      'openssl',
      ['pkcs12', '-in', out, '-nodes', '-passin', 'pass:export-secret-1'],
      { encoding: 'utf8' },
    );
    expect(opened.status).toBe(0);
    expect(opened.stdout.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    const listed = spawnSync(
      'keytool',
      ['-list', '-keystore', out, '-storetype', 'PKCS12', '-storepass', 'export-secret-1'],
      { encoding: 'utf8' },
    );
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('PrivateKeyEntry');
  });

  it('exports an encrypted PKCS#8 that openssl pkey opens', () => {
    const passwordFile = join(dir, 'p8.pass');
    writeFileSync(passwordFile, 'export-secret-2\n');
    const out = join(dir, 'web.key');
    expect(
      mazevault([
        'export',
        '--vault',
        vault,
        leafId,
        '--format',
        'pkcs8-encrypted',
        '--password-file',
        passwordFile,
        '--out',
        out,
      ]).status,
    ).toBe(0);
    const opened = spawnSync(
      'openssl',
      ['pkey', '-in', out, '-passin', 'pass:export-secret-2', '-noout'],
      { encoding: 'utf8' },
    );
    expect(opened.status).toBe(0);
  });

  it('refuses to overwrite an existing file before exporting, and leaves no temp file behind', () => {
    const out = join(dir, 'root.pem');
    const exportEvents = () =>
      (
        json(['audit', 'list', '--vault', vault, '--action', 'export.certificate'])
          .events as unknown[]
      ).length;
    const eventsBefore = exportEvents();
    const filesBefore = readdirSync(dir).length;
    expectOneLineError(
      mazevault(['export', '--vault', vault, rootId, '--format', 'der', '--out', out]),
      /already exists.*--force/,
    );
    expect(readdirSync(dir)).toHaveLength(filesBefore);
    expect(exportEvents()).toBe(eventsBefore);
  });

  it('generates a key, deactivates it, and lists it with its state', () => {
    const key = json([
      'key',
      'generate',
      '--vault',
      vault,
      '--algorithm',
      'ed25519',
      '--label',
      'signing key',
    ]);
    expect(key.id).toMatch(/^key_/);
    const moved = json([
      'key',
      'state',
      '--vault',
      vault,
      key.id as string,
      '--to',
      'deactivated',
      '--reason',
      'test over',
    ]);
    expect(moved.state).toBe('deactivated');
    const listed = mazevault(['key', 'list', '--vault', vault]);
    expect(listed.stdout).toMatch(
      new RegExp(`${key.id as string}\\s+deactivated\\s+ed25519\\s+signing key`),
    );
  });

  it('verifies the audit trail', () => {
    const result = json(['audit', 'verify', '--vault', vault]);
    expect(result.ok).toBe(true);
    expect(result.events as number).toBeGreaterThan(10);
  });

  it('names the first broken link when an audit row was edited behind its back', () => {
    const copy = join(dir, 'tampered.mzv');
    execFileSync('cp', [vault, copy]);
    const db = new Database(copy);
    db.exec(
      "DROP TRIGGER audit_events_no_update; UPDATE audit_events SET actor = 'mallory' WHERE seq = 3;",
    );
    db.close();
    expectOneLineError(
      mazevault(['audit', 'verify', '--vault', copy]),
      /audit trail is broken at event 3: event 3 was altered/,
    );
  });

  it('fails with one line and a non-zero exit on policy violations, bad input and a wrong passphrase', () => {
    expectOneLineError(
      mazevault([
        'ca',
        'root',
        '--vault',
        vault,
        '--subject',
        'CN=Short',
        '--algorithm',
        'ec-p256',
        '--years',
        '3',
      ]),
      /^mazevault: .*outside the policy for a root CA: 10 to 20 years/,
    );
    expectOneLineError(
      mazevault([
        'ca',
        'root',
        '--vault',
        vault,
        '--subject',
        'CN=Short',
        '--algorithm',
        'ec-p999',
        '--years',
        '10',
      ]),
      /--algorithm must be one of/,
    );
    expectOneLineError(
      mazevault(['key', 'list', '--vault', vault], { MAZEVAULT_PASSPHRASE: 'not the passphrase' }),
      /Wrong passphrase/,
    );
    expectOneLineError(
      mazevault(['key', 'list', '--vault', join(dir, 'missing.mzv')]),
      /No vault file at/,
    );
    expectOneLineError(mazevault(['cert', 'list']), /required option '--vault <file>'/);
    expectOneLineError(
      mazevault(['key', 'list', '--vault', vault], { MAZEVAULT_PASSPHRASE: '' }),
      /No vault passphrase given/,
    );
  });

  it('accepts an override with a reason and records it in the audit trail', () => {
    const root = json([
      'ca',
      'root',
      '--vault',
      vault,
      '--subject',
      'CN=Lab',
      '--algorithm',
      'ec-p256',
      '--years',
      '2',
      '--override-reason',
      'lab only',
    ]);
    const events = json(['audit', 'list', '--vault', vault, '--action', 'policy.override'])
      .events as { subject: string; details: { reason: string } }[];
    expect(events[0]).toMatchObject({ subject: root.id, details: { reason: 'lab only' } });
  });

  it('reads the passphrase from --passphrase-file', () => {
    const file = join(dir, 'vault.pass');
    writeFileSync(file, `${PASSPHRASE}\n`);
    const run = mazevault(['--passphrase-file', file, 'cert', 'list', '--vault', vault], {
      MAZEVAULT_PASSPHRASE: undefined,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('CN=CLI Root');
    expect(existsSync(file)).toBe(true);
  });
});
