// The root CA ceremony with the key on an HSM, end to end: the real renderer in Debian's Chromium,
// the real IPC router and services through the e2e harness, and a real SoftHSM2 token in a token
// directory of this test's own (SOFTHSM2_CONF, set before the harness starts so the main
// process's PKCS#11 worker reads it). The officer adds a SoftHSM2 profile on the Tokens page, sees
// the token and its mechanisms, types a wrong PIN and reads the token's answer, logs in, runs the
// ceremony wizard with "HSM token" as the key store, and issues a leaf signed on the token.
// pkcs11-tool then shows the root key on the token as sensitive and never extractable, and
// openssl verifies the leaf against the self-signed root. Screenshots: e2e/output/hsm-*.png.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSoftHsmHome,
  pkcs11Tool,
  SOFTHSM_MODULE,
  type SoftHsmHome,
} from '../electron/providers/pkcs11/testing/softhsm';
import {
  ensureRendererBuilt,
  escapeRegExp,
  fieldByLabel,
  openAppWindow,
  startHarness,
  type HarnessBrowser,
} from './harness/index';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUTPUT = join(ROOT, 'e2e', 'output');
const PASSPHRASE = 'correct horse battery staple 42';
const TOKEN_LABEL = 'MazeVault E2E HSM';
const USER_PIN = '583920';
const WRONG_PIN = '000111';
const SO_PIN = '12345678';
const ROOT_KEY_LABEL = 'MazeVault HSM Root CA (root-ca)';

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

