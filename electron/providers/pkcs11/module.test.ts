import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { MazeVaultError } from '../../../shared/errors';
import { CKA, CKF_TOKEN, CKK, CKM, CKO } from './constants';
import { Pkcs11Module } from './module';
import { createSoftHsmHome, SOFTHSM_MODULE, type SoftHsmHome } from './testing/softhsm';

let home: SoftHsmHome;
let module: Pkcs11Module;
let serial: string;

beforeAll(async () => {
  home = createSoftHsmHome();
  serial = home.initToken('Module Test', { user: '1234' });
  module = await Pkcs11Module.open(SOFTHSM_MODULE, { timeoutMs: 10_000 });
});

afterAll(async () => {
  await module?.close();
  home?.cleanup();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MazeVaultError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('a loaded PKCS#11 module', () => {
  it('describes the SoftHSM2 library it loaded', () => {
    expect(module.info.manufacturer).toBe('SoftHSM');
    expect(module.info.cryptokiVersion).toBe('2.40');
  });

  it('lists the token with its serial, label, model, firmware and flags', async () => {
    const slots = await module.slots();
    const slot = slots.find((s) => s.token?.serial === serial);
    expect(slot?.token).toMatchObject({
      label: 'Module Test',
      model: 'SoftHSM v2',
      firmwareVersion: '2.6',
    });
    expect(slot?.token?.flags).toMatchObject({
      loginRequired: true,
      tokenInitialized: true,
      userPinInitialized: true,
      userPinLocked: false,
    });
    expect(slots.some((s) => s.tokenPresent && !s.token?.flags.tokenInitialized)).toBe(true);
  });

  it('lists the mechanisms the token offers for signing and key generation', async () => {
    const mechanisms = await module.mechanisms(serial);
    const ecdsa = mechanisms.find((m) => m.name === 'CKM_ECDSA');
    expect(ecdsa).toMatchObject({ sign: true, verify: true, maxKeySize: 521 });
    expect(mechanisms.find((m) => m.name === 'CKM_RSA_PKCS_KEY_PAIR_GEN')?.generateKeyPair).toBe(
      true,
    );
  });

  it('refuses a wrong PIN with WRONG_PIN and keeps no PIN', async () => {
    expect(await codeOf(module.login(serial, '9999'))).toBe('WRONG_PIN');
    expect(module.isLoggedIn(serial)).toBe(false);
  });

  it('logs in with the right PIN and out again', async () => {
    await module.login(serial, '1234');
    expect(module.isLoggedIn(serial)).toBe(true);
    await module.logout(serial);
    expect(module.isLoggedIn(serial)).toBe(false);
  });

  it('says a token of unknown serial is not present', async () => {
    expect(await codeOf(module.mechanisms('0000000000000000'))).toBe('TOKEN_ERROR');
  });
});

describe('the PKCS#11 constants', () => {
  it('match the values pkcs11js was built with', () => {
    const pkcs11js = createRequire(import.meta.url)('pkcs11js') as Record<string, number>;
    const groups: [string, Record<string, number>][] = [
      ['CKA_', CKA],
      ['CKM_', CKM],
      ['CKO_', CKO],
      ['CKK_', CKK],
      ['CKF_', CKF_TOKEN],
    ];
    // pkcs11js 2.1 predates the v3.0 Edwards names; those three are checked against the spec's
    // pkcs11t.h values in the EdDSA signing test instead (a wrong value fails key generation).
    const newerThanPkcs11js = new Set([
      'CKK_EC_EDWARDS',
      'CKM_EC_EDWARDS_KEY_PAIR_GEN',
      'CKM_EDDSA',
    ]);
    let compared = 0;
    for (const [prefix, table] of groups) {
      for (const [name, value] of Object.entries(table)) {
        if (newerThanPkcs11js.has(`${prefix}${name}`)) continue;
        expect(pkcs11js[`${prefix}${name}`], `${prefix}${name}`).toBe(value);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(60);
  });
});
