// The tokens bridge against a real SoftHSM2 token in a directory of this test's own: profiles with
// module checks, slots and mechanisms, login with a wrong PIN first, a root CA ceremony with the
// key on the token, discovery of a key made by another tool, and initialisation behind a flag.
import { execFileSync } from 'node:child_process';
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, type Response } from '../../../shared/contract';
import {
  createSoftHsmHome,
  pkcs11Tool,
  SOFTHSM_MODULE,
  type SoftHsmHome,
} from '../../providers/pkcs11/testing/softhsm';
import { TEST_PASSPHRASE } from '../../testing/temp';
import { AppContext } from '../context';
import type { HandlerTable } from '../handler';
import { createIpcRouter, type RouterResult } from '../router';
import { createHandlers } from './index';

const USER_PIN = '736151';
const WRONG_PIN = '999999';
const SO_PIN = '55443322';

let home: SoftHsmHome;
let context: AppContext;
let serial: string;
let spareSerial: string;
let profileId: string;
const answers: RouterResult[] = [];
const logged: string[] = [];
let router: ReturnType<typeof createIpcRouter>;

async function call(channel: string, request?: unknown): Promise<RouterResult> {
  const answer = await router.handle(channel, request);
  answers.push(answer);
  return answer;
}

async function value<T>(channel: string, request?: unknown): Promise<T> {
  const answer = await call(channel, request);
  if (!answer.ok) {
    throw new Error(`${channel} failed: ${answer.error.code} ${answer.error.message}`);
  }
  return answer.value as T;
}

async function failure(channel: string, request?: unknown) {
  const answer = await call(channel, request);
  if (answer.ok) throw new Error(`${channel} succeeded where it should have failed`);
  return answer.error;
}

beforeAll(async () => {
  home = createSoftHsmHome();
  serial = home.initToken('Ceremony Token', { so: SO_PIN, user: USER_PIN });
  spareSerial = home.initToken('Spare Token', { so: SO_PIN, user: USER_PIN });
  context = new AppContext({
    emit: () => undefined,
    defaultDirectory: home.dir,
    version: '0.0.0-test',
    actor: 'test-officer',
    kdfCost: 'test-only',
    log: {
      warn: (message) => logged.push(message),
      error: (message, error) => logged.push(`${message} ${String(error)}`),
    },
  });
  // Other areas' channels may still be under construction in this tree; they are not under test
  // here, so a missing one answers with an error instead of stopping the router from starting.
  const handlers = createHandlers() as Partial<HandlerTable>;
  for (const channel of CHANNEL_NAMES) {
    handlers[channel] ??= () => {
      throw new Error(`${channel} is not under test here`);
    };
  }
  router = createIpcRouter(context, handlers as HandlerTable);
  await value('vault:create', { path: join(home.dir, 'tokens.mzv'), passphrase: TEST_PASSPHRASE });
});

afterAll(async () => {
  if (context?.vault) await context.unlockedServices().pkcs11.close();
  context?.close();
  home?.cleanup();
});

