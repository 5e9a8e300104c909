// Synthetic inventory for tests and benchmarks: thousands of key and certificate rows written
// straight into the tables in one transaction. The rows are realistic in what the lifecycle
// queries read (states, dates, statuses, issuers); their DER and public keys are placeholders, so
// they must never be exported, verified or signed with.
import { createHash, randomBytes } from 'node:crypto';
import type { Vault } from '../vault/vault';

export interface SeedOptions {
  keys: number;
  certificates: number;
  /** Share of certificates revoked, 0–1; each gets its revocation log row, as a CRL reads them. */
  revokedFraction?: number;
  /** The CA certificate every synthetic certificate names as issuer (e.g. for a CRL benchmark). */
  issuerCertId?: string;
  now?: Date;
}

export interface SeedResult {
  keyIds: string[];
  certificateIds: string[];
  revoked: number;
}

const DAY_MS = 86_400_000;
const STATES = [
  'active',
  'active',
  'active',
  'active',
  'active',
  'active',
  'active',
  'deactivated',
  'suspended',
  'compromised',
];
const REASONS = [
  'key-compromise',
  'superseded',
  'cessation-of-operation',
  'affiliation-changed',
  'unspecified',
];

/** A small deterministic generator, so a seeded vault looks the same on every run. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function seedInventory(vault: Vault, options: SeedOptions): SeedResult {
  const now = (options.now ?? new Date()).getTime();
  const random = generator(0x5eed);
  const placeholder = Buffer.from('synthetic row: not a real certificate or key');
  const keyIds: string[] = [];
  const certificateIds: string[] = [];
  let revoked = 0;

  // A page cache large enough for the indexes being filled; SQLite's default 2 MB makes 100,000
  // inserts into a dozen indexes spill to disk. Restored afterwards.
  const cacheSize = vault.db.pragma('cache_size', { simple: true }) as number;
  vault.db.pragma('cache_size = -131072');
  try {
    seedRows(
      vault,
      options,
      now,
      random,
      placeholder,
      keyIds,
      certificateIds,
      () => (revoked += 1),
    );
  } finally {
    vault.db.pragma(`cache_size = ${cacheSize}`);
  }
  return { keyIds, certificateIds, revoked };
}

function seedRows(
  vault: Vault,
  options: SeedOptions,
  now: number,
  random: () => number,
  placeholder: Buffer,
  keyIds: string[],
  certificateIds: string[],
  countRevoked: () => number,
): void {
  vault.transaction(() => {
    const insertKey = vault.db.prepare(
      `INSERT INTO keys (id, label, algorithm, purpose, provider, provider_ref, owner, state, state_changed_at,
         created_at, activation_date, cryptoperiod_days, public_key, spki_sha256)
       VALUES (?, ?, 'ec-p256', 'tls-server', 'software', '{}', 'seed', ?, ?, ?, ?, 365, ?, ?)`,
    );
    for (let i = 0; i < options.keys; i += 1) {
      const id = `key_seed_${i}`;
      const created = new Date(now - Math.floor(random() * 4 * 365) * DAY_MS).toISOString();
      const state = STATES[Math.floor(random() * STATES.length)]!;
      const spki = createHash('sha256').update(`seed-key-${i}`).digest('hex');
      insertKey.run(
        id,
        `seed key ${String(i).padStart(6, '0')}`,
        state,
        created,
        created,
        created,
        placeholder,
        spki,
      );
      keyIds.push(id);
    }

    const insertCertificate = vault.db.prepare(
      `INSERT INTO certificates (id, key_id, issuer_cert_id, profile, subject, issuer, serial, not_before, not_after,
         is_ca, der, sha256, sha1, spki_sha256, status, revoked_at, revocation_reason, source, created_at)
       VALUES (?, ?, ?, 'tls-server', ?, 'CN=Seed Issuing CA', ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, 'seed', ?)`,
    );
    // Revoked rows are inserted revoked, with the revocation log row the status trigger would have
    // written: one pass instead of an insert and an update per row.
    const logRevocation = vault.db.prepare(
      'INSERT INTO revocation_log (cert_id, issuer_cert_id, recorded_at) VALUES (?, ?, ?)',
    );
    const fraction = options.revokedFraction ?? 0.1;
    let revoked = 0;
    for (let i = 0; i < options.certificates; i += 1) {
      const id = `cert_seed_${i}`;
      // Expiry spread from six months ago to two years ahead, so every dashboard figure has rows.
      const notAfter = now + Math.floor((random() * 30 - 6) * 30 * DAY_MS);
      const notBefore = notAfter - 365 * DAY_MS;
      const keyId = keyIds.length ? keyIds[i % keyIds.length]! : null;
      const digest = createHash('sha256').update(`seed-cert-${i}`).digest('hex');
      const isRevoked = random() < fraction;
      const revokedAt = isRevoked
        ? new Date(now - Math.floor(random() * 200) * DAY_MS).toISOString()
        : null;
      insertCertificate.run(
        id,
        keyId,
        options.issuerCertId ?? null,
        `CN=host${String(i).padStart(6, '0')}.example.com,O=Seed`,
        randomBytes(16)
          .toString('hex')
          .replace(/^[89a-f]/, '1'),
        new Date(notBefore).toISOString(),
        new Date(notAfter).toISOString(),
        placeholder,
        digest,
        digest.slice(0, 40),
        digest,
        isRevoked ? 'revoked' : 'valid',
        revokedAt,
        isRevoked ? REASONS[revoked % REASONS.length] : null,
        new Date(notBefore).toISOString(),
      );
      if (isRevoked) {
        logRevocation.run(id, options.issuerCertId ?? null, revokedAt);
        revoked = countRevoked();
      }
      certificateIds.push(id);
    }
  });
}