describe('the root CA ceremony with the key on an HSM token, in the window', () => {
  let home: SoftHsmHome;
  let serial: string;
  let harness: Awaited<ReturnType<typeof startHarness>>;
  let browser: HarnessBrowser | undefined;
  let page: Page;
  const pageProblems: string[] = [];
  let shot = 0;

  const screenshot = async (name: string): Promise<void> => {
    shot += 1;
    await page.screenshot({
      path: join(OUTPUT, `hsm-${String(shot).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };
  const field = (label: string) => fieldByLabel(page, label);
  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name });
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });
  const tokenRegion = () =>
    page.getByRole('region', { name: `Token ${TOKEN_LABEL} (serial ${serial})` });

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(OUTPUT, { recursive: true });
    // Sets SOFTHSM2_CONF in process.env: the harness's services load the module in this process.
    home = createSoftHsmHome();
    serial = home.initToken(TOKEN_LABEL, { so: SO_PIN, user: USER_PIN });
    const vaultDir = join(home.dir, 'vaults');
    mkdirSync(vaultDir);

    harness = await startHarness({ vaultDir, kdfCost: 'test-only' });
    browser = await openAppWindow(harness, pageProblems);
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    if (harness?.context.vault?.isUnlocked) {
      await harness.context.unlockedServices().pkcs11.close();
    }
    await harness?.close();
    home?.cleanup();
  });

  it('creates a vault', async () => {
    await heading('Welcome to MazeVault').waitFor();
    await field('Vault file').fill(join(home.dir, 'vaults', 'hsm.vault'));
    await field('Passphrase').fill(PASSPHRASE);
    await field('Repeat passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await heading('Dashboard').waitFor();
  });

  it('adds a SoftHSM2 profile on the Tokens page after a missing module path is refused', async () => {
    await nav('Tokens').click();
    await heading('Tokens').waitFor();
    await page.getByRole('button', { name: 'Add profile' }).click();
    const form = page.getByRole('form', { name: 'Add a connection profile' });
    await form.getByRole('combobox', { name: 'Preset' }).click();
    await page.getByRole('option', { name: 'SoftHSM2' }).click();
    // The preset fills in the usual path where the module is installed.
    await expect(field('PKCS#11 module path').inputValue()).resolves.toBe(SOFTHSM_MODULE);

    const missing = join(home.dir, 'no-such-module.so');
    await field('PKCS#11 module path').fill(missing);
    await form.getByRole('button', { name: 'Check module' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: `There is no file at ${missing}` })
      .waitFor();
    await screenshot('module-missing');

    await field('PKCS#11 module path').fill(SOFTHSM_MODULE);
    await form.getByRole('button', { name: 'Check module' }).click();
    await form.getByText('The module loads: SoftHSM').waitFor();
    await field('Profile name').fill('lab');
    await screenshot('profile-form');
    await form.getByRole('button', { name: 'Save profile' }).click();
    await page
      .getByRole('combobox', { name: 'Connection profile' })
      .filter({ hasText: 'lab' })
      .waitFor();
  });

  it('shows the token, its details and its mechanisms', async () => {
    const token = tokenRegion();
    await token.waitFor();
    const details = token.getByRole('table', {
      name: `Details of ${TOKEN_LABEL} (serial ${serial})`,
    });
    await expect(details.textContent()).resolves.toContain('SoftHSM project');
    await expect(details.textContent()).resolves.toContain('login required');
    await expect(token.getByText('Logged out').isVisible()).resolves.toBe(true);

    await token.getByRole('button', { name: 'Show mechanisms' }).click();
    const mechanisms = token.getByRole('table', {
      name: `Mechanisms of ${TOKEN_LABEL} (serial ${serial})`,
    });
    await mechanisms.getByText('CKM_ECDSA', { exact: true }).waitFor();
    await expect(token.textContent()).resolves.toMatch(
      /can make and sign with: .*EC P-256, EC P-384/,
    );
    await screenshot('token-mechanisms');
  });

  it('says a wrong PIN is wrong, then logs in and out with the right one', async () => {
    const token = tokenRegion();
    await token.getByLabel(/^User PIN/).fill(WRONG_PIN);
    await token.getByRole('button', { name: 'Log in' }).click();
    await token
      .getByRole('alert')
      .filter({ hasText: `Wrong PIN for token "${TOKEN_LABEL}" (serial ${serial}).` })
      .waitFor();
    await screenshot('wrong-pin');
    // The field is emptied after each try: the PIN does not linger in the page.
    await expect(token.getByLabel(/^User PIN/).inputValue()).resolves.toBe('');

    await token.getByLabel(/^User PIN/).fill(USER_PIN);
    await token.getByRole('button', { name: 'Log in' }).click();
    await token.getByText('Logged in', { exact: true }).waitFor();
    await token.getByRole('button', { name: 'Show keys' }).click();
    await token.getByText('No private keys on this token.').waitFor();
    await screenshot('logged-in');

    // Logged out again, so the wizard below has to ask for the PIN itself.
    await token.getByRole('button', { name: 'Log out', exact: true }).click();
    await token.getByText('Logged out', { exact: true }).waitFor();
    await expect(page.content()).resolves.not.toContain(USER_PIN);
  });

  let rootSha256 = '';

  it('runs the root CA ceremony wizard with the key on the HSM token', async () => {
    await nav('Root CA ceremony').click();
    await heading('Root CA key ceremony').waitFor();
    await page.getByRole('radio', { name: 'HSM token (PKCS#11)' }).check();
    await page
      .getByRole('combobox', { name: 'Connection profile' })
      .filter({ hasText: 'lab' })
      .waitFor();
    await page
      .getByRole('combobox', { name: 'Token' })
      .filter({ hasText: `${TOKEN_LABEL} — serial ${serial}` })
      .waitFor();
    // The token is logged out: the step asks for its PIN and does not go on without it.
    await expect(page.getByRole('button', { name: 'Next' }).isDisabled()).resolves.toBe(true);
    await field('User PIN').fill(USER_PIN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Logged in.').waitFor();

    await page.getByRole('combobox', { name: 'Key algorithm' }).click();
    await page.getByRole('option', { name: /^EC P-384/ }).click();
    await page.getByRole('listbox').waitFor({ state: 'hidden' });
    await screenshot('ceremony-key-store');
    await page.getByRole('button', { name: 'Next' }).click();

    await field('Common name (CN)').fill('MazeVault HSM Root CA');
    await field('Organization (O)').fill('MazeVault Test');
    await field('Country (C)').fill('DE');
    await page.getByRole('button', { name: 'Next' }).click();
    await field('Validity (years)').fill('20');
    await page.getByRole('button', { name: 'Next' }).click();

    const review = page.getByRole('table', { name: 'Ceremony review' });
    await expect(review.textContent()).resolves.toContain(
      `HSM token (PKCS#11): ${TOKEN_LABEL}, serial ${serial}, profile lab`,
    );
    await screenshot('ceremony-review');
    await page.getByRole('button', { name: 'Generate root CA' }).click();

    const transcript = page.getByRole('region', { name: 'Ceremony transcript' });
    await transcript.waitFor();
    rootSha256 = (
      (await transcript.getByRole('row', { name: /^Certificate SHA-256/ }).textContent()) ?? ''
    )
      .replace('Certificate SHA-256', '')
      .trim();
    expect(rootSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    await screenshot('ceremony-transcript');
  });

  it('keeps the root private key on the token, sensitive and never extractable', async () => {
    const listing = pkcs11Tool(home, [
      '--token-label',
      TOKEN_LABEL,
      '--login',
      '--pin',
      USER_PIN,
      '--list-objects',
      '--type',
      'privkey',
    ]);
    expect(listing).toContain(`label:      ${ROOT_KEY_LABEL}`);
    expect(listing).toMatch(/Private Key Object; EC/);
    expect(listing).toMatch(/Access:\s+sensitive, always sensitive, never extractable/);

    await nav('Tokens').click();
    const token = tokenRegion();
    await token.getByRole('button', { name: 'Show keys' }).click();
    const keys = token.getByRole('table', { name: `Keys on ${TOKEN_LABEL} (serial ${serial})` });
    const row = keys.getByRole('row', { name: new RegExp(escapeRegExp(ROOT_KEY_LABEL)) });
    await expect(row.textContent()).resolves.toMatch(/EC P-384.*sensitive, never extractable/);
    await expect(row.getByRole('link', { name: 'in the inventory' }).isVisible()).resolves.toBe(
      true,
    );
    await screenshot('token-keys');
  });

  it('signs a leaf with the token key, and openssl verifies it against the self-signed root', async () => {
    await nav('End-entity certificate').click();
    await heading('End-entity certificate').waitFor();
    await page
      .getByRole('combobox', { name: 'Issuing CA' })
      .filter({ hasText: 'MazeVault HSM Root CA' })
      .waitFor();
    await field('Common name (CN)').fill('hsm-signed.example.test');
    await field('Subject alternative names').fill('hsm-signed.example.test');
    await field('Validity (days)').fill('90');
    await page.getByRole('button', { name: 'Issue certificate' }).click();
    await page
      .getByRole('region', { name: 'Issued certificate' })
      .getByText('Issued hsm-signed.example.test.')
      .waitFor();
    await screenshot('leaf-issued');

    const { certificates } = harness.context.unlockedServices();
    const records = certificates.list({});
    const root = records.find((record) => record.subject.includes('MazeVault HSM Root CA'));
    const leaf = records.find((record) => record.subject.includes('hsm-signed.example.test'));
    const rootFile = join(home.dir, 'root.pem');
    const leafFile = join(home.dir, 'leaf.pem');
    writeFileSync(rootFile, toPem(certificates.der(root!.id)));
    writeFileSync(leafFile, toPem(certificates.der(leaf!.id)));

    const fingerprint = execFileSync(
      'openssl',
      ['x509', '-in', rootFile, '-noout', '-fingerprint', '-sha256'],
      { encoding: 'utf8' },
    );
    expect(fingerprint.trim().split('=').at(-1)).toBe(rootSha256);
    const verified = execFileSync(
      'openssl',
      ['verify', '-x509_strict', '-CAfile', rootFile, rootFile, leafFile],
      { encoding: 'utf8' },
    );
    expect(verified).toBe(`${rootFile}: OK\n${leafFile}: OK\n`);
  });

  it('issues a subordinate CA whose key is made on the token too, and openssl verifies it', async () => {
    await nav('Subordinate CA').click();
    await heading('Subordinate CA').waitFor();
    await page
      .getByRole('combobox', { name: 'Issuing CA' })
      .filter({ hasText: 'MazeVault HSM Root CA' })
      .waitFor();
    await field('Common name (CN)').fill('MazeVault HSM Issuing CA');
    await page.getByRole('radio', { name: 'HSM token (PKCS#11)' }).check();
    // Logged in since the ceremony: the token is ready without asking for the PIN again.
    await page.getByText('Logged in.').waitFor();
    await screenshot('subordinate-form');
    await page.getByRole('button', { name: 'Issue subordinate CA' }).click();
    await page
      .getByRole('region', { name: 'Issued certificate' })
      .getByText('Issued MazeVault HSM Issuing CA.')
      .waitFor();
    await screenshot('subordinate-issued');

    const { certificates, keys } = harness.context.unlockedServices();
    const records = certificates.list({});
    const root = records.find((record) => record.subject.includes('MazeVault HSM Root CA'))!;
    const sub = records.find((record) => record.subject.includes('MazeVault HSM Issuing CA'))!;
    expect(keys.get(sub.keyId!).provider).toBe('pkcs11');
    const rootFile = join(home.dir, 'root-for-sub.pem');
    const subFile = join(home.dir, 'sub.pem');
    writeFileSync(rootFile, toPem(certificates.der(root.id)));
    writeFileSync(subFile, toPem(certificates.der(sub.id)));
    const verified = execFileSync(
      'openssl',
      ['verify', '-x509_strict', '-CAfile', rootFile, subFile],
      { encoding: 'utf8' },
    );
    expect(verified).toBe(`${subFile}: OK\n`);

    const listing = pkcs11Tool(home, [
      '--token-label',
      TOKEN_LABEL,
      '--login',
      '--pin',
      USER_PIN,
      '--list-objects',
      '--type',
      'privkey',
    ]);
    expect(listing.match(/Private Key Object/g)).toHaveLength(2);
  });

  it('shows no console error, uncaught exception or CSP violation along the way', async () => {
    await expect(page.content()).resolves.not.toContain(USER_PIN);
    expect(pageProblems).toEqual([]);
  });
});
