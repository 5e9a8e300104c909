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

/** Applies every pending migration, each in its own transaction with its version bump. */
export function migrate(db: VaultDatabase, migrations: readonly Migration[] = MIGRATIONS): number {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const current = schemaVersion(db);
  const latest = sorted.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new MazeVaultError(
      'UNSUPPORTED',
      `This vault has schema version ${current}, newer than this MazeVault knows (${latest}); update MazeVault.`,
    );
  }

  for (const migration of sorted) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return schemaVersion(db);
}
