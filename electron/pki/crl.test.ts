import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { CrlService } from './crl';
import { validatePath } from './validate/validate';
import { RevocationService } from './revocation';
import { createTestVault, openssl, writePem, type TestVault } from './test-support';

let t: TestVault;
let crls: CrlService;
let revocation: RevocationService;

beforeEach(async () => {
  t = await createTestVault();
  crls = new CrlService(t.services.vault, t.services.keys, t.services.certificates);
  revocation = new RevocationService(t.services.vault, t.services.keys, t.services.certificates);
});
afterEach(() => t.cleanup());

async function hierarchy(leaves: number) {
  const { issuance } = t.services;
  const root = await issuance.createRoot({
    subject: 'CN=CRL Test Root,O=Acme,C=DE',
    key: { algorithm: 'ec-p256' },
    validity: { years: 20 },
  });
  const issued = [];
  for (let i = 0; i < leaves; i += 1) {
    const leaf = await issuance.issueEndEntity({
      issuerCertId: root.certificate.id,
      profile: 'tls-server',
      subject: `CN=host${i}.example.com`,
      sans: [`DNS:host${i}.example.com`],
      key: { algorithm: 'ec-p256' },
      validity: { days: 90 },
    });
    issued.push(leaf.certificate);
  }
  return { root: root.certificate, leaves: issued };
}

