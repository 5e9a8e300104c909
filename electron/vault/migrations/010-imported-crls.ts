import type { Migration } from './types';

// CRLs an officer imports from other CAs, so that path validation can check revocation against
// them (RFC 5280 §6.3). CRLs this vault issues itself live in `issued_crls` (030). A CRL is public:
// no column holds a secret.
export const importedCrlsSchema: Migration = {
  version: 10,
  name: 'imported CRLs',
  up: (db) => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS imported_crls (
        id TEXT PRIMARY KEY,
        issuer TEXT NOT NULL,
        this_update TEXT NOT NULL,
        next_update TEXT,
        entries INTEGER NOT NULL,
        der BLOB NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS imported_crls_issuer ON imported_crls (issuer);
    `);
  },
};
