import type { Migration } from './types';

// The foundation schema: key slots, sealed secrets, keys, certificates, CRLs, settings and the
// append-only audit trail. Secrets are never stored in clear: `secrets` holds only AES-256-GCM
// ciphertext bound to its row (see ../seal.ts).
export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  up: (db) => {
    db.exec(`
      CREATE TABLE settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE key_slots (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('passphrase', 'quorum')),
        kdf TEXT NOT NULL,
        wrapped_key BLOB NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE secrets (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        owner_table TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        version INTEGER NOT NULL,
        nonce BLOB NOT NULL,
        ciphertext BLOB NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX secrets_owner ON secrets (owner_table, owner_id);

      CREATE TABLE keys (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        algorithm TEXT NOT NULL,
        purpose TEXT NOT NULL,
        provider TEXT NOT NULL,
        provider_ref TEXT NOT NULL,
        owner TEXT NOT NULL,
        state TEXT NOT NULL,
        state_reason TEXT,
        state_changed_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        activation_date TEXT,
        deactivation_date TEXT,
        cryptoperiod_days INTEGER NOT NULL,
        public_key BLOB NOT NULL,
        spki_sha256 TEXT NOT NULL,
        secret_id INTEGER REFERENCES secrets (id) ON DELETE SET NULL
      );
      CREATE INDEX keys_state ON keys (state);
      CREATE INDEX keys_spki ON keys (spki_sha256);
      CREATE INDEX keys_label ON keys (label);

      CREATE TABLE certificates (
        id TEXT PRIMARY KEY,
        key_id TEXT REFERENCES keys (id),
        issuer_cert_id TEXT REFERENCES certificates (id),
        profile TEXT,
        subject TEXT NOT NULL,
        issuer TEXT NOT NULL,
        serial TEXT NOT NULL,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL,
        is_ca INTEGER NOT NULL,
        der BLOB NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        sha1 TEXT NOT NULL,
        spki_sha256 TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
        revoked_at TEXT,
        revocation_reason TEXT,
        invalidity_date TEXT,
        predecessor_id TEXT REFERENCES certificates (id),
        storage TEXT NOT NULL DEFAULT 'internal' CHECK (storage IN ('internal', 'remote', 'none')),
        remote_location TEXT,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX certificates_not_after ON certificates (not_after);
      CREATE INDEX certificates_issuer ON certificates (issuer_cert_id);
      CREATE INDEX certificates_key ON certificates (key_id);
      CREATE INDEX certificates_status ON certificates (status, not_after);
      CREATE INDEX certificates_spki ON certificates (spki_sha256);
      CREATE INDEX certificates_subject ON certificates (subject);

      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'refused')),
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        mac TEXT
      );
      CREATE INDEX audit_events_action ON audit_events (action);

      -- RFC-style append-only log: the database itself refuses edits and deletions.
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    `);
  },
};
