// Opens the vault's SQLite file with the settings every vault needs and brings its schema up to date.
import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MazeVaultError } from '../../shared/errors';
import { MIGRATIONS } from './migrations/index';
import type { Migration } from './migrations/types';
import { nativeBindingPath } from './native-binding';

export type VaultDatabase = Database.Database;

export function openDatabase(path: string, options: { create: boolean }): VaultDatabase {
  if (options.create) createPrivateFile(path);
  // SQLite would quietly turn an empty file into a new database; opening must change nothing.
  const existing = options.create ? undefined : statSync(path, { throwIfNoEntry: false });
  if (existing?.isFile() && existing.size === 0) {
    throw new MazeVaultError(
      'VAULT_DAMAGED',
      `${path} is empty, not a MazeVault vault; check the path, or restore the vault from a backup.`,
    );
  }
  let db: VaultDatabase;
  try {
    db = new Database(path, {
      fileMustExist: !options.create,
      nativeBinding: nativeBindingPath(),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!options.create && (code === 'SQLITE_CANTOPEN' || !existsSync(path))) {
      throw new MazeVaultError(
        'VAULT_NOT_FOUND',
        !existsSync(path)
          ? `No vault file at ${path}; check the path or create a vault.`
          : statSync(path).isDirectory()
            ? `${path} is a folder; give the vault file inside it.`
            : `Cannot open the vault file ${path}; check its permissions.`,
      );
    }
    throw new MazeVaultError(
      'IO_ERROR',
      `Cannot open the vault file ${path}; check that the path is a file you may read and write.`,
    );
  }

  try {
    // WAL keeps readers and the writer apart; FULL sync because a vault on removable media may be
    // pulled out right after a ceremony.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Deleted rows (a destroyed key's sealed bytes) are overwritten with zeros, not left behind
    // in free pages where a later holder of the passphrase could still read them.
    db.pragma('secure_delete = ON');
    if (!options.create) assertIsVault(db, path);
  } catch (error) {
    db.close();
    if (error instanceof MazeVaultError) throw error;
    throw notAVault(path, error);
  }
  return db;
}

/**
 * A new vault file is made empty and owner-only before SQLite opens it: SQLite would create it
 * with 0644 under the usual umask, letting other local users copy it for an offline guessing
 * attack. SQLite gives its -wal and -shm files the main file's mode.
 */
function createPrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
    chmodSync(path, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new MazeVaultError('VAULT_EXISTS', `${path} already exists; choose another file name.`);
    }
    throw new MazeVaultError(
      'IO_ERROR',
      code === 'ENOENT'
        ? `Cannot create the vault file ${path}: its folder does not exist.`
        : `Cannot create the vault file ${path}; check that its folder exists and is writable.`,
    );
  }
}

/** SQLite's own words ("file is not a database") mean nothing to an officer; say what it means. */
function notAVault(path: string, error: unknown): MazeVaultError {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new MazeVaultError(
      'IO_ERROR',
      `The vault file ${path} is busy in another program; close it there and try again.`,
    );
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_IOERR') {
    return new MazeVaultError(
      'IO_ERROR',
      `Cannot read and write the vault file ${path} (or its -wal file beside it); check the ` +
        'permissions of the file and its folder.',
    );
  }
  return new MazeVaultError(
    'VAULT_DAMAGED',
    `${path} is not a MazeVault vault, or it is damaged; check the path, or restore the vault ` +
      'from a backup.',
  );
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
