// Key generation and the vault settings in the window: the real renderer in Debian's Chromium,
// wired through the e2e harness to the real IPC router and main-process services. Creates a vault,
// generates an Active EC P-384 key and a Pre-active Ed25519 key on the Generate key page, changes
// the passphrase (a wrong current passphrase first), locks, unlocks with the new passphrase (the
// old one refused), sets auto-lock on and off, and raises the KDF cost. What the window shows is
// checked against the vault file itself. Screenshots land in e2e/output/ as settings-*.png.
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureRendererBuilt,
  fieldByLabel,
  openAppWindow,
  startHarness,
  type HarnessBrowser,
} from './harness/index';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUTPUT = join(ROOT, 'e2e', 'output');
const PASSPHRASE = 'settings passphrase one 1';
const NEW_PASSPHRASE = 'Settings passphrase Two 2!';
const ACTIVE_LABEL = 'E2E payments signing P-384';
const STANDBY_LABEL = 'E2E standby Ed25519';

describe('key generation and vault settings in the window', () => {
  let workDir: string;
  let vaultDir: string;
  let vaultPath: string;
  let harness: Awaited<ReturnType<typeof startHarness>>;
  let browser: HarnessBrowser | undefined;
  let page: Page;
  /** Console errors, uncaught exceptions and CSP violations: the window must produce none. */
  const pageProblems: string[] = [];
  let shot = 0;

  const screenshot = async (name: string): Promise<void> => {
    shot += 1;
    await page.screenshot({
      path: join(OUTPUT, `settings-${String(shot).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };
  /** A form field by its label; a required field's label ends in an asterisk. */
  const field = (label: string) => fieldByLabel(page, label);
  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name });
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });
  const section = (name: string) => page.getByRole('region', { name });

  /** The vault file as another reader sees it, without going through the app. */
  const readVault = <T>(query: string, ...parameters: unknown[]): T[] => {
    const db = new Database(vaultPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(query).all(...parameters) as T[];
    } finally {
      db.close();
    }
  };
  const storedSetting = (name: string): string | undefined =>
    readVault<{ value: string }>('SELECT value FROM settings WHERE name = ?', name)[0]?.value;
  const storedKey = (label: string) =>
    readVault<{ id: string; state: string; algorithm: string; purpose: string; owner: string }>(
      'SELECT id, state, algorithm, purpose, owner FROM keys WHERE label = ?',
      label,
    );

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(OUTPUT, { recursive: true });
    // Only this run's screenshots: an earlier run may have numbered its steps differently.
    for (const name of readdirSync(OUTPUT)) {
      if (name.startsWith('settings-')) rmSync(join(OUTPUT, name));
    }
    workDir = mkdtempSync(join(tmpdir(), 'mazevault-e2e-settings-'));
    vaultDir = join(workDir, 'vaults');
    mkdirSync(vaultDir);
    vaultPath = join(vaultDir, 'settings.vault');

    harness = await startHarness({ vaultDir, kdfCost: 'test-only' });
    browser = await openAppWindow(harness, pageProblems);
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('creates a vault', async () => {
    await heading('Welcome to MazeVault').waitFor();
    await field('Vault file').fill(vaultPath);
    await field('Passphrase').fill(PASSPHRASE);
    await field('Repeat passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await heading('Dashboard').waitFor();
  });

  it('generates an Active EC P-384 key from the keys list and lands on its page', async () => {
    await nav('Keys').click();
    await heading('Keys').waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Generate key' }).click();
    await heading('Generate key').waitFor();

    await page.getByRole('combobox', { name: 'Key algorithm' }).click();
    await page.getByRole('option', { name: /^EC P-384/ }).click();
    await field('Label').fill(ACTIVE_LABEL);
    await page.getByRole('combobox', { name: 'Purpose' }).click();
    await page.getByRole('option', { name: 'Signing', exact: true }).click();
    // The cryptoperiod follows the purpose until the officer types one: 3 years for signing keys.
    await expect(field('Cryptoperiod (days)').inputValue()).resolves.toBe('1095');
    await page.getByText('NIST SP 800-57 Part 1 Table 1 suggests').waitFor();
    await field('Owner').fill('PKI team');
    await expect(page.getByRole('radio', { name: /^Activate now/ }).isChecked()).resolves.toBe(
      true,
    );
    await screenshot('generate-active');
    await page.getByRole('button', { name: 'Generate key' }).click();

    await heading(ACTIVE_LABEL).waitFor();
    await page.getByRole('main').getByText('Active', { exact: true }).first().waitFor();
    await screenshot('active-key-page');

    const [stored] = storedKey(ACTIVE_LABEL);
    expect(stored).toMatchObject({
      state: 'active',
      algorithm: 'ec-p384',
      purpose: 'signing',
      owner: 'PKI team',
    });
    expect(page.url()).toContain(`#/keys/${encodeURIComponent(stored!.id)}`);

    await nav('Keys').click();
    await heading('Keys').waitFor();
    const row = page.getByRole('row').filter({ hasText: ACTIVE_LABEL });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Active');
  });

  it('generates a key kept Pre-active, with a cryptoperiod the officer typed', async () => {
    await page.getByRole('main').getByRole('link', { name: 'Generate key' }).click();
    await heading('Generate key').waitFor();
    await page.getByRole('combobox', { name: 'Key algorithm' }).click();
    await page.getByRole('option', { name: /^Ed25519/ }).click();
    await field('Label').fill(STANDBY_LABEL);

    await field('Cryptoperiod (days)').fill('0');
    await page.getByText('The cryptoperiod must be between 1 and 36500 days').waitFor();
    await expect(page.getByRole('button', { name: 'Generate key' }).isDisabled()).resolves.toBe(
      true,
    );
    await field('Cryptoperiod (days)').fill('200');
    await page.getByRole('radio', { name: /^Keep Pre-active/ }).check();
    await screenshot('generate-pre-active');
    await page.getByRole('button', { name: 'Generate key' }).click();

    await heading(STANDBY_LABEL).waitFor();
    await page.getByRole('main').getByText('Pre-active', { exact: true }).first().waitFor();
    // NIST SP 800-57: a Pre-active key may be activated, never suspended.
    // (The key page may offer activation in more than one place.)
    await expect(
      page.getByRole('button', { name: 'Activate', exact: true }).first().isEnabled(),
    ).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Suspend' }).isDisabled()).resolves.toBe(true);
    await screenshot('pre-active-key-page');

    const [stored] = storedKey(STANDBY_LABEL);
    expect(stored).toMatchObject({ state: 'pre-active', algorithm: 'ed25519' });
    const [period] = readVault<{ cryptoperiod_days: number }>(
      'SELECT cryptoperiod_days FROM keys WHERE id = ?',
      stored!.id,
    );
    expect(period!.cryptoperiod_days).toBe(200);
  });

  it('shows the KDF parameters of the vault on the settings page', async () => {
    await nav('Vault settings').click();
    await heading('Vault settings').waitFor();
    const kdf = section('Key derivation');
    await kdf.getByText('scrypt N=2^12, r=8, p=1 (4 MiB per unlock)').waitFor();
    await kdf.getByText('cheap test-only KDF parameters').waitFor();
    await screenshot('settings');
  });

  it('refuses a wrong current passphrase with a clear error and changes nothing', async () => {
    const form = section('Change passphrase');
    await form.getByLabel(/^Current passphrase/).fill('not the current passphrase');
    await form.getByLabel(/^New passphrase/).fill(NEW_PASSPHRASE);
    await form.getByLabel(/^Repeat new passphrase/).fill(NEW_PASSPHRASE);
    await form.getByText(/^Strength: (Good|Strong)\./).waitFor();
    await form.getByRole('button', { name: 'Change passphrase' }).click();

    const error = form.getByRole('alert');
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain(
      'Wrong current passphrase: the passphrase was not changed.',
    );
    await screenshot('wrong-current-passphrase');
    // The current passphrase field is cleared after every attempt; the new one stays typed.
    await expect(form.getByLabel(/^Current passphrase/).inputValue()).resolves.toBe('');
    const failures = harness.context
      .vault!.audit.list({ action: 'vault.change-passphrase' })
      .filter((event) => event.outcome === 'failure');
    expect(failures).toHaveLength(1);
  });

  it('changes the passphrase with the right current one', async () => {
    const form = section('Change passphrase');
    await form.getByLabel(/^Current passphrase/).fill(PASSPHRASE);
    await form.getByRole('button', { name: 'Change passphrase' }).click();
    await form.getByText('Passphrase changed.').waitFor();
    await expect(form.getByLabel(/^New passphrase/).inputValue()).resolves.toBe('');
    await expect(page.content()).resolves.not.toContain(NEW_PASSPHRASE);
    await screenshot('passphrase-changed');
  });

  it('locks now, refuses the old passphrase and unlocks with the new one', async () => {
    await section('Lock now').getByRole('button', { name: 'Lock vault now' }).click();
    await heading('Unlock the vault').waitFor();
    expect(harness.context.vault?.isUnlocked).toBe(false);

    await field('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Wrong passphrase' });
    await refused.waitFor();
    await expect(refused.textContent()).resolves.toContain(
      'Wrong passphrase: the vault stays locked.',
    );
    await screenshot('old-passphrase-refused');

    await field('Passphrase').fill(NEW_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await heading('Vault settings').waitFor();
    await expect(page.getByRole('status', { name: 'Vault unlocked' }).isVisible()).resolves.toBe(
      true,
    );
  });

  it('sets auto-lock to 5 minutes, then off, and the vault file keeps each choice', async () => {
    const form = section('Auto-lock');
    await form.getByText('Now: locks after 10 minutes without activity.').waitFor();
    await form.getByLabel(/^Idle time before locking/).fill('0');
    await form.getByText('The idle time must be between 1 and 1440 minutes').waitFor();
    await form.getByLabel(/^Idle time before locking/).fill('5');
    await form.getByRole('button', { name: 'Save auto-lock' }).click();
    await form.getByText('Saved: locks after 5 minutes without activity.').waitFor();
    expect(storedSetting('vault.autoLockMinutes')).toBe('5');
    await screenshot('auto-lock-5');

    // After a reload the page reads the setting back from the main process.
    await page.reload();
    await heading('Vault settings').waitFor();
    await form.getByText('Now: locks after 5 minutes without activity.').waitFor();

    await form.getByRole('switch', { name: 'Lock automatically when idle' }).uncheck();
    await form.getByRole('button', { name: 'Save auto-lock' }).click();
    await form.getByText('Saved: auto-lock is off.').waitFor();
    expect(storedSetting('vault.autoLockMinutes')).toBe('off');
    expect(harness.context.vault?.autoLockMinutes()).toBeNull();
    await screenshot('auto-lock-off');

    await form.getByRole('switch', { name: 'Lock automatically when idle' }).check();
    await form.getByLabel(/^Idle time before locking/).fill('15');
    await form.getByRole('button', { name: 'Save auto-lock' }).click();
    await form.getByText('Saved: locks after 15 minutes without activity.').waitFor();
    expect(storedSetting('vault.autoLockMinutes')).toBe('15');
  });

  it('raises the KDF cost with the new passphrase', async () => {
    const kdf = section('Key derivation');
    await kdf.getByRole('combobox', { name: 'New cost (N)' }).click();
    await page.getByRole('option', { name: /^N=2\^14/ }).click();
    await kdf.getByLabel(/^Passphrase to confirm/).fill(PASSPHRASE);
    await kdf.getByRole('button', { name: 'Raise KDF cost' }).click();
    await kdf.getByText('Wrong current passphrase: the KDF cost was not changed.').waitFor();

    await kdf.getByLabel(/^Passphrase to confirm/).fill(NEW_PASSPHRASE);
    await kdf.getByRole('button', { name: 'Raise KDF cost' }).click();
    await kdf.getByText('Raised to scrypt N=2^14, r=8, p=1 (16 MiB per unlock).').waitFor();
    const [slot] = readVault<{ kdf: string }>(
      "SELECT kdf FROM key_slots WHERE kind = 'passphrase'",
    );
    expect(JSON.parse(slot!.kdf)).toMatchObject({ algorithm: 'scrypt', N: 2 ** 14, r: 8, p: 1 });
    await screenshot('kdf-raised');
  });

  it('leaves an intact audit trail with every settings change in it', () => {
    const vault = harness.context.vault!;
    const actions = vault.audit.list({}).map((event) => `${event.action}:${event.outcome}`);
    for (const expected of [
      'key.generate:success',
      'vault.change-passphrase:failure',
      'vault.change-passphrase:success',
      'vault.unlock:failure',
      'vault.unlock:success',
      'vault.set-auto-lock:success',
      'vault.raise-kdf:success',
    ]) {
      expect(actions).toContain(expected);
    }
    expect(vault.audit.verify().ok).toBe(true);
  });

  it('shows no console error, uncaught exception or CSP violation along the way', () => {
    expect(pageProblems).toEqual([]);
  });
});
