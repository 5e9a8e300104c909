import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CA_EXTENSIONS, TestPki, leafExtensions, type TestCert } from '../../pki/validate/test-pki';
import { runMazevault } from '../../testing/cli';

let dir: string;
let pki: TestPki;
let root: TestCert;
let leaf: TestCert;

function mazevault(args: string[]) {
  return runMazevault(args, { MAZEVAULT_ACTOR: 'trust-cli-test' });
}

function json(args: string[]): Record<string, unknown> {
  const run = mazevault(['--json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function freshVault(name: string): string {
  const vault = join(dir, `${name}.mzv`);
  expect(mazevault(['vault', 'init', '--vault', vault]).status).toBe(0);
  return vault;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mazevault-trust-cli-'));
  pki = new TestPki();
  root = pki.issue('third-root', { subject: '/CN=Third Party Root', extensions: CA_EXTENSIONS });
  leaf = pki.issue('third-leaf', {
    subject: '/CN=shop.example',
    issuer: root,
    days: 30,
    extensions: leafExtensions('DNS:shop.example'),
  });
});
afterAll(() => {
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('mazevault cert trust, import --trust-anchors and validate (finding 1)', () => {
  it('imports a root without trusting it, warns, and validates only after cert trust', () => {
    const vault = freshVault('plain');
    const imported = mazevault(['import', '--vault', vault, root.certPath, leaf.certPath]);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(
      /Warning: third-root\.pem: CN=Third Party Root is a self-signed CA and is not trusted for validation; if you trust it, mark it trusted \(Trust as anchor on its certificate page, or mazevault cert trust cert_\S+\)\./,
    );
    const rootId = /cert trust (cert_[0-9a-f-]+)/.exec(imported.stdout)![1]!;

    const refused = mazevault(['validate', '--vault', vault, leaf.certPath]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`or mazevault cert trust ${rootId})`);

    const trusted = mazevault(['cert', 'trust', '--vault', vault, rootId]);
    expect(trusted.status).toBe(0);
    expect(trusted.stdout).toMatch(/CN=Third Party Root .* is now a trust anchor for validation\./);

    const valid = mazevault(['validate', '--vault', vault, leaf.certPath]);
    expect(valid.status).toBe(0);
    expect(valid.stdout).toMatch(
      /^Trust anchor: CN=Third Party Root, marked trusted in this vault by an officer/m,
    );
    expect(valid.stdout).toMatch(/^ {2}warn revocation {11}CN=shop\.example: not checked/m);
    expect(valid.stdout).not.toMatch(/^Valid\.$/m);
    expect(valid.stdout).toMatch(/^Valid, but revocation was not checked for "CN=shop\.example"/m);

    const untrusted = json(['cert', 'untrust', '--vault', vault, rootId]);
    expect(untrusted).toMatchObject({ id: rootId, trusted: false, changed: true });
    expect(mazevault(['validate', '--vault', vault, leaf.certPath]).status).toBe(1);

    const audit = mazevault(['audit', 'list', '--vault', vault]);
    expect(audit.stdout).toMatch(/cert\.trust\s+success\s+cert_/);
    expect(audit.stdout).toMatch(/cert\.untrust\s+success\s+cert_/);
  });

  it('trusts the self-signed CAs of an import with --trust-anchors and says so', () => {
    const vault = freshVault('anchors');
    const imported = mazevault([
      'import',
      '--vault',
      vault,
      '--trust-anchors',
      root.certPath,
      leaf.certPath,
    ]);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain(
      'CN=Third Party Root is now a trust anchor for validation (asked for with the import).',
    );
    expect(imported.stdout).not.toContain('Warning:');

    const result = json(['validate', '--vault', vault, leaf.certPath]);
    expect(result).toMatchObject({ valid: true, revocationChecked: false });
    expect((result.anchor as { source: string }).source).toMatch(/^marked trusted/);
  });

  it('names a --trust file as the anchor source, and prints names in the RFC 4514 form of cert list', () => {
    const vault = freshVault('file');
    const run = mazevault(['validate', '--vault', vault, leaf.certPath, '--trust', root.certPath]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      `Trust anchor: CN=Third Party Root, given for this validation with --trust ${root.certPath}`,
    );

    const own = json([
      'ca',
      'root',
      '--vault',
      vault,
      '--subject',
      'CN=Order Root,O=Example,C=CZ',
      '--algorithm',
      'ec-p256',
      '--years',
      '10',
    ]);
    const listed = mazevault(['cert', 'list', '--vault', vault]);
    expect(listed.stdout).toContain('CN=Order Root,O=Example,C=CZ');
    const validated = mazevault(['validate', '--vault', vault, own.id as string]);
    expect(validated.stdout).toContain('0. CN=Order Root,O=Example,C=CZ  SHA-256');
    expect(validated.stdout).not.toContain('C=CZ, O=Example');
    expect(validated.stdout).toMatch(/^Valid\.$/m);
  });

  it('refuses to untrust a CA created in this vault, with one line saying what to do', () => {
    const vault = freshVault('own');
    const own = json([
      'ca',
      'root',
      '--vault',
      vault,
      '--subject',
      'CN=Own Root',
      '--algorithm',
      'ec-p256',
      '--years',
      '10',
    ]);
    const run = mazevault(['cert', 'untrust', '--vault', vault, own.id as string]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/is a CA created in this vault, which is always a trust anchor/);
  });
});
