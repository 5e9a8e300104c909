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
      leadDays: 5,
      keyPolicy: 'reuse',
    });
    expect(life.rotation.dueCount()).toBe(0);
    expect(life.rotation.dueCount(inDays(26))).toBe(1);

    const dry = await life.rotation.rotate({ dryRun: true, now: inDays(26) });
    expect(dry.items.map((i) => [i.certId, i.outcome])).toEqual([[cert.id, 'would-rotate']]);
    expect(life.renewal.successorOf(cert.id)).toBeUndefined();

    const run = await life.rotation.rotate({ now: inDays(26) });
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

  it('refuses a lead time that is not shorter than the rotation interval', () => {
    expect(() =>
      life.rotation.setPolicy({
        scope: 'vault',
        target: '*',
        intervalDays: 30,
        leadDays: 30,
        keyPolicy: 'regenerate',
      }),
    ).toThrow(/lead time of 30 days is not shorter than the 30-day rotation interval/);
  });

  it('refuses a profile policy for a profile that does not exist, and names the profiles', () => {
    const error = (() => {
      try {
        life.rotation.setPolicy({
          scope: 'profile',
          target: 'no-such-profile',
          intervalDays: null,
          leadDays: 10,
          keyPolicy: 'regenerate',
        });
      } catch (e) {
        return e as MazeVaultError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('NOT_FOUND');
    expect(error?.message).toMatch(
      /no profile "no-such-profile"; a profile policy is for one of: root-ca, sub-ca, tls-server, tls-client/,
    );
    expect(life.rotation.policies().map((p) => p.target)).not.toContain('no-such-profile');
  });

  it('counts as due now only the certificates the policy governs', async () => {
    const server = await leaf('count.example.com');
    await leaf('count-client', 'tls-client');
    const policy = { scope: 'profile' as const, target: 'tls-server' };
    life.rotation.setPolicy({ ...policy, intervalDays: 60, leadDays: 10, keyPolicy: 'reuse' });
    life.rotation.setPolicy({
      scope: 'profile',
      target: 'tls-client',
      intervalDays: 60,
      leadDays: 10,
      keyPolicy: 'reuse',
    });
    // Both leaves are due at day 55; the tls-server policy governs one of them.
    expect(life.rotation.dueCount(inDays(55))).toBe(2);
    expect(life.rotation.dueCount(inDays(55), policy)).toBe(1);
    life.rotation.setPolicy({
      scope: 'certificate',
      target: server.id,
      intervalDays: null,
      leadDays: 5,
      keyPolicy: 'reuse',
    });
    expect(life.rotation.dueCount(inDays(55), policy)).toBe(0);
    expect(life.rotation.dueCount(inDays(361), { scope: 'certificate', target: server.id })).toBe(
      1,
    );
    expect(life.rotation.dueCount(inDays(55), { scope: 'vault', target: '*' })).toBe(0);
  });

  it('never rotates again a renewal that was due as soon as it was issued (lead time past the validity)', async () => {
    // An officer's renewal is rotated like any certificate; only rotation's own successors stop.
    const first0 = await leaf('churn.example.com');
    const cert = (await life.renewal.renew(first0.id)).certificate;
    const policy = { scope: 'profile' as const, target: 'tls-server' };
    life.rotation.setPolicy({
      ...policy,
      intervalDays: null,
      leadDays: 400,
      keyPolicy: 'regenerate',
    });
    expect(life.rotation.dueAtOnceCount(policy)).toBe(1);

    const first = await life.rotation.rotate();
    expect(first.rotated).toBe(1);
    const successorId = first.items[0]!.successorId!;
    expect(first.items[0]!.message).toMatch(/Its successor is already due: the 400-day lead time/);

    for (let turn = 0; turn < 2; turn += 1) {
      const again = await life.rotation.rotate();
      expect(again.rotated).toBe(0);
      expect(again.items).toEqual([
        expect.objectContaining({
          certId: successorId,
          outcome: 'skipped',
          action: 'manual',
          message: expect.stringMatching(
            /due as soon as it was issued: the 400-day lead time .* Shorten the lead time/,
          ),
        }),
      ]);
    }
    expect(life.renewal.successorOf(successorId)).toBeUndefined();
    expect(life.renewal.successorOf(cert.id)?.id).toBe(successorId);

    // A sensible lead time puts the successor back on the unattended schedule.
    life.rotation.setPolicy({
      ...policy,
      intervalDays: null,
      leadDays: 30,
      keyPolicy: 'regenerate',
    });
    expect(life.rotation.dueAtOnceCount(policy)).toBe(0);
    expect(
      life.rotation.due({ now: inDays(340) }).find((d) => d.certId === successorId),
    ).toMatchObject({
      action: 'renew',
    });
  });
});

describe('certificates that are not this vault to rotate', () => {
  it('never counts an imported CA certificate as due, while an imported leaf still reminds', async () => {
    const { readFileSync } = await import('node:fs');
    const { corpusPath } = await import('../testing/corpus');
    const result = await t.services.imports.import(
      [
        { name: 'root.pem', bytes: readFileSync(corpusPath('interop', 'root.pem')) },
        { name: 'leaf.pem', bytes: readFileSync(corpusPath('interop', 'leaf.pem')) },
      ],
      { mode: 'remote', remoteLocation: 'web01:/etc/ssl' },
    );
    const ids = result.entries.filter((e) => e.kind === 'certificate').map((e) => e.id!);
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      t.services.vault.db
        .prepare('UPDATE rotation_schedule SET due_at = ? WHERE cert_id = ?')
        .run('2026-01-01T00:00:00.000Z', id);
    }
    const due = life.rotation.due().map((d) => d.subject);
    expect(due.some((subject) => /Root/.test(subject))).toBe(false);
    expect(due).toHaveLength(1);
    expect(life.rotation.dueCount()).toBe(1);
  });
});
