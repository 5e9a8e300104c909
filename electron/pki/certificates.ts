// The certificate inventory over the vault's `certificates` table: what was issued here or
// imported, linked to its key and its issuer. Certificates are public; no row holds a secret.
import { randomUUID } from 'node:crypto';
import { MazeVaultError } from '../../shared/errors';
import { asCertId, type CertId, type KeyId } from '../../shared/ids';
import type { Vault } from '../vault/vault';
import type { Statement } from 'better-sqlite3';
import { certificateFacts, type CertificateFacts } from './certificate-facts';
import { verifySignature } from './signature-algorithms';

export type CertificateStatus = 'valid' | 'revoked';
export type CertificateStorage = 'internal' | 'remote' | 'none';

export interface CertificateRecord {
  id: CertId;
  keyId: KeyId | null;
  issuerCertId: CertId | null;
  profile: string | null;
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  isCa: boolean;
  sha256: string;
  sha1: string;
  spkiSha256: string;
  status: CertificateStatus;
  revokedAt: string | null;
  revocationReason: string | null;
  storage: CertificateStorage;
  remoteLocation: string | null;
  /** Where it came from: "issued", "import:<file>", "pkcs11:<token>"… */
  source: string;
  createdAt: string;
}

export interface CertificateFilter {
  status?: CertificateStatus;
  isCa?: boolean;
  issuerCertId?: string;
  keyId?: string;
  /** Matches subject or issuer text, or exactly an id, serial or SHA-256 fingerprint. */
  search?: string;
  /** ISO time: only certificates whose notAfter is before it (the dashboard's "expiring"). */
  expiringBefore?: string;
  /** ISO time: only certificates whose notAfter is at or after it (leave out the expired). */
  notExpiredAt?: string;
  limit?: number;
  offset?: number;
}

export interface InsertCertificateMeta {
  source: string;
  keyId?: string | null;
  issuerCertId?: string | null;
  profile?: string | null;
  storage?: CertificateStorage;
  remoteLocation?: string | null;
  /** The audit event for a new row; defaults to `cert.import`. */
  audit?: { action: string; details?: Record<string, unknown> };
}

export interface InsertResult {
  certificate: CertificateRecord;
  /** True when an identical certificate (same SHA-256) was already in the vault. */
  duplicate: boolean;
}

interface CertificateRow {
  id: string;
  key_id: string | null;
  issuer_cert_id: string | null;
  profile: string | null;
  subject: string;
  issuer: string;
  serial: string;
  not_before: string;
  not_after: string;
  is_ca: number;
  sha256: string;
  sha1: string;
  spki_sha256: string;
  status: CertificateStatus;
  revoked_at: string | null;
  revocation_reason: string | null;
  storage: CertificateStorage;
  remote_location: string | null;
  source: string;
  created_at: string;
}

const COLUMNS = `id, key_id, issuer_cert_id, profile, subject, issuer, serial, not_before, not_after, is_ca,
  sha256, sha1, spki_sha256, status, revoked_at, revocation_reason, storage, remote_location, source, created_at`;

function toRecord(row: CertificateRow): CertificateRecord {
  return {
    id: asCertId(row.id),
    keyId: row.key_id as KeyId | null,
    issuerCertId: row.issuer_cert_id === null ? null : asCertId(row.issuer_cert_id),
    profile: row.profile,
    subject: row.subject,
    issuer: row.issuer,
    serial: row.serial,
    notBefore: row.not_before,
    notAfter: row.not_after,
    isCa: row.is_ca === 1,
    sha256: row.sha256,
    sha1: row.sha1,
    spkiSha256: row.spki_sha256,
    status: row.status,
    revokedAt: row.revoked_at,
    revocationReason: row.revocation_reason,
    storage: row.storage,
    remoteLocation: row.remote_location,
    source: row.source,
    createdAt: row.created_at,
  };
}

/** The longest chain we follow; a loop of issuers in a damaged vault must not spin forever. */
const MAX_CHAIN_LENGTH = 16;

