import type { Migration } from './types';

// Trust for path validation is explicit: a certificate that came in with an import is never a
// trust anchor merely because it is in the vault. The officer marks the ones they trust
// (`mazevault cert trust`); the vault's own CAs need no mark. Existing rows start untrusted, so a
// root imported before this change stops being an anchor until someone vouches for it.
export const trustedCertificates: Migration = {
  version: 11,
  name: 'trusted certificates',
  up: (db) => {
    db.exec(`
      ALTER TABLE certificates ADD COLUMN trusted INTEGER NOT NULL DEFAULT 0 CHECK (trusted IN (0, 1));
      CREATE INDEX IF NOT EXISTS certificates_trusted ON certificates (trusted) WHERE trusted = 1;
      -- Validation looks a vault CA's certificates up by serial to read their revocation.
      CREATE INDEX IF NOT EXISTS certificates_serial ON certificates (serial);
    `);
  },
};
