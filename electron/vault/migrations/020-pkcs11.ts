import type { Migration } from './types';

// PKCS#11 connection profiles (a module path and its preset) and, only when the officer asks for
// it, a token's user PIN sealed in `secrets` (owner 'pkcs11_profiles', id "<profile>/<serial>").
export const pkcs11Schema: Migration = {
  version: 20,
  name: 'pkcs11 connection profiles',
  up: (db) => {
    db.exec(`
      CREATE TABLE pkcs11_profiles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        preset TEXT NOT NULL,
        module_path TEXT NOT NULL,
        timeout_ms INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE pkcs11_remembered_pins (
        profile_id TEXT NOT NULL REFERENCES pkcs11_profiles (id) ON DELETE CASCADE,
        token_serial TEXT NOT NULL,
        secret_id INTEGER NOT NULL REFERENCES secrets (id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (profile_id, token_serial)
      );
    `);
  },
};
