// The vault's store of CRLs imported from other CAs, which path validation checks revocation
// against (RFC 5280 §6.3) together with the CRLs this vault issued (pki/crl.ts).
import { createHash, randomUUID } from 'node:crypto';
import { MazeVaultError } from '../../shared/errors';
import { parseCrl } from '../pki/validate/crl';
import type { Vault } from '../vault/vault';

export interface StoredCrl {
  id: string;
  issuer: string;
  thisUpdate: string;
  nextUpdate: string | null;
  entries: number;
  sha256: string;
}

export interface CrlStoreResult {
  crl: StoredCrl;
  /** True when the same CRL (same SHA-256) was already in the vault. */
  duplicate: boolean;
}

interface CrlRow {
  id: string;
  issuer: string;
  this_update: string;
  next_update: string | null;
  entries: number;
  sha256: string;
}

function toStored(row: CrlRow): StoredCrl {
  return {
    id: row.id,
    issuer: row.issuer,
    thisUpdate: row.this_update,
    nextUpdate: row.next_update,
    entries: row.entries,
    sha256: row.sha256,
  };
}

export function crlSha256(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/** The CRL's facts, or a MALFORMED error naming what is wrong with it. */
function readCrl(der: Buffer): ReturnType<typeof parseCrl> {
  try {
    return parseCrl(der);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'its structure is broken';
    throw new MazeVaultError('MALFORMED', `This CRL cannot be read: ${reason}.`);
  }
}

export class ImportedCrlStore {
  constructor(private readonly vault: Vault) {}

  findBySha256(sha256: string): StoredCrl | undefined {
    const row = this.vault.db
      .prepare(
        `SELECT id, issuer, this_update, next_update, entries, sha256
         FROM imported_crls WHERE sha256 = ?`,
      )
      .get(sha256) as CrlRow | undefined;
    return row ? toStored(row) : undefined;
  }

  /** Stores a CRL unless the same one is there; the caller audits (it knows the file). */
  insert(der: Buffer, source: string): CrlStoreResult {
    const sha256 = crlSha256(der);
    const existing = this.findBySha256(sha256);
    if (existing) return { crl: existing, duplicate: true };

    const parsed = readCrl(der);
    const row: CrlRow = {
      id: `crl_${randomUUID()}`,
      issuer: parsed.issuerText,
      this_update: parsed.thisUpdate.toISOString(),
      next_update: parsed.nextUpdate?.toISOString() ?? null,
      entries: parsed.revoked.length,
      sha256,
    };
    this.vault.db
      .prepare(
        `INSERT INTO imported_crls (id, issuer, this_update, next_update, entries, der, sha256,
           source, created_at)
         VALUES (@id, @issuer, @this_update, @next_update, @entries, @der, @sha256, @source,
           @created_at)`,
      )
      .run({ ...row, der, source, created_at: new Date().toISOString() });
    return { crl: toStored(row), duplicate: false };
  }

  /** The DER of every imported CRL; validation keeps those current at its time (§6.3.3). */
  allDer(): Buffer[] {
    const rows = this.vault.db.prepare('SELECT der FROM imported_crls').all() as { der: Buffer }[];
    return rows.map((row) => row.der);
  }
}
