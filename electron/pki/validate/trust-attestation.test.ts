import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tamperWithVaultFile } from '../../audit/tamper-support';
import { createTestVault, type TestVault } from '../test-support';
import { CA_EXTENSIONS, TestPki, leafExtensions, type TestCert } from './test-pki';
import { TrustAnchorStore } from './trust-anchors';
import { validateWithVault } from './vault-trust';

const ALTERED =
  /marked trusted in the vault file, but no trust decision for it is in the audit trail: the vault file was altered\. Restore it from a backup\./;
const at = () => new Date(Date.now() + 10 * 60_000);

let pki: TestPki;
let rogueRoot: TestCert;
let rogueLeaf: TestCert;
let t: TestVault;

beforeAll(() => {
  pki = new TestPki();
  rogueRoot = pki.issue('rogue-root', { subject: '/CN=R', extensions: CA_EXTENSIONS });
  rogueLeaf = pki.issue('rogue-leaf', {
    subject: '/CN=bank.example',
    issuer: rogueRoot,
    days: 30,
    extensions: leafExtensions('DNS:bank.example'),
  });
});
afterAll(() => pki.cleanup());

beforeEach(async () => {
  t = await createTestVault();
});
afterEach(() => t.cleanup());

async function importRogueRoot(): Promise<string> {
  const imported = await t.services.imports.import([{ name: 'r.pem', bytes: rogueRoot.der }], {
    mode: 'internal',
  });
  return imported.entries[0].id!;
}

function validateRogueLeaf() {
  return validateWithVault(t.services, { leaf: rogueLeaf.der, at: at(), purpose: 'server-auth' })
    .result;
}

const tamper = (sql: string, ...params: unknown[]) =>
  tamperWithVaultFile(t.services.vault.path, sql, ...params);

describe('trust marks are checked against the audit trail', () => {
  it('refuses a root whose trusted flag was set in the file without a cert.trust event', async () => {
    const id = await importRogueRoot();
    expect(tamper('UPDATE certificates SET trusted = 1 WHERE id = ?', id)).toBe(1);

    const result = validateRogueLeaf();
    expect(result.valid).toBe(false);
    expect(result.firstFailure).toMatch(ALTERED);
    expect(result.checks.some((c) => c.check === 'trust-anchor' && c.status === 'fail')).toBe(true);
    const store = new TrustAnchorStore(t.services.vault);
    expect(store.isTrusted(id)).toBe(false);
    expect(store.anchors().map((a) => a.id)).not.toContain(id);
    expect(store.status(id).reason).toMatch(ALTERED);
  });

  it('refuses an imported root whose source was flipped to issued in the file', async () => {
    const id = await importRogueRoot();
    expect(tamper("UPDATE certificates SET source = 'issued' WHERE id = ?", id)).toBe(1);

    const result = validateRogueLeaf();
    expect(result.valid).toBe(false);
    expect(result.firstFailure).toMatch(ALTERED);
    expect(new TrustAnchorStore(t.services.vault).isTrusted(id)).toBe(false);
  });

  it('refuses a trusted mark that came back after the officer took it away', async () => {
    const id = await importRogueRoot();
    const store = new TrustAnchorStore(t.services.vault);
    store.setTrusted(id, true);
    store.setTrusted(id, false);
    tamper('UPDATE certificates SET trusted = 1 WHERE id = ?', id);

    expect(store.isTrusted(id)).toBe(false);
    expect(validateRogueLeaf().firstFailure).toMatch(ALTERED);
  });

  it('refuses a trusted row whose certificate was swapped for another in the file', async () => {
    const root = await t.services.issuance.createRoot({
      subject: 'CN=Real Root',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const sha256 = createHash('sha256').update(rogueRoot.der).digest('hex');
    tamper(
      "UPDATE certificates SET der = ?, sha256 = ?, subject = 'CN=R', issuer = 'CN=R' WHERE id = ?",
      rogueRoot.der,
      sha256,
      root.certificate.id,
    );

    const store = new TrustAnchorStore(t.services.vault);
    expect(store.anchors().map((a) => a.id)).not.toContain(root.certificate.id);
    expect(validateRogueLeaf().valid).toBe(false);
  });

  it('still trusts a root the officer marked trusted, and a CA created in the vault', async () => {
    const id = await importRogueRoot();
    const store = new TrustAnchorStore(t.services.vault);
    expect(store.setTrusted(id, true).changed).toBe(true);
    const root = await t.services.issuance.createRoot({
      subject: 'CN=Real Root',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });

    expect(store.isTrusted(id)).toBe(true);
    expect(store.status(root.certificate.id)).toMatchObject({ trusted: true, vaultCa: true });
    const result = validateRogueLeaf();
    expect(result.valid, result.firstFailure).toBe(true);
    expect(result.anchor?.source).toMatch(/marked trusted in this vault by an officer/);
  });

  it('lets the officer re-affirm a trust mark the file claims but the trail does not', async () => {
    const id = await importRogueRoot();
    tamper('UPDATE certificates SET trusted = 1 WHERE id = ?', id);
    const store = new TrustAnchorStore(t.services.vault);

    expect(store.setTrusted(id, true)).toMatchObject({ trusted: true, changed: true });
    expect(store.isTrusted(id)).toBe(true);
    expect(validateRogueLeaf().valid).toBe(true);
  });

  it('ignores a trust event written while the vault was locked, which carries no MAC', async () => {
    const id = await importRogueRoot();
    const vault = t.services.vault;
    vault.lock('manual');
    vault.record({ action: 'cert.trust', subject: id, outcome: 'success', details: {} });
    await vault.unlock('correct horse battery staple');
    tamper('UPDATE certificates SET trusted = 1 WHERE id = ?', id);

    expect(new TrustAnchorStore(vault).isTrusted(id)).toBe(false);
  });
});
