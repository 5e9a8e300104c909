// The key inventory's rows, as the services see them. Public material only: the private key lives
// in its provider (a sealed vault record, an HSM object, a KMS key).
import type { KeyAlgorithm } from '../../shared/algorithms';
import type { KeyPurpose } from '../../shared/cryptoperiods';
import type { KeyId } from '../../shared/ids';
import type { KeyState } from '../../shared/lifecycle';
import type { ProviderKind, ProviderRef } from '../providers/provider';
import type { VaultDatabase } from '../vault/database';
import { MazeVaultError } from '../../shared/errors';

export interface KeyRecord {
  id: KeyId;
  label: string;
  algorithm: KeyAlgorithm;
  purpose: KeyPurpose;
  provider: ProviderKind;
  providerRef: ProviderRef;
  owner: string;
  state: KeyState;
  stateReason: string | null;
  stateChangedAt: string;
  createdAt: string;
  activationDate: string | null;
  deactivationDate: string | null;
  cryptoperiodDays: number;
  /** SubjectPublicKeyInfo, DER. */
  publicKey: Buffer;
  spkiSha256: string;
}

interface KeyRow {
  id: string;
  label: string;
  algorithm: string;
  purpose: string;
  provider: string;
  provider_ref: string;
  owner: string;
  state: string;
  state_reason: string | null;
  state_changed_at: string;
  created_at: string;
  activation_date: string | null;
  deactivation_date: string | null;
  cryptoperiod_days: number;
  public_key: Buffer;
  spki_sha256: string;
}

export function rowToKey(row: KeyRow): KeyRecord {
  return {
    id: row.id as KeyId,
    label: row.label,
    algorithm: row.algorithm as KeyAlgorithm,
    purpose: row.purpose as KeyPurpose,
    provider: row.provider as ProviderKind,
    providerRef: JSON.parse(row.provider_ref) as ProviderRef,
    owner: row.owner,
    state: row.state as KeyState,
    stateReason: row.state_reason,
    stateChangedAt: row.state_changed_at,
    createdAt: row.created_at,
    activationDate: row.activation_date,
    deactivationDate: row.deactivation_date,
    cryptoperiodDays: row.cryptoperiod_days,
    publicKey: row.public_key,
    spkiSha256: row.spki_sha256,
  };
}

export function insertKey(db: VaultDatabase, key: KeyRecord, secretId: number | null): void {
  db.prepare(
    `INSERT INTO keys (id, label, algorithm, purpose, provider, provider_ref, owner, state, state_reason,
       state_changed_at, created_at, activation_date, deactivation_date, cryptoperiod_days, public_key,
       spki_sha256, secret_id)
     VALUES (@id, @label, @algorithm, @purpose, @provider, @providerRef, @owner, @state, @stateReason,
       @stateChangedAt, @createdAt, @activationDate, @deactivationDate, @cryptoperiodDays, @publicKey,
       @spkiSha256, @secretId)`,
  ).run({ ...key, providerRef: JSON.stringify(key.providerRef), secretId });
}

export function findKey(db: VaultDatabase, id: string): KeyRecord | undefined {
  const row = db.prepare('SELECT * FROM keys WHERE id = ?').get(id) as KeyRow | undefined;
  return row ? rowToKey(row) : undefined;
}

export function getKey(db: VaultDatabase, id: string): KeyRecord {
  const key = findKey(db, id);
  if (!key) throw new MazeVaultError('NOT_FOUND', `No key with id ${id} in this vault.`);
  return key;
}

export interface KeyFilter {
  state?: KeyState;
  purpose?: KeyPurpose;
  provider?: ProviderKind;
  search?: string;
  limit?: number;
  offset?: number;
}

export function listKeys(db: VaultDatabase, filter: KeyFilter = {}): KeyRecord[] {
  const { where, params } = keyListWhere(filter);
  params.limit = Math.min(filter.limit ?? 500, 10_000);
  params.offset = filter.offset ?? 0;
  const sql = `SELECT * FROM keys ${where}
    ORDER BY created_at DESC, id LIMIT @limit OFFSET @offset`;
  return (db.prepare(sql).all(params) as KeyRow[]).map(rowToKey);
}

/** How many keys match the filter, whatever its limit and offset. */
export function countKeys(db: VaultDatabase, filter: KeyFilter = {}): number {
  const { where, params } = keyListWhere(filter);
  return (db.prepare(`SELECT COUNT(*) AS n FROM keys ${where}`).get(params) as { n: number }).n;
}

function keyListWhere(filter: KeyFilter): { where: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.state) {
    where.push('state = @state');
    params.state = filter.state;
  }
  if (filter.purpose) {
    where.push('purpose = @purpose');
    params.purpose = filter.purpose;
  }
  if (filter.provider) {
    where.push('provider = @provider');
    params.provider = filter.provider;
  }
  if (filter.search) {
    where.push(
      "(label LIKE @search ESCAPE '\\' OR id = @exact OR spki_sha256 LIKE @search ESCAPE '\\')",
    );
    params.search = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.exact = filter.search;
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export function secretIdOf(db: VaultDatabase, id: string): number | null {
  const row = db.prepare('SELECT secret_id FROM keys WHERE id = ?').get(id) as
    { secret_id: number | null } | undefined;
  return row?.secret_id ?? null;
}
