import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { createTestVault, openssl, TEST_PASSPHRASE, type TestVault } from '../pki/test-support';

let t: TestVault;
let leafId: string;
let leafKeyId: string;

beforeEach(async () => {
  t = await createTestVault();
  const { issuance } = t.services;
  const root = await issuance.createRoot({
    subject: 'CN=Export Root,O=Acme',
    key: { algorithm: 'ec-p384' },
    validity: { years: 20 },
  });
  const sub = await issuance.issueSubordinate({
    issuerCertId: root.certificate.id,
    subject: 'CN=Export Sub,O=Acme',
    key: { algorithm: 'ec-p256' },
    validity: { years: 10 },
  });
  const leaf = await issuance.issueEndEntity({
    issuerCertId: sub.certificate.id,
    profile: 'tls-server',
    subject: 'CN=shop.example.com',
    sans: ['DNS:shop.example.com'],
    key: { algorithm: 'rsa-2048' },
    validity: { days: 90 },
  });
  leafId = leaf.certificate.id;
  leafKeyId = leaf.key!.id;
});
afterEach(() => t.cleanup());

async function rejection(promise: Promise<unknown>): Promise<MazeVaultError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MazeVaultError);
  return error as MazeVaultError;
}

function save(name: string, bytes: Buffer): string {
  const path = join(t.dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('ExportService', () => {
  it('exports a PKCS#12 with key and chain that openssl pkcs12 and keytool -list open', async () => {
    const bytes = await t.services.exports.exportCertificate(leafId, {
      format: 'p12',
      chain: true,
      withKey: true,
      password: 'export-pass-1',
      friendlyName: 'shop',
      destination: 'shop.p12',
      confirmed: true,
    });
    const path = save('shop.p12', bytes);

    const info = openssl([
      'pkcs12',
      '-in',
      path,
      '-info',
      '-nodes',
      '-passin',
      'pass:export-pass-1',
    ]);
    expect(info.status).toBe(0);
    expect(info.stderr).toContain('PBES2, PBKDF2, AES-256-CBC');
    expect(info.stderr).toContain('MAC: sha256');
    expect(info.stdout.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    expect(info.stdout).toContain('BEGIN PRIVATE KEY');

    const keytool = spawnSync(
      'keytool',
      ['-list', '-keystore', path, '-storetype', 'PKCS12', '-storepass', 'export-pass-1'],
      {
        encoding: 'utf8',
      },
    );
    expect(keytool.status).toBe(0);
    expect(keytool.stdout).toMatch(/shop, .*PrivateKeyEntry/);

    const events = t.services.vault.audit.list({ action: 'key.export' });
    expect(events[0]).toMatchObject({
      subject: leafKeyId,
      outcome: 'success',
      details: { format: 'p12', destination: 'shop.p12' },
    });
    const exported = t.services.vault.audit.list({ action: 'export.certificate' });
    expect(exported[0]).toMatchObject({
      subject: leafId,
      details: { format: 'p12', withKey: true, chain: true },
    });
  });

  it('exports the legacy 3DES PKCS#12 profile for old Windows', async () => {
    const bytes = await t.services.exports.exportCertificate(leafId, {
      format: 'p12-legacy',
      withKey: true,
      password: 'export-pass-1',
      destination: 'legacy.p12',
      confirmed: true,
    });
    const path = save('legacy.p12', bytes);
    const info = openssl([
      'pkcs12',
      '-in',
      path,
      '-info',
      '-nodes',
      '-legacy',
      '-passin',
      'pass:export-pass-1',
    ]);
    expect(info.status).toBe(0);
    expect(info.stderr).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC');
    expect(info.stderr).toContain('MAC: sha1');
  });

  it('exports an encrypted PKCS#8 that openssl pkey opens with the password', async () => {
    const bytes = await t.services.exports.exportCertificate(leafId, {
      format: 'pkcs8-encrypted',
      password: 'export-pass-1',
      destination: 'shop.key',
      confirmed: true,
    });
    expect(bytes.toString('utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    const path = save('shop.key', bytes);
    const opened = openssl(['pkey', '-in', path, '-passin', 'pass:export-pass-1', '-pubout']);
    expect(opened.status).toBe(0);
    const wrong = openssl(['pkey', '-in', path, '-passin', 'pass:wrong-password', '-noout']);
    expect(wrong.status).not.toBe(0);

    // The key in the file is the certificate's key.
    const certPem = await t.services.exports.exportCertificate(leafId, {
      format: 'pem',
      destination: 'shop.pem',
    });
    const fromCert = openssl(['x509', '-noout', '-pubkey'], certPem);
    expect(opened.stdout).toBe(fromCert.stdout);
  });

  it('writes plain pkcs8 unencrypted and refuses a password with it (newcomer finding #10)', async () => {
    const plain = await t.services.exports.exportCertificate(leafId, {
      format: 'pkcs8',
      destination: 'plain.key',
      confirmed: true,
    });
    expect(plain.toString('utf8')).toContain('-----BEGIN PRIVATE KEY-----');

    const error = await rejection(
      t.services.exports.exportCertificate(leafId, {
        format: 'pkcs8',
        password: 'export-pass-1',
        destination: 'x.key',
        confirmed: true,
      }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/unencrypted .* choose 'pkcs8-encrypted'/);
    expect(t.services.vault.audit.list({ action: 'key.export' })).toHaveLength(1);
  });

  it('refuses a private key export without confirmation', async () => {
    const error = await rejection(
      t.services.exports.exportCertificate(leafId, {
        format: 'p12',
        withKey: true,
        password: 'export-pass-1',
        destination: 'x.p12',
      }),
    );
    expect(error.code).toBe('CONFIRMATION_REQUIRED');
    expect(t.services.vault.audit.list({ action: 'key.export' })).toHaveLength(0);
  });

  it('refuses a private key export while the vault is locked', async () => {
    t.services.vault.lock();
    const error = await rejection(
      t.services.exports.exportCertificate(leafId, {
        format: 'pkcs8-encrypted',
        password: 'export-pass-1',
        destination: 'x.key',
        confirmed: true,
      }),
    );
    expect(error.code).toBe('VAULT_LOCKED');
    await t.services.vault.unlock(TEST_PASSPHRASE);
  });

  it('refuses to export the key once it is deactivated (no backup in that state)', async () => {
    await t.services.keys.transition(leafKeyId, 'deactivated', 'server retired');
    const error = await rejection(
      t.services.exports.exportCertificate(leafId, {
        format: 'p12',
        withKey: true,
        password: 'export-pass-1',
        destination: 'x.p12',
        confirmed: true,
      }),
    );
    expect(error.code).toBe('FORBIDDEN_BY_LIFECYCLE');
  });

  it('exports the chain as PKCS#7 and as a PEM bundle, leaf first', async () => {
    const p7b = await t.services.exports.exportCertificate(leafId, {
      format: 'p7b',
      destination: 'chain.p7b',
    });
    const printed = openssl(['pkcs7', '-print_certs', '-noout'], p7b);
    expect(printed.status).toBe(0);
    expect(printed.stdout.match(/subject=/g)).toHaveLength(3);

    const bundle = await t.services.exports.exportCertificate(leafId, {
      format: 'pem',
      chain: true,
      destination: 'chain.pem',
    });
    const subjects = [
      ...bundle
        .toString('utf8')
        .matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g),
    ].map((block) => openssl(['x509', '-noout', '-subject'], Buffer.from(block[0])).stdout.trim());
    expect(subjects).toEqual([
      'subject=CN = shop.example.com',
      'subject=O = Acme, CN = Export Sub',
      'subject=O = Acme, CN = Export Root',
    ]);
  });

  it('exports a single certificate as DER that openssl reads', async () => {
    const der = await t.services.exports.exportCertificate(leafId, {
      format: 'der',
      destination: 'shop.cer',
    });
    expect(der).toEqual(t.services.certificates.der(leafId));
    const read = openssl(['x509', '-inform', 'DER', '-noout', '-subject'], der);
    expect(read.stdout.trim()).toBe('subject=CN = shop.example.com');
  });
});
