import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../../shared/errors';
import { createServices, type Services } from '../../services';
import { Vault } from '../../vault/vault';
import { checkModulePath } from './module-check';
import { Pkcs11Module } from './module';
import { buildStubModule, hasCompiler } from './testing/stub-token';
import { createSoftHsmHome, SOFTHSM_MODULE, type SoftHsmHome } from './testing/softhsm';

let home: SoftHsmHome;
let work: string;
let vault: Vault;
let services: Services;

beforeAll(async () => {
  home = createSoftHsmHome();
  work = mkdtempSync(join(tmpdir(), 'mazevault-pkcs11-fail-'));
  vault = await Vault.create(join(work, 'vault.db'), 'correct horse battery staple', {
    kdfCost: 'test-only',
  });
  services = createServices(vault);
});

afterAll(async () => {
  await services?.pkcs11.close();
  vault?.close();
  rmSync(work, { recursive: true, force: true });
  home?.cleanup();
});

async function rejection(promise: Promise<unknown>): Promise<MazeVaultError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MazeVaultError);
  return error as MazeVaultError;
}

describe('a module path that is not a PKCS#11 module', () => {
  it('says there is no file when the module is missing', async () => {
    const error = await rejection(checkModulePath('/opt/nowhere/libCryptoki2_64.so'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/no file at/);
  });

  it('says a text file is not a shared library', async () => {
    const path = join(work, 'notes.so');
    writeFileSync(path, 'not a library at all');
    const error = await rejection(checkModulePath(path));
    expect(error.message).toMatch(/not a shared library/);
  });

  it('says a shared library without C_GetFunctionList is not a PKCS#11 module', async () => {
    const error = await rejection(checkModulePath('/lib/x86_64-linux-gnu/libz.so.1'));
    expect(error.code).toBe('PROVIDER_ERROR');
    expect(error.message).toMatch(/not a PKCS#11 module \(it has no C_GetFunctionList\)/);
  });

  it('refuses to save a profile whose module is missing', async () => {
    const error = await rejection(
      services.pkcs11.saveProfile({
        name: 'luna',
        preset: 'luna',
        modulePath: '/usr/safenet/lunaclient/lib/libCryptoki2_64.so',
      }),
    );
    expect(error.code).toBe('NOT_FOUND');
    expect(services.pkcs11.listProfiles()).toHaveLength(0);
  });
});

describe('a token that goes away', () => {
  it('gives TOKEN_ERROR when the token is removed and signs again once it is back', async () => {
    const serial = home.initToken('Removable', { user: '1234' });
    await services.pkcs11.saveProfile({
      name: 'soft',
      preset: 'softhsm2',
      modulePath: SOFTHSM_MODULE,
    });
    await services.pkcs11.login('soft', serial, '1234');
    const key = await services.keys.generate({
      algorithm: 'ec-p256',
      label: 'survivor',
      provider: 'pkcs11',
      providerOptions: { profile: 'soft', tokenSerial: serial },
    });
    await services.keys.sign(key.id, 'ecdsa-sha256', Buffer.from('before'), 'test');

    const away = join(home.dir, 'tokens-away');
    cpSync(home.tokenDir, away, { recursive: true });
    rmSync(home.tokenDir, { recursive: true });
    const error = await rejection(
      services.keys.sign(key.id, 'ecdsa-sha256', Buffer.from('gone'), 'test'),
    );
    expect(error.code).toBe('TOKEN_ERROR');
    expect(error.message).toMatch(/not reachable|No token with serial/);

    renameSync(away, home.tokenDir);
    const signature = await services.keys.sign(
      key.id,
      'ecdsa-sha256',
      Buffer.from('after'),
      'test',
    );
    expect(signature[0]).toBe(0x30);
  });
});

// Skip reason: SoftHSM2 cannot lock a PIN or hang, so these states need a stub PKCS#11 module
// compiled here; it is skipped only on a machine without a C compiler (.ci/run installs g++).
describe.skipIf(!hasCompiler())('a token that misbehaves (stub module built with gcc)', () => {
  it('says PIN_LOCKED for a token whose user PIN is locked', async () => {
    const module = await Pkcs11Module.open(buildStubModule(work, 'locked'), { timeoutMs: 5_000 });
    try {
      const error = await rejection(module.login('STUB0001', '1234'));
      expect(error.code).toBe('PIN_LOCKED');
      expect(error.message).toMatch(/locked after too many wrong tries/);
    } finally {
      await module.close();
    }
  });

  it('warns that the next wrong PIN is the final try', async () => {
    const module = await Pkcs11Module.open(buildStubModule(work, 'final-try'), {
      timeoutMs: 5_000,
    });
    try {
      const error = await rejection(module.login('STUB0001', '1234'));
      expect(error.code).toBe('WRONG_PIN');
      expect(error.message).toMatch(/final try/);
    } finally {
      await module.close();
    }
  });

  it('times a hung call out without blocking the event loop, and recovers when the token answers', async () => {
    const hangFile = join(work, 'hang');
    writeFileSync(hangFile, '');
    process.env.MAZEVAULT_STUB_HANG_FILE = hangFile;
    const module = await Pkcs11Module.open(buildStubModule(work, 'hang'), { timeoutMs: 1_000 });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 20);
    try {
      const started = Date.now();
      const error = await rejection(module.slots());
      expect(error.code).toBe('TIMEOUT');
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(ticks).toBeGreaterThan(20);
      expect(delay.max / 1e6).toBeLessThan(200);

      rmSync(hangFile);
      const slots = await module.slots();
      expect(slots[0]?.token?.serial).toBe('STUB0001');
    } finally {
      clearInterval(ticker);
      delay.disable();
      rmSync(hangFile, { force: true });
      await module.close();
    }
  });
});
