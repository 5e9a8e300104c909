// The vault session and key generation channels through the real router, as the settings and
// Generate key pages call them: change passphrase, auto-lock (on, off), lock, raise the KDF cost,
// and keys:generate with every option the page sends.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, type Response } from '../../../shared/contract';
import { MazeVaultError } from '../../../shared/errors';
import { TEST_PASSPHRASE, tempDir } from '../../testing/temp';
import { Vault } from '../../vault/vault';
import { AppContext } from '../context';
import type { HandlerTable } from '../handler';
import { createIpcRouter, type RouterResult } from '../router';
import { keyHandlers } from './keys';
import { vaultHandlers } from './vault';

const NEW_PASSPHRASE = 'a different passphrase 77';

let cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

/**
 * A router with the real vault and key handlers. Channels of other areas answer "not under test",
 * so these tests do not depend on how far the other areas' handlers are.
 */
async function unlockedVaultRouter() {
  const dir = tempDir('mazevault-vault-ipc-');
  const context = new AppContext({
    emit: () => undefined,
    defaultDirectory: dir.path,
    version: '0.0.0-test',
    actor: 'test-officer',
    kdfCost: 'test-only',
    log: { warn: () => undefined, error: () => undefined },
  });
  cleanups.push(() => {
    context.close();
    dir.cleanup();
  });
  const notUnderTest = () => {
    throw new MazeVaultError('INTERNAL', 'This channel is not under test here.');
  };
  const handlers = {
    ...Object.fromEntries(CHANNEL_NAMES.map((channel) => [channel, notUnderTest])),
    ...vaultHandlers,
    ...keyHandlers,
  } as HandlerTable;
  const router = createIpcRouter(context, handlers);
  const call = (channel: string, request?: unknown): Promise<RouterResult> =>
    router.handle(channel, request);
  const value = async <T>(channel: string, request?: unknown): Promise<T> => {
    const answer = await call(channel, request);
    if (!answer.ok) {
      throw new Error(`${channel} failed: ${answer.error.code} ${answer.error.message}`);
    }
    return answer.value as T;
  };
  const path = join(dir.path, 'settings.mzv');
  await value('vault:create', { path, passphrase: TEST_PASSPHRASE });
  return { context, call, value, path };
}

type Status = Response<'vault:lock'>;

describe('changing the passphrase through the router', () => {
  it('refuses a wrong current passphrase with WRONG_PASSPHRASE, audits it, and keeps the old one', async () => {
    const { call, value, context } = await unlockedVaultRouter();

    const wrong = await call('vault:change-passphrase', {
      current: 'not the current passphrase',
      next: NEW_PASSPHRASE,
    });
    expect(wrong).toEqual({
      ok: false,
      error: {
        code: 'WRONG_PASSPHRASE',
        message: 'Wrong passphrase: the passphrase was not changed.',
      },
    });
    const failures = context
      .vault!.audit.list({ action: 'vault.change-passphrase' })
      .filter((event) => event.outcome === 'failure');
    expect(failures).toHaveLength(1);

    await value('vault:lock');
    await expect(value<Status>('vault:unlock', { passphrase: TEST_PASSPHRASE })).resolves.toEqual(
      expect.objectContaining({ state: 'unlocked' }),
    );
  });

  it('refuses a new passphrase shorter than 12 characters', async () => {
    const { call } = await unlockedVaultRouter();
    const weak = await call('vault:change-passphrase', {
      current: TEST_PASSPHRASE,
      next: 'short one',
    });
    expect(weak).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'WEAK_PASSPHRASE' }),
    });
  });

  it('unlocks with the new passphrase only, after a change', async () => {
    const { call, value } = await unlockedVaultRouter();
    const changed = await value<Status>('vault:change-passphrase', {
      current: TEST_PASSPHRASE,
      next: NEW_PASSPHRASE,
    });
    expect(changed.state).toBe('unlocked');

    await value('vault:lock');
    const old = await call('vault:unlock', { passphrase: TEST_PASSPHRASE });
    expect(old).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'WRONG_PASSPHRASE' }),
    });
    if (!old.ok) expect(old.error.message).toMatch(/^Wrong passphrase/);
    const unlocked = await value<Status>('vault:unlock', { passphrase: NEW_PASSPHRASE });
    expect(unlocked.state).toBe('unlocked');
  });
});

describe('auto-lock through the router', () => {
  it('stores the idle minutes in the vault file, and turns auto-lock off with null', async () => {
    const { value, context, path } = await unlockedVaultRouter();
    const app = await value<Response<'app:status'>>('app:status');
    expect(app.vault.autoLockMinutes).toBe(10);

    expect((await value<Status>('vault:set-auto-lock', { minutes: 5 })).autoLockMinutes).toBe(5);
    context.close();
    const reopened = Vault.open(path);
    expect(reopened.autoLockMinutes()).toBe(5);
    reopened.close();

    const second = await unlockedVaultRouter();
    const off = await second.value<Status>('vault:set-auto-lock', { minutes: null });
    expect(off.autoLockMinutes).toBeNull();
    const events = second.context.vault!.audit.list({ action: 'vault.set-auto-lock' });
    expect(events.map((event) => event.details)).toEqual([{ minutes: null }]);
    second.context.close();
    const reopenedOff = Vault.open(second.path);
    expect(reopenedOff.autoLockMinutes()).toBeNull();
    reopenedOff.close();
  });

  it('refuses 0 minutes, more than 24 hours and fractions, naming the field', async () => {
    const { call } = await unlockedVaultRouter();
    for (const minutes of [0, 24 * 60 + 1, 2.5]) {
      const answer = await call('vault:set-auto-lock', { minutes });
      expect(answer).toEqual({
        ok: false,
        error: expect.objectContaining({
          code: 'INVALID_INPUT',
          message: expect.stringContaining('minutes') as unknown,
        }),
      });
    }
  });

  it('refuses to change auto-lock while the vault is locked', async () => {
    const { call, value } = await unlockedVaultRouter();
    await value('vault:lock');
    const answer = await call('vault:set-auto-lock', { minutes: 3 });
    expect(answer).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'VAULT_LOCKED' }),
    });
  });

  it('does not lock an idle vault whose auto-lock is off', async () => {
    const { value, context } = await unlockedVaultRouter();
    const vault = context.vault!;
    vault.setAutoLockMs(30);
    await value('vault:set-auto-lock', { minutes: null });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(vault.isUnlocked).toBe(true);
  });
});