/** The SQL behind `list`, exported so tests can assert its query plan uses the indexes. */
export function certificateListQuery(filter: CertificateFilter): {
  sql: string;
  params: Record<string, unknown>;
} {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.status) {
    where.push('status = @status');
    params.status = filter.status;
  }
  if (filter.isCa !== undefined) {
    where.push('is_ca = @isCa');
    params.isCa = filter.isCa ? 1 : 0;
  }
  if (filter.issuerCertId) {
    where.push('issuer_cert_id = @issuerCertId');
    params.issuerCertId = filter.issuerCertId;
  }
  if (filter.keyId) {
    where.push('key_id = @keyId');
    params.keyId = filter.keyId;
  }
  if (filter.expiringBefore) {
    where.push('not_after < @expiringBefore');
    params.expiringBefore = new Date(filter.expiringBefore).toISOString();
  }
  if (filter.notExpiredAt) {
    where.push('not_after >= @notExpiredAt');
    params.notExpiredAt = new Date(filter.notExpiredAt).toISOString();
  }
  if (filter.search) {
    const exact = filter.search.trim();
    where.push(
      `(subject LIKE @like ESCAPE '\\' OR issuer LIKE @like ESCAPE '\\' OR id = @exact
        OR serial = @exactLower OR sha256 = @exactLower)`,
    );
    params.like = `%${exact.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.exact = exact;
    params.exactLower = exact.toLowerCase().replace(/:/g, '');
  }
  params.limit = Math.min(filter.limit ?? 500, 10_000);
  params.offset = filter.offset ?? 0;
  const order = filter.expiringBefore ? 'not_after ASC, id' : 'created_at DESC, id';
  const sql = `SELECT ${COLUMNS} FROM certificates ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${order} LIMIT @limit OFFSET @offset`;
  return { sql, params };
}

export class CertificateService {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly vault: Vault) {}

  /** Prepared once per service: bulk imports run these thousands of times. */
  private statement(sql: string): Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.vault.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  list(filter: CertificateFilter = {}): CertificateRecord[] {
    const { sql, params } = certificateListQuery(filter);
    return (this.statement(sql).all(params) as CertificateRow[]).map(toRecord);
  }

  /** How many certificates match the filter, whatever its limit and offset. */
  count(filter: CertificateFilter = {}): number {
    const { sql, params } = certificateListQuery(filter);
    const where = /FROM certificates (.*?)\s*ORDER BY/s.exec(sql)?.[1] ?? '';
    const { limit: _limit, offset: _offset, ...whereParams } = params;
    const row = this.statement(`SELECT COUNT(*) AS n FROM certificates ${where}`).get(
      whereParams,
    ) as { n: number };
    return row.n;
  }

  find(id: string): CertificateRecord | undefined {
    const row = this.statement(`SELECT ${COLUMNS} FROM certificates WHERE id = ?`).get(id) as
      CertificateRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  get(id: string): CertificateRecord {
    const record = this.find(id);
    if (!record) {
      throw new MazeVaultError('NOT_FOUND', `No certificate with id ${id} in this vault.`);
    }
    return record;
  }

  findBySha256(sha256: string): CertificateRecord | undefined {
    const row = this.statement(`SELECT ${COLUMNS} FROM certificates WHERE sha256 = ?`).get(
      sha256.toLowerCase(),
    ) as CertificateRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  der(id: string): Buffer {
    const row = this.statement('SELECT der FROM certificates WHERE id = ?').get(id) as
      { der: Buffer } | undefined;
    if (!row) throw new MazeVaultError('NOT_FOUND', `No certificate with id ${id} in this vault.`);
    return row.der;
  }

  /** DER of the certificate and its issuers as far as the vault knows them: leaf first, root last. */
  chain(id: string): Buffer[] {
    const chain: Buffer[] = [];
    const seen = new Set<string>();
    let current: CertificateRecord | undefined = this.get(id);
    while (current && !seen.has(current.id)) {
      if (chain.length >= MAX_CHAIN_LENGTH) {
        throw new MazeVaultError(
          'VAULT_DAMAGED',
          `The issuer chain of ${id} is longer than ${MAX_CHAIN_LENGTH}.`,
        );
      }
      seen.add(current.id);
      chain.push(this.der(current.id));
      current = current.issuerCertId ? this.find(current.issuerCertId) : undefined;
    }
    return chain;
  }

  /**
   * Stores a certificate, or returns the one already stored with the same SHA-256. The key is
   * linked by SPKI when the caller does not name it, and the issuer by name and signature.
   */
  insert(der: Buffer, meta: InsertCertificateMeta): InsertResult {
    const facts = certificateFacts(der);
    return this.vault.transaction(() => {
      const existing = this.findBySha256(facts.sha256);
      if (existing) return { certificate: existing, duplicate: true };

      const keyId = meta.keyId === undefined ? this.keyIdBySpki(facts.spkiSha256) : meta.keyId;
      const issuerCertId =
        meta.issuerCertId === undefined ? this.findIssuerId(facts) : meta.issuerCertId;
      const id = `cert_${randomUUID()}`;
      this.statement(
        `INSERT INTO certificates (id, key_id, issuer_cert_id, profile, subject, issuer, serial, not_before,
             not_after, is_ca, der, sha256, sha1, spki_sha256, storage, remote_location, source, created_at)
           VALUES (@id, @keyId, @issuerCertId, @profile, @subject, @issuer, @serial, @notBefore, @notAfter,
             @isCa, @der, @sha256, @sha1, @spkiSha256, @storage, @remoteLocation, @source, @createdAt)`,
      ).run({
        id,
        keyId,
        issuerCertId,
        profile: meta.profile ?? null,
        subject: facts.subject,
        issuer: facts.issuer,
        serial: facts.serial,
        notBefore: facts.notBefore.toISOString(),
        notAfter: facts.notAfter.toISOString(),
        isCa: facts.isCa ? 1 : 0,
        der,
        sha256: facts.sha256,
        sha1: facts.sha1,
        spkiSha256: facts.spkiSha256,
        storage: meta.storage ?? 'internal',
        remoteLocation: meta.remoteLocation ?? null,
        source: meta.source,
        createdAt: new Date().toISOString(),
      });
      this.vault.record({
        action: meta.audit?.action ?? 'cert.import',
        subject: id,
        outcome: 'success',
        details: {
          serial: facts.serial,
          subject: facts.subject,
          issuer: facts.issuer,
          sha256: facts.sha256,
          source: meta.source,
          ...meta.audit?.details,
        },
      });
      return { certificate: this.get(id), duplicate: false };
    });
  }

  private keyIdBySpki(spkiSha256: string): string | null {
    const row = this.statement('SELECT id FROM keys WHERE spki_sha256 = ? LIMIT 1').get(
      spkiSha256,
    ) as { id: string } | undefined;
    return row?.id ?? null;
  }

  /** RFC 5280 §6.1: an issuer is a CA whose subject is our issuer and whose key verifies our signature. */
  private findIssuerId(facts: CertificateFacts): string | null {
    if (facts.selfIssued) return null;
    const candidates = this.statement(
      'SELECT id, der FROM certificates WHERE subject = ? AND is_ca = 1',
    ).all(facts.issuer) as { id: string; der: Buffer }[];
    const certificate = facts.certificate;
    const tbs = Buffer.from(certificate.tbsCertificateRaw ?? new ArrayBuffer(0));
    for (const candidate of candidates) {
      const spki = certificateFacts(candidate.der).spki;
      const signature = Buffer.from(certificate.signatureValue);
      try {
        if (verifySignature(spki, certificate.signatureAlgorithm, tbs, signature)) {
          return candidate.id;
        }
      } catch {
        // An algorithm we cannot check: the candidate is simply not linked.
      }
    }
    return null;
  }
}
