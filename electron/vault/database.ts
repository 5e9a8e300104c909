// Opens the vault's SQLite file with the settings every vault needs and brings its schema up to date.
import Database from 'better-sqlite3';
import { MazeVaultError } from '../../shared/errors';
import { MIGRATIONS } from './migrations/index';
import type { Migration } from './migrations/types';
import { nativeBindingPath } from './native-binding';

export type VaultDatabase = Database.Database;

export function openDatabase(path: string, options: { create: boolean }): VaultDatabase {
  let db: VaultDatabase;
  try {
    db = new Database(path, {
      fileMustExist: !options.create,
      nativeBinding: nativeBindingPath(),
    });
  } catch (error) {
    const reason = (error as Error).message;
    if (!options.create && /unable to open|does not exist/i.test(reason)) {
      throw new MazeVaultError(
        'VAULT_NOT_FOUND',
        `No vault file at ${path}; check the path or create a vault.`,
      );
    }
    throw new MazeVaultError('IO_ERROR', `Cannot open the vault file ${path}: ${reason}`);
  }

  try {
    // WAL keeps readers and the writer apart; FULL sync because a vault on removable media may be
    // pulled out right after a ceremony.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!options.create) assertIsVault(db, path);
  } catch (error) {
    db.close();
    if (error instanceof MazeVaultError) throw error;
    throw new MazeVaultError(
      'VAULT_DAMAGED',
      `${path} is not a readable MazeVault vault: ${(error as Error).message}`,
    );
  }
  return db;
}

function assertIsVault(db: VaultDatabase, path: string): void {
  const row = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'key_slots'")
    .get();
  if (!row) {
    throw new MazeVaultError(
      'VAULT_DAMAGED',
      `${path} is an SQLite file but not a MazeVault vault.`,
    );
  }
}

export function schemaVersion(db: VaultDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration this vault has not had yet, each in its own transaction with its record
 * in `schema_migrations`. Versions are tracked one by one rather than by a high-water mark, so a
 * migration numbered below one already applied (parallel version ranges) still runs.
 */
export function migrate(db: VaultDatabase, migrations: readonly Migration[] = MIGRATIONS): number {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const known = new Set(sorted.map((migration) => migration.version));
  const tracked = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  if (!tracked) recordHighWaterMark(db, sorted);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (row) => row.version,
    ),
  );
  const unknown = [...applied].filter((version) => !known.has(version));
  if (unknown.length > 0) {
    throw new MazeVaultError(
      'UNSUPPORTED',
      `This vault has schema changes this MazeVault does not know (${unknown.join(', ')}); ` +
        'update MazeVault before opening it.',
    );
  }

  for (const migration of sorted) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      migration.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
      const highest = Math.max(migration.version, schemaVersion(db));
      db.pragma(`user_version = ${highest}`);
    })();
  }
  return schemaVersion(db);
}

/**
 * Vaults written before migrations were tracked one by one carry only PRAGMA user_version, which
 * then meant "every migration up to this version is applied"; record them so.
 */
function recordHighWaterMark(db: VaultDatabase, migrations: readonly Migration[]): void {
  const current = schemaVersion(db);
  const insert = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const now = new Date().toISOString();
  for (const migration of migrations) {
    if (migration.version <= current) insert.run(migration.version, migration.name, now);
  }
}
