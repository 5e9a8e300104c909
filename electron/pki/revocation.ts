// Revocation: a certificate's status, reason, revocation time and invalidity date (RFC 5280
// §5.3), and the compromise of a key, which revokes everything that key vouches for at once.
import { MazeVaultError } from '../../shared/errors';
import type { CertId, KeyId } from '../../shared/ids';
import {
  isRevocationReason,
  REVOCATION_REASON_LABELS,
  REVOCATION_REASONS,
  type RevocationReason,
} from '../../shared/revocation-reasons';
import type { KeyService } from '../keys/service';
import type { Vault } from '../vault/vault';
import type { CertificateRecord, CertificateService } from './certificates';

export interface RevokeRequest {
  reason: RevocationReason;
  /** When the certificate is revoked; defaults to now and may not lie in the future. */
  at?: Date | string;
  /** RFC 5280 §5.3.2: when the key is known or suspected to have been compromised, if earlier. */
  invalidityDate?: Date | string;
}

export type RevocationStatus =
  | { revoked: false }
  | {
      revoked: true;
      reason: RevocationReason;
      reasonLabel: string;
      revokedAt: string;
      invalidityDate: string | null;
    };

export interface CertificateSummary {
  id: CertId;
  subject: string;
  serial: string;
  isCa: boolean;
  status: 'valid' | 'revoked';
}

/** What marking a key Compromised would revoke; shown to the officer before they confirm. */
export interface CompromisePlan {
  keyId: KeyId;
  keyLabel: string;
  /** Certificates whose subject key is this key. */
  bound: CertificateSummary[];
  /** Certificates signed by this key as a CA (issued by one of the bound CA certificates). */
  issued: CertificateSummary[];
  /** How many of the above are still valid and would be revoked now. */
  toRevoke: number;
}

export interface CompromiseRequest {
  /** Why the key is thought compromised, for the key's state and the audit trail. */
  reason: string;
  /** When the compromise happened or is suspected to have happened (the invalidity date). */
  compromisedAt?: Date | string;
  /** Revocation needs the officer's explicit confirmation after seeing the plan. */
  confirmed: boolean;
}

export interface CompromiseResult {
  plan: CompromisePlan;
  revoked: CertId[];
}

interface RevocationRow {
  status: 'valid' | 'revoked';
  revoked_at: string | null;
  revocation_reason: string | null;
  invalidity_date: string | null;
}

function toIsoTime(value: Date | string, what: string): string {
  const time = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(time.getTime())) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `The ${what} "${String(value)}" is not a date and time; use ISO 8601.`,
    );
  }
  return time.toISOString();
}

function summary(record: CertificateRecord): CertificateSummary {
  return {
    id: record.id,
    subject: record.subject,
    serial: record.serial,
    isCa: record.isCa,
    status: record.status,
  };
}

export class RevocationService {
  constructor(
    private readonly vault: Vault,
    private readonly keys: KeyService,
    private readonly certificates: CertificateService,
  ) {}

