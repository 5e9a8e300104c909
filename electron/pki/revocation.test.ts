import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MazeVaultError } from '../../shared/errors';
import { CrlService } from './crl';
import { RevocationService } from './revocation';
import { createTestVault, openssl, type TestVault } from './test-support';

let t: TestVault;
let revocation: RevocationService;

beforeEach(async () => {
  t = await createTestVault();
  revocation = new RevocationService(t.services.vault, t.services.keys, t.services.certificates);
});
afterEach(() => t.cleanup());

async function caWithLeaves() {
  const { issuance } = t.services;
  const root = await issuance.createRoot({
    subject: 'CN=Revocation Root,O=Acme,C=DE',
    key: { algorithm: 'ec-p256' },
    validity: { years: 20 },
    pathLen: 1,
  });
  const sub = await issuance.issueSubordinate({
    issuerCertId: root.certificate.id,
    subject: 'CN=Revocation Issuing CA,O=Acme,C=DE',
    key: { algorithm: 'ec-p256' },
    validity: { years: 10 },
  });
  const leaves = [];
  for (const name of ['a', 'b']) {
    const leaf = await issuance.issueEndEntity({
      issuerCertId: sub.certificate.id,
      profile: 'tls-client',
      subject: `CN=${name}`,
      sans: [],
      key: { algorithm: 'ec-p256' },
      validity: { days: 90 },
    });
    leaves.push(leaf.certificate);
  }
  return { root, sub, leaves };
}

function auditActions(): string[] {
  return (
    t.services.vault.db.prepare('SELECT action FROM audit_events ORDER BY seq').all() as {
      action: string;
    }[]
  ).map((row) => row.action);
}

describe('RevocationService', () => {
  it('revokes with an RFC 5280 reason and time, and audits it', async () => {
    const { leaves } = await caWithLeaves();
    // The earliest time allowed: the moment the certificate became valid.
    const at = new Date(leaves[0]!.notBefore).toISOString();
    const revoked = revocation.revoke(leaves[0]!.id, { reason: 'privilege-withdrawn', at });
    expect(revoked.status).toBe('revoked');
    expect(revoked.revokedAt).toBe(at);
    expect(revocation.status(leaves[0]!.id)).toEqual({
      revoked: true,
      reason: 'privilege-withdrawn',
      reasonLabel: 'Privilege withdrawn',
      revokedAt: at,
      invalidityDate: null,
    });
    expect(auditActions()).toContain('cert.revoke');
  });

  it('refuses an unknown reason, a future time and a second revocation', async () => {
    const { leaves } = await caWithLeaves();
    const id = leaves[0]!.id;
    expect(() => revocation.revoke(id, { reason: 'lost' as never })).toThrow(
      /not an RFC 5280 revocation reason/,
    );
    expect(() =>
      revocation.revoke(id, { reason: 'superseded', at: new Date(Date.now() + 86_400_000) }),
    ).toThrow(/cannot lie in the future/);
    revocation.revoke(id, { reason: 'superseded' });
    expect(() => revocation.revoke(id, { reason: 'key-compromise' })).toThrow(/already revoked/);
  });

  it('refuses a revocation time before the certificate existed, and points to the invalidity date', async () => {
    const { sub, leaves } = await caWithLeaves();
    const id = leaves[0]!.id;
    let refused: MazeVaultError | undefined;
    try {
      revocation.revoke(id, { reason: 'key-compromise', at: '2001-01-01T00:00:00Z' });
    } catch (error) {
      refused = error as MazeVaultError;
    }
    expect(refused?.code).toBe('INVALID_INPUT');
    expect(refused?.message).toMatch(
      /revocation time 2001-01-01T00:00:00.000Z is before "CN=a" became valid \(notBefore .*invalidity date \("Compromised since", or --invalidity-date\)/,
    );
    expect(t.services.certificates.get(id).status).toBe('valid');
    expect(auditActions()).not.toContain('cert.revoke');

    // The earlier compromise goes where RFC 5280 §5.3.2 puts it, and openssl reads it from the CRL.
    revocation.revoke(id, { reason: 'key-compromise', invalidityDate: '2001-01-01T00:00:00Z' });
    const { der } = await new CrlService(
      t.services.vault,
      t.services.keys,
      t.services.certificates,
    ).issue(sub.certificate.id);
    const text = openssl(['crl', '-inform', 'DER', '-noout', '-text'], der).stdout;
    expect(text).toMatch(/Invalidity Date:\s*\n\s*Jan {2}1 00:00:00 2001 GMT/);
  });

  it('asks for confirmation before a key compromise revokes anything', async () => {
    const { sub } = await caWithLeaves();
    const error = await revocation
      .compromiseKey(sub.key.id, { reason: 'HSM backup tape lost', confirmed: false })
      .catch((e: unknown) => e);
    expect((error as MazeVaultError).code).toBe('CONFIRMATION_REQUIRED');
    expect((error as MazeVaultError).message).toMatch(/revokes 3 certificate/);
    expect(t.services.keys.get(sub.key.id).state).toBe('active');
    expect(t.services.certificates.list({ status: 'revoked' })).toHaveLength(0);
  });

  it('revokes everything a compromised CA key issued, and its own certificate, in one audited step', async () => {
    const { root, sub, leaves } = await caWithLeaves();
    const plan = revocation.planKeyCompromise(sub.key.id);
    expect(plan.bound.map((c) => c.id)).toEqual([sub.certificate.id]);
    expect(plan.issued.map((c) => c.id).sort()).toEqual(leaves.map((c) => c.id).sort());

    const result = await revocation.compromiseKey(sub.key.id, {
      reason: 'HSM backup tape lost',
      compromisedAt: '2025-02-01T00:00:00Z',
      confirmed: true,
    });
    expect(result.revoked).toHaveLength(3);
    expect(t.services.keys.get(sub.key.id).state).toBe('compromised');
    expect(revocation.status(sub.certificate.id)).toMatchObject({
      revoked: true,
      reason: 'ca-compromise',
    });
    for (const leaf of leaves) {
      expect(revocation.status(leaf.id)).toMatchObject({
        revoked: true,
        reason: 'ca-compromise',
        invalidityDate: '2025-02-01T00:00:00.000Z',
      });
    }
    expect(revocation.status(root.certificate.id)).toEqual({ revoked: false });
    expect(auditActions()).toEqual(
      expect.arrayContaining(['key.state-change', 'key.compromise-revoke']),
    );
  });

  it('revokes an end-entity certificate for key compromise when its own key is compromised', async () => {
    const { leaves } = await caWithLeaves();
    const result = await revocation.compromiseKey(leaves[1]!.keyId!, {
      reason: 'laptop stolen',
      confirmed: true,
    });
    expect(result.revoked).toEqual([leaves[1]!.id]);
    expect(revocation.status(leaves[1]!.id)).toMatchObject({
      revoked: true,
      reason: 'key-compromise',
    });
    expect(revocation.status(leaves[0]!.id)).toEqual({ revoked: false });
  });
});