describe('CrlService', () => {
  it('lists a revoked certificate in the next CRL with its reason, and openssl crl and verify -crl_check agree', async () => {
    const { root, leaves } = await hierarchy(3);
    const [compromised, superseded, good] = leaves as [
      (typeof leaves)[0],
      (typeof leaves)[0],
      (typeof leaves)[0],
    ];
    revocation.revoke(compromised.id, {
      reason: 'key-compromise',
      invalidityDate: '2025-01-01T00:00:00Z',
    });
    revocation.revoke(superseded.id, { reason: 'superseded' });

    const issued = await crls.issue(root.id);
    expect(issued.crl.crlNumber).toBe(1);
    expect(issued.crl.entries).toBe(2);
    const rootPem = writePem(t.dir, 'root', t.services.certificates.der(root.id));
    const crlPath = join(t.dir, 'root.crl.pem');
    writeFileSync(crlPath, crls.export(issued.crl.id, 'pem'));

    const text = openssl(['crl', '-in', crlPath, '-CAfile', rootPem, '-noout', '-text']);
    expect(text.stderr).toMatch(/verify OK/);
    expect(text.stdout).toMatch(
      new RegExp(`Serial Number: ${compromised.serial.toUpperCase()}[\\s\\S]*?Key Compromise`),
    );
    expect(text.stdout).toMatch(/Invalidity Date:\s*\n?\s*Jan {2}1 00:00:00 2025 GMT/);
    expect(text.stdout).toMatch(
      new RegExp(`Serial Number: ${superseded.serial.toUpperCase()}[\\s\\S]*?Superseded`),
    );
    expect(text.stdout).toMatch(/X509v3 CRL Number:\s*\n\s*1\b/);
    expect(text.stdout).toMatch(/X509v3 Authority Key Identifier/);

    const verdicts = leaves.map((leaf) => {
      const leafPem = writePem(t.dir, `leaf-${leaf.id}`, t.services.certificates.der(leaf.id));
      return openssl(['verify', '-crl_check', '-CAfile', rootPem, '-CRLfile', crlPath, leafPem]);
    });
    expect(verdicts[0]!.stdout + verdicts[0]!.stderr).toMatch(/certificate revoked/);
    expect(verdicts[1]!.stdout + verdicts[1]!.stderr).toMatch(/certificate revoked/);
    expect(verdicts[2]!.status).toBe(0);
    expect(verdicts[2]!.stdout).toMatch(/: OK/);
    expect(revocation.status(good.id)).toEqual({ revoked: false });
    expect(revocation.status(compromised.id)).toMatchObject({
      revoked: true,
      reason: 'key-compromise',
    });
  });

  it('numbers CRLs monotonically and puts only newer revocations in a delta CRL', async () => {
    const { root, leaves } = await hierarchy(2);
    revocation.revoke(leaves[0]!.id, { reason: 'cessation-of-operation' });
    const first = await crls.issue(root.id);
    revocation.revoke(leaves[1]!.id, { reason: 'affiliation-changed' });
    const delta = await crls.issue(root.id, { delta: true });
    const second = await crls.issue(root.id);

    expect([first.crl.crlNumber, delta.crl.crlNumber, second.crl.crlNumber]).toEqual([1, 2, 3]);
    expect(delta.crl.baseCrlNumber).toBe(1);
    expect(delta.crl.entries).toBe(1);
    expect(second.crl.entries).toBe(2);
    expect(crls.policy(root.id).lastCrlNumber).toBe(3);

    const rootPem = writePem(t.dir, 'root', t.services.certificates.der(root.id));
    const deltaPath = join(t.dir, 'delta.crl');
    writeFileSync(deltaPath, crls.export(delta.crl.id, 'der'));
    const text = openssl([
      'crl',
      '-inform',
      'DER',
      '-in',
      deltaPath,
      '-CAfile',
      rootPem,
      '-noout',
      '-text',
    ]);
    expect(text.stderr).toMatch(/verify OK/);
    expect(text.stdout).toMatch(/X509v3 Delta CRL Indicator: critical\s*\n\s*1\b/);
    expect(text.stdout).toContain(leaves[1]!.serial.toUpperCase());
    expect(text.stdout).not.toContain(leaves[0]!.serial.toUpperCase());
  });

  it('takes thisUpdate and nextUpdate from the CA CRL policy', async () => {
    const { root } = await hierarchy(0);
    crls.setPolicy(root.id, {
      nextUpdateHours: 48,
      distributionPoint: 'http://pki.example.com/root.crl',
    });
    const now = new Date('2030-06-01T12:00:00Z');
    const issued = await crls.issue(root.id, { now });
    expect(issued.crl.thisUpdate).toBe('2030-06-01T12:00:00.000Z');
    expect(issued.crl.nextUpdate).toBe('2030-06-03T12:00:00.000Z');
    expect(issued.crl.entries).toBe(0);
    expect(crls.distributionPoint(root.id)).toBe('http://pki.example.com/root.crl');

    const crlPath = join(t.dir, 'empty.crl');
    writeFileSync(crlPath, issued.der);
    const text = openssl(['crl', '-inform', 'DER', '-in', crlPath, '-noout', '-text']);
    expect(text.stdout).toMatch(/No Revoked Certificates/);
    expect(text.stdout).toMatch(/Next Update: Jun {2}3 12:00:00 2030 GMT/);
  });

  it('puts the CA policy distribution point into certificates the CA issues afterwards', async () => {
    const { root } = await hierarchy(0);
    t.services.crls.setPolicy(root.id, { distributionPoint: 'http://pki.example.com/root.crl' });
    const { certificate } = await t.services.issuance.issueEndEntity({
      issuerCertId: root.id,
      profile: 'tls-server',
      subject: 'CN=cdp.example.com',
      sans: ['DNS:cdp.example.com'],
      key: { algorithm: 'ec-p256' },
      validity: { days: 90 },
    });
    const leafPath = join(t.dir, 'cdp-leaf.der');
    writeFileSync(leafPath, t.services.certificates.der(certificate.id));
    const text = openssl(['x509', '-inform', 'DER', '-in', leafPath, '-noout', '-text']);
    expect(text.stdout).toMatch(
      /CRL Distribution Points:[\s\S]*URI:http:\/\/pki\.example\.com\/root\.crl/,
    );
  });

  it('refuses a delta CRL before any complete CRL, and a CRL from a certificate that is not a CA', async () => {
    const { root, leaves } = await hierarchy(1);
    const delta = await crls.issue(root.id, { delta: true }).catch((e: unknown) => e);
    expect(delta).toBeInstanceOf(MazeVaultError);
    expect((delta as MazeVaultError).message).toMatch(/no complete CRL yet/);
    const notCa = await crls.issue(leaves[0]!.id).catch((e: unknown) => e);
    expect((notCa as MazeVaultError).code).toBe('INVALID_INPUT');
  });

  it('refuses to sign a CRL with a deactivated CA key, through the key lifecycle', async () => {
    const { root } = await hierarchy(0);
    await t.services.keys.transition(root.keyId!, 'deactivated', 'test');
    const error = await crls.issue(root.id).catch((e: unknown) => e);
    expect((error as MazeVaultError).code).toBe('FORBIDDEN_BY_LIFECYCLE');
  });
});

