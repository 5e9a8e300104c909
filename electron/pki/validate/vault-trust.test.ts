import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestVault, openssl, type TestVault } from '../test-support';
import { CA_EXTENSIONS, TestPki, leafExtensions, type TestCert } from './test-pki';
import { TrustAnchorStore, trustFileSource } from './trust-anchors';
import { validateWithVault } from './vault-trust';

// Ten minutes ahead, so certificates made while the tests run are already valid.
const at = () => new Date(Date.now() + 10 * 60_000);

let pki: TestPki;
let evilRoot: TestCert;
let evilLeaf: TestCert;
let bundle: Buffer;
let t: TestVault;

beforeAll(() => {
  // A third party's chain, made with openssl: the kind of bundle officers import to archive it.
  pki = new TestPki();
  evilRoot = pki.issue('evil-root', { subject: '/CN=Evil Root', extensions: CA_EXTENSIONS });
  evilLeaf = pki.issue('evil-leaf', {
    subject: '/CN=bank.example',
    issuer: evilRoot,
    days: 30,
    extensions: leafExtensions('DNS:bank.example'),
  });
  const p7b = join(pki.dir, 'bundle.p7b');
  const made = openssl([
    'crl2pkcs7',
    '-nocrl',
    '-certfile',
    evilRoot.certPath,
    '-certfile',
    evilLeaf.certPath,
    '-outform',
    'DER',
    '-out',
    p7b,
  ]);
  expect(made.status, made.stderr).toBe(0);
  bundle = readFileSync(p7b);
});
afterAll(() => pki.cleanup());

beforeEach(async () => {
  t = await createTestVault();
});
afterEach(() => t.cleanup());

function validateEvilLeaf(trusted: { der: Buffer; source: string }[] = []) {
  return validateWithVault(t.services, {
    leaf: evilLeaf.der,
    trusted,
    at: at(),
    purpose: 'server-auth',
  }).result;
}

async function importBundle(trustAnchors = false) {
  return t.services.imports.import([{ name: 'bundle.p7b', bytes: bundle }], {
    mode: 'internal',
    ...(trustAnchors ? { trustAnchors: true } : {}),
  });
}

function auditActions(): string[] {
  return (
    t.services.vault.db.prepare('SELECT action FROM audit_events ORDER BY seq').all() as {
      action: string;
    }[]
  ).map((row) => row.action);
}

