// Round trips with the tools officers use, through the mazevault command: files written by openssl
// and keytool are imported and match; what the vault exports is read back by openssl and keytool.
// The encoder tests already check each writer's bytes; these check vault → export → tool and
// tool → import → vault.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PASSWORD, makeOpensslPki, run, type OpensslPki } from './import-test-fixtures';
import { runMazevault } from '../testing/cli';

const PASSPHRASE = 'correct horse battery staple';

let pki: OpensslPki;
let vault: string;
let passwordFile: string;

function mazevault(args: string[]) {
  return runMazevault(args, { MAZEVAULT_PASSPHRASE: PASSPHRASE, MAZEVAULT_ACTOR: 'interop-test' });
}

function json<T = Record<string, unknown>>(args: string[]): T {
  const result = mazevault(['--json', ...args]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as T;
}

interface ImportJson {
  counts: Record<string, number>;
  entries: { kind: string; label: string; fingerprint?: string; outcome: string; id?: string }[];
}

function keytool(...args: string[]): string {
  return run('keytool', args, pki.dir);
}

/** The SHA-256 fingerprint keytool prints for an alias, as lower-case hex. */
function keytoolFingerprint(listing: string): string {
  const match = /SHA256:\s*([0-9A-F:]+)/.exec(listing);
  return match![1]!.replace(/:/g, '').toLowerCase();
}

beforeAll(() => {
  pki = makeOpensslPki();
  vault = join(pki.dir, 'interop.mzv');
  passwordFile = pki.path('password.txt');
  writeFileSync(passwordFile, `${FIXTURE_PASSWORD}\n`);
  expect(mazevault(['vault', 'init', '--vault', vault]).status).toBe(0);
}, 60_000);
afterAll(() => pki.cleanup());

describe('files written by openssl and keytool', () => {
  it('import from an openssl PKCS#12 with the key paired to its certificate', () => {
    const result = json<ImportJson>([
      'import',
      '--vault',
      vault,
      pki.path('leaf.p12'),
      pki.path('root.crl'),
      '--password-file',
      passwordFile,
      // The root comes from openssl, not from this vault: validation below trusts it only so.
      '--trust-anchors',
    ]);

    const key = result.entries.find((e) => e.kind === 'private-key')!;
    expect(key.fingerprint).toBe(pki.spkiSha256('leaf.key', 'key'));
    const leaf = result.entries.find((e) => e.fingerprint === pki.fingerprint('leaf.pem'))!;
    expect(leaf).toMatchObject({ kind: 'certificate', outcome: 'new', label: 'CN=import.example' });
    const list = json<{ certificates: { id: string; keyId: string | null }[] }>([
      'cert',
      'list',
      '--vault',
      vault,
    ]);
    expect(list.certificates.find((c) => c.id === leaf.id)!.keyId).toBe(key.id);
    expect(result.entries.find((e) => e.kind === 'crl')!.outcome).toBe('new');
  });

  it('import openssl PEM, DER, PKCS#8 and PKCS#7 files as already there', () => {
    run('openssl', ['x509', '-in', 'root.pem', '-outform', 'DER', '-out', 'root.der'], pki.dir);
    run('openssl', ['crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-out', 'chain.p7b'], pki.dir);
    run(
      'openssl',
      [
        'pkcs8',
        '-topk8',
        '-in',
        'leaf.key',
        '-passout',
        `pass:${FIXTURE_PASSWORD}`,
        '-out',
        'leaf.p8',
      ],
      pki.dir,
    );
    const result = json<ImportJson>([
      'import',
      '--vault',
      vault,
      pki.path('root.der'),
      pki.path('chain.p7b'),
      pki.path('leaf.p8'),
      '--password-file',
      passwordFile,
    ]);

    expect(result.counts).toMatchObject({ new: 0, existing: 4, failed: 0 });
    const fingerprints = result.entries.map((e) => e.fingerprint);
    expect(fingerprints).toContain(pki.fingerprint('root.pem'));
    expect(fingerprints).toContain(pki.spkiSha256('leaf.key', 'key'));
  });

  it('import keytool JKS and PKCS#12 key stores and an exported certificate', () => {
    for (const type of ['JKS', 'PKCS12']) {
      keytool(
        '-genkeypair',
        '-keystore',
        `kt-${type}.store`,
        '-storetype',
        type,
        '-storepass',
        FIXTURE_PASSWORD,
        '-keypass',
        FIXTURE_PASSWORD,
        '-alias',
        `kt-${type}`,
        '-keyalg',
        'EC',
        '-groupname',
        'secp256r1',
        '-dname',
        `CN=keytool ${type},O=Interop`,
        '-validity',
        '30',
      );
    }
    keytool(
      '-exportcert',
      '-keystore',
      'kt-JKS.store',
      '-storepass',
      FIXTURE_PASSWORD,
      '-alias',
      'kt-JKS',
      '-file',
      'kt.cer',
    );
    const listing = keytool(
      '-list',
      '-v',
      '-keystore',
      'kt-JKS.store',
      '-storepass',
      FIXTURE_PASSWORD,
    );

    const result = json<ImportJson>([
      'import',
      '--vault',
      vault,
      pki.path('kt-JKS.store'),
      pki.path('kt-PKCS12.store'),
      pki.path('kt.cer'),
      '--password-file',
      passwordFile,
    ]);

    expect(result.counts.failed).toBe(0);
    const certificates = result.entries.filter((e) => e.kind === 'certificate');
    expect(certificates.map((e) => e.label).sort()).toEqual([
      'CN=keytool JKS,O=Interop',
      'CN=keytool JKS,O=Interop',
      'CN=keytool PKCS12,O=Interop',
    ]);
    const jks = certificates.filter((e) => e.label.includes('JKS'));
    expect(jks.map((e) => e.outcome)).toEqual(['new', 'existing']);
    expect(jks[0]!.fingerprint).toBe(keytoolFingerprint(listing));
    const keys = result.entries.filter((e) => e.kind === 'private-key');
    expect(keys.map((e) => [e.label, e.outcome])).toEqual([
      ['kt-jks', 'new'],
      ['kt-pkcs12', 'new'],
    ]);
  });
});

describe('exports of the vault, read back by the tools', () => {
  let rootId: string;
  let leafId: string;
  const out = (name: string) => pki.path(`export-${name}`);

  beforeAll(() => {
    rootId = json<{ id: string }>([
      'ca',
      'root',
      '--vault',
      vault,
      '--subject',
      'CN=Interop Root,O=MazeVault',
      '--algorithm',
      'ec-p256',
      '--years',
      '20',
    ]).id;
    leafId = json<{ id: string }>([
      'cert',
      'issue',
      '--vault',
      vault,
      '--issuer',
      rootId,
      '--subject',
      'CN=interop.example',
      '--san',
      'DNS:interop.example',
      '--algorithm',
      'ec-p256',
      '--days',
      '90',
    ]).id;
    expect(
      mazevault(['crl', 'issue', '--vault', vault, '--issuer', rootId, '--out', out('issued.crl')])
        .status,
    ).toBe(0);
  }, 60_000);

  function exportAs(format: string, extra: string[] = [], id = leafId): string {
    const path = out(format);
    json(['export', '--vault', vault, id, '--format', format, '--out', path, ...extra]);
    return path;
  }

  it('writes PEM and PKCS#7 that openssl reads as the vault certificate and its chain', () => {
    const leafFingerprint = run('openssl', [
      'x509',
      '-in',
      exportAs('pem'),
      '-noout',
      '-fingerprint',
      '-sha256',
    ]);
    const p7 = run('openssl', ['pkcs7', '-in', exportAs('p7b'), '-print_certs', '-noout']);

    expect(leafFingerprint).toMatch(/Fingerprint=/);
    expect(p7).toMatch(/subject=CN ?= ?interop\.example/);
    expect(p7).toMatch(/subject=O ?= ?MazeVault, CN ?= ?Interop Root/);
    const again = json<ImportJson>(['import', '--vault', vault, out('pem')]);
    expect(again.entries[0]).toMatchObject({ outcome: 'existing', id: leafId });
  });

  it('writes PKCS#12 in both profiles that openssl and keytool open with the key', () => {
    for (const format of ['p12', 'p12-legacy']) {
      const path = exportAs(format, [
        '--with-key',
        '--yes',
        '--chain',
        '--password-file',
        passwordFile,
      ]);
      const args = ['pkcs12', '-in', path, '-passin', `pass:${FIXTURE_PASSWORD}`, '-nodes'];
      const legacy = format === 'p12-legacy' ? ['-legacy'] : [];
      const text = run('openssl', [...args, ...legacy]);
      expect(text).toContain('-----BEGIN PRIVATE KEY-----');
      expect(text).toMatch(/subject=CN ?= ?interop\.example/);

      const listing = keytool(
        '-list',
        '-v',
        '-storetype',
        'PKCS12',
        '-keystore',
        path,
        '-storepass',
        FIXTURE_PASSWORD,
      );
      expect(listing).toMatch(/Entry type: PrivateKeyEntry/);
      expect(listing).toMatch(/Certificate chain length: 2/);
    }
  });

  it('writes JKS and JCEKS that keytool lists with the key entry and its chain', () => {
    for (const format of ['jks', 'jceks']) {
      const path = exportAs(format, [
        '--with-key',
        '--yes',
        '--chain',
        '--password-file',
        passwordFile,
      ]);
      const listing = keytool(
        '-list',
        '-v',
        '-storetype',
        format.toUpperCase(),
        '-keystore',
        path,
        '-storepass',
        FIXTURE_PASSWORD,
      );
      expect(listing).toMatch(/Entry type: PrivateKeyEntry/);
      expect(listing).toMatch(/Owner: CN=interop.example/);
      expect(listing).toMatch(/Certificate chain length: 2/);
    }
  });

  it('writes a PKCS#8 key that openssl pkey reads and that matches the certificate', () => {
    const keyPath = exportAs('pkcs8-encrypted', ['--yes', '--password-file', passwordFile]);
    const fromKey = run('openssl', [
      'pkey',
      '-in',
      keyPath,
      '-passin',
      `pass:${FIXTURE_PASSWORD}`,
      '-pubout',
    ]);
    const fromCert = run('openssl', ['x509', '-in', out('pem'), '-noout', '-pubkey']);
    expect(fromKey).toBe(fromCert);
  });

  it('writes a CSR signed by the certificate key and the CA CRL, both read by openssl', () => {
    const csr = exportAs('csr');
    const request = spawnSync(
      'openssl',
      ['req', '-in', csr, '-noout', '-verify', '-subject', '-text'],
      {
        encoding: 'utf8',
      },
    );
    expect(request.status).toBe(0);
    expect(`${request.stdout}${request.stderr}`).toMatch(/verify OK/i);
    expect(request.stdout).toContain('DNS:interop.example');
    const fromCsr = run('openssl', ['req', '-in', csr, '-noout', '-pubkey']);
    expect(fromCsr).toBe(run('openssl', ['x509', '-in', out('pem'), '-noout', '-pubkey']));

    const crl = exportAs('crl', ['--encoding', 'der'], rootId);
    const crlText = run('openssl', ['crl', '-inform', 'DER', '-in', crl, '-noout', '-issuer']);
    expect(crlText).toMatch(/CN ?= ?Interop Root/);
    const noCrl = mazevault([
      'export',
      '--vault',
      vault,
      leafId,
      '--format',
      'crl',
      '--out',
      out('none.crl'),
    ]);
    expect(noCrl.status).not.toBe(0);
    expect(noCrl.stderr).toMatch(/is not a CA certificate, so it issues no CRLs/);
  });

  it('validates the issued leaf for server-auth and prints every check', () => {
    const result = json<{ valid: boolean; checks: { check: string; ok: boolean }[] }>([
      'validate',
      '--vault',
      vault,
      leafId,
      '--purpose',
      'server-auth',
    ]);
    expect(result.valid).toBe(true);
    expect(result.checks.map((c) => c.check)).toEqual(
      expect.arrayContaining(['signature', 'revocation']),
    );

    const revoked = mazevault(['validate', '--vault', vault, pki.path('leaf.pem')]);
    expect(revoked.status).not.toBe(0);
    expect(revoked.stdout).toMatch(/FAIL revocation/);
    expect(revoked.stderr).toMatch(/failed the revocation check/);
  });

  it('inspects a file without a vault and says when a password is missing', () => {
    const ok = json<{ format: string; certificates: unknown[] }>(['inspect', exportAs('p7b-der')]);
    expect(ok.format).toBe('pkcs7');
    expect(ok.certificates).toHaveLength(2);

    const locked = mazevault(['inspect', out('p12')]);
    expect(locked.status).not.toBe(0);
    expect(locked.stderr).toMatch(/password/);
  });
});