describe('raising the KDF cost through the router', () => {
  it('re-wraps under a higher N, reports it in the status, and keeps the passphrase', async () => {
    const { value, call } = await unlockedVaultRouter();
    const before = (await value<{ vault: Status }>('app:status')).vault.kdf!;
    const raised = await value<Status>('vault:raise-kdf-cost', {
      passphrase: TEST_PASSPHRASE,
      N: before.N * 4,
      r: before.r,
      p: before.p,
    });
    expect(raised.kdf).toEqual({ name: 'scrypt', N: before.N * 4, r: before.r, p: before.p });

    const lower = await call('vault:raise-kdf-cost', {
      passphrase: TEST_PASSPHRASE,
      N: before.N * 2,
      r: before.r,
      p: before.p,
    });
    expect(lower).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'POLICY_VIOLATION' }),
    });

    await value('vault:lock');
    const unlocked = await value<Status>('vault:unlock', { passphrase: TEST_PASSPHRASE });
    expect(unlocked.kdf?.N).toBe(before.N * 4);
  });

  it('refuses a wrong passphrase, N that is not a power of two, and more than 1 GiB', async () => {
    const { call, value } = await unlockedVaultRouter();
    const { N, r, p } = (await value<{ vault: Status }>('app:status')).vault.kdf!;

    const wrong = await call('vault:raise-kdf-cost', {
      passphrase: 'wrong passphrase!',
      N: N * 2,
      r,
      p,
    });
    expect(wrong).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'WRONG_PASSPHRASE' }),
    });
    const odd = await call('vault:raise-kdf-cost', {
      passphrase: TEST_PASSPHRASE,
      N: 300_000,
      r,
      p,
    });
    expect(odd).toEqual({
      ok: false,
      error: expect.objectContaining({
        message: expect.stringContaining('power of two') as unknown,
      }),
    });
    const huge = await call('vault:raise-kdf-cost', {
      passphrase: TEST_PASSPHRASE,
      N: 2 ** 20,
      r: 16,
      p: 1,
    });
    expect(huge).toEqual({
      ok: false,
      error: expect.objectContaining({ message: expect.stringContaining('1 GiB') as unknown }),
    });
    expect((await value<{ vault: Status }>('app:status')).vault.kdf?.N).toBe(N);
  });

  it('refuses while the vault is locked, and leaves it locked', async () => {
    const { call, value, context } = await unlockedVaultRouter();
    const { N, r, p } = context.vault!.kdfParameters();
    await value('vault:lock');
    const answer = await call('vault:raise-kdf-cost', {
      passphrase: TEST_PASSPHRASE,
      N: N * 2,
      r,
      p,
    });
    expect(answer).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'VAULT_LOCKED' }),
    });
    expect(context.vault!.isUnlocked).toBe(false);
  });
});

describe('generating keys through the router', () => {
  type Key = Response<'keys:generate'>;

  it('generates an Active EC P-384 key with the purpose, owner and cryptoperiod asked for', async () => {
    const { value } = await unlockedVaultRouter();
    const key = await value<Key>('keys:generate', {
      algorithm: 'ec-p384',
      label: 'Payments signing',
      purpose: 'signing',
      provider: 'software',
      owner: 'PKI team',
      activate: true,
      cryptoperiodDays: 400,
    });
    expect(key).toMatchObject({
      algorithm: 'ec-p384',
      label: 'Payments signing',
      purpose: 'signing',
      provider: 'software',
      owner: 'PKI team',
      state: 'active',
      cryptoperiodDays: 400,
      hasMaterial: true,
    });
    expect(key.activationDate).not.toBeNull();
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(JSON.stringify(key)).not.toMatch(/PRIVATE KEY/);
    const listed = await value<Response<'keys:list'>>('keys:list', { state: 'active' });
    expect(listed.keys.map((k) => k.id)).toContain(key.id);
  });

  it('keeps a key Pre-active when asked, with the default cryptoperiod and the officer as owner', async () => {
    const { value } = await unlockedVaultRouter();
    const key = await value<Key>('keys:generate', {
      algorithm: 'ed25519',
      label: 'Standby',
      purpose: 'tls-server',
      activate: false,
    });
    expect(key).toMatchObject({
      state: 'pre-active',
      owner: 'test-officer',
      cryptoperiodDays: 365,
      activationDate: null,
    });
    expect(key.allowedOperations).toEqual(['backup']);
    expect(key.allowedTransitions).toContain('active');
  });

  it('refuses an unknown algorithm, an empty label and a cryptoperiod over 100 years', async () => {
    const { call } = await unlockedVaultRouter();
    for (const request of [
      { algorithm: 'dsa-1024', label: 'old' },
      { algorithm: 'ec-p256', label: '   ' },
      { algorithm: 'ec-p256', label: 'long', cryptoperiodDays: 36_501 },
    ]) {
      const answer = await call('keys:generate', request);
      expect(answer).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'INVALID_INPUT' }),
      });
    }
  });
});
