// Import, inspect, validate and export of issue #3, end to end: the real renderer in Debian's
// Chromium, wired through the e2e harness to the real IPC router and services. OpenSSL makes a
// password-protected PKCS#12, a CSR and a CRL in a temp folder; the import wizard first reports a
// wrong password, then previews and imports the file into the vault; a PEM bundle goes in as
// Remote Storage; a second import of it is recognised; the inspector opens the CSR and the CRL;
// the validator checks a certificate at a chosen time; and a JKS export is read by keytool.
// Screenshots land in e2e/output/ with an `import-` prefix.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_PASSWORD,
  makeOpensslPki,
  type OpensslPki,
} from '../electron/formats/import-test-fixtures';
import { corpusPath } from '../electron/testing/corpus';
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
const JKS_PASSWORD = 'jks-store-password-9';
const BUNDLE = corpusPath('interop', 'chain-leaf-first.pem');

describe('import, inspect, validate and export in the window', () => {
  let workDir: string;
  let vaultDir: string;
  let pki: OpensslPki;
  let harness: Awaited<ReturnType<typeof startHarness>>;
  let browser: HarnessBrowser | undefined;
  let page: Page;
  const pageProblems: string[] = [];
  let shot = 0;

  const screenshot = async (name: string): Promise<void> => {
    shot += 1;
    await page.screenshot({
      path: join(OUTPUT, `import-${String(shot).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };
  const field = (label: string) => fieldByLabel(page, label);
  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name });
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });
  const button = (name: string) => page.getByRole('button', { name, exact: true });

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(OUTPUT, { recursive: true });
    workDir = mkdtempSync(join(tmpdir(), 'mazevault-e2e-import-'));
    vaultDir = join(workDir, 'vaults');
    mkdirSync(vaultDir);
    pki = makeOpensslPki();

    harness = await startHarness({ vaultDir, kdfCost: 'test-only' });
    browser = await openAppWindow(harness, pageProblems);
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    pki?.cleanup();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('creates a vault', async () => {
    await heading('Welcome to MazeVault').waitFor();
    await field('Vault file').fill(join(vaultDir, 'import.vault'));
    await field('Passphrase').fill(PASSPHRASE);
    await field('Repeat passphrase').fill(PASSPHRASE);
    await button('Create vault').click();
    await heading('Dashboard').waitFor();
  });

  it('imports an OpenSSL PKCS#12 after a wrong password, into the Internal Vault', async () => {
    await nav('Import').click();
    await heading('Import').waitFor();
    harness.answerOpenDialogs([pki.path('leaf.p12')]);
    await button('Choose files…').click();
    await page
      .getByRole('list', { name: 'Files to import' })
      .getByText('leaf.p12', { exact: true })
      .waitFor();
    await screenshot('files');
    await button('Read files').click();

    const file = page.getByRole('region', { name: 'File leaf.p12' });
    await file.getByText('needs a password').waitFor();
    await file.getByText('PKCS#12 key store').waitFor();
    await field('Password of leaf.p12').fill('not-the-password');
    await file.getByRole('button', { name: 'Open' }).click();
    const wrong = file.getByRole('alert');
    await wrong.getByText(/^Wrong password\./).waitFor();
    expect(await wrong.textContent()).toMatch(/password does not open/);
    await screenshot('wrong-password');

    await field('Password of leaf.p12').fill(FIXTURE_PASSWORD);
    await file.getByRole('button', { name: 'Open' }).click();
    const certificates = file.getByRole('table', { name: 'Certificates in leaf.p12' });
    await certificates.waitFor();
    await expect(certificates.textContent()).resolves.toContain('CN=import.example');
    await file.getByRole('table', { name: 'Private keys in leaf.p12' }).waitFor();
    await expect(file.getByText('already in the vault').count()).resolves.toBe(0);
    await screenshot('preview');

    await expect(page.getByRole('radio', { name: /^Internal Vault/ }).isChecked()).resolves.toBe(
      true,
    );
    await page.getByRole('button', { name: /^Import \d+ entries$/ }).click();
    const result = page.getByRole('region', { name: 'Import result' });
    await result
      .getByRole('status')
      .getByText(/Internal Vault mode: 3 new/)
      .waitFor();
    await screenshot('internal-result');
    await expect(page.content()).resolves.not.toContain(FIXTURE_PASSWORD);
  });

  it('shows the imported certificate, with its key, in the certificates list', async () => {
    await nav('Certificates').click();
    await heading('Certificates').waitFor();
    await page.getByText('import.example').first().waitFor();
    await screenshot('certificates');
  });

  it('imports a PEM bundle in Remote Storage mode with the key location', async () => {
    await nav('Import').click();
    await heading('Import').waitFor();
    await field('File path').fill(BUNDLE);
    await button('Add file').click();
    await button('Read files').click();
    const file = page.getByRole('region', { name: 'File chain-leaf-first.pem' });
    await file.getByRole('table', { name: 'Certificates in chain-leaf-first.pem' }).waitFor();

    await page.getByRole('radio', { name: /^Remote Storage/ }).check();
    const importButton = page.getByRole('button', { name: /^Import \d+ entries$/ });
    await expect(importButton.isDisabled()).resolves.toBe(true);
    await field('Private key location').fill('web01.example.test:/etc/ssl/private/www.key');
    await screenshot('remote-mode');
    await importButton.click();
    const result = page.getByRole('region', { name: 'Import result' });
    await result
      .getByRole('status')
      .getByText(/Remote Storage mode: 3 new/)
      .waitFor();
  });

  it('recognises a second import of the bundle as already in the vault', async () => {
    await button('Import more files').click();
    await field('File path').fill(BUNDLE);
    await button('Add file').click();
    await button('Read files').click();
    const table = page.getByRole('table', { name: 'Certificates in chain-leaf-first.pem' });
    await table.waitFor();
    await expect(table.getByText('already in the vault').count()).resolves.toBe(3);
    await screenshot('already-there-preview');
    // An import never trusts a root by itself; the validation below needs the officer's word.
    await page.getByRole('checkbox', { name: /^Trust the self-signed CA certificates/ }).check();
    await page.getByRole('button', { name: /^Import \d+ entries$/ }).click();
    const result = page.getByRole('region', { name: 'Import result' });
    await result
      .getByRole('status')
      .getByText(/0 new, 3 already in the vault/)
      .waitFor();
    await expect(
      result
        .getByRole('table', { name: 'Imported entries' })
        .getByText('already in the vault')
        .count(),
    ).resolves.toBe(3);
    await screenshot('already-there-result');
  });

  it('inspects a CSR with its requested extensions and ASN.1 tree', async () => {
    await nav('Inspector').click();
    await heading('Inspector').waitFor();
    await field('File path').fill(pki.path('leaf.csr'));
    await button('Use file').click();
    const request = page.getByRole('region', { name: /^Certificate request 1: CN=import.example/ });
    await request.waitFor();
    const fields = request.getByRole('table', { name: 'Fields of CN=import.example' });
    await expect(fields.textContent()).resolves.toMatch(/EC.*P-256/);
    await request.getByRole('button', { name: 'ASN.1 structure' }).click();
    const tree = request.getByRole('tree', { name: 'ASN.1 structure of CN=import.example' });
    await tree.getByText('SEQUENCE').first().waitFor();
    await screenshot('inspect-csr');
  });

  it('inspects a CRL with its revoked entries and extensions', async () => {
    harness.answerOpenDialogs([pki.path('root.crl')]);
    await button('Choose file…').click();
    const crl = page.getByRole('region', { name: /^Certificate revocation list 1:/ });
    await crl.waitFor();
    await crl.getByText(/Revoked certificates \(1\)/).waitFor();
    await expect(crl.getByRole('table', { name: /^Extensions of/ }).textContent()).resolves.toMatch(
      /CRL Number|cRLNumber/i,
    );
    await screenshot('inspect-crl');
  });

  it('validates a certificate at a chosen time and highlights the first failure', async () => {
    await nav('Validate').click();
    await heading('Validate').waitFor();
    await page.getByRole('radio', { name: 'From a file' }).check();
    await field('File path').fill(corpusPath('interop', 'leaf.pem'));
    await button('Use file').click();
    await field('Validation time (UTC)').fill('2026-12-05T00:00');
    await page.getByRole('combobox', { name: 'Purpose' }).click();
    await page.getByRole('option', { name: 'TLS server authentication' }).click();
    await button('Validate').click();
    const result = page.getByRole('region', { name: 'Validation result' });
    // No CRL of this corpus CA is in the vault: valid, with revocation named as not checked.
    await result
      .getByRole('status')
      .getByText(/but not every check could be done: revocation was not checked/)
      .waitFor();
    await result.getByText(/^Trust anchor: .*marked trusted in this vault by an officer/).waitFor();
    await expect(
      result.getByRole('list', { name: 'Certification path' }).getByRole('listitem').count(),
    ).resolves.toBe(3);
    await screenshot('validate-valid');

    await field('Validation time (UTC)').fill('2035-01-01T00:00');
    await button('Validate').click();
    await result
      .getByRole('alert')
      .getByText(/First failure/)
      .waitFor();
    await result.getByRole('row', { name: /^First failure/ }).waitFor();
    await screenshot('validate-expired');
  });

  it('exports the imported certificate with its key as JKS, which keytool lists', async () => {
    await nav('Export').click();
    await heading('Export').waitFor();
    await page.getByRole('combobox', { name: 'Certificate' }).click();
    await page.getByRole('option', { name: /^import\.example/ }).click();
    await page.getByRole('radio', { name: 'Java KeyStore (JKS)' }).check();
    await button('Next').click();
    await field('Export password').fill(JKS_PASSWORD);
    await field('Repeat export password').fill(JKS_PASSWORD);
    await field('Alias of the key entry').fill('import-leaf');
    await button('Next').click();
    const destination = join(workDir, 'import-leaf.jks');
    await field('Destination file').fill(destination);
    await button('Next').click();
    await page.getByRole('checkbox', { name: 'I confirm the export of this private key' }).check();
    await screenshot('export-jks-confirm');
    await button('Export').click();
    await page.getByText(`Export written to ${destination}.`).waitFor();
    await screenshot('export-jks-done');

    expect(existsSync(destination)).toBe(true);
    const listed = spawnSync(
      'keytool',
      ['-list', '-v', '-keystore', destination, '-storetype', 'JKS', '-storepass', JKS_PASSWORD],
      { encoding: 'utf8' },
    );
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/Alias name: import-leaf/);
    expect(listed.stdout).toMatch(/Entry type: PrivateKeyEntry/);
    expect(listed.stdout).toMatch(/Owner: CN=import\.example/);
    await expect(page.content()).resolves.not.toContain(JKS_PASSWORD);
  });

  it('shows no console error, uncaught exception or CSP violation along the way', () => {
    expect(pageProblems).toEqual([]);
  });
});
