// The officer's main job, end to end: the real renderer in Debian's Chromium, wired through the
// e2e harness to the real IPC router and main-process services (no mocks). Creates a vault, runs
// the root CA ceremony wizard, issues a TLS server certificate, exports it (PEM, then PKCS#12 with
// its key after confirmation), checks the files with openssl, and verifies the audit trail in the
// audit view. Screenshots of every step land in e2e/output/ (git-ignored).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
const PASSPHRASE = 'correct horse battery staple 42';
const EXPORT_PASSWORD = 'export-password-7';

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8' });
}

describe('the root CA ceremony in the window', () => {
  let workDir: string;
  let vaultDir: string;
  let exportDir: string;
  let harness: Awaited<ReturnType<typeof startHarness>>;
  let browser: HarnessBrowser | undefined;
  let page: Page;
  /** Console errors, uncaught exceptions and CSP violations: the window must produce none. */
  const pageProblems: string[] = [];
  let shot = 0;

  const screenshot = async (name: string): Promise<void> => {
    shot += 1;
    await page.screenshot({
      path: join(OUTPUT, `${String(shot).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };
  /** A form field by its label; a required field's label ends in an asterisk. */
  const field = (label: string) => fieldByLabel(page, label);
  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name });
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(OUTPUT, { recursive: true });
    workDir = mkdtempSync(join(tmpdir(), 'mazevault-e2e-'));
    vaultDir = join(workDir, 'vaults');
    exportDir = join(workDir, 'exports');
    mkdirSync(vaultDir);
    mkdirSync(exportDir);

    harness = await startHarness({ vaultDir, kdfCost: 'test-only' });
    browser = await openAppWindow(harness, pageProblems);
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('creates a vault from the welcome page', async () => {
    await heading('Welcome to MazeVault').waitFor();
    await field('Vault file').fill(join(vaultDir, 'ceremony.vault'));
    await field('Passphrase').fill(PASSPHRASE);
    await field('Repeat passphrase').fill(PASSPHRASE);
    await screenshot('create-vault');
    await page.getByRole('button', { name: 'Create vault' }).click();

    await heading('Dashboard').waitFor();
    expect(existsSync(join(vaultDir, 'ceremony.vault'))).toBe(true);
    await expect(page.getByRole('status', { name: 'Vault unlocked' }).isVisible()).resolves.toBe(
      true,
    );
    await expect(page.getByLabel('Vault path', { exact: true }).textContent()).resolves.toBe(
      join(vaultDir, 'ceremony.vault'),
    );
    // The passphrase went into the call and is not left in the page.
    await expect(page.content()).resolves.not.toContain(PASSPHRASE);
    await screenshot('dashboard-empty');
  });

  let rootSha256 = '';

  it('runs the root CA ceremony wizard to a printable transcript with fingerprints', async () => {
    await nav('Root CA ceremony').click();
    await heading('Root CA key ceremony').waitFor();

    await page.getByRole('combobox', { name: 'Key algorithm' }).click();
    await page.getByRole('option', { name: /^EC P-384/ }).click();
    await page.getByRole('button', { name: 'Next' }).click();

    await field('Common name (CN)').fill('MazeVault E2E Root CA');
    await field('Organization (O)').fill('MazeVault Test, Ltd');
    await field('Country (C)').fill('DE');
    // Enter submits the step, as in every form of the window.
    await field('Country (C)').press('Enter');

    await field('Validity (years)').fill('20');
    await page.getByRole('button', { name: 'Next' }).click();

    const review = page.getByRole('table', { name: 'Ceremony review' });
    await expect(review.textContent()).resolves.toContain(
      'CN=MazeVault E2E Root CA,O=MazeVault Test\\, Ltd,C=DE',
    );
    await screenshot('ceremony-review');
    await page.getByRole('button', { name: 'Generate root CA' }).click();

    const transcript = page.getByRole('region', { name: 'Ceremony transcript' });
    await transcript.waitFor();
    await page.getByLabel('Transcript text').waitFor();
    const fingerprints = await transcript
      .getByRole('row', { name: /^Certificate SHA-256/ })
      .textContent();
    rootSha256 = (fingerprints ?? '').replace('Certificate SHA-256', '').trim();
    expect(rootSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    await screenshot('ceremony-transcript');

    // The print stylesheet leaves the transcript and drops the navigation and the buttons.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation').isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Print transcript' }).isVisible()).resolves.toBe(
      false,
    );
    await expect(transcript.isVisible()).resolves.toBe(true);
    await screenshot('ceremony-transcript-print');
    await page.emulateMedia({ media: 'screen' });
  });

  let leafSha256 = '';

  it('issues a TLS server certificate for a new key from the new root', async () => {
    await nav('End-entity certificate').click();
    await heading('End-entity certificate').waitFor();
    // The only CA in the vault is chosen for the officer.
    await page
      .getByRole('combobox', { name: 'Issuing CA' })
      .filter({ hasText: 'MazeVault E2E Root CA' })
      .waitFor();
    await field('Common name (CN)').fill('app.example.test');
    await field('Subject alternative names').fill('app.example.test\n192.0.2.10');
    await field('Validity (days)').fill('90');
    await screenshot('issue-leaf');
    await page.getByRole('button', { name: 'Issue certificate' }).click();

    const issued = page.getByRole('region', { name: 'Issued certificate' });
    await issued.getByText('Issued app.example.test.').waitFor();
    leafSha256 = ((await issued.getByRole('row', { name: /^SHA-256/ }).textContent()) ?? '')
      .replace('SHA-256', '')
      .trim();
    expect(leafSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(leafSha256).not.toBe(rootSha256);
    await screenshot('issued-leaf');
  });

  it('exports the leaf as PEM, and openssl reads the same certificate', async () => {
    await page.getByRole('main').getByRole('link', { name: 'Export' }).click();
    await heading('Export').waitFor();
    await page
      .getByRole('combobox', { name: 'Certificate' })
      .filter({ hasText: 'app.example.test' })
      .waitFor();
    await page.getByRole('radio', { name: /^PEM certificate/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('needs no password').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    const destination = join(exportDir, 'app.example.test.pem');
    await field('Destination file').fill(destination);
    await page.getByRole('button', { name: 'Next' }).click();
    await screenshot('export-pem-review');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByText(`Export written to ${destination}.`).waitFor();
    await screenshot('export-pem-done');

    expect(existsSync(destination)).toBe(true);
    const fingerprint = openssl('x509', '-in', destination, '-noout', '-fingerprint', '-sha256');
    expect(fingerprint.trim().split('=').at(-1)).toBe(leafSha256);
    const text = openssl(
      'x509',
      '-in',
      destination,
      '-noout',
      '-nameopt',
      'RFC2253',
      '-subject',
      '-issuer',
      '-ext',
      'subjectAltName',
    );
    expect(text).toContain('subject=CN=app.example.test\n');
    expect(text).toContain('issuer=CN=MazeVault E2E Root CA,O=MazeVault Test\\, Ltd,C=DE\n');
    expect(text).toContain('DNS:app.example.test');
    expect(text).toContain('IP Address:192.0.2.10');
  });

  it('exports the leaf with its private key as PKCS#12 only after explicit confirmation', async () => {
    await page.getByRole('button', { name: 'Export again' }).click();
    await page.getByRole('radio', { name: /^PKCS#12 \(\.p12/ }).check();
    await expect(
      page.getByRole('checkbox', { name: 'Include the private key' }).isChecked(),
    ).resolves.toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();

    await field('Export password').fill(EXPORT_PASSWORD);
    await field('Repeat export password').fill(`${EXPORT_PASSWORD}-typo`);
    await expect(page.getByRole('button', { name: 'Next' }).isDisabled()).resolves.toBe(true);
    await field('Repeat export password').fill(EXPORT_PASSWORD);
    await page.getByRole('button', { name: 'Next' }).click();

    const destination = join(exportDir, 'app.example.test.p12');
    await field('Destination file').fill(destination);
    await page.getByRole('button', { name: 'Next' }).click();

    const exportButton = page.getByRole('button', { name: 'Export', exact: true });
    await expect(exportButton.isDisabled()).resolves.toBe(true);
    await page.getByRole('checkbox', { name: 'I confirm the export of this private key' }).check();
    await screenshot('export-p12-confirm');
    await exportButton.click();
    await page.getByText(`Export written to ${destination}.`).waitFor();
    await screenshot('export-p12-done');

    const contents = openssl(
      'pkcs12',
      '-in',
      destination,
      '-passin',
      `pass:${EXPORT_PASSWORD}`,
      '-nodes',
    );
    expect(contents).toContain('BEGIN CERTIFICATE');
    expect(contents).toContain('BEGIN PRIVATE KEY');
    await expect(page.content()).resolves.not.toContain(EXPORT_PASSWORD);
  });

  it('verifies the audit trail in the audit view, exports included', async () => {
    await nav('Audit trail').click();
    await heading('Audit trail').waitFor();
    const grid = page.getByRole('grid', { name: 'Audit events' });
    await grid.getByText('vault.create').waitFor();
    await expect(grid.textContent()).resolves.toMatch(/export/);

    await page.getByRole('button', { name: 'Verify' }).click();
    const result = page.getByRole('status').filter({ hasText: 'The audit chain is intact' });
    await result.waitFor();
    expect(await result.textContent()).toMatch(/intact: \d+ events verified/);
    await screenshot('audit-verified');
  });

  it('lists the keys and greys out the transitions the lifecycle table forbids', async () => {
    await nav('Dashboard').click();
    await heading('Dashboard').waitFor();
    await page.getByRole('link', { name: 'Keys: 2' }).waitFor();
    await nav('Keys').click();
    await heading('Keys').waitFor();
    await page.getByRole('link', { name: 'MazeVault E2E Root CA (root-ca)' }).click();
    await heading('MazeVault E2E Root CA (root-ca)').waitFor();
    await screenshot('key-detail');

    // NIST SP 800-57: an Active key may be suspended, never destroyed without deactivation first.
    await expect(page.getByRole('button', { name: 'Suspend' }).isEnabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Destroy' }).isDisabled()).resolves.toBe(true);
  });

  it('locks the vault from the top bar', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await heading('Unlock the vault').waitFor();
    await screenshot('locked');
  });

  it('shows no console error, uncaught exception or CSP violation along the way', () => {
    expect(pageProblems).toEqual([]);
  });
});
