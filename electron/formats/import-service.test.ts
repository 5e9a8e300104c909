import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestVault, type TestVault } from '../pki/test-support';
import type { ImportItem } from './import-service';
import { FIXTURE_PASSWORD, makeOpensslPki, type OpensslPki } from './import-test-fixtures';

let pki: OpensslPki;
let vault: TestVault;

beforeAll(() => {
  pki = makeOpensslPki();
});
afterAll(() => pki.cleanup());
beforeEach(async () => {
  vault = await createTestVault();
});
afterEach(() => vault.cleanup());

function file(name: string, secrets?: ImportItem['secrets']): ImportItem {
  return { name, bytes: pki.read(name), ...(secrets ? { secrets } : {}) };
}

function rowCount(table: string): number {
  return (
    vault.services.vault.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }
  ).n;
}

describe('ImportService.preview', () => {
  it('says which password a PKCS#12 needs and writes nothing to the vault', async () => {
    const auditBefore = vault.services.vault.audit.count();
    const [preview] = await vault.services.imports.preview([file('leaf.p12')]);

    expect(preview!.format).toBe('pkcs12');
    expect(preview!.status).toBe('password');
    expect(preview!.passwordTarget).toEqual({ kind: 'file' });
    expect(preview!.passwordAttempted).toBe(false);
    expect(rowCount('certificates') + rowCount('keys')).toBe(0);
    expect(vault.services.vault.audit.count()).toBe(auditBefore);
  });

  it('lists subjects, fingerprints and the key paired with its certificate', async () => {
    const [preview] = await vault.services.imports.preview([file('leaf.p12')], {
      password: FIXTURE_PASSWORD,
    });

    expect(preview!.status).toBe('ready');
    const leaf = preview!.certificates.find((c) => c.sha256 === pki.fingerprint('leaf.pem'))!;
    expect(leaf.subject).toBe('CN=import.example');
    expect(leaf.inVault).toBeUndefined();
    expect(preview!.privateKeys).toHaveLength(1);
    expect(preview!.privateKeys[0]!.spkiSha256).toBe(pki.spkiSha256('leaf.key', 'key'));
    expect(preview!.privateKeys[0]!.chainSha256[0]).toBe(leaf.sha256);
    expect(leaf.keyIndex).toBe(0);
  });

  it('flags what the vault already holds by fingerprint', async () => {
    await vault.services.imports.import([file('root.pem')], { mode: 'internal' });
    const [preview] = await vault.services.imports.preview([file('chain.pem')]);

    const root = preview!.certificates.find((c) => c.sha256 === pki.fingerprint('root.pem'))!;
    const leaf = preview!.certificates.find((c) => c.sha256 === pki.fingerprint('leaf.pem'))!;
    expect(root.inVault).toMatch(/^cert_/);
    expect(leaf.inVault).toBeUndefined();
  });
});