  /** Revokes one certificate; audited. A revoked certificate stays revoked. */
  revoke(certId: string, request: RevokeRequest): CertificateRecord {
    if (!isRevocationReason(request.reason)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `"${String(request.reason)}" is not an RFC 5280 revocation reason; use one of ${REVOCATION_REASONS.join(', ')}.`,
      );
    }
    const now = new Date();
    const revokedAt = toIsoTime(request.at ?? now, 'revocation time');
    if (Date.parse(revokedAt) > now.getTime() + 60_000) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'A revocation time cannot lie in the future; give the time it happened.',
      );
    }
    const invalidityDate = request.invalidityDate
      ? toIsoTime(request.invalidityDate, 'invalidity date')
      : null;
    if (invalidityDate && Date.parse(invalidityDate) > Date.parse(revokedAt)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'The invalidity date must not be later than the revocation time (RFC 5280 §5.3.2).',
      );
    }

    return this.vault.transaction(() => {
      const certificate = this.certificates.get(certId);
      if (certificate.status === 'revoked') {
        throw new MazeVaultError(
          'INVALID_INPUT',
          `Certificate "${certificate.subject}" (serial ${certificate.serial}) is already revoked ` +
            `(${certificate.revocationReason ?? 'unspecified'}, ${certificate.revokedAt ?? 'unknown time'}).`,
        );
      }
      // A CRL entry's revocationDate is when the CA revoked it (RFC 5280 §5.3.2 puts an earlier
      // compromise in the invalidity date), and no CA revokes a certificate before it existed.
      if (Date.parse(revokedAt) < Date.parse(certificate.notBefore)) {
        throw new MazeVaultError(
          'INVALID_INPUT',
          `The revocation time ${revokedAt} is before "${certificate.subject}" became valid ` +
            `(notBefore ${certificate.notBefore}); give the time it was revoked (default now). For a key ` +
            'compromise that happened earlier, give that as the invalidity date ("Compromised since", or --invalidity-date).',
        );
      }
      this.markRevoked(certificate, request.reason, revokedAt, invalidityDate, {});
      return this.certificates.get(certId);
    });
  }

  status(certId: string): RevocationStatus {
    const row = this.vault.db
      .prepare(
        'SELECT status, revoked_at, revocation_reason, invalidity_date FROM certificates WHERE id = ?',
      )
      .get(certId) as RevocationRow | undefined;
    if (!row) {
      throw new MazeVaultError('NOT_FOUND', `No certificate with id ${certId} in this vault.`);
    }
    return statusOfRow(row);
  }

  /**
   * The status of a certificate found by its SHA-256 fingerprint, for validation of a certificate
   * given as bytes; undefined when the vault does not hold it.
   */
  statusBySha256(sha256: string): RevocationStatus | undefined {
    const row = this.vault.db
      .prepare(
        'SELECT status, revoked_at, revocation_reason, invalidity_date FROM certificates WHERE sha256 = ?',
      )
      .get(sha256.toLowerCase()) as RevocationRow | undefined;
    return row ? statusOfRow(row) : undefined;
  }

  /** What `compromiseKey` would revoke, without changing anything. */
  planKeyCompromise(keyId: string): CompromisePlan {
    const key = this.keys.get(keyId);
    const bound = this.certificates.list({ keyId, limit: 10_000 });
    const issued: CertificateRecord[] = [];
    for (const ca of bound.filter((certificate) => certificate.isCa)) {
      // Paged, because a busy CA may have issued far more than one page.
      for (let offset = 0; ; offset += 10_000) {
        const page = this.certificates.list({ issuerCertId: ca.id, limit: 10_000, offset });
        issued.push(
          ...page.filter((certificate) => certificate.id !== ca.id && certificate.keyId !== key.id),
        );
        if (page.length < 10_000) break;
      }
    }
    const toRevoke = [...bound, ...issued].filter(
      (certificate) => certificate.status === 'valid',
    ).length;
    return {
      keyId: key.id,
      keyLabel: key.label,
      bound: bound.map(summary),
      issued: issued.map(summary),
      toRevoke,
    };
  }

  /**
   * Marks a key Compromised and, once the officer confirmed the plan, revokes every certificate
   * bound to the key (keyCompromise, or cACompromise for a CA certificate) and every certificate
   * the key issued as a CA (cACompromise, RFC 5280 §5.3.1), in one audited transaction.
   * Without confirmation nothing changes and CONFIRMATION_REQUIRED carries the count.
   */
  async compromiseKey(keyId: string, request: CompromiseRequest): Promise<CompromiseResult> {
    const why = request.reason.trim();
    if (!why) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'Say why the key is thought compromised; it goes in the audit trail.',
      );
    }
    const plan = this.planKeyCompromise(keyId);
    if (!request.confirmed) {
      throw new MazeVaultError(
        'CONFIRMATION_REQUIRED',
        `Marking key "${plan.keyLabel}" Compromised revokes ${plan.toRevoke} certificate(s) ` +
          `(${plan.bound.length} bound to the key, ${plan.issued.length} issued by it); confirm to go ahead.`,
      );
    }
    const invalidityDate = toIsoTime(request.compromisedAt ?? new Date(), 'compromise time');
    const revokedAt = new Date().toISOString();

    // The state change goes through the key service (lifecycle enforced and audited there); if the
    // revocations below fail, running this again finds the key Compromised and only revokes.
    const key = this.keys.get(keyId);
    if (key.state !== 'compromised') await this.keys.transition(keyId, 'compromised', why);

    const revoked = this.vault.transaction(() => {
      const done: CertId[] = [];
      const revokeAll = (
        items: CertificateSummary[],
        reasonFor: (item: CertificateSummary) => RevocationReason,
      ) => {
        for (const item of items) {
          const current = this.certificates.get(item.id);
          if (current.status === 'revoked') continue;
          this.markRevoked(current, reasonFor(item), revokedAt, invalidityDate, {
            compromisedKey: keyId,
          });
          done.push(item.id);
        }
      };
      revokeAll(plan.bound, (item) => (item.isCa ? 'ca-compromise' : 'key-compromise'));
      revokeAll(plan.issued, () => 'ca-compromise');
      this.vault.record({
        action: 'key.compromise-revoke',
        subject: keyId,
        outcome: 'success',
        details: {
          reason: why,
          invalidityDate,
          revoked: done.length,
          certificates: done.slice(0, 1000),
        },
      });
      return done;
    });
    return { plan, revoked };
  }

  private markRevoked(
    certificate: CertificateRecord,
    reason: RevocationReason,
    revokedAt: string,
    invalidityDate: string | null,
    details: Record<string, unknown>,
  ): void {
    this.vault.db
      .prepare(
        `UPDATE certificates SET status = 'revoked', revoked_at = ?, revocation_reason = ?, invalidity_date = ?
         WHERE id = ? AND status = 'valid'`,
      )
      .run(revokedAt, reason, invalidityDate, certificate.id);
    this.vault.record({
      action: 'cert.revoke',
      subject: certificate.id,
      outcome: 'success',
      details: {
        serial: certificate.serial,
        subject: certificate.subject,
        // Which CA's CRL must carry it: the CRL check finds the CA's revocations by this.
        issuerCertId: certificate.issuerCertId,
        reason,
        revokedAt,
        ...(invalidityDate ? { invalidityDate } : {}),
        ...details,
      },
    });
  }
}

function statusOfRow(row: RevocationRow): RevocationStatus {
  if (row.status !== 'revoked') return { revoked: false };
  const reason = isRevocationReason(row.revocation_reason) ? row.revocation_reason : 'unspecified';
  return {
    revoked: true,
    reason,
    reasonLabel: REVOCATION_REASON_LABELS[reason],
    revokedAt: row.revoked_at ?? '',
    invalidityDate: row.invalidity_date,
  };
}