describe('trust anchors for validation (finding 1: an import must not grant trust)', () => {
  it('does not trust a self-signed root because it came in with an import, and says so', async () => {
    const imported = await importBundle();
    const root = imported.entries.find((e) => e.label === 'CN=Evil Root')!;
    expect(root.outcome).toBe('new');
    expect(root.note).toMatch(/self-signed CA and is not trusted for validation/);
    expect(root.note).toContain(`mazevault cert trust ${root.id}`);
    expect(imported.warnings).toEqual([expect.stringContaining('bundle.p7b: CN=Evil Root')]);

    const result = validateEvilLeaf();
    expect(result.valid).toBe(false);
    expect(result.firstFailure).toContain('No path to a trust anchor');
    expect(result.firstFailure).toContain(`in the vault (${root.id}) but is not trusted`);
  });

  it('trusts an imported root only once an officer marks it, and audits the mark and its removal', async () => {
    const imported = await importBundle();
    const rootId = imported.entries.find((e) => e.label === 'CN=Evil Root')!.id!;
    const store = new TrustAnchorStore(t.services.vault);

    expect(store.setTrusted(rootId, true)).toMatchObject({ trusted: true, changed: true });
    const trusted = validateEvilLeaf();
    expect(trusted.valid).toBe(true);
    expect(trusted.anchor).toMatchObject({ subject: 'CN=Evil Root' });
    expect(trusted.anchor?.source).toMatch(/^marked trusted in this vault by an officer/);
    expect(trusted.checks.find((c) => c.check === 'trust-anchor')?.detail).toContain(
      'marked trusted in this vault',
    );
    expect(store.setTrusted(rootId, true).changed).toBe(false);

    expect(store.setTrusted(rootId, false)).toMatchObject({ trusted: false, changed: true });
    expect(validateEvilLeaf().valid).toBe(false);
    expect(auditActions().filter((a) => a.startsWith('cert.'))).toEqual([
      'cert.import',
      'cert.import',
      'cert.trust',
      'cert.untrust',
    ]);
  });

  it('marks the self-signed CAs of an import as anchors when the import asks for it', async () => {
    const imported = await importBundle(true);
    const root = imported.entries.find((e) => e.label === 'CN=Evil Root')!;
    expect(root.note).toMatch(/now a trust anchor for validation/);
    expect(imported.warnings).toEqual([]);
    // The end-entity certificate of the bundle is not made an anchor.
    const leaf = imported.entries.find((e) => e.label === 'CN=bank.example')!;
    expect(new TrustAnchorStore(t.services.vault).isTrusted(leaf.id!)).toBe(false);
    expect(validateEvilLeaf().valid).toBe(true);
    expect(auditActions()).toContain('cert.trust');
  });

  it('names where each anchor comes from: a vault CA, an --trust file', async () => {
    const root = await t.services.issuance.createRoot({
      subject: 'CN=Own Root,O=Acme,C=CZ',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const leaf = await t.services.issuance.issueEndEntity({
      issuerCertId: root.certificate.id,
      profile: 'tls-server',
      subject: 'CN=own.example',
      sans: ['DNS:own.example'],
      key: { algorithm: 'ec-p256' },
      validity: { days: 90 },
    });
    const own = validateWithVault(t.services, {
      leaf: t.services.certificates.der(leaf.certificate.id),
      at: at(),
      purpose: 'server-auth',
    }).result;
    expect(own.valid).toBe(true);
    expect(own.anchor?.source).toBe(`a CA created in this vault (${root.certificate.id})`);

    const fromFile = validateEvilLeaf([
      { der: evilRoot.der, source: trustFileSource('evil-root.pem') },
    ]);
    expect(fromFile.valid).toBe(true);
    expect(fromFile.anchor?.source).toBe('given for this validation with --trust evil-root.pem');
  });

  it('refuses to take the trust of a CA created in this vault away, and says what to do instead', async () => {
    const root = await t.services.issuance.createRoot({
      subject: 'CN=Own Root',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const store = new TrustAnchorStore(t.services.vault);
    expect(() => store.setTrusted(root.certificate.id, false)).toThrow(/revoke it/);
    expect(() => store.setTrusted('cert_nope', true)).toThrow(/No certificate with id cert_nope/);
  });
});

describe('revocation in vault validation (finding 7)', () => {
  async function ownHierarchy() {
    const root = await t.services.issuance.createRoot({
      subject: 'CN=Revoking Root,O=Acme,C=CZ',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const leaf = await t.services.issuance.issueEndEntity({
      issuerCertId: root.certificate.id,
      profile: 'tls-server',
      subject: 'CN=w.example',
      sans: ['DNS:w.example'],
      key: { algorithm: 'ec-p256' },
      validity: { days: 90 },
    });
    return { root: root.certificate, leaf: leaf.certificate };
  }

  const validate = (id: string) =>
    validateWithVault(t.services, {
      leaf: t.services.certificates.der(id),
      at: at(),
      purpose: 'any',
    }).result;

  it('reports a certificate the vault has revoked as revoked before any CRL is issued', async () => {
    const { leaf } = await ownHierarchy();
    const before = validate(leaf.id);
    expect(before.valid).toBe(true);
    expect(before.warnings).toEqual([]);
    expect(before.checks.find((c) => c.check === 'revocation')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining("according to this vault's revocation records"),
    });

    t.services.revocation.revoke(leaf.id, { reason: 'key-compromise' });
    expect(t.services.crls.currentCrls()).toEqual([]);
    const after = validate(leaf.id);
    expect(after.valid).toBe(false);
    expect(after.checks.find((c) => c.check === 'revocation')).toMatchObject({
      ok: false,
      status: 'fail',
      detail: expect.stringMatching(/revoked on .*key-compromise.*this vault's revocation records/),
    });
    expect(after.firstFailure).toMatch(/"CN=w.example" failed the revocation check/);
  });

  it('still fails a certificate a CRL lists, even when the vault issued it and holds it valid', async () => {
    const { root, leaf } = await ownHierarchy();
    t.services.revocation.revoke(leaf.id, { reason: 'superseded' });
    await t.services.crls.issue(root.id);
    // The CRL and the vault agree here; the vault row is the first-hand word, the CRL a second.
    const result = validate(leaf.id);
    expect(result.valid).toBe(false);
    expect(result.checks.find((c) => c.check === 'revocation')?.detail).toMatch(/superseded/);
  });

  it('reports revocation it could not check as unknown, not ok, and says so in the warnings', async () => {
    const result = validateEvilLeaf([{ der: evilRoot.der, source: trustFileSource('root.pem') }]);
    expect(result.valid).toBe(true);
    const revocation = result.checks.find((c) => c.check === 'revocation')!;
    expect(revocation).toMatchObject({ ok: true, status: 'unknown' });
    expect(revocation.detail).toMatch(/^not checked/);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^revocation was not checked for "CN=bank.example": not checked/),
    ]);
  });
});

describe('a root the vault retired (newcomer finding N0)', () => {
  async function ownHierarchy() {
    const { issuance } = t.services;
    const root = await issuance.createRoot({
      subject: 'CN=Own Root',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const leaf = await issuance.issueEndEntity({
      issuerCertId: root.certificate.id,
      profile: 'tls-server',
      subject: 'CN=own.example',
      sans: ['DNS:own.example'],
      key: { algorithm: 'ec-p256' },
      validity: { days: 90 },
    });
    const validate = () =>
      validateWithVault(t.services, {
        leaf: t.services.certificates.der(leaf.certificate.id),
        at: at(),
        purpose: 'server-auth',
      }).result;
    return { root, validate };
  }

  it('stops anchoring anything once its key is marked Compromised', async () => {
    const { root, validate } = await ownHierarchy();
    expect(validate().valid).toBe(true);
    await t.services.keys.transition(root.key!.id, 'compromised', 'HSM stolen');
    const after = validate();
    expect(after.valid).toBe(false);
    expect(after.firstFailure).toMatch(
      /"CN=Own Root" .* is no longer a trust anchor: its key is Compromised/,
    );
    expect(new TrustAnchorStore(t.services.vault).status(root.certificate.id).reason).toMatch(
      /no longer trusted: its key is Compromised/,
    );
  });

  it('stops anchoring anything once its certificate is revoked', async () => {
    const { root, validate } = await ownHierarchy();
    t.services.revocation.revoke(root.certificate.id, { reason: 'ca-compromise' });
    const after = validate();
    expect(after.valid).toBe(false);
    expect(after.firstFailure).toMatch(
      /no longer a trust anchor: its certificate was revoked \(ca-compromise\)/,
    );
  });
});
