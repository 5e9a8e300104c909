// For tests: edits a vault file the way someone without the passphrase can, through a second
// SQLite connection to the same file, never through the app's services.
import Database from 'better-sqlite3';

export function tamperWithVaultFile(path: string, sql: string, ...params: unknown[]): number {
  const db = new Database(path);
  try {
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}
