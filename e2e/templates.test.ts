// Issuance templates and batch issuance end to end: the real renderer in Debian's Chromium, wired
// through the e2e harness to the real IPC router and services. The root CA is made through the
// same services the harness runs (set-up speed); the officer's steps are done in the window:
// create, edit and delete templates, issue a certificate from one, sign an OpenSSL-made CSR with
// the template winning the subject and a SAN edited, and run a CSV batch with one bad line.
// Certificates are checked with openssl; screenshots land in e2e/output/ with a templates- prefix.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../electron/services';
import {
  ensureRendererBuilt,
  fieldByLabel,
  openAppWindow,
  startHarness,
  type HarnessBrowser,
} from './harness/index';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUTPUT = join(ROOT, 'e2e', 'output');
const PASSPHRASE = 'templates passphrase 4 lanterns';

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8' });
}

function pem(der: Buffer): string {
  const body = der.toString('base64').replace(/.{64}/g, '$&\n').trimEnd();
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

describe('issuance templates and batch issuance in the window', () => {
  let workDir: string;
  let vaultDir: string;
  let harness: Awaited<ReturnType<typeof startHarness>>;
  let browser: HarnessBrowser | undefined;
  let page: Page;
  const pageProblems: string[] = [];
  let rootId = '';
  let rootPem = '';

  const screenshot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(OUTPUT, `templates-${name}.png`), fullPage: true });
  };
  const field = (label: string) => fieldByLabel(page, label);
  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name });
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });
  const services = (): Services => harness.context.unlockedServices();
  const choose = async (combobox: string, option: RegExp) => {
    await page.getByRole('combobox', { name: combobox }).click();
    await page.getByRole('option', { name: option }).click();
  };

  /** openssl's view of a vault certificate, after `openssl verify` against the root. */
  const opensslFacts = (certId: string) => {
    const certFile = join(workDir, `${certId}.pem`);
    writeFileSync(certFile, pem(services().certificates.der(certId)));
    const rootFile = join(workDir, 'root.pem');
    writeFileSync(rootFile, rootPem);
    const verified = spawnSync('openssl', ['verify', '-CAfile', rootFile, certFile], {
      encoding: 'utf8',
    });
    expect(`${verified.stdout}${verified.stderr}`).toMatch(/: OK/);
    return {
      subject: openssl('x509', '-in', certFile, '-noout', '-subject', '-nameopt', 'RFC2253')
        .replace(/^subject=\s*/, '')
        .trim(),
      sans: openssl('x509', '-in', certFile, '-noout', '-ext', 'subjectAltName'),
      text: openssl('x509', '-in', certFile, '-noout', '-text'),
      pubkey: openssl('x509', '-in', certFile, '-noout', '-pubkey'),
    };
  };

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(OUTPUT, { recursive: true });
    workDir = mkdtempSync(join(tmpdir(), 'mazevault-e2e-templates-'));
    vaultDir = join(workDir, 'vaults');
    mkdirSync(vaultDir);

    harness = await startHarness({ vaultDir, kdfCost: 'test-only' });
    browser = await openAppWindow(harness, pageProblems);
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('creates a vault in the window and a root CA through the services', async () => {
    await heading('Welcome to MazeVault').waitFor();
    await field('Vault file').fill(join(vaultDir, 'templates.vault'));
    await field('Passphrase').fill(PASSPHRASE);
    await field('Repeat passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await heading('Dashboard').waitFor();

    const root = await services().issuance.createRoot({
      subject: 'CN=Templates E2E Root,O=MazeVault Test,C=DE',
      key: { algorithm: 'ec-p256' },
      validity: { years: 20 },
    });
    rootId = root.certificate.id;
    rootPem = pem(services().certificates.der(rootId));
  });

  it('creates, edits and deletes templates on the Templates page', async () => {
    await nav('Issuance templates').click();
    await heading('Issuance templates').waitFor();
    await page.getByText('No templates yet.', { exact: false }).waitFor();

    await page.getByRole('button', { name: 'New template' }).click();
    const form = page.getByRole('form', { name: 'New template' });
    await form.getByLabel(/^Template name/).fill('Devices');
    await choose('Profile', /^TLS client/);
    await form.getByLabel(/^Subject defaults/).fill('OU=Devices,O=Acme,C=DE');
    await form
      .getByRole('textbox', { name: 'Subject alternative names' })
      .fill('DNS:fleet.example.test');
    await form.getByLabel(/^Validity\s*\*?$/).fill('120');
    await form
      .getByRole('radiogroup', { name: 'Key policy on renewal' })
      .getByRole('radio', { name: /^Reuse/ })
      .check();
    await screenshot('new');
    await form.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Saved template Devices.').waitFor();
    const table = page.getByRole('table', { name: 'Templates' });
    await table.getByRole('row', { name: /Devices/ }).waitFor();

    let saved = services().templates.get('Devices');
    expect(saved).toMatchObject({
      profile: 'tls-client',
      subjectDefaults: 'OU=Devices,O=Acme,C=DE',
      sans: ['DNS:fleet.example.test'],
      keyPolicy: 'reuse',
      keyAlgorithm: 'ec-p256',
      validity: { days: 120 },
      csrPrecedence: { subject: 'csr', subjectAltName: 'csr' },
    });

    // Edit: a year's validity and the template's SANs win over a CSR's.
    await table.getByRole('button', { name: 'Edit Devices' }).click();
    const edit = page.getByRole('form', { name: 'Edit template Devices' });
    await expect(edit.getByLabel(/^Template name/).isDisabled()).resolves.toBe(true);
    await edit.getByLabel(/^CRL distribution point/).fill('http://crl.example.test/devices.crl');
    await edit.getByLabel(/^Validity\s*\*?$/).fill('1');
    await choose('Validity unit', /^years$/);
    await edit
      .getByRole('radiogroup', { name: 'SANs of a CSR' })
      .getByRole('radio', { name: 'Template wins' })
      .check();
    await screenshot('edit');
    await edit.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Saved template Devices.').waitFor();
    saved = services().templates.get('Devices');
    expect(saved.validity).toEqual({ years: 1 });
    expect(saved.csrPrecedence).toEqual({ subject: 'csr', subjectAltName: 'template' });
    expect(saved.crlDistributionPoint).toBe('http://crl.example.test/devices.crl');

    // A template the service refuses says why in the form.
    await page.getByRole('button', { name: 'New template' }).click();
    const bad = page.getByRole('form', { name: 'New template' });
    await bad.getByLabel(/^Template name/).fill('Too long');
    await bad.getByLabel(/^Validity\s*\*?$/).fill('3');
    await choose('Validity unit', /^years$/);
    await bad.getByRole('button', { name: 'Save template' }).click();
    await bad.getByRole('alert').waitFor();
    await bad.getByRole('button', { name: 'Cancel' }).click();

    services().templates.save('Scratch', {
      profile: 'tls-server',
      keyPolicy: 'regenerate',
      keyAlgorithm: 'ec-p256',
      validity: { days: 90 },
      csrPrecedence: { subject: 'csr', subjectAltName: 'csr' },
    });
    await nav('Dashboard').click();
    await nav('Issuance templates').click();
    await table.getByRole('button', { name: 'Delete Scratch' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete template Scratch?' });
    await screenshot('delete');
    await dialog.getByRole('button', { name: 'Delete template' }).click();
    await page.getByText('Deleted template Scratch.').waitFor();
    await expect(table.getByRole('row', { name: /Scratch/ }).count()).resolves.toBe(0);
    expect(
      services()
        .templates.list()
        .map((t) => t.name),
    ).toEqual(['Devices']);
    await screenshot('list');
  });

  it('issues a certificate from the Templates page with a new key', async () => {
    await nav('Issuance templates').click();
    await heading('Issuance templates').waitFor();
    await page
      .getByRole('table', { name: 'Templates' })
      .getByRole('button', { name: 'Issue from Devices' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Issue from Devices' });
    await dialog.getByLabel(/^Subject or common name/).fill('gateway-1');
    await dialog.getByLabel(/^Additional SANs/).fill('gateway-1.example.test');
    await screenshot('issue-dialog');
    await dialog.getByRole('button', { name: 'Issue certificate' }).click();
    await dialog
      .getByRole('status')
      .getByText(/^Issued/)
      .waitFor();
    await screenshot('issue-dialog-issued');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const certificate = services()
      .certificates.list({ search: 'gateway-1' })
      .find((record) => record.subject.startsWith('CN=gateway-1'));
    expect(certificate?.keyId).toBeTruthy();
    expect(services().keys.get(certificate!.keyId!).algorithm).toBe('ec-p256');
    const facts = opensslFacts(certificate!.id);
    expect(facts.subject).toBe('CN=gateway-1,OU=Devices,O=Acme,C=DE');
    expect(facts.text).toMatch(/URI:http:\/\/crl\.example\.test\/devices\.crl/);
    expect(facts.sans).toMatch(/DNS:gateway-1\.example\.test, DNS:fleet\.example\.test/);
    expect(facts.text).toMatch(/TLS Web Client Authentication/);
  });

  it('issues a certificate from the template on the end-entity page', async () => {
    await nav('End-entity certificate').click();
    await heading('End-entity certificate').waitFor();
    await choose('Template', /^Devices/);
    // The template fills the form: profile, subject defaults, SANs, validity.
    await expect(field('Organizational unit (OU)').inputValue()).resolves.toBe('Devices');
    await expect(field('Organization (O)').inputValue()).resolves.toBe('Acme');
    await expect(field('Subject alternative names').inputValue()).resolves.toBe(
      'DNS:fleet.example.test',
    );
    await expect(field('Validity (days)').inputValue()).resolves.toBe('365');
    await page
      .getByRole('combobox', { name: 'Profile' })
      .filter({ hasText: 'TLS client' })
      .waitFor();
    await field('Common name (CN)').fill('sensor-1.example.test');
    await field('Subject alternative names').fill(
      'DNS:sensor-1.example.test\nDNS:fleet.example.test',
    );
    await screenshot('issue-prefilled');
    await page.getByRole('button', { name: 'Issue certificate' }).click();
    const issued = page.getByRole('region', { name: 'Issued certificate' });
    await issued.getByText('Issued sensor-1.example.test.').waitFor();

    const certificate = services()
      .certificates.list({ search: 'sensor-1' })
      .find((record) => record.subject.startsWith('CN=sensor-1'));
    expect(certificate).toBeDefined();
    const facts = opensslFacts(certificate!.id);
    expect(facts.subject).toBe('CN=sensor-1.example.test,OU=Devices,O=Acme,C=DE');
    expect(facts.text).toMatch(/URI:http:\/\/crl\.example\.test\/devices\.crl/);
    expect(facts.sans).toMatch(/DNS:sensor-1\.example\.test, DNS:fleet\.example\.test/);
    expect(facts.text).toMatch(/TLS Web Client Authentication/);
  });

  it('signs an openssl CSR with the template winning the subject and an edited SAN', async () => {
    const keyFile = join(workDir, 'camera.key');
    const csrFile = join(workDir, 'camera.csr');
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile);
    openssl(
      'req',
      '-new',
      '-key',
      keyFile,
      '-subj',
      '/C=US/O=Other Org/CN=camera-9',
      '-addext',
      'subjectAltName=DNS:camera-9.other.test',
      '-out',
      csrFile,
    );

    await nav('Sign a CSR with a template').click();
    await heading('Sign a CSR with a template').waitFor();
    await choose('Template', /^Devices/);
    harness.answerOpenDialogs([csrFile]);
    await page.getByRole('button', { name: 'Choose file…' }).click();

    const plan = page.getByRole('region', { name: 'Signing plan' });
    const subjectCell = plan.getByRole('cell', { name: 'Subject to be certified' });
    // The template says the CSR wins the subject: the CSR's O and C stand, OU is added.
    await subjectCell.getByText('CN=camera-9,OU=Devices,O=Other Org,C=US').waitFor();
    // The template wins the SANs (as edited above).
    await plan
      .getByRole('cell', { name: 'SANs of the plan' })
      .getByText('DNS:fleet.example.test')
      .waitFor();

    await plan
      .getByRole('radiogroup', { name: 'Subject: which side wins' })
      .getByRole('radio', { name: 'Template wins' })
      .check();
    await subjectCell.getByText('CN=camera-9,OU=Devices,O=Acme,C=DE').waitFor();
    await plan.getByLabel(/^SANs to certify/).fill('DNS:camera-9.acme.test\nIP:192.0.2.9');
    await plan.getByText('Edited: these replace the plan’s SANs.').waitFor();
    await screenshot('sign-csr-plan');
    await page.getByRole('button', { name: 'Sign CSR' }).click();
    await page
      .getByRole('region', { name: 'Issued certificate' })
      .getByText('Issued camera-9.')
      .waitFor();
    await expect(
      page.getByRole('region', { name: 'Issued certificate' }).textContent(),
    ).resolves.toMatch(/Held by the requester/);
    await screenshot('sign-csr-issued');

    const certificate = services()
      .certificates.list({ search: 'camera-9' })
      .find((record) => record.subject.startsWith('CN=camera-9'));
    const facts = opensslFacts(certificate!.id);
    expect(facts.subject).toBe('CN=camera-9,OU=Devices,O=Acme,C=DE');
    expect(facts.sans).toMatch(/DNS:camera-9\.acme\.test, IP Address:192\.0\.2\.9/);
    expect(facts.sans).not.toMatch(/other\.test|fleet/);
    expect(facts.pubkey).toBe(openssl('req', '-in', csrFile, '-noout', '-pubkey'));
  });

  it('runs a CSV batch of twenty lines and reports the bad one per line', async () => {
    const lines = Array.from({ length: 20 }, (_, index) => {
      const name = `dev-${String(index).padStart(2, '0')}`;
      return index === 7
        ? `${name},DNS:bad_name!,,rack 7`
        : `${name},DNS:${name}.example.test,90,rack ${index}`;
    });
    await nav('Batch issuance').click();
    await heading('Batch issuance').waitFor();
    await choose('Template', /^Devices/);
    await field('CSV').fill(['cn,sans,days,location', ...lines].join('\n'));
    await page.getByRole('button', { name: 'Run batch' }).click();
    // The batch reads no "location": the officer hears it before anything is issued.
    const warning = page.getByRole('alert', { name: 'CSV warnings' });
    await warning.getByText(/"location" is ignored/).waitFor();
    expect(services().certificates.list({ search: 'dev-' })).toEqual([]);
    await screenshot('batch-warning');
    await warning.getByRole('button', { name: 'Run anyway' }).click();

    const result = page.getByRole('region', { name: 'Batch result' });
    await result.getByText('19 issued, 1 failed of 20 lines.', { exact: false }).waitFor();
    const table = result.getByRole('table', { name: 'Batch results' });
    await expect(table.getByRole('row').count()).resolves.toBe(21);
    const failed = table.getByRole('row', { name: /dev-07/ });
    await expect(failed.textContent()).resolves.toMatch(/Failed.*bad_name!/);
    // CSV line 9 is the eighth certificate (line 1 is the header).
    await expect(failed.getByRole('cell').first().textContent()).resolves.toBe('9');
    await screenshot('batch');

    const issuedRow = table.getByRole('row', { name: /dev-00/ });
    const certId = (await issuedRow.getByRole('link').textContent()) ?? '';
    const facts = opensslFacts(certId);
    expect(facts.subject).toBe('CN=dev-00,OU=Devices,O=Acme,C=DE');
    // The template wins nothing here: the row's SANs and the template's together.
    expect(facts.sans).toMatch(/DNS:dev-00\.example\.test/);
    const days =
      (Date.parse(/Not After : (.*)/.exec(facts.text)![1]!) -
        Date.parse(/Not Before: (.*)/.exec(facts.text)![1]!)) /
      86_400_000;
    expect(Math.round(days)).toBe(90);
    const deviceCount = services()
      .certificates.list({ search: 'dev-' })
      .filter((record) => /^CN=dev-\d\d,/.test(record.subject)).length;
    expect(deviceCount).toBe(19);
  });

  it('cancels a long batch from the window and keeps what was issued', async () => {
    const many = ['cn', ...Array.from({ length: 1000 }, (_, index) => `bulk-${index}`)];
    await field('CSV').fill(many.join('\n'));
    await page.getByRole('button', { name: 'Run batch' }).click();
    await page
      .getByRole('main')
      .getByRole('progressbar', { name: /^\d+ of 1000 lines done$/ })
      .waitFor();
    await screenshot('batch-running');
    await page.getByRole('button', { name: 'Cancel' }).click();

    const result = page.getByRole('region', { name: 'Batch result' });
    const status = result.getByRole('status');
    await status.getByText(/not run \(cancelled\)/).waitFor();
    const issued = Number(/^(\d+) issued/.exec((await status.textContent()) ?? '')?.[1]);
    expect(issued).toBeGreaterThan(0);
    expect(issued).toBeLessThan(1000);
    const stored = services()
      .certificates.list({ search: 'bulk-', limit: 10_000 })
      .filter((record) => /^CN=bulk-\d+,/.test(record.subject)).length;
    expect(stored).toBe(issued);
    await expect(result.getByRole('table').getByRole('row').count()).resolves.toBe(issued + 1);
    await screenshot('batch-cancelled');
  });

  it('left no console error or page error behind', () => {
    expect(pageProblems).toEqual([]);
  });
});
