import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tamperWithVaultFile } from '../audit/tamper-support';
import { MazeVaultError } from '../../shared/errors';
import { CrlService } from './crl';
import { RevocationService } from './revocation';
import { crlSerials } from './revocation-attestation';
import { createTestVault, type TestVault } from './test-support';
import { validateWithVault } from './validate/vault-trust';

const ALTERED = /the vault file was altered\. Restore it from a backup\. No CRL was issued\./;

let t: TestVault;
let crls: CrlService;
let revocation: RevocationService;

beforeEach(async () => {
  t = await createTestVault();
  crls = new CrlService(t.services.vault, t.services.keys, t.services.certificates);
  revocation = new RevocationService(t.services.vault, t.services.keys, t.services.certificates);
});
afterEach(() => t.cleanup());

const tamper = (sql: string, ...params: unknown[]) =>
  tamperWithVaultFile(t.services.vault.path, sql, ...params);

async function rootAndLeaf() {
  const { issuance } = t.services;
  const root = await issuance.createRoot({
    subject: 'CN=Real Root',
    key: { algorithm: 'ec-p256' },
    validity: { years: 10 },
  });
  const leaf = await issuance.issueEndEntity({
    issuerCertId: root.certificate.id,
    profile: 'tls-server',
    subject: 'CN=w',
    sans: ['DNS:w.example'],
    key: { algorithm: 'ec-p256' },
    validity: { days: 90 },
  });
  return { root: root.certificate, leaf: leaf.certificate };
}

function unrevoke(certId: string): void {
  tamper(
    `UPDATE certificates SET status = 'valid', revoked_at = NULL, revocation_reason = NULL,
       invalidity_date = NULL WHERE id = ?`,
    certId,
  );
  tamper('DELETE FROM revocation_log WHERE cert_id = ?', certId);
}

async function refusal(promise: Promise<unknown>): Promise<MazeVaultError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MazeVaultError);
  return error as MazeVaultError;
}

describe('CRLs keep what the audit trail says was revoked', () => {
  it('refuses a CRL after a key-compromise revocation was edited out of the file, and validation still says revoked', async () => {
    const { root, leaf } = await rootAndLeaf();
    revocation.revoke(leaf.id, { reason: 'key-compromise' });
    expect((await crls.issue(root.id)).crl.entries).toBe(1);
    unrevoke(leaf.id);

    const error = await refusal(crls.issue(root.id));
    expect(error.code).toBe('VAULT_DAMAGED');
    expect(error.message).toMatch(ALTERED);
    expect(error.message).toContain(leaf.id);
    expect(crls.list(root.id)).toHaveLength(1);

    const { result } = validateWithVault(t.services, {
      leaf: t.services.certificates.der(leaf.id),
      at: new Date(Date.now() + 60_000),
      purpose: 'server-auth',
    });
    expect(result.valid).toBe(false);
    expect(result.firstFailure).toMatch(/revoked .*key-compromise/);
  });

  it('refuses a CRL when only the reason of a revocation was changed in the file', async () => {
    const { root, leaf } = await rootAndLeaf();
    revocation.revoke(leaf.id, { reason: 'key-compromise' });
    tamper("UPDATE certificates SET revocation_reason = 'superseded' WHERE id = ?", leaf.id);

    const error = await refusal(crls.issue(root.id));
    expect(error.message).toMatch(/revoked \(key-compromise, .*records say superseded/);
    expect(error.message).toMatch(ALTERED);
  });

  it('refuses a CRL that would drop an unexpired entry of the last CRL, even when the revoke event is gone too', async () => {
    const { root, leaf } = await rootAndLeaf();
    revocation.revoke(leaf.id, { reason: 'key-compromise' });
    await crls.issue(root.id);
    unrevoke(leaf.id);
    // Without the event the audit trail's chain breaks (audit verify says so); the CRL check
    // must not depend on it alone.
    tamper('DROP TRIGGER audit_events_no_update');
    tamper(
      "UPDATE audit_events SET details = '{}' WHERE action = 'cert.revoke' AND subject = ?",
      leaf.id,
    );

    const error = await refusal(crls.issue(root.id));
    expect(error.code).toBe('VAULT_DAMAGED');
    expect(error.message).toMatch(
      /lists serial [0-9a-f]+ \(certificate cert_.*\), which has not expired, but the new CRL would drop it/,
    );
    expect(error.message).toMatch(ALTERED);
  });

  it('refuses a CRL when the last CRL this vault issued was removed from the file', async () => {
    const { root, leaf } = await rootAndLeaf();
    revocation.revoke(leaf.id, { reason: 'key-compromise' });
    await crls.issue(root.id);
    tamper('DELETE FROM issued_crls WHERE issuer_cert_id = ?', root.id);

    const error = await refusal(crls.issue(root.id));
    expect(error.message).toMatch(
      /records complete CRL #1 of "CN=Real Root", but the vault's copy of it is missing/,
    );
  });

  it('issues CRLs as before when nothing was altered: revoke, CRL, revoke again, CRL and a delta', async () => {
    const { root, leaf } = await rootAndLeaf();
    const second = await t.services.issuance.issueEndEntity({
      issuerCertId: root.id,
      profile: 'tls-server',
      subject: 'CN=x',
      sans: ['DNS:x.example'],
      key: { algorithm: 'ec-p256' },
      validity: { days: 90 },
    });
    revocation.revoke(leaf.id, { reason: 'key-compromise' });
    const first = await crls.issue(root.id);
    revocation.revoke(second.certificate.id, { reason: 'superseded' });
    const delta = await crls.issue(root.id, { delta: true });
    const next = await crls.issue(root.id);

    expect(first.crl.entries).toBe(1);
    expect(delta.crl.entries).toBe(1);
    expect(next.crl.entries).toBe(2);
    expect(new Set(await crlSerials(next.der))).toEqual(
      new Set([leaf.serial, second.certificate.serial].map((s) => s.replace(/^0+/, ''))),
    );
  });

  it('keeps revoking everything a compromised key vouched for in the next CRL', async () => {
    const { root, leaf } = await rootAndLeaf();
    await revocation.compromiseKey(leaf.keyId!, { reason: 'laptop stolen', confirmed: true });
    const issued = await crls.issue(root.id);
    expect(issued.crl.entries).toBe(1);
    unrevoke(leaf.id);
    expect((await refusal(crls.issue(root.id))).message).toMatch(ALTERED);
  });
});
