import { createPublicKey, verify } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_ALGORITHMS, defaultSignatureAlgorithm } from '../../shared/algorithms';
import {
  KEY_OPERATIONS,
  KEY_STATES,
  isOperationAllowed,
  type KeyState,
} from '../../shared/lifecycle';
import { createServices, type Services } from '../services';
import { tempVault, TEST_PASSPHRASE } from '../testing/temp';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

async function session(): Promise<Services> {
  const t = await tempVault();
  cleanups.push(t.cleanup);
  return createServices(t.vault);
}

/** The transitions that take a fresh Active key to each state. */
const PATH_TO: Record<KeyState, KeyState[]> = {
  'pre-active': [],
  active: [],
  suspended: ['suspended'],
  deactivated: ['deactivated'],
  compromised: ['compromised'],
  destroyed: ['deactivated', 'destroyed'],
};

describe('software keys', () => {
  it.each(KEY_ALGORITHMS)('generates %s asynchronously and signs verifiably', async (algorithm) => {
    const { keys } = await session();
    const key = await keys.generate({ algorithm, label: `k-${algorithm}`, purpose: 'signing' });
    expect(key.state).toBe('active');
    expect(key.spkiSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(key.cryptoperiodDays).toBe(3 * 365);

    const data = Buffer.from('to be signed');
    const sigAlg = defaultSignatureAlgorithm(algorithm);
    const signature = await keys.sign(key.id, sigAlg, data, 'test');
    const publicKey = createPublicKey({ key: key.publicKey, format: 'der', type: 'spki' });
    const hash = sigAlg === 'ed25519' ? null : `sha${sigAlg.slice(-3)}`;
    const options = sigAlg.startsWith('ecdsa')
      ? { key: publicKey, dsaEncoding: 'der' as const }
      : publicKey;
    expect(verify(hash, data, options, signature)).toBe(true);
  });

  it('keeps the private key sealed: it cannot be used once the vault is locked', async () => {
    const { keys, vault } = await session();
    const key = await keys.generate({ algorithm: 'ec-p256', label: 'locked' });
    vault.lock();
    await expect(keys.sign(key.id, 'ecdsa-sha256', Buffer.from('x'), 'test')).rejects.toMatchObject(
      { code: 'VAULT_LOCKED' },
    );
    await vault.unlock(TEST_PASSPHRASE);
    await expect(
      keys.sign(key.id, 'ecdsa-sha256', Buffer.from('x'), 'test'),
    ).resolves.toBeInstanceOf(Buffer);
  });

  it('refuses a signature algorithm that does not fit the key', async () => {
    const { keys } = await session();
    const key = await keys.generate({ algorithm: 'ec-p256', label: 'ec' });
    await expect(
      keys.sign(key.id, 'rsa-pkcs1-sha256', Buffer.from('x'), 'test'),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('the lifecycle in the main process', () => {
  it.each(KEY_STATES.filter((s) => s !== 'active'))(
    'refuses to sign with a %s key and audits the refusal',
    async (state) => {
      const { keys, vault } = await session();
      const key = await keys.generate({
        algorithm: 'ec-p256',
        label: 'k',
        activate: state !== 'pre-active',
      });
      for (const step of PATH_TO[state]) {
        await keys.transition(key.id, step, `test: move to ${step}`);
      }

      await expect(
        keys.sign(key.id, 'ecdsa-sha256', Buffer.from('x'), 'test'),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN_BY_LIFECYCLE',
      });
      const refusal = vault.audit.list({ action: 'key.sign' })[0];
      expect(refusal).toMatchObject({ outcome: 'refused', subject: key.id, details: { state } });
    },
  );

  it.each(KEY_STATES)('refuses every operation the table forbids for a %s key', async (state) => {
    const { keys } = await session();
    const key = await keys.generate({
      algorithm: 'ec-p256',
      label: 'k',
      activate: state !== 'pre-active',
    });
    for (const step of PATH_TO[state]) await keys.transition(key.id, step, `test: move to ${step}`);
    for (const operation of KEY_OPERATIONS) {
      const attempt = () => keys.assertOperation(key.id, operation, 'test');
      if (isOperationAllowed(state, operation)) expect(attempt).not.toThrow();
      else expect(attempt).toThrow(expect.objectContaining({ code: 'FORBIDDEN_BY_LIFECYCLE' }));
    }
  });

  it('refuses to export the private key of a deactivated key', async () => {
    const { keys } = await session();
    const key = await keys.generate({ algorithm: 'ec-p256', label: 'k' });
    expect(
      keys.exportPrivateKey(key.id, { format: 'pkcs8', destination: '/tmp/x' }),
    ).toBeInstanceOf(Buffer);
    await keys.transition(key.id, 'deactivated', 'retired');
    expect(() => keys.exportPrivateKey(key.id, { format: 'pkcs8', destination: '/tmp/x' })).toThrow(
      /Deactivated/,
    );
  });

  it('never goes back to an earlier phase and says which moves are allowed', async () => {
    const { keys, vault } = await session();
    const key = await keys.generate({ algorithm: 'ec-p256', label: 'k' });
    await keys.transition(key.id, 'deactivated', 'end of cryptoperiod');
    await expect(keys.transition(key.id, 'active', 'oops')).rejects.toThrow(
      /cannot go from Deactivated to Active; allowed: Compromised, Destroyed/,
    );
    const events = vault.audit.list({ action: 'key.state-change' });
    expect(events.map((e) => e.outcome)).toEqual(['refused', 'success']);
  });

  it('requires a reason for every transition', async () => {
    const { keys } = await session();
    const key = await keys.generate({ algorithm: 'ec-p256', label: 'k' });
    await expect(keys.transition(key.id, 'suspended', '  ')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('activates a pre-active key and records the activation date', async () => {
    const { keys } = await session();
    const key = await keys.generate({
      algorithm: 'ed25519',
      label: 'ceremony key',
      activate: false,
    });
    expect(key.activationDate).toBeNull();
    const active = await keys.transition(key.id, 'active', 'ceremony witnessed');
    expect(active.state).toBe('active');
    expect(active.activationDate).not.toBeNull();
  });

  it('destroys the material but keeps the metadata', async () => {
    const { keys, vault } = await session();
    const key = await keys.generate({ algorithm: 'ec-p256', label: 'to destroy' });
    const secretId = key.providerRef.secretId as number;
    await keys.transition(key.id, 'deactivated', 'retired');
    const destroyed = await keys.transition(key.id, 'destroyed', 'end of life');
    expect(destroyed).toMatchObject({
      state: 'destroyed',
      label: 'to destroy',
      spkiSha256: key.spkiSha256,
    });
    expect(
      vault.db.prepare('SELECT COUNT(*) AS n FROM secrets WHERE id = ?').get(secretId),
    ).toEqual({ n: 0 });
    expect(vault.audit.verify().ok).toBe(true);
  });
});
