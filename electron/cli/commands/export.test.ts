import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMazevault } from '../../testing/cli';

let dir: string;
let vault: string;
let rootId: string;

function mazevault(args: string[], env: Record<string, string | undefined> = {}) {
  return runMazevault(args, { MAZEVAULT_ACTOR: 'export-test', ...env });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mazevault-export-cli-'));
  vault = join(dir, 'v.mzv');
  expect(mazevault(['vault', 'init', '--vault', vault]).status).toBe(0);
  const root = mazevault([
    '--json',
    'ca',
    'root',
    '--vault',
    vault,
    '--subject',
    'CN=Export CLI Root',
    '--algorithm',
    'ec-p256',
    '--years',
    '10',
  ]);
  rootId = (JSON.parse(root.stdout) as { id: string }).id;
  writeFileSync(join(dir, 'pw.txt'), 'export-pass-123\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mazevault export --format pkcs8 (newcomer finding #10)', () => {
  it('stays unencrypted although MAZEVAULT_EXPORT_PASSWORD is set', () => {
    const out = join(dir, 'plain.key');
    const run = mazevault(['export', '--vault', vault, rootId, '--format', 'pkcs8', '--out', out], {
      MAZEVAULT_EXPORT_PASSWORD: 'export-pass-123',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/UNENCRYPTED/);
    expect(readFileSync(out, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('encrypts with --password-file, as `--format pkcs8 --password-file` reads, and says so', () => {
    const out = join(dir, 'explicit.key');
    const run = mazevault([
      'export',
      '--vault',
      vault,
      rootId,
      '--format',
      'pkcs8',
      '--out',
      out,
      '--password-file',
      join(dir, 'pw.txt'),
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/encrypted under the export password/);
    expect(readFileSync(out, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  });

  it('refuses --password-file for a format that holds no secret', () => {
    const run = mazevault([
      'export',
      '--vault',
      vault,
      rootId,
      '--format',
      'pem',
      '--out',
      join(dir, 'c.pem'),
      '--password-file',
      join(dir, 'pw.txt'),
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--format pem holds no secret and takes no password/);
  });

  it('encrypts pkcs8-encrypted with the password file', () => {
    const out = join(dir, 'enc.key');
    const run = mazevault([
      'export',
      '--vault',
      vault,
      rootId,
      '--format',
      'pkcs8-encrypted',
      '--out',
      out,
      '--password-file',
      join(dir, 'pw.txt'),
    ]);
    expect(run.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  });

  it('refuses an --out in a folder that does not exist before anything is exported or audited', () => {
    const out = join(dir, 'no-such-folder', 'root.pem');
    const run = mazevault(['export', '--vault', vault, rootId, '--format', 'pem', '--out', out]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/no-such-folder/);
    expect(existsSync(out)).toBe(false);
    const audit = mazevault(['--json', 'audit', 'list', '--vault', vault]);
    expect(audit.stdout).not.toContain(out);
  });

  it('writes a p7b with only the certificate when --no-chain is given, and the chain by default', () => {
    const leafId = (
      JSON.parse(
        mazevault([
          '--json',
          'cert',
          'issue',
          '--vault',
          vault,
          '--issuer',
          rootId,
          '--subject',
          'CN=p7b.example',
          '--san',
          'DNS:p7b.example',
          '--algorithm',
          'ec-p256',
          '--days',
          '90',
        ]).stdout,
      ) as { id: string }
    ).id;
    const count = (path: string) =>
      (
        spawnSync('openssl', ['pkcs7', '-in', path, '-print_certs', '-noout'], {
          encoding: 'utf8',
        }).stdout.match(/^subject=/gm) ?? []
      ).length;
    const whole = join(dir, 'whole.p7b');
    const alone = join(dir, 'alone.p7b');
    expect(
      mazevault(['export', '--vault', vault, leafId, '--format', 'p7b', '--out', whole]).status,
    ).toBe(0);
    expect(
      mazevault([
        'export',
        '--vault',
        vault,
        leafId,
        '--format',
        'p7b',
        '--no-chain',
        '--out',
        alone,
      ]).status,
    ).toBe(0);
    expect(count(whole)).toBe(2);
    expect(count(alone)).toBe(1);
  });
});