describe('ImportService.import', () => {
  it('seals the key in internal mode and links the certificate to it by SPKI', async () => {
    const result = await vault.services.imports.import(
      [file('leaf.p12', { password: FIXTURE_PASSWORD })],
      { mode: 'internal' },
    );

    expect(result.counts).toEqual({ new: 3, existing: 0, skipped: 0, failed: 0 });
    const key = result.entries.find((e) => e.kind === 'private-key')!;
    expect(key.fingerprint).toBe(pki.spkiSha256('leaf.key', 'key'));
    const leaf = vault.services.certificates.findBySha256(pki.fingerprint('leaf.pem'))!;
    const root = vault.services.certificates.findBySha256(pki.fingerprint('root.pem'))!;
    expect(leaf.keyId).toBe(key.id);
    expect(leaf.storage).toBe('internal');
    expect(leaf.issuerCertId).toBe(root.id);
    expect(root.storage).toBe('none');
    expect(vault.services.keys.get(key.id!).label).toBe('import leaf');
  });

  it('reports everything as already there when the same file is imported again', async () => {
    const items = [file('leaf.p12', { password: FIXTURE_PASSWORD })];
    const first = await vault.services.imports.import(items, { mode: 'internal' });
    const second = await vault.services.imports.import(items, { mode: 'internal' });

    expect(second.counts).toEqual({ new: 0, existing: 3, skipped: 0, failed: 0 });
    expect(second.entries.map((e) => e.id).sort()).toEqual(first.entries.map((e) => e.id).sort());
    expect(rowCount('keys')).toBe(1);
  });

  it('keeps only the certificate in remote mode and records where the key lives', async () => {
    const result = await vault.services.imports.import(
      [file('leaf.p12', { password: FIXTURE_PASSWORD })],
      { mode: 'remote', remoteLocation: 'web01:/etc/ssl/private/import.key' },
    );

    expect(rowCount('keys')).toBe(0);
    expect(result.entries.find((e) => e.kind === 'private-key')!.outcome).toBe('skipped');
    const leaf = vault.services.certificates.findBySha256(pki.fingerprint('leaf.pem'))!;
    expect(leaf.storage).toBe('remote');
    expect(leaf.remoteLocation).toBe('web01:/etc/ssl/private/import.key');
    expect(vault.services.certificates.findBySha256(pki.fingerprint('root.pem'))!.storage).toBe(
      'none',
    );
  });

  it('refuses remote mode without saying where the key lives', async () => {
    await expect(
      vault.services.imports.import([file('leaf.pem')], { mode: 'remote' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /where the private keys live/ });
  });

  it('links a certificate already in the vault to the key imported later', async () => {
    await vault.services.imports.import([file('leaf.pem')], { mode: 'internal' });
    expect(vault.services.certificates.findBySha256(pki.fingerprint('leaf.pem'))!.keyId).toBeNull();

    const result = await vault.services.imports.import([file('leaf.key')], { mode: 'internal' });

    const keyId = result.entries[0]!.id;
    const leaf = vault.services.certificates.findBySha256(pki.fingerprint('leaf.pem'))!;
    expect(leaf.keyId).toBe(keyId);
    expect(leaf.storage).toBe('internal');
  });

  it('reports a damaged file and an unsupported key per item and keeps the rest', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    const result = await vault.services.imports.import(
      [
        { name: 'garbage.bin', bytes: Buffer.from([0x30, 0x82, 0x10, 0x00, 0x02]) },
        { name: 'weak.key', bytes: Buffer.from(weak) },
        file('chain.pem'),
      ],
      { mode: 'internal' },
    );

    const garbage = result.entries.find((e) => e.file === 'garbage.bin')!;
    expect(garbage).toMatchObject({ kind: 'file', outcome: 'failed' });
    expect(garbage.error!.code).toMatch(/TRUNCATED|MALFORMED/);
    const weakKey = result.entries.find((e) => e.file === 'weak.key')!;
    expect(weakKey).toMatchObject({ kind: 'private-key', outcome: 'failed' });
    expect(weakKey.error).toMatchObject({ code: 'UNSUPPORTED', message: /1024 bits/ });
    expect(result.counts.new).toBe(2);
    expect(rowCount('certificates')).toBe(2);
    expect(rowCount('keys')).toBe(0);
  });

  it('stores a CRL once and recognises it the second time', async () => {
    const first = await vault.services.imports.import([file('root.crl')], { mode: 'internal' });
    const second = await vault.services.imports.import([file('root.crl')], { mode: 'internal' });

    expect(first.entries[0]).toMatchObject({ kind: 'crl', outcome: 'new' });
    expect(first.entries[0]!.label).toContain('Import Test Root');
    expect(second.entries[0]).toMatchObject({
      kind: 'crl',
      outcome: 'existing',
      id: first.entries[0]!.id,
    });
    expect(rowCount('imported_crls')).toBe(1);
  });

  it('rolls back every file when cancelled during the store phase', async () => {
    const controller = new AbortController();
    const phases: string[] = [];
    const auditBefore = vault.services.vault.audit.count();

    await expect(
      vault.services.imports.import(
        [file('leaf.p12', { password: FIXTURE_PASSWORD }), file('root.crl')],
        {
          mode: 'internal',
          signal: controller.signal,
          onProgress: (progress) => {
            phases.push(progress.phase);
            if (progress.phase === 'store') controller.abort();
          },
        },
      ),
    ).rejects.toMatchObject({ code: 'CANCELLED' });

    expect(phases).toContain('store');
    expect(rowCount('certificates') + rowCount('keys') + rowCount('imported_crls')).toBe(0);
    expect(rowCount('secrets')).toBe(0);
    const events = vault.services.vault.audit.list({ action: 'import' });
    expect(vault.services.vault.audit.count()).toBe(auditBefore + 1);
    expect(events[0]).toMatchObject({ outcome: 'failure', details: { reason: 'cancelled' } });
    expect(vault.services.vault.audit.verify().ok).toBe(true);
  });

  it('audits each file with its format and counts and never the key', async () => {
    await vault.services.imports.import([file('leaf.p12', { password: FIXTURE_PASSWORD })], {
      mode: 'internal',
    });

    const [event] = vault.services.vault.audit.list({ action: 'import' });
    expect(event).toMatchObject({
      subject: 'leaf.p12',
      outcome: 'success',
      details: {
        file: 'leaf.p12',
        format: 'pkcs12',
        mode: 'internal',
        keysNew: 1,
        certificatesNew: 2,
      },
    });
    const keyDer = execFileSync('openssl', [
      'pkey',
      '-in',
      pki.path('leaf.key'),
      '-outform',
      'DER',
    ]);
    const everything = JSON.stringify(vault.services.vault.audit.list({ limit: 1000 }));
    for (const text of [keyDer.toString('base64'), keyDer.toString('hex')]) {
      expect(everything).not.toContain(text.slice(-40));
    }
    expect(everything).not.toContain(FIXTURE_PASSWORD);
  });

  it('imports a bundle in one transaction and reports progress up to the total', async () => {
    const progress: number[] = [];
    const result = await vault.services.imports.import(
      [file('chain.pem'), file('root.pem'), file('root.crl')],
      { mode: 'internal', onProgress: (p) => p.phase === 'store' && progress.push(p.done) },
    );

    expect(result.counts).toEqual({ new: 3, existing: 1, skipped: 0, failed: 0 });
    expect(progress.at(-1)).toBe(4);
  });
});
