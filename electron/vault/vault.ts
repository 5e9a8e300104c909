// A vault session: the SQLite file, its key slot, and the data key while unlocked. The data key
// is random, wrapped by a key-encryption key derived from the passphrase; neither the passphrase
// nor any key derived from it is ever written.
import { hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { MazeVaultError } from '../../shared/errors';
import { AuditLog, type AuditEventInput } from '../audit/log';
import { migrate, openDatabase, type VaultDatabase } from './database';
import {
  deriveKeyEncryptionKey,
  isAtLeastMinimum,
  MINIMUM_SCRYPT,
  newScryptParams,
  TEST_ONLY_SCRYPT,
  type ScryptParams,
} from './kdf';
import { openRecord, recordAad, seal, tryOpen, wipe, type RecordIdentity } from './seal';

export const MINIMUM_PASSPHRASE_LENGTH = 12;
const DEFAULT_AUTO_LOCK_MS = 10 * 60 * 1000;
const AUTO_LOCK_OFF = 'off';

export interface VaultOptions {
  /** Who is acting, for the audit trail; defaults to the operating-system user. */
  actor?: string;
  /**
   * `'test-only'` selects cheap scrypt parameters for throw-away test vaults; a vault made with
   * them records it and the window warns about it. Anything else uses at least scrypt N=2^17.
   */
  kdfCost?: { N: number; r: number; p: number } | 'test-only';
}

interface SlotRow {
  id: string;
  kdf: string;
  wrapped_key: Buffer;
}

export type LockListener = (reason: 'manual' | 'idle' | 'closed') => void;

function slotAad(slotId: string): string {
  return `mazevault/v1|key_slots|${slotId}|data-key`;
}

export function defaultActor(): string {
  try {
    return userInfo().username || 'officer';
  } catch {
    return 'officer';
  }
}

function assertPassphraseStrength(passphrase: string): void {
  if ([...passphrase].length < MINIMUM_PASSPHRASE_LENGTH) {
    throw new MazeVaultError(
      'WEAK_PASSPHRASE',
      `The passphrase must be at least ${MINIMUM_PASSPHRASE_LENGTH} characters long.`,
    );
  }
}

export class Vault {
  readonly audit: AuditLog;
  actor: string;
  private dataKey: Buffer | undefined;
  private auditKey: Buffer | undefined;
  /** Null: auto-lock is off and only the officer (or closing the window) locks the vault. */
  private autoLockMs: number | null = DEFAULT_AUTO_LOCK_MS;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly lockListeners = new Set<LockListener>();
  /** Sealed material was deleted and its old pages may still sit in the WAL. */
  private scrubPending = false;

  private constructor(
    readonly path: string,
    readonly db: VaultDatabase,
    actor: string,
  ) {
    this.actor = actor;
    this.audit = new AuditLog(db, () => this.auditKey);
    const stored = this.getSetting('vault.autoLockMinutes');
    if (stored === AUTO_LOCK_OFF) this.autoLockMs = null;
    else if (stored) this.autoLockMs = Number(stored) * 60_000;
  }

  /** Creates a new vault file and returns it unlocked. Refuses to overwrite an existing file. */
  static async create(
    path: string,
    passphrase: string,
    options: VaultOptions = {},
  ): Promise<Vault> {
    assertPassphraseStrength(passphrase);
    if (existsSync(path)) {
      throw new MazeVaultError('VAULT_EXISTS', `${path} already exists; choose another file name.`);
    }
    const cost =
      options.kdfCost === 'test-only' ? TEST_ONLY_SCRYPT : (options.kdfCost ?? MINIMUM_SCRYPT);
    const params = newScryptParams(cost);
    if (options.kdfCost !== 'test-only' && !isAtLeastMinimum(params)) {
      throw new MazeVaultError(
        'POLICY_VIOLATION',
        'The KDF cost is below scrypt N=2^17, r=8, p=1.',
      );
    }
    const kek = await deriveKeyEncryptionKey(passphrase, params);
    const dataKey = randomBytes(32);

    // Nothing half-made is left behind: a failure removes the new file and its WAL.
    const db = openDatabase(path, { create: true });
    try {
      migrate(db);
      const vault = new Vault(path, db, options.actor ?? defaultActor());
      const slotId = randomUUID();
      const wrapped = seal(kek, dataKey, slotAad(slotId));
      wipe(kek);
      db.transaction(() => {
        const now = new Date().toISOString();
        db.prepare(
          `INSERT INTO key_slots (id, kind, kdf, wrapped_key, created_at, updated_at)
           VALUES (?, 'passphrase', ?, ?, ?, ?)`,
        ).run(
          slotId,
          JSON.stringify(params),
          Buffer.concat([wrapped.nonce, wrapped.ciphertext]),
          now,
          now,
        );
        vault.setSetting('vault.id', randomUUID());
        vault.setSetting('vault.createdAt', now);
        if (options.kdfCost === 'test-only') vault.setSetting('vault.testOnlyKdf', 'true');
        vault.useDataKey(dataKey);
        vault.record({
          action: 'vault.create',
          subject: path,
          outcome: 'success',
          details: { kdf: 'scrypt', N: params.N, r: params.r, p: params.p },
        });
      })();
      return vault;
    } catch (error) {
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
      throw error;
    }
  }

  /** Opens an existing vault file, locked. Pending migrations are applied. */
  static open(path: string, options: VaultOptions = {}): Vault {
    const db = openDatabase(path, { create: false });
    migrate(db);
    return new Vault(path, db, options.actor ?? defaultActor());
  }

  get isUnlocked(): boolean {
    return this.dataKey !== undefined;
  }

  get isTestOnlyKdf(): boolean {
    return this.getSetting('vault.testOnlyKdf') === 'true';
  }

  async unlock(passphrase: string): Promise<void> {
    const slot = this.passphraseSlot();
    const params = JSON.parse(slot.kdf) as ScryptParams;
    const kek = await deriveKeyEncryptionKey(passphrase, params);
    const dataKey = tryOpen(kek, splitBox(slot.wrapped_key), slotAad(slot.id));
    wipe(kek);
    if (!dataKey) {
      this.record({
        action: 'vault.unlock',
        subject: this.path,
        outcome: 'failure',
        details: { reason: 'wrong passphrase' },
      });
      throw new MazeVaultError('WRONG_PASSPHRASE', 'Wrong passphrase: the vault stays locked.');
    }
    this.useDataKey(dataKey);
    this.record({ action: 'vault.unlock', subject: this.path, outcome: 'success' });
  }

  lock(reason: 'manual' | 'idle' = 'manual'): void {
    if (!this.dataKey) return;
    this.record({
      action: 'vault.lock',
      subject: this.path,
      outcome: 'success',
      details: { reason },
    });
    this.dropKeys();
    for (const listener of this.lockListeners) listener(reason);
  }

  close(): void {
    if (this.dataKey) this.lock('manual');
    if (this.scrubPending) this.scrubJournal();
    this.dropKeys();
    for (const listener of this.lockListeners) listener('closed');
    this.lockListeners.clear();
    if (this.db.open) this.db.close();
  }

  onLock(listener: LockListener): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  /** Re-wraps the data key under a new passphrase; no sealed record is touched. */
  async changePassphrase(current: string, next: string): Promise<void> {
    assertPassphraseStrength(next);
    const slot = this.passphraseSlot();
    const oldParams = JSON.parse(slot.kdf) as ScryptParams;
    const oldKek = await deriveKeyEncryptionKey(current, oldParams);
    const dataKey = tryOpen(oldKek, splitBox(slot.wrapped_key), slotAad(slot.id));
    wipe(oldKek);
    if (!dataKey) {
      this.record({
        action: 'vault.change-passphrase',
        subject: this.path,
        outcome: 'failure',
        details: { reason: 'wrong passphrase' },
      });
      throw new MazeVaultError(
        'WRONG_PASSPHRASE',
        'Wrong passphrase: the passphrase was not changed.',
      );
    }
    const params = newScryptParams({ N: oldParams.N, r: oldParams.r, p: oldParams.p });
    await this.rewrap(slot.id, next, params, dataKey, 'vault.change-passphrase');
  }

  /** Raises the KDF cost of the passphrase slot (e.g. N=2^18) without a new vault. */
  async raiseKdfCost(passphrase: string, cost: { N: number; r: number; p: number }): Promise<void> {
    const slot = this.passphraseSlot();
    const oldParams = JSON.parse(slot.kdf) as ScryptParams;
    if (cost.N < oldParams.N || cost.r < oldParams.r || cost.p < oldParams.p) {
      throw new MazeVaultError(
        'POLICY_VIOLATION',
        'KDF parameters can only be raised, never lowered.',
      );
    }
    const oldKek = await deriveKeyEncryptionKey(passphrase, oldParams);
    const dataKey = tryOpen(oldKek, splitBox(slot.wrapped_key), slotAad(slot.id));
    wipe(oldKek);
    if (!dataKey) {
      throw new MazeVaultError(
        'WRONG_PASSPHRASE',
        'Wrong passphrase: the KDF cost was not changed.',
      );
    }
    await this.rewrap(slot.id, passphrase, newScryptParams(cost), dataKey, 'vault.raise-kdf');
  }

  kdfParameters(): Omit<ScryptParams, 'salt'> {
    const { salt: _salt, ...rest } = JSON.parse(this.passphraseSlot().kdf) as ScryptParams;
    return rest;
  }

  /** Auto-lock after `minutes` idle minutes (1 to 24 hours), or never with null. Audited. */
  setAutoLockMinutes(minutes: number | null): void {
    if (minutes !== null && (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'Auto-lock must be a whole number of minutes between 1 and 1440 (24 hours), or off.',
      );
    }
    this.transaction(() => {
      this.setSetting('vault.autoLockMinutes', minutes === null ? AUTO_LOCK_OFF : String(minutes));
      this.record({
        action: 'vault.set-auto-lock',
        subject: this.path,
        outcome: 'success',
        details: { minutes },
      });
    });
    this.autoLockMs = minutes === null ? null : minutes * 60_000;
    this.touch();
  }

  /** Test hook and fine-grained control: auto-lock after `ms` milliseconds of inactivity. */
  setAutoLockMs(ms: number): void {
    this.autoLockMs = ms;
    this.touch();
  }

  /** The idle minutes before the vault locks itself, or null when auto-lock is off. */
  autoLockMinutes(): number | null {
    return this.autoLockMs === null ? null : this.autoLockMs / 60_000;
  }

  /** Marks activity; the idle timer restarts. */
  touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.dataKey || this.autoLockMs === null) return;
    this.idleTimer = setTimeout(() => this.lock('idle'), this.autoLockMs);
    this.idleTimer.unref();
  }

  requireUnlocked(): Buffer {
    if (!this.dataKey) {
      throw new MazeVaultError('VAULT_LOCKED', 'The vault is locked; unlock it first.');
    }
    this.touch();
    return this.dataKey;
  }

  /** Seals a secret into a new record and returns its id. Call inside the owner's transaction. */
  sealSecret(ownerTable: string, ownerId: string, kind: string, plaintext: Buffer): number {
    const key = this.requireUnlocked();
    const version = 1;
    // The row id is part of the AAD, so reserve it first with an empty box, then fill it in.
    const info = this.db
      .prepare(
        `INSERT INTO secrets (owner_table, owner_id, kind, version, nonce, ciphertext, created_at)
         VALUES (?, ?, ?, ?, x'', x'', ?)`,
      )
      .run(ownerTable, ownerId, kind, version, new Date().toISOString());
    const id = Number(info.lastInsertRowid);
    const box = seal(key, plaintext, recordAad({ id, version, ownerTable, ownerId, kind }));
    this.db
      .prepare('UPDATE secrets SET nonce = ?, ciphertext = ? WHERE id = ?')
      .run(box.nonce, box.ciphertext, id);
    return id;
  }

  /** Replaces a secret's content with a new version (fresh nonce, version in the AAD). */
  resealSecret(id: number, plaintext: Buffer): void {
    const key = this.requireUnlocked();
    const row = this.secretRow(id);
    const version = row.version + 1;
    const box = seal(
      key,
      plaintext,
      recordAad({
        id,
        version,
        ownerTable: row.owner_table,
        ownerId: row.owner_id,
        kind: row.kind,
      }),
    );
    this.db
      .prepare('UPDATE secrets SET version = ?, nonce = ?, ciphertext = ? WHERE id = ?')
      .run(version, box.nonce, box.ciphertext, id);
  }

  /**
   * Opens a sealed record. `expected` names the owner the caller believes it belongs to, so a
   * pointer swapped between two rows is caught as damage too.
   */
  openSecret(id: number, expected: { ownerTable: string; ownerId: string; kind: string }): Buffer {
    const key = this.requireUnlocked();
    const row = this.secretRow(id);
    const identity: RecordIdentity = { id, version: row.version, ...expected };
    return openRecord(key, { nonce: row.nonce, ciphertext: row.ciphertext }, identity);
  }

  /** Deletes a sealed record: the material is gone, whatever referenced it keeps its metadata. */
  destroySecret(id: number): void {
    this.db.prepare('DELETE FROM secrets WHERE id = ?').run(id);
    this.scrubPending = true;
    if (!this.db.inTransaction) this.scrubJournal();
  }

  /**
   * SQLite's secure_delete zeroes the deleted row in the page it writes, but earlier copies of
   * that page stay in the WAL until a checkpoint; TRUNCATE copies the zeroed pages into the file
   * and empties the WAL. Runs after the commit that deleted material (a checkpoint cannot run
   * inside a transaction). Another open connection may hold the WAL back; the next scrub retries.
   */
  scrubJournal(): void {
    if (this.db.inTransaction || !this.db.open) return;
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (result?.busy === 0) this.scrubPending = false;
  }

  /** Appends an audit event as the vault's current actor. */
  record(event: Omit<AuditEventInput, 'actor'> & { actor?: string }): void {
    this.audit.append({ actor: this.actor, ...event });
  }

  transaction<T>(work: () => T): T {
    // IMMEDIATE takes the write lock first, so a second MazeVault process on the same file waits
    // (busy_timeout) instead of failing its write after reading a state that is no longer current.
    const result = this.db.transaction(work).immediate();
    if (this.scrubPending) this.scrubJournal();
    return result;
  }

  getSetting(name: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE name = ?').get(name) as
      { value: string } | undefined;
    return row?.value;
  }

  setSetting(name: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      )
      .run(name, value);
  }

  /** Derives a purpose-bound subkey of the data key (e.g. for MACs), never the data key itself. */
  deriveSubkey(purpose: string): Buffer {
    const key = this.requireUnlocked();
    return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `mazevault/v1|${purpose}`, 32));
  }

  private async rewrap(
    slotId: string,
    passphrase: string,
    params: ScryptParams,
    dataKey: Buffer,
    action: string,
  ): Promise<void> {
    const kek = await deriveKeyEncryptionKey(passphrase, params);
    const wrapped = seal(kek, dataKey, slotAad(slotId));
    wipe(kek);
    this.transaction(() => {
      this.db
        .prepare('UPDATE key_slots SET kdf = ?, wrapped_key = ?, updated_at = ? WHERE id = ?')
        .run(
          JSON.stringify(params),
          Buffer.concat([wrapped.nonce, wrapped.ciphertext]),
          new Date().toISOString(),
          slotId,
        );
      if (!this.dataKey) this.useDataKey(dataKey);
      this.record({
        action,
        subject: this.path,
        outcome: 'success',
        details: { N: params.N, r: params.r, p: params.p },
      });
    });
  }

  private passphraseSlot(): SlotRow {
    const slot = this.db
      .prepare("SELECT id, kdf, wrapped_key FROM key_slots WHERE kind = 'passphrase' LIMIT 1")
      .get() as SlotRow | undefined;
    if (!slot) throw new MazeVaultError('VAULT_DAMAGED', 'The vault has no passphrase key slot.');
    return slot;
  }

  private secretRow(id: number): {
    version: number;
    owner_table: string;
    owner_id: string;
    kind: string;
    nonce: Buffer;
    ciphertext: Buffer;
  } {
    const row = this.db.prepare('SELECT * FROM secrets WHERE id = ?').get(id) as
      | {
          version: number;
          owner_table: string;
          owner_id: string;
          kind: string;
          nonce: Buffer;
          ciphertext: Buffer;
        }
      | undefined;
    if (!row) {
      throw new MazeVaultError(
        'RECORD_DAMAGED',
        `Vault record ${id} is missing; restore the vault from a backup.`,
      );
    }
    return row;
  }

  private useDataKey(dataKey: Buffer): void {
    this.dataKey = dataKey;
    this.auditKey = Buffer.from(
      hkdfSync('sha256', dataKey, Buffer.alloc(0), 'mazevault/v1|audit-mac', 32),
    );
    this.touch();
  }

  private dropKeys(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    wipe(this.dataKey);
    wipe(this.auditKey);
    this.dataKey = undefined;
    this.auditKey = undefined;
  }
}

function splitBox(wrapped: Buffer): { nonce: Buffer; ciphertext: Buffer } {
  return { nonce: wrapped.subarray(0, 12), ciphertext: wrapped.subarray(12) };
}
