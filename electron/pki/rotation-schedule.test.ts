import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { createLifecycleServices, type LifecycleServices } from './lifecycle-services';
import { RotationSchedule } from './rotation-schedule';
import { createTestVault, type TestVault } from './test-support';

let t: TestVault;
let life: LifecycleServices;
let schedule: RotationSchedule;
let busy = false;
let dueId: string;

beforeEach(async () => {
  t = await createTestVault();
  const { vault, keys, certificates, issuance } = t.services;
  life = createLifecycleServices(vault, keys, certificates, issuance);
  const root = await issuance.createRoot({
    subject: 'CN=Schedule Root',
    key: { algorithm: 'ec-p256' },
    validity: { years: 20 },
  });
  const leaf = await issuance.issueEndEntity({
    issuerCertId: root.certificate.id,
    profile: 'tls-server',
    subject: 'CN=due.example.com',
    sans: ['DNS:due.example.com'],
    key: { algorithm: 'ec-p256' },
    validity: { days: 365 },
  });
  dueId = leaf.certificate.id;
  // Due since long ago, as a certificate whose rotation the officer let slip would be.
  vault.db
    .prepare('UPDATE rotation_schedule SET due_at = ? WHERE cert_id = ?')
    .run('2026-01-01T00:00:00.000Z', dueId);
  busy = false;
  schedule = new RotationSchedule(vault, life.rotation, () => busy);
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
});

afterEach(() => {
  schedule.stop();
  vi.useRealTimers();
  t.cleanup();
});

describe('scheduled rotation while the app is open', () => {
  it('is off until configured, then rotates what is due on its turn and keeps the outcome', async () => {
    expect(schedule.settings()).toEqual({ everyMinutes: null, lastRun: null });
    schedule.start();
    vi.advanceTimersByTime(60 * 60_000);
    expect(schedule.settings().lastRun).toBeNull();

    expect(schedule.configure(5).everyMinutes).toBe(5);
    vi.advanceTimersByTime(5 * 60_000);
    await vi.waitFor(() => expect(schedule.settings().lastRun).not.toBeNull(), {
      timeout: 10_000,
    });
    expect(schedule.settings().lastRun).toMatchObject({ rotated: 1, failed: 0 });
    expect(life.renewal.successorOf(dueId)).toBeTruthy();

    const audit = t.services.vault.audit.list({ action: 'rotation.schedule' });
    expect(audit[0]?.details).toEqual({ everyMinutes: 5 });
  });

  it('skips its turn while an import holds the vault, and stops when turned off', async () => {
    schedule.configure(5);
    busy = true;
    vi.advanceTimersByTime(5 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(schedule.settings().lastRun).toBeNull();

    schedule.configure(null);
    busy = false;
    vi.advanceTimersByTime(60 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(schedule.settings()).toEqual({ everyMinutes: null, lastRun: null });
  });

  it('refuses an interval under five minutes or over a week', () => {
    for (const minutes of [1, 4, 7 * 24 * 60 + 1, 2.5]) {
      expect(() => schedule.configure(minutes)).toThrow(MazeVaultError);
    }
  });
});
