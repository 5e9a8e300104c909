import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLifecycleServices, type LifecycleServices } from './lifecycle-services';
import { createTestVault, openssl, writePem, type TestVault } from './test-support';

let t: TestVault;
let life: LifecycleServices;

beforeEach(async () => {
  t = await createTestVault();
  const { vault, keys, certificates, issuance } = t.services;
  life = createLifecycleServices(vault, keys, certificates, issuance);
});
afterEach(() => t.cleanup());

function pem(name: string, certId: string): string {
  return writePem(t.dir, name, t.services.certificates.der(certId));
}

function verify(trusted: string, untrusted: string[], leaf: string): string {
  const args = ['verify', '-x509_strict', '-CAfile', trusted];
  for (const path of untrusted) args.push('-untrusted', path);
  const result = openssl([...args, leaf]);
  return (result.stdout + result.stderr).trim();
}

async function leafUnder(issuerCertId: string, name: string) {
  const leaf = await t.services.issuance.issueEndEntity({
    issuerCertId,
    profile: 'tls-server',
    subject: `CN=${name}`,
    sans: [`DNS:${name}`],
    key: { algorithm: 'ec-p256' },
    validity: { days: 90 },
  });
  return leaf.certificate;
}

describe('RolloverService', () => {
  it('rolls a root over with cross-certificates that openssl verify accepts from either root', async () => {
    const old = await t.services.issuance.createRoot({
      subject: 'CN=Rollover Root,O=Acme,C=DE',
      key: { algorithm: 'ec-p384' },
      validity: { years: 20 },
    });
    const oldLeaf = await leafUnder(old.certificate.id, 'old.example.com');

    const result = await life.rollover.rollover(old.certificate.id, { crossSign: true });
    expect(result.certificate.subject).toBe(old.certificate.subject);
    expect(result.key.id).not.toBe(old.key.id);
    expect(result.certificate.spkiSha256).not.toBe(old.certificate.spkiSha256);
    expect(t.services.keys.get(old.key.id).state).toBe('active');
    expect(life.renewal.successorOf(old.certificate.id)?.id).toBe(result.certificate.id);
    const newLeaf = await leafUnder(result.certificate.id, 'new.example.com');

    const oldRoot = pem('old-root', old.certificate.id);
    const newRoot = pem('new-root', result.certificate.id);
    const newWithOld = pem('new-with-old', result.crossCertificates!.newWithOld.id);
    const oldWithNew = pem('old-with-new', result.crossCertificates!.oldWithNew.id);
    const oldLeafPem = pem('old-leaf', oldLeaf.id);
    const newLeafPem = pem('new-leaf', newLeaf.id);

    expect(verify(newRoot, [], newLeafPem)).toBe(`${newLeafPem}: OK`);
    expect(verify(oldRoot, [newWithOld], newLeafPem)).toBe(`${newLeafPem}: OK`);
    expect(verify(oldRoot, [], oldLeafPem)).toBe(`${oldLeafPem}: OK`);
    expect(verify(newRoot, [oldWithNew], oldLeafPem)).toBe(`${oldLeafPem}: OK`);
    // Without the cross-certificate the other root does not vouch for it.
    expect(verify(oldRoot, [], newLeafPem)).not.toMatch(/: OK$/);
  });

  it('re-issues subordinate CAs under the new key on request, keeping their keys', async () => {
    const old = await t.services.issuance.createRoot({
      subject: 'CN=Rollover Root 2,O=Acme,C=DE',
      key: { algorithm: 'ec-p256' },
      validity: { years: 20 },
      pathLen: 1,
    });
    const sub = await t.services.issuance.issueSubordinate({
      issuerCertId: old.certificate.id,
      subject: 'CN=Rollover Issuing CA,O=Acme,C=DE',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const leaf = await leafUnder(sub.certificate.id, 'svc.example.com');

    const result = await life.rollover.rollover(old.certificate.id, { reissueSubordinates: true });
    expect(result.crossCertificates).toBeNull();
    expect(result.reissued).toHaveLength(1);
    const reissued = result.reissued[0]!;
    expect(reissued.subject).toBe(sub.certificate.subject);
    expect(reissued.spkiSha256).toBe(sub.certificate.spkiSha256);
    expect(reissued.issuerCertId).toBe(result.certificate.id);
    expect(life.renewal.successorOf(sub.certificate.id)?.id).toBe(reissued.id);

    const leafPem = pem('leaf', leaf.id);
    expect(
      verify(pem('new-root', result.certificate.id), [pem('reissued-sub', reissued.id)], leafPem),
    ).toBe(`${leafPem}: OK`);
    expect(
      verify(pem('old-root', old.certificate.id), [pem('old-sub', sub.certificate.id)], leafPem),
    ).toBe(`${leafPem}: OK`);
  });

  it('lets the rotation schedule see a rolled-over CA as no longer due', async () => {
    const old = await t.services.issuance.createRoot({
      subject: 'CN=Rollover Root 3',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const farFuture = new Date(Date.now() + 11 * 365 * 86_400_000);
    expect(life.rotation.due({ now: farFuture }).map((d) => d.certId)).toContain(
      old.certificate.id,
    );
    const result = await life.rollover.rollover(old.certificate.id);
    const due = life.rotation.due({ now: farFuture }).map((d) => d.certId);
    expect(due).not.toContain(old.certificate.id);
    expect(due).toContain(result.certificate.id);
  });
});
