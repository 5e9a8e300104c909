// The certificate lifecycle end to end: the real renderer in Debian's Chromium, wired through the
// e2e harness to the real IPC router and services. A root CA and a few leaves are made through
// the same services the harness runs (set-up speed); the officer's steps are done in the window:
// renew a leaf with Regenerate and follow the successor link, revoke another for keyCompromise,
// issue and export the CRL (checked with openssl), and read the dashboard and its filtered lists.
// Screenshots land in e2e/output/ with a lifecycle- prefix.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const PASSPHRASE = 'lifecycle passphrase 9 horses';

function openssl(...args: string[]): { status: number; output: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

describe('the certificate lifecycle in the window', () => {
  let workDir: string;
  let vaultDir: string;
  let exportDir: string;
  let harness: Awaited<ReturnType<typeof startHarness>>;
  let browser: HarnessBrowser | undefined;
  let page: Page;
  const pageProblems: string[] = [];

  let rootId = '';
  let rootKeyId = '';
  let deviceId = '';
  let renewId = '';
  let renewKeyId = '';
  let revokeId = '';
  let revokeSerial = '';

  const screenshot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(OUTPUT, `lifecycle-${name}.png`), fullPage: true });
  };
  const field = (label: string) => fieldByLabel(page, label);
  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name });
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });
  const services = (): Services => harness.context.unlockedServices();

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(OUTPUT, { recursive: true });
    workDir = mkdtempSync(join(tmpdir(), 'mazevault-e2e-lifecycle-'));
    vaultDir = join(workDir, 'vaults');
    exportDir = join(workDir, 'exports');
    mkdirSync(vaultDir);
    mkdirSync(exportDir);

    harness = await startHarness({ vaultDir, kdfCost: 'test-only' });
    browser = await openAppWindow(harness, pageProblems);
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('creates a vault in the window and sets up a root CA with leaves through the services', async () => {
    await heading('Welcome to MazeVault').waitFor();
    await field('Vault file').fill(join(vaultDir, 'lifecycle.vault'));
    await field('Passphrase').fill(PASSPHRASE);
    await field('Repeat passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await heading('Dashboard').waitFor();

    const { issuance } = services();
    const root = await issuance.createRoot({
      subject: 'CN=Lifecycle E2E Root,O=MazeVault Test,C=DE',
      key: { algorithm: 'ec-p256' },
      validity: { years: 20 },
    });
    rootId = root.certificate.id;
    rootKeyId = root.key!.id;
    const leaf = async (name: string, days: number) =>
      issuance.issueEndEntity({
        issuerCertId: rootId,
        profile: 'tls-server',
        subject: `CN=${name}`,
        sans: [`DNS:${name}`],
        key: { algorithm: 'ec-p256' },
        validity: { days },
      });
    const toRenew = await leaf('renew.example.test', 90);
    renewId = toRenew.certificate.id;
    renewKeyId = toRenew.key!.id;
    const toRevoke = await leaf('revoke.example.test', 200);
    revokeId = toRevoke.certificate.id;
    revokeSerial = toRevoke.certificate.serial.toUpperCase();
    // A spread of expiry dates, so the timeline has something to show.
    for (const [index, days] of [95, 120, 150, 180, 210, 250, 300, 340].entries()) {
      const device = await leaf(`device-${index}.example.test`, days);
      if (index === 0) deviceId = device.certificate.id;
    }
  });

  it('renews a leaf from the window with Regenerate and links the successor', async () => {
    await nav('Certificates').click();
    await heading('Certificates').waitFor();
    const grid = page.getByRole('grid', { name: 'Certificates' });
    await grid.getByRole('link', { name: 'renew.example.test' }).click();
    await heading('renew.example.test').waitFor();

    const lifecycle = page.getByRole('region', { name: 'Lifecycle' });
    await lifecycle.getByRole('row', { name: /^Successor/ }).waitFor();
    await lifecycle.getByRole('button', { name: 'Renew' }).click();
    const dialog = page.getByRole('dialog', { name: 'Renew renew.example.test' });
    const regenerate = dialog.getByRole('radio', { name: /^Regenerate/ });
    await expect(regenerate.isChecked()).resolves.toBe(true);
    await regenerate.check();
    await screenshot('renew-dialog');
    await dialog.getByRole('button', { name: 'Renew', exact: true }).click();

    const result = dialog.getByRole('status', { name: 'Renewal result' });
    await result.waitFor();
    await expect(result.textContent()).resolves.toMatch(/Renewed as renew\.example\.test/);
    await expect(result.textContent()).resolves.toMatch(/old key is now Deactivated/);
    await screenshot('renewed');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const successorRow = lifecycle.getByRole('row', { name: /^Successor/ });
    await successorRow.getByRole('link', { name: 'renew.example.test' }).click();
    // The successor's page links back to the certificate it renewed.
    await page
      .getByRole('region', { name: 'Lifecycle' })
      .getByRole('row', { name: /^Renewed from/ })
      .getByRole('link', { name: 'renew.example.test' })
      .waitFor();
    const successorLifecycle = page.getByRole('region', { name: 'Lifecycle' });
    await expect(
      successorLifecycle.getByRole('button', { name: 'Renew' }).isEnabled(),
    ).resolves.toBe(true);
    await expect(
      successorLifecycle.getByRole('button', { name: 'Revoke' }).isEnabled(),
    ).resolves.toBe(true);
    const successorId = decodeURIComponent(page.url().split('#/certificates/')[1] ?? '');
    expect(successorId).not.toBe(renewId);

    const successor = services().certificates.get(successorId);
    expect(successor.subject).toBe('CN=renew.example.test');
    expect(successor.keyId).not.toBe(renewKeyId);
    expect(services().renewal.successorOf(renewId)?.id).toBe(successorId);
    expect(services().keys.get(renewKeyId).state).toBe('deactivated');
    await screenshot('successor');
  });

  it('revokes a certificate from the window with reason keyCompromise, after confirmation', async () => {
    await page.goto(`${harness.url}#/certificates/${encodeURIComponent(revokeId)}`);
    await heading('revoke.example.test').waitFor();
    const lifecycle = page.getByRole('region', { name: 'Lifecycle' });
    await lifecycle.getByRole('button', { name: 'Revoke' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke revoke.example.test' });
    await dialog.getByRole('combobox', { name: 'Reason' }).click();
    await page.getByRole('option', { name: 'Key compromise' }).click();

    const revoke = dialog.getByRole('button', { name: 'Revoke certificate' });
    await expect(revoke.isDisabled()).resolves.toBe(true);
    await dialog
      .getByRole('checkbox', { name: 'I confirm the revocation of this certificate' })
      .check();
    await screenshot('revoke-dialog');
    await revoke.click();

    await lifecycle
      .getByRole('row', { name: /^Revocation/ })
      .filter({ hasText: 'Revoked: Key compromise' })
      .waitFor();
    await expect(lifecycle.getByRole('button', { name: 'Revoke' }).isDisabled()).resolves.toBe(
      true,
    );
    expect(services().revocation.status(revokeId)).toMatchObject({
      revoked: true,
      reason: 'key-compromise',
    });
    await screenshot('revoked');
  });

  it('issues the CRL from the window, exports it as PEM and DER, and openssl agrees', async () => {
    await nav('CRLs').click();
    await heading('CRLs').waitFor();
    // The only CA in the vault is chosen for the officer.
    await page
      .getByRole('combobox', { name: 'Issuing CA' })
      .filter({ hasText: 'Lifecycle E2E Root' })
      .waitFor();
    await page.getByRole('button', { name: 'Issue CRL now' }).click();
    const issued = page.getByRole('status').filter({ hasText: /^Issued CRL #1 with 1 entries/ });
    await issued.waitFor();
    await page
      .getByRole('grid', { name: 'Revoked certificates' })
      .getByText(revokeSerial)
      .waitFor();
    await screenshot('crl-issued');

    const exportAs = async (format: 'PEM' | 'DER', destination: string) => {
      await page.getByRole('button', { name: 'Export CRL #1' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export CRL #1' });
      await dialog.getByRole('radio', { name: new RegExp(`^${format}`) }).check();
      await dialog.getByLabel(/^Destination file/).fill(destination);
      await dialog.getByRole('button', { name: 'Export' }).click();
      await dialog.getByText(`CRL written to ${destination}.`).waitFor();
      if (format === 'PEM') await screenshot('crl-export');
      await dialog.getByRole('button', { name: 'Close' }).click();
    };
    const pem = join(exportDir, 'root.crl.pem');
    const der = join(exportDir, 'root.crl');
    await exportAs('PEM', pem);
    await exportAs('DER', der);

    const rootPem = join(exportDir, 'root.pem');
    const rootDer = services().certificates.der(rootId);
    writeFileSync(
      rootPem,
      `-----BEGIN CERTIFICATE-----\n${rootDer.toString('base64').replace(/.{64}/g, '$&\n').trimEnd()}\n-----END CERTIFICATE-----\n`,
    );
    expect(readFileSync(pem, 'utf8')).toMatch(/^-----BEGIN X509 CRL-----/);
    const verified = openssl('crl', '-in', pem, '-noout', '-verify', '-CAfile', rootPem);
    expect(verified.status).toBe(0);
    expect(verified.output).toMatch(/verify OK/);
    const verifiedDer = openssl(
      'crl',
      '-in',
      der,
      '-inform',
      'DER',
      '-noout',
      '-verify',
      '-CAfile',
      rootPem,
    );
    expect(verifiedDer.output).toMatch(/verify OK/);

    const text = openssl('crl', '-in', der, '-inform', 'DER', '-noout', '-text').output;
    expect(text).toContain(`Serial Number: ${revokeSerial}`);
    expect(text).toMatch(/CRL Reason Code:\s*\n\s*Key Compromise/);
    expect(text).toMatch(/X509v3 CRL Number:\s*\n\s*1\b/);
  });

  it('shows the dashboard with the expiry timeline, and each figure opens its filtered list', async () => {
    await nav('Dashboard').click();
    await heading('Dashboard').waitFor();
    await page.getByRole('link', { name: 'Revoked: 1' }).waitFor();
    // Root, two leaves, eight devices and the successor; the renewed leaf's old key deactivated.
    await page.getByRole('link', { name: 'Certificates: 12' }).waitFor();
    await page.getByRole('link', { name: 'Deactivated: 1 key' }).waitFor();
    const timeline = page.getByRole('region', { name: 'Expiry timeline, next 12 months' });
    await timeline.locator('svg').first().waitFor();
    await expect(timeline.getByLabel('Expiring by month').textContent()).resolves.toMatch(/: 1/);
    await screenshot('dashboard');

    await page.getByRole('link', { name: 'Revoked: 1' }).click();
    await heading('Certificates').waitFor();
    const grid = page.getByRole('grid', { name: 'Certificates' });
    await grid.getByRole('link', { name: 'revoke.example.test' }).waitFor();
    await expect(grid.getByRole('link').count()).resolves.toBe(1);
    await screenshot('certificates-revoked');

    await nav('Dashboard').click();
    await page.getByRole('link', { name: 'Deactivated: 1 key' }).click();
    await heading('Keys').waitFor();
    const keys = page.getByRole('grid', { name: 'Keys' });
    await keys.getByRole('row').nth(1).waitFor();
    await expect(keys.getByRole('link').count()).resolves.toBe(1);
    await screenshot('keys-deactivated');
  });

  it('pages the certificates list on the server and sorts it by subject', async () => {
    await nav('Certificates').click();
    await heading('Certificates').waitFor();
    const grid = page.getByRole('grid', { name: 'Certificates' });
    await grid.getByRole('link', { name: 'device-0.example.test' }).waitFor();
    const first = grid.getByRole('row').nth(1).getByRole('link');
    // Sorted by notAfter first, the soonest to expire leads: the renewed 90-day leaf.
    await expect(first.textContent()).resolves.toBe('renew.example.test');
    // Then by subject, in the vault's (binary) order, ascending and descending.
    await grid.getByRole('columnheader', { name: 'Name' }).click();
    await first.filter({ hasText: 'Lifecycle E2E Root' }).waitFor();
    await grid.getByRole('columnheader', { name: 'Name' }).click();
    await first.filter({ hasText: 'revoke.example.test' }).waitFor();
    await screenshot('certificates');
  });

  it('sets a rotation policy, dry-runs rotation without changes, then rotates what is due', async () => {
    await nav('Rotation').click();
    await heading('Rotation').waitFor();
    await page.getByText('Nothing is due for rotation.').waitFor();

    // A vault default with a year of lead time makes every valid leaf due now.
    const form = page.getByRole('form', { name: 'Set a rotation policy' });
    await form.getByLabel(/^Lead time \(days\)/).fill('365');
    await form.getByRole('button', { name: 'Save policy' }).click();
    const saved = await form.getByRole('status').textContent();
    const dueNow = Number(/(\d+) certificate\(s\) due now/.exec(saved ?? '')?.[1]);
    // The successor and the eight devices; the revoked and the renewed leaf are off the schedule.
    expect(dueNow).toBe(9);
    const due = page.getByRole('table', { name: 'Certificates due' });
    await due.getByRole('link', { name: 'CN=device-0.example.test' }).waitFor();

    await page.getByRole('button', { name: 'Dry run' }).click();
    const result = page.getByRole('region', { name: 'Rotation result' });
    await result.getByText('9 would be renewed, 0 skipped; nothing changed.').waitFor();
    expect(services().renewal.successorOf(deviceId)).toBeUndefined();
    await screenshot('rotation-dry-run');

    const rotate = page.getByRole('button', { name: 'Rotate now' });
    await expect(rotate.isDisabled()).resolves.toBe(true);
    await page.getByRole('checkbox', { name: 'Renew every certificate listed as Renew' }).check();
    await rotate.click();
    await result.getByText('Rotated 9, skipped 0, failed 0.').waitFor();
    expect(services().renewal.successorOf(deviceId)).toBeDefined();
    // The successors are due again at once under a year of lead time; the originals are not.
    expect(services().rotation.dueAt(deviceId)).toBeUndefined();
    await screenshot('rotation-run');
  });

  it('turns scheduled rotation on while the app is open, and refuses an interval under 5 minutes', async () => {
    const card = page.getByRole('region', { name: 'Scheduled rotation' });
    await card.getByText('It has not run yet.').waitFor();
    await card.getByLabel('Rotate on a schedule').check();
    const minutes = card.getByLabel(/^Every \(minutes\)/);
    await minutes.fill('2');
    await card.getByText('From 5 minutes to a week (10080)').waitFor();
    await expect(card.getByRole('button', { name: 'Save schedule' }).isDisabled()).resolves.toBe(
      true,
    );
    await minutes.fill('30');
    await card.getByRole('button', { name: 'Save schedule' }).click();
    await card.getByText('Rotation runs every 30 minutes while MazeVault is open.').waitFor();
    expect(harness.context.rotationSchedule().settings().everyMinutes).toBe(30);
    await screenshot('rotation-schedule');

    await card.getByLabel('Rotate on a schedule').uncheck();
    await card.getByRole('button', { name: 'Save schedule' }).click();
    await card.getByText('Scheduled rotation is off.').waitFor();
    expect(harness.context.rotationSchedule().settings().everyMinutes).toBeNull();
  });

  it('previews a root key compromise, then marks it Compromised and revokes what it issued', async () => {
    await page.goto(`${harness.url}#/keys/${encodeURIComponent(rootKeyId)}`);
    await page.getByRole('region', { name: 'Lifecycle' }).waitFor();
    await page.getByRole('button', { name: 'Mark compromised' }).click();
    const dialog = page.getByRole('dialog', { name: /^Mark .* Compromised$/ });
    const plan = dialog.getByRole('region', { name: 'Compromise plan' });
    // Root, leaves and successors still valid: everything but the certificate revoked above.
    const valid = services().dashboard.summary().certificatesByStatus;
    const toRevoke = valid.valid + valid.expired;
    await plan
      .getByText(`${toRevoke} certificate(s) will be revoked: 1 bound to the key`)
      .waitFor();
    await plan
      .getByRole('table', { name: 'Issued by this key' })
      .getByText('already revoked')
      .waitFor();

    const confirm = dialog.getByRole('button', { name: 'Mark compromised and revoke' });
    await dialog.getByLabel(/^Why is the key thought compromised/).fill('HSM backup tape lost');
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await dialog.getByRole('checkbox', { name: /^I confirm: mark the key Compromised/ }).check();
    await screenshot('compromise-preview');
    await confirm.click();
    await dialog.waitFor({ state: 'detached' });

    expect(services().keys.get(rootKeyId).state).toBe('compromised');
    expect(services().revocation.status(rootId)).toMatchObject({ reason: 'ca-compromise' });
    expect(services().revocation.status(deviceId)).toMatchObject({ reason: 'ca-compromise' });
    expect(services().dashboard.summary().certificatesByStatus.valid).toBe(0);
    await screenshot('compromised');

    // The key's certificates, from its page: the filtered list, named by the key's label.
    const label = services().keys.get(rootKeyId).label;
    await page.getByRole('link', { name: 'Certificates of this key' }).click();
    await heading('Certificates').waitFor();
    await page.getByRole('button', { name: `Key ${label}` }).waitFor();
    const grid = page.getByRole('grid', { name: 'Certificates' });
    await grid.getByRole('link', { name: 'Lifecycle E2E Root' }).waitFor();
    await expect(grid.getByRole('link').count()).resolves.toBe(1);
    await expect(grid.textContent()).resolves.toMatch(/revoked: CA compromise/);
  });

  it('shows no console error, uncaught exception or CSP violation along the way', () => {
    expect(pageProblems).toEqual([]);
  });
});
