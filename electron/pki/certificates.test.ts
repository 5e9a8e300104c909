import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { certificateListQuery } from './certificates';
import { createTestVault, type TestVault } from './test-support';

let t: TestVault;
beforeEach(async () => {
  t = await createTestVault();
});
afterEach(() => t.cleanup());

/** An OpenSSL-made CA and leaf, DER, as an officer would import them. */
function opensslPair(): { ca: Buffer; leaf: Buffer } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: t.dir, stdio: 'ignore' });
  run([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-subj',
    '/O=Outside/CN=Outside CA',
    '-days',
    '3650',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-outform',
    'DER',
    '-out',
    'ca.der',
  ]);
  run([
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'leaf.key',
    '-subj',
    '/CN=outside.example.com',
    '-out',
    'leaf.csr',
  ]);
  run([
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.der',
    '-CAform',
    'DER',
    '-CAkey',
    'ca.key',
    '-days',
    '90',
    '-outform',
    'DER',
    '-out',
    'leaf.der',
  ]);
  return { ca: readFileSync(join(t.dir, 'ca.der')), leaf: readFileSync(join(t.dir, 'leaf.der')) };
}

describe('CertificateService', () => {
  it('stores an imported certificate once and returns the existing one for a duplicate', () => {
    const { ca } = opensslPair();
    const first = t.services.certificates.insert(ca, { source: 'import:ca.der' });
    const second = t.services.certificates.insert(ca, { source: 'import:again.der' });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.certificate.id).toBe(first.certificate.id);
    expect(t.services.certificates.list()).toHaveLength(1);
    expect(t.services.vault.audit.list({ action: 'cert.import' })).toHaveLength(1);

    const fingerprint = execFileSync(
      'openssl',
      ['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'],
      {
        input: ca,
        encoding: 'utf8',
      },
    );
    expect(fingerprint.trim().split('=')[1]!.replace(/:/g, '').toLowerCase()).toBe(
      first.certificate.sha256,
    );
    expect(first.certificate).toMatchObject({
      subject: 'CN=Outside CA,O=Outside',
      isCa: true,
      issuerCertId: null,
      keyId: null,
    });
  });

  it('links an imported leaf to its issuer by name and signature, and builds its chain', () => {
    const { ca, leaf } = opensslPair();
    const caRecord = t.services.certificates.insert(ca, { source: 'import' }).certificate;
    const leafRecord = t.services.certificates.insert(leaf, { source: 'import' }).certificate;
    expect(leafRecord.issuerCertId).toBe(caRecord.id);
    expect(leafRecord.isCa).toBe(false);
    const chain = t.services.certificates.chain(leafRecord.id);
    expect(chain).toHaveLength(2);
    expect(chain[0]).toEqual(leaf);
    expect(chain[1]).toEqual(ca);
  });

  it('links an imported certificate to the vault key that holds its public key', async () => {
    const key = await t.services.keys.generate({ algorithm: 'ec-p256', label: 'for a CSR' });
    const csr = await t.services.issuance.createCsr({
      keyId: key.id,
      subject: 'CN=linked.example.com',
    });
    const csrPem = `-----BEGIN CERTIFICATE REQUEST-----\n${csr.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const { ca } = opensslPair();
    const der = execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-CA',
        'ca.der',
        '-CAform',
        'DER',
        '-CAkey',
        'ca.key',
        '-days',
        '90',
        '-outform',
        'DER',
      ],
      { cwd: t.dir, input: csrPem },
    );
    t.services.certificates.insert(ca, { source: 'import' });
    const record = t.services.certificates.insert(der, { source: 'import' }).certificate;
    expect(record.keyId).toBe(key.id);
  });

  it('filters by CA flag, issuer, search text, serial and expiry, with paging', async () => {
    const { issuance, certificates } = t.services;
    const root = await issuance.createRoot({
      subject: 'CN=Filter Root',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const leaves = [];
    for (const name of ['alpha', 'beta', 'gamma']) {
      leaves.push(
        await issuance.issueEndEntity({
          issuerCertId: root.certificate.id,
          profile: 'tls-server',
          subject: `CN=${name}.example.com`,
          sans: [`DNS:${name}.example.com`],
          key: { algorithm: 'ec-p256' },
          validity: { days: name === 'alpha' ? 100 : 300 },
        }),
      );
    }
    expect(certificates.list({ isCa: true }).map((c) => c.id)).toEqual([root.certificate.id]);
    expect(certificates.list({ isCa: false })).toHaveLength(3);
    expect(certificates.list({ issuerCertId: root.certificate.id })).toHaveLength(3);
    expect(certificates.list({ search: 'beta.example' }).map((c) => c.subject)).toEqual([
      'CN=beta.example.com',
    ]);
    expect(certificates.list({ search: leaves[2]!.certificate.serial.toUpperCase() })).toHaveLength(
      1,
    );
    const soon = new Date(Date.now() + 200 * 86_400_000).toISOString();
    expect(certificates.list({ expiringBefore: soon }).map((c) => c.subject)).toEqual([
      'CN=alpha.example.com',
    ]);
    const page1 = certificates.list({ isCa: false, limit: 2 });
    const page2 = certificates.list({ isCa: false, limit: 2, offset: 2 });
    expect(page1).toHaveLength(2);
    expect(page2).toHaveLength(1);
    expect(new Set([...page1, ...page2].map((c) => c.id)).size).toBe(3);
    expect(certificates.list({ status: 'revoked' })).toHaveLength(0);
  });

  it('answers the issuer and expiry lists from indexes, not table scans', () => {
    const plan = (filter: Parameters<typeof certificateListQuery>[0]) => {
      const { sql, params } = certificateListQuery(filter);
      const rows = t.services.vault.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as {
        detail: string;
      }[];
      return rows.map((row) => row.detail).join('\n');
    };
    expect(plan({ issuerCertId: 'cert_x' })).toMatch(
      /SEARCH certificates USING INDEX certificates_issuer(_status)? /,
    );
    expect(plan({ expiringBefore: new Date().toISOString() })).toMatch(
      /SEARCH certificates USING INDEX certificates_not_after/,
    );
    expect(plan({ keyId: 'key_x' })).toMatch(/SEARCH certificates USING INDEX certificates_key/);
  });

  it('says which id is missing', () => {
    try {
      t.services.certificates.get('cert_missing');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MazeVaultError);
      expect((error as MazeVaultError).code).toBe('NOT_FOUND');
      expect((error as MazeVaultError).message).toContain('cert_missing');
    }
  });

  it('refuses bytes that are not a certificate', () => {
    expect(() =>
      t.services.certificates.insert(Buffer.from('not a certificate'), { source: 'import' }),
    ).toThrow(/not a readable X.509 certificate/);
  });
});
