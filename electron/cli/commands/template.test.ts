import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMazevault } from '../../testing/cli';

let dir: string;
let vault: string;
let rootId: string;

function mazevault(args: string[]) {
  return runMazevault(args, { MAZEVAULT_ACTOR: 'template-cli-test' });
}

function json(args: string[]): Record<string, unknown> {
  const run = mazevault(['--json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function pemOf(certId: string): string {
  const db = new Database(vault, { readonly: true });
  try {
    const row = db.prepare('SELECT der FROM certificates WHERE id = ?').get(certId) as {
      der: Buffer;
    };
    const path = join(dir, `${certId}.pem`);
    const body = row.der.toString('base64').replace(/.{64}/g, '$&\n').trimEnd();
    writeFileSync(path, `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`);
    return path;
  } finally {
    db.close();
  }
}

function openssl(args: string[]): { status: number; out: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status ?? -1, out: result.stdout + result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mazevault-template-cli-'));
  vault = join(dir, 'templates.mzv');
  expect(mazevault(['vault', 'init', '--vault', vault]).status).toBe(0);
  rootId = json([
    'ca',
    'root',
    '--vault',
    vault,
    '--subject',
    'CN=Template Root,O=Acme,C=DE',
    '--algorithm',
    'ec-p256',
    '--years',
    '20',
  ]).id as string;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the mazevault template and batch commands', () => {
  it('saves a template, lists it, and refuses one without a validity', () => {
    const saved = json([
      'template',
      'save',
      '--vault',
      vault,
      '--name',
      'devices',
      '--profile',
      'tls-client',
      '--subject-defaults',
      'OU=Devices,O=Acme,C=DE',
      '--algorithm',
      'ec-p256',
      '--days',
      '365',
      '--subject-from',
      'template',
    ]).template as Record<string, unknown>;
    expect(saved).toMatchObject({
      name: 'devices',
      profile: 'tls-client',
      keyPolicy: 'regenerate',
      csrPrecedence: { subject: 'template', subjectAltName: 'csr' },
    });

    const listed = json(['template', 'list', '--vault', vault]).templates as { name: string }[];
    expect(listed.map((t) => t.name)).toEqual(['devices']);

    const refused = mazevault(['template', 'save', '--vault', vault, '--name', 'no-validity']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/--days or --years/);
  });

  it('issues a CSV batch, reports the bad line by number, and the issued ones verify', () => {
    const csv = join(dir, 'devices.csv');
    writeFileSync(
      csv,
      'cn,sans,days\r\n' +
        'sensor-001,DNS:sensor-001.example.com,200\r\n' +
        'sensor-002,DNS:sensor-002.example.com;IP:192.0.2.2,\r\n' +
        'sensor-003,NOT-A-SAN,\r\n',
    );
    const run = mazevault([
      '--json',
      'cert',
      'batch',
      '--vault',
      vault,
      '--issuer',
      rootId,
      '--template',
      'devices',
      '--csv',
      csv,
    ]);
    expect(run.status).not.toBe(0);
    const result = JSON.parse(run.stdout) as {
      issued: { line: number; certId: string; subject: string }[];
      failed: { line: number; message: string }[];
    };
    expect(result.issued.map((item) => item.line)).toEqual([2, 3]);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]!.line).toBe(4);
    expect(result.failed[0]!.message).toMatch(/NOT-A-SAN|subject alternative name/i);

    const root = pemOf(rootId);
    for (const issued of result.issued) {
      expect(issued.subject).toMatch(/^CN=sensor-00\d,OU=Devices,O=Acme,C=DE$/);
      const leaf = pemOf(issued.certId);
      const verify = openssl(['verify', '-purpose', 'sslclient', '-CAfile', root, leaf]);
      expect(verify.out).toContain(': OK');
    }
    const first = openssl(['x509', '-in', pemOf(result.issued[0]!.certId), '-noout', '-text']);
    expect(first.out).toContain('DNS:sensor-001.example.com');
  });

  it("signs a CSR the template's way: the template's subject wins, the edited SANs are used", () => {
    const key = join(dir, 'csr.key');
    const csr = join(dir, 'device.csr');
    expect(
      openssl([
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-subj',
        '/CN=gateway-9/O=Somebody Else',
        '-addext',
        'subjectAltName=DNS:gateway-9.example.com',
        '-out',
        csr,
      ]).status,
    ).toBe(0);

    const plan = json([
      'cert',
      'sign-csr',
      '--vault',
      vault,
      '--issuer',
      rootId,
      '--template',
      'devices',
      '--csr',
      csr,
      '--plan',
    ]).plan as { subject: string; sans: string[]; csrSubject: string };
    expect(plan.subject).toContain('O=Acme');
    expect(plan.subject).toContain('CN=gateway-9');
    expect(plan.sans).toEqual(['DNS:gateway-9.example.com']);

    const signed = json([
      'cert',
      'sign-csr',
      '--vault',
      vault,
      '--issuer',
      rootId,
      '--template',
      'devices',
      '--csr',
      csr,
      '--san',
      'DNS:gw9.example.com',
    ]);
    const text = openssl(['x509', '-in', pemOf(signed.id as string), '-noout', '-text']).out;
    expect(text).toContain('DNS:gw9.example.com');
    expect(text).not.toContain('DNS:gateway-9.example.com');
    expect(text).toMatch(/Subject: .*O\s*=\s*Acme/);
    expect(text).not.toContain('Somebody Else');
    expect(readFileSync(csr, 'utf8')).toContain('CERTIFICATE REQUEST');
  });

  it('shows in --plan the SANs given with --san, and refuses a server certificate with none', () => {
    json([
      'template',
      'save',
      '--vault',
      vault,
      '--name',
      'web',
      '--profile',
      'tls-server',
      '--days',
      '90',
    ]);
    const key = join(dir, 'web.key');
    const csr = join(dir, 'web.csr');
    expect(
      openssl([
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-subj',
        '/CN=web-no-san',
        '-out',
        csr,
      ]).status,
    ).toBe(0);
    const base = [
      'cert',
      'sign-csr',
      '--vault',
      vault,
      '--issuer',
      rootId,
      '--template',
      'web',
      '--csr',
      csr,
    ];

    const refused = mazevault([...base, '--plan']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/need at least one subject alternative name.*--san DNS:host/);

    const plan = json([...base, '--plan', '--san', 'DNS:only.example']).plan as { sans: string[] };
    expect(plan.sans).toEqual(['DNS:only.example']);
    const bad = mazevault([...base, '--plan', '--san', 'DNS:']);
    expect(bad.stderr).toMatch(/has a type but no value/);
  });

  it('refuses control characters in template names and key labels, which audit list would print', () => {
    const template = mazevault([
      'template',
      'save',
      '--vault',
      vault,
      '--name',
      'ok\n999  key.destroy  success',
      '--days',
      '90',
    ]);
    expect(template.status).not.toBe(0);
    expect(template.stderr).toMatch(/template name must not hold control characters/);
    const key = mazevault([
      'key',
      'generate',
      '--vault',
      vault,
      '--algorithm',
      'ec-p256',
      '--label',
      'bad\u001b[2Klabel',
    ]);
    expect(key.status).not.toBe(0);
    expect(key.stderr).toMatch(/key label must not hold control characters/);
  });
});
