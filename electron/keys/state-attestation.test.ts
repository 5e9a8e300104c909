import { afterEach, describe, expect, it } from 'vitest';
import type { KeyState } from '../../shared/lifecycle';
import { tamperWithVaultFile } from '../audit/tamper-support';
import { createServices, type Services } from '../services';
import { tempVault, TEST_PASSPHRASE } from '../testing/temp';
import { attestedKeyState } from './service';

const ALTERED =
  /in the vault file, but .*: the vault file was altered\. Restore it from a backup\./;

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

async function session(): Promise<Services> {
  const t = await tempVault();
  cleanups.push(t.cleanup);
  return createServices(t.vault);
}

function setStateInFile(services: Services, keyId: string, state: KeyState): void {
  const changed = tamperWithVaultFile(
    services.vault.path,
    'UPDATE keys SET state = ?, state_reason = NULL WHERE id = ?',
    state,
    keyId,
  );
  expect(changed).toBe(1);
}

const data = Buffer.from('to be signed');

describe('key states are checked against the audit trail', () => {
  it.each(['suspended', 'deactivated', 'compromised'] as const)(
    'refuses to sign with a %s key whose state was set back to Active in the file',
    async (state) => {
      const services = await session();
      const key = await services.keys.generate({ algorithm: 'ec-p256', label: 'ca key' });
      await services.keys.transition(key.id, state, 'investigating');
      setStateInFile(services, key.id, 'active');

      await expect(services.keys.sign(key.id, 'ecdsa-sha256', data, 'test')).rejects.toMatchObject({
        code: 'VAULT_DAMAGED',
        message: expect.stringMatching(ALTERED),
      });
      const refused = services.vault.audit.list({ action: 'key.sign' })[0];
      expect(refused).toMatchObject({ outcome: 'refused', subject: key.id });
      expect(refused.details).toMatchObject({ state: 'active', attestedState: state });
    },
  );

  it('refuses a state change from a state that was edited into the file', async () => {
    const services = await session();
    const key = await services.keys.generate({ algorithm: 'ec-p256', label: 'ca key' });
    await services.keys.transition(key.id, 'compromised', 'stolen');
    setStateInFile(services, key.id, 'active');

    await expect(services.keys.transition(key.id, 'deactivated', 'retire')).rejects.toThrow(
      ALTERED,
    );
  });

  it('refuses a key whose history has no attested event at all', async () => {
    const services = await session();
    const key = await services.keys.generate({ algorithm: 'ec-p256', label: 'ca key' });
    tamperWithVaultFile(
      services.vault.path,
      'UPDATE keys SET id = ? WHERE id = ?',
      'key_inserted-by-someone',
      key.id,
    );

    await expect(
      services.keys.sign('key_inserted-by-someone', 'ecdsa-sha256', data, 'test'),
    ).rejects.toThrow(/the audit trail holds no record of how it got there/);
  });

  it('signs after the lawful transitions the officer made, suspend and reactivate included', async () => {
    const services = await session();
    const key = await services.keys.generate({
      algorithm: 'ec-p256',
      label: 'later',
      activate: false,
    });
    expect(attestedKeyState(services.vault, key.id)).toBe('pre-active');
    await services.keys.transition(key.id, 'active', 'ceremony done');
    await services.keys.transition(key.id, 'suspended', 'audit');
    await services.keys.transition(key.id, 'active', 'cleared');

    expect(attestedKeyState(services.vault, key.id)).toBe('active');
    expect((await services.keys.sign(key.id, 'ecdsa-sha256', data, 'test')).length).toBeGreaterThan(
      0,
    );
  });

  it('does not count a state change written while the vault was locked', async () => {
    const services = await session();
    const key = await services.keys.generate({ algorithm: 'ec-p256', label: 'ca key' });
    await services.keys.transition(key.id, 'compromised', 'stolen');
    services.vault.lock('manual');
    services.vault.record({
      action: 'key.state-change',
      subject: key.id,
      outcome: 'success',
      details: { from: 'compromised', to: 'active', reason: 'forged' },
    });
    await services.vault.unlock(TEST_PASSPHRASE);
    setStateInFile(services, key.id, 'active');

    expect(attestedKeyState(services.vault, key.id)).toBe('compromised');
    await expect(services.keys.sign(key.id, 'ecdsa-sha256', data, 'test')).rejects.toThrow(ALTERED);
  });
});
