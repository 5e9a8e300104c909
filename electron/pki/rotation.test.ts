import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { createLifecycleServices, type LifecycleServices } from './lifecycle-services';
import { createTestVault, type TestVault } from './test-support';

let t: TestVault;
let life: LifecycleServices;
let rootId: string;
const DAY = 86_400_000;

beforeEach(async () => {
  t = await createTestVault();
  const { vault, keys, certificates, issuance } = t.services;
  life = createLifecycleServices(vault, keys, certificates, issuance);
  const root = await issuance.createRoot({
    subject: 'CN=Rotation Root',
    key: { algorithm: 'ec-p256' },
    validity: { years: 20 },
  });
  rootId = root.certificate.id;
});
afterEach(() => t.cleanup());

async function leaf(name: string, profile: 'tls-server' | 'tls-client' = 'tls-server') {
  const issued = await t.services.issuance.issueEndEntity({
    issuerCertId: rootId,
    profile,
    subject: `CN=${name}`,
    sans: profile === 'tls-server' ? [`DNS:${name}`] : [],
    key: { algorithm: 'ec-p256' },
    validity: { days: 365 },
  });
  return issued.certificate;
}

const inDays = (days: number) => new Date(Date.now() + days * DAY);

describe('RotationService', () => {
  it('falls due within the vault lead time of expiry by default', async () => {
    const cert = await leaf('a.example.com');
    expect(life.rotation.due({ now: inDays(300) }).map((d) => d.certId)).not.toContain(cert.id);
    const due = life.rotation.due({ now: inDays(340) }).find((d) => d.certId === cert.id);
    expect(due).toMatchObject({
      trigger: 'expiry',
      keyPolicy: 'regenerate',
      policyScope: 'vault',
      action: 'renew',
    });
    expect(life.rotation.dueAt(cert.id)).toBe(due!.dueAt);
    expect(life.rotation.dueAt('cert_missing')).toBeUndefined();
  });

  it('falls due within the lead time of a profile interval, and a certificate policy overrides it', async () => {
    const server = await leaf('b.example.com');
    const client = await leaf('client-b', 'tls-client');
    life.rotation.setPolicy({
      scope: 'profile',
      target: 'tls-server',
      intervalDays: 90,
      leadDays: 10,
      keyPolicy: 'reuse',
    });

    const at85 = life.rotation.due({ now: inDays(85) });
    expect(at85.find((d) => d.certId === server.id)).toMatchObject({
      trigger: 'interval',
      keyPolicy: 'reuse',
      policyScope: 'profile',
    });
    expect(at85.map((d) => d.certId)).not.toContain(client.id);

    life.rotation.setPolicy({
      scope: 'certificate',
      target: server.id,
      intervalDays: null,
      leadDays: 5,
      keyPolicy: 'regenerate',
    });
    expect(life.rotation.due({ now: inDays(85) }).map((d) => d.certId)).not.toContain(server.id);
    expect(life.rotation.policyFor(server.id)).toMatchObject({ scope: 'certificate', leadDays: 5 });

    life.rotation.removePolicy('certificate', server.id);
    expect(life.rotation.due({ now: inDays(85) }).map((d) => d.certId)).toContain(server.id);
  });

  it('renews with the key policy in force, and a renewed certificate leaves the schedule', async () => {
    const cert = await leaf('c.example.com');
    life.rotation.setPolicy({
      scope: 'certificate',
      target: cert.id,
      intervalDays: 30,
      leadDays: 40,
      keyPolicy: 'reuse',
    });
    expect(life.rotation.dueCount()).toBe(1);

    const dry = await life.rotation.rotate({ dryRun: true });
    expect(dry.items.map((i) => [i.certId, i.outcome])).toEqual([[cert.id, 'would-rotate']]);
    expect(life.renewal.successorOf(cert.id)).toBeUndefined();

    const run = await life.rotation.rotate();
    expect(run.rotated).toBe(1);
    const successor = life.renewal.successorOf(cert.id)!;
    expect(successor.spkiSha256).toBe(cert.spkiSha256);
    expect(life.rotation.due({ now: inDays(1) }).map((d) => d.certId)).not.toContain(cert.id);
  });

  it('leaves a CA to a rollover ceremony and a revoked certificate out of the schedule', async () => {
    const cert = await leaf('d.example.com');
    life.revocation.revoke(cert.id, { reason: 'cessation-of-operation' });
    const far = life.rotation.due({ now: inDays(20 * 365) });
    expect(far.map((d) => d.certId)).not.toContain(cert.id);
    const root = far.find((d) => d.certId === rootId);
    expect(root).toMatchObject({ action: 'ca-rollover' });
    const run = await life.rotation.rotate({ now: inDays(20 * 365) });
    expect(run.items.find((i) => i.certId === rootId)?.outcome).toBe('skipped');
  });

  it('refuses a schedule more often than once a minute and a negative lead time', () => {
    expect(() => life.rotation.schedule(1000, () => undefined)).toThrow(MazeVaultError);
    expect(() =>
      life.rotation.setPolicy({
        scope: 'vault',
        target: '*',
        intervalDays: null,
        leadDays: -1,
        keyPolicy: 'regenerate',
      }),
    ).toThrow(/lead time/);
  });
});
