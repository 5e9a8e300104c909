import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { createLifecycleServices, type LifecycleServices } from './lifecycle-services';
import { subjectAltNamesOf } from './renewal-terms';
import { certificateFacts } from './certificate-facts';
import { createTestVault, openssl, writePem, type TestVault } from './test-support';

let t: TestVault;
let life: LifecycleServices;

beforeEach(async () => {
  t = await createTestVault();
  const { vault, keys, certificates, issuance } = t.services;
  life = createLifecycleServices(vault, keys, certificates, issuance);
});
afterEach(() => t.cleanup());

async function serverCertificate() {
  const { issuance } = t.services;
  const root = await issuance.createRoot({
    subject: 'CN=Renewal Root,O=Acme,C=DE',
    key: { algorithm: 'ec-p256' },
    validity: { years: 20 },
  });
  const leaf = await issuance.issueEndEntity({
    issuerCertId: root.certificate.id,
    profile: 'tls-server',
    subject: 'CN=api.example.com,O=Acme',
    sans: ['DNS:api.example.com', 'IP:192.0.2.10'],
    key: { algorithm: 'ec-p256' },
    validity: { days: 120 },
    crlDistributionPoint: 'http://crl.example.com/renewal-root.crl',
  });
  return { root: root.certificate, leaf: leaf.certificate, leafKey: leaf.key! };
}

describe('RenewalService', () => {
  it('gives a new key and a certificate linked to its predecessor under Regenerate, and deactivates the old key', async () => {
    const { root, leaf, leafKey } = await serverCertificate();
    const result = await life.renewal.renew(leaf.id);

    expect(result.keyPolicy).toBe('regenerate');
    expect(result.key!.id).not.toBe(leafKey.id);
    expect(result.certificate.spkiSha256).not.toBe(leaf.spkiSha256);
    expect(result.certificate.subject).toBe(leaf.subject);
    expect(result.certificate.issuerCertId).toBe(root.id);
    const predecessor = t.services.vault.db
      .prepare('SELECT predecessor_id FROM certificates WHERE id = ?')
      .get(result.certificate.id) as { predecessor_id: string };
    expect(predecessor.predecessor_id).toBe(leaf.id);
    expect(life.renewal.successorOf(leaf.id)?.id).toBe(result.certificate.id);
    expect(life.renewal.predecessorOf(result.certificate.id)?.id).toBe(leaf.id);
    expect(life.renewal.predecessorOf(leaf.id)).toBeUndefined();
    expect(result.deactivatedKeyId).toBe(leafKey.id);
    expect(t.services.keys.get(leafKey.id).state).toBe('deactivated');

    const facts = certificateFacts(t.services.certificates.der(result.certificate.id));
    expect(subjectAltNamesOf(facts.certificate, leaf.subject)).toEqual([
      'DNS:api.example.com',
      'IP:192.0.2.10',
    ]);
    const days = (facts.notAfter.getTime() + 1000 - facts.notBefore.getTime()) / 86_400_000;
    expect(days).toBe(120);

    const rootPem = writePem(t.dir, 'root', t.services.certificates.der(root.id));
    const leafPem = writePem(t.dir, 'renewed', t.services.certificates.der(result.certificate.id));
    const text = openssl(['x509', '-in', leafPem, '-noout', '-text']).stdout;
    expect(text).toMatch(/URI:http:\/\/crl\.example\.com\/renewal-root\.crl/);
    expect(openssl(['verify', '-CAfile', rootPem, leafPem]).stdout.trim()).toBe(`${leafPem}: OK`);
  });

  it('keeps the SPKI under Reuse and leaves the key Active', async () => {
    const { leaf, leafKey } = await serverCertificate();
    const result = await life.renewal.renew(leaf.id, { keyPolicy: 'reuse' });
    expect(result.key!.id).toBe(leafKey.id);
    expect(result.certificate.spkiSha256).toBe(leaf.spkiSha256);
    expect(result.certificate.serial).not.toBe(leaf.serial);
    expect(result.deactivatedKeyId).toBeNull();
    expect(t.services.keys.get(leafKey.id).state).toBe('active');
  });

  it('applies edits to subject and SANs and still enforces the validity policy', async () => {
    const { leaf } = await serverCertificate();
    const tooLong = await life.renewal
      .renew(leaf.id, { validity: { days: 800 } })
      .catch((e: unknown) => e);
    expect((tooLong as MazeVaultError).code).toBe('POLICY_VIOLATION');

    const edited = await life.renewal.renew(leaf.id, {
      subject: 'CN=api2.example.com',
      sans: ['DNS:api2.example.com'],
    });
    const facts = certificateFacts(t.services.certificates.der(edited.certificate.id));
    expect(edited.certificate.subject).toBe('CN=api2.example.com');
    expect(subjectAltNamesOf(facts.certificate, edited.certificate.subject)).toEqual([
      'DNS:api2.example.com',
    ]);
  });

  it('refuses to renew a certificate twice, pointing at its successor', async () => {
    const { leaf } = await serverCertificate();
    const first = await life.renewal.renew(leaf.id, { keyPolicy: 'reuse' });
    const error = await life.renewal.renew(leaf.id).catch((e: unknown) => e);
    expect((error as MazeVaultError).code).toBe('DUPLICATE');
    expect((error as MazeVaultError).message).toContain(first.certificate.id);
  });

  it('revokes the predecessor as superseded when asked', async () => {
    const { leaf } = await serverCertificate();
    await life.renewal.renew(leaf.id, { revokePredecessor: true });
    expect(life.revocation.status(leaf.id)).toMatchObject({ revoked: true, reason: 'superseded' });
  });
});