describe('a CRL that is not issued after all', () => {
  function crlState(issuerId: string) {
    const db = t.services.vault.db;
    return {
      stored: (
        db
          .prepare('SELECT COUNT(*) AS n FROM issued_crls WHERE issuer_cert_id = ?')
          .get(issuerId) as {
          n: number;
        }
      ).n,
      lastNumber: crls.policy(issuerId).lastCrlNumber,
      audited: (
        db
          .prepare(
            `SELECT COUNT(*) AS n FROM audit_events WHERE action = 'crl.issue' AND subject = ?`,
          )
          .get(issuerId) as { n: number }
      ).n,
    };
  }

  it('uses up no CRL number, stores nothing and audits no success when the delivery fails', async () => {
    const { root } = await hierarchy(0);
    await crls.issue(root.id);
    const failed = await crls
      .issue(root.id, {
        deliver: () => {
          throw new MazeVaultError('IO_ERROR', 'Cannot write /nowhere/a.crl: ENOENT.');
        },
      })
      .catch((e: unknown) => e);
    expect((failed as MazeVaultError).code).toBe('IO_ERROR');
    expect(crlState(root.id)).toEqual({ stored: 1, lastNumber: 1, audited: 1 });

    let delivered: Buffer | undefined;
    const next = await crls.issue(root.id, { deliver: (der) => (delivered = der) });
    expect(next.crl.crlNumber).toBe(2);
    expect(delivered).toEqual(next.der);
    const path = join(t.dir, 'next.crl');
    writeFileSync(path, delivered!);
    expect(openssl(['crl', '-inform', 'DER', '-in', path, '-noout', '-crlnumber']).stdout).toMatch(
      /crlNumber=0x02/,
    );
  });

  it('uses up no CRL number when the CA key cannot sign (a token without its PIN)', async () => {
    const { root } = await hierarchy(0);
    const sign = vi
      .spyOn(t.services.keys, 'sign')
      .mockRejectedValueOnce(
        new MazeVaultError(
          'TOKEN_ERROR',
          'Token 1234 is not logged in; log in with its user PIN first.',
        ),
      );
    const failed = await crls.issue(root.id).catch((e: unknown) => e);
    sign.mockRestore();
    expect((failed as MazeVaultError).code).toBe('TOKEN_ERROR');
    expect(crlState(root.id)).toEqual({ stored: 0, lastNumber: 0, audited: 0 });
    expect((await crls.issue(root.id)).crl.crlNumber).toBe(1);
  });

  it('refuses clearly, and stores one CRL only, when two CRLs of one CA are signed at once', async () => {
    const { root } = await hierarchy(1);
    const results = await Promise.allSettled([crls.issue(root.id), crls.issue(root.id)]);
    const issued = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(issued).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const reason = (refused[0] as PromiseRejectedResult).reason as MazeVaultError;
    expect(reason.code).toBe('BUSY');
    expect(reason.message).toMatch(
      /took number 1 while this one was being signed.*Issue the CRL again/,
    );
    expect(crlState(root.id)).toEqual({ stored: 1, lastNumber: 1, audited: 1 });
    expect((await crls.issue(root.id)).crl.crlNumber).toBe(2);
  });
});

describe('CRLs in path validation', () => {
  it('makes validatePath report a revoked vault certificate as revoked, with its reason', async () => {
    const { root, leaves } = await hierarchy(2);
    revocation.revoke(leaves[0]!.id, { reason: 'key-compromise' });
    await crls.issue(root.id);
    const der = (id: string) => t.services.certificates.der(id);
    const input = {
      intermediates: [],
      trustAnchors: [der(root.id)],
      crls: crls.currentCrls(),
      at: new Date(),
    };

    const revoked = validatePath({ ...input, leaf: der(leaves[0]!.id) });
    expect(revoked.valid).toBe(false);
    const check = revoked.checks.find((c) => c.check === 'revocation' && !c.ok);
    expect(check?.detail).toMatch(/keyCompromise/);

    const good = validatePath({ ...input, leaf: der(leaves[1]!.id) });
    expect(good.valid).toBe(true);
    expect(good.checks.find((c) => c.check === 'revocation')?.ok).toBe(true);
  });
});