describe('the tokens bridge on a real SoftHSM2 token', () => {
  it('offers the presets with the SoftHSM2 module found on this computer', async () => {
    const { presets } = await value<Response<'tokens:presets'>>('tokens:presets');
    const softhsm = presets.find((preset) => preset.id === 'softhsm2');
    expect(softhsm?.suggestedPath).toBe(SOFTHSM_MODULE);
    expect(softhsm?.quirks.length).toBeGreaterThan(0);
    expect(presets.map((preset) => preset.id)).toContain('luna');
  });

  it('refuses a module path that is missing, not a library, or not a PKCS#11 module', async () => {
    const missing = await failure('tokens:save-profile', {
      name: 'missing',
      preset: 'custom',
      modulePath: join(home.dir, 'nowhere', 'libpkcs11.so'),
    });
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/There is no file at .*libpkcs11\.so/);

    const text = join(home.dir, 'notes.so');
    writeFileSync(text, 'not a library\n');
    const notLibrary = await failure('tokens:save-profile', {
      name: 'text',
      preset: 'custom',
      modulePath: text,
    });
    expect(notLibrary.message).toMatch(/is not a shared library/);

    const notPkcs11 = await failure('tokens:check-module', {
      modulePath: '/usr/lib/x86_64-linux-gnu/libz.so.1',
    });
    expect(notPkcs11.message).toMatch(/not a PKCS#11 module/);

    const { profiles } = await value<Response<'tokens:profiles'>>('tokens:profiles');
    expect(profiles).toEqual([]);
  });

  it('saves a SoftHSM2 profile after loading its module', async () => {
    const info = await value<Response<'tokens:check-module'>>('tokens:check-module', {
      modulePath: SOFTHSM_MODULE,
    });
    expect(info.manufacturer).toMatch(/SoftHSM/);
    const profile = await value<Response<'tokens:save-profile'>>('tokens:save-profile', {
      name: 'lab',
      preset: 'softhsm2',
      modulePath: SOFTHSM_MODULE,
    });
    expect(profile).toMatchObject({ name: 'lab', preset: 'softhsm2', timeoutSeconds: 15 });
    profileId = profile.id;
  });

  it('lists the slots with token information and flags, logged out', async () => {
    const { module, slots } = await value<Response<'tokens:slots'>>('tokens:slots', { profileId });
    expect(module.path).toBe(realpathSync(SOFTHSM_MODULE));
    const token = slots.find((slot) => slot.token?.serial === serial)?.token;
    expect(token).toMatchObject({
      label: 'Ceremony Token',
      manufacturer: 'SoftHSM project',
      model: 'SoftHSM v2',
      loggedIn: false,
    });
    expect(token?.flags).toMatchObject({
      loginRequired: true,
      tokenInitialized: true,
      userPinInitialized: true,
      userPinLocked: false,
    });
    expect(token?.firmwareVersion).toMatch(/^\d+\.\d+$/);
  });

  it('lists the mechanisms and the key algorithms the token can make and sign with', async () => {
    const { mechanisms, algorithms } = await value<Response<'tokens:mechanisms'>>(
      'tokens:mechanisms',
      { profileId, tokenSerial: serial },
    );
    const ecdsa = mechanisms.find((mechanism) => mechanism.name === 'CKM_ECDSA');
    expect(ecdsa).toMatchObject({ sign: true, verify: true });
    expect(algorithms).toEqual(expect.arrayContaining(['rsa-2048', 'ec-p256', 'ec-p384']));
  });

  it('refuses to make a ceremony key on a token that is not logged in', async () => {
    const error = await failure('ca:create-root', {
      subject: 'CN=Too Early Root',
      key: {
        kind: 'new',
        algorithm: 'ec-p256',
        provider: 'pkcs11',
        token: { profileId, tokenSerial: serial },
      },
      validity: { years: 20 },
    });
    expect(error.code).toBe('TOKEN_ERROR');
    expect(error.message).toMatch(/not logged in; enter its user PIN/);
  });

  it('says a wrong PIN is wrong, then logs in with the right one', async () => {
    const wrong = await failure('tokens:login', {
      profileId,
      tokenSerial: serial,
      pin: WRONG_PIN,
    });
    expect(wrong.code).toBe('WRONG_PIN');
    expect(wrong.message).toMatch(
      new RegExp(`^Wrong PIN for token "Ceremony Token" \\(serial ${serial}\\)\\.`),
    );
    // The warning in the message is the one the token's flags now carry (SoftHSM2 counts tries).
    const { slots } = await value<Response<'tokens:slots'>>('tokens:slots', { profileId });
    const flags = slots.find((slot) => slot.token?.serial === serial)!.token!.flags;
    expect(flags.userPinCountLow).toBe(/few PIN tries are left/.test(wrong.message));
    expect(flags.userPinLocked).toBe(false);

    const token = await value<Response<'tokens:login'>>('tokens:login', {
      profileId,
      tokenSerial: serial,
      pin: USER_PIN,
    });
    expect(token.loggedIn).toBe(true);
    expect(token.flags.userPinFinalTry).toBe(false);
  });

  let rootKeyId = '';

  it('runs a root CA ceremony with the key on the token, sensitive and never extractable', async () => {
    const issued = await value<Response<'ca:create-root'>>('ca:create-root', {
      subject: 'CN=Token Root CA,O=Lab',
      key: {
        kind: 'new',
        algorithm: 'ec-p384',
        provider: 'pkcs11',
        label: 'token root',
        token: { profileId, tokenSerial: serial },
      },
      validity: { years: 20 },
    });
    expect(issued.key?.provider).toBe('pkcs11');
    rootKeyId = issued.key!.id;

    // The transcript the witnesses sign names the token by serial, not just "pkcs11".
    const transcript = await value<Response<'ceremony:transcript'>>('ceremony:transcript', {
      certId: issued.certificate.id,
      witnesses: ['Witness One'],
    });
    expect(transcript.markdown).toContain(`| Key store | PKCS#11 token serial ${serial}`);

    const rootPem = join(home.dir, 'root.pem');
    writeFileSync(rootPem, issued.certificate.pem);
    const verified = execFileSync('openssl', ['verify', '-CAfile', rootPem, rootPem], {
      encoding: 'utf8',
    });
    expect(verified.trim()).toBe(`${rootPem}: OK`);

    const { keys } = await value<Response<'tokens:objects'>>('tokens:objects', {
      profileId,
      tokenSerial: serial,
    });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      label: 'token root',
      algorithm: 'ec-p384',
      sensitive: true,
      extractable: false,
      neverExtractable: true,
      canSign: true,
      inventoryKeyId: rootKeyId,
      spkiSha256: issued.key!.spkiSha256,
    });

    const listing = pkcs11Tool(home, [
      '--token-label',
      'Ceremony Token',
      '--login',
      '--pin',
      USER_PIN,
      '--list-objects',
      '--type',
      'privkey',
    ]);
    expect(listing).toMatch(/label:\s+token root/);
    expect(listing).toMatch(/Access:\s+.*sensitive.*never extractable/);
  });

  it('asks for the token when the HSM store is chosen without one, or names a missing one', async () => {
    const without = await failure('ca:create-root', {
      subject: 'CN=Nowhere Root',
      key: { kind: 'new', algorithm: 'ec-p256', provider: 'pkcs11' },
      validity: { years: 20 },
    });
    expect(without).toEqual({
      code: 'INVALID_INPUT',
      message: 'Choose the connection profile and the token to keep the key on.',
    });
    const absent = await failure('ca:create-root', {
      subject: 'CN=Nowhere Root',
      key: {
        kind: 'new',
        algorithm: 'ec-p256',
        provider: 'pkcs11',
        token: { profileId, tokenSerial: '0000000000000000' },
      },
      validity: { years: 20 },
    });
    expect(absent.message).toBe(
      'No token with serial 0000000000000000 is present; insert or reconnect it.',
    );
  });

  it('adds a key made on the token by another tool to the inventory', async () => {
    pkcs11Tool(home, [
      '--token-label',
      'Ceremony Token',
      '--login',
      '--pin',
      USER_PIN,
      '--keypairgen',
      '--key-type',
      'EC:prime256v1',
      '--id',
      'a1b2',
      '--label',
      'made elsewhere',
    ]);
    const before = await value<Response<'tokens:objects'>>('tokens:objects', {
      profileId,
      tokenSerial: serial,
    });
    expect(before.keys.find((key) => key.ckaId === 'a1b2')?.inventoryKeyId).toBeNull();

    const { added } = await value<Response<'tokens:discover-keys'>>('tokens:discover-keys', {
      profileId,
      tokenSerial: serial,
    });
    expect(added.map((key) => [key.label, key.algorithm, key.provider])).toEqual([
      ['made elsewhere', 'ec-p256', 'pkcs11'],
    ]);
    const again = await value<Response<'tokens:discover-keys'>>('tokens:discover-keys', {
      profileId,
      tokenSerial: serial,
    });
    expect(again.added).toEqual([]);
  });

  it('initialises a token only with an explicit confirmation', async () => {
    const refused = await failure('tokens:initialize', {
      profileId,
      tokenSerial: spareSerial,
      label: 'Renamed Spare',
      soPin: SO_PIN,
      userPin: '424242',
    });
    expect(refused.code).toBe('CONFIRMATION_REQUIRED');

    const token = await value<Response<'tokens:initialize'>>('tokens:initialize', {
      profileId,
      tokenSerial: spareSerial,
      label: 'Renamed Spare',
      soPin: SO_PIN,
      userPin: '424242',
      confirmed: true,
    });
    expect(token).toMatchObject({ label: 'Renamed Spare', loggedIn: false });
    const login = await value<Response<'tokens:login'>>('tokens:login', {
      profileId,
      tokenSerial: token.serial,
      pin: '424242',
    });
    expect(login.loggedIn).toBe(true);
  });

  it('logs out, after which the private objects are out of reach', async () => {
    const token = await value<Response<'tokens:logout'>>('tokens:logout', {
      profileId,
      tokenSerial: serial,
    });
    expect(token.loggedIn).toBe(false);
    const error = await failure('tokens:objects', { profileId, tokenSerial: serial });
    expect(error.code).toBe('TOKEN_ERROR');
    expect(error.message).toMatch(/needs the user PIN: log in/);
  });

  it('logs in with a remembered PIN when a ceremony needs the token, until it is forgotten', async () => {
    await value('tokens:login', { profileId, tokenSerial: serial, pin: USER_PIN, remember: true });
    await value('tokens:logout', { profileId, tokenSerial: serial });

    const issued = await value<Response<'ca:create-root'>>('ca:create-root', {
      subject: 'CN=Remembered PIN Root',
      key: {
        kind: 'new',
        algorithm: 'ec-p256',
        provider: 'pkcs11',
        token: { profileId, tokenSerial: serial },
      },
      validity: { years: 20 },
    });
    expect(issued.key?.provider).toBe('pkcs11');

    const forgotten = await value<Response<'tokens:logout'>>('tokens:logout', {
      profileId,
      tokenSerial: serial,
      forget: true,
    });
    expect(forgotten.loggedIn).toBe(false);
    const error = await failure('ca:create-root', {
      subject: 'CN=Forgotten PIN Root',
      key: {
        kind: 'new',
        algorithm: 'ec-p256',
        provider: 'pkcs11',
        token: { profileId, tokenSerial: serial },
      },
      validity: { years: 20 },
    });
    expect(error.code).toBe('TOKEN_ERROR');
  });

  it('never answers or logs a PIN', () => {
    const everything = JSON.stringify(answers) + logged.join('\n');
    for (const secret of [USER_PIN, WRONG_PIN, SO_PIN, '424242']) {
      expect(everything).not.toContain(secret);
    }
  });
});
