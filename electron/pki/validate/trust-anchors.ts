// Where trust for path validation comes from, and nowhere else: the vault's own self-signed CAs
// (created here, so the officer already vouched for them), certificates an officer has marked
// trusted (`mazevault cert trust`), and the files given to one validation (`--trust FILE`). A
// certificate that merely came in with an import is never an anchor. Marking is audited, and the
// audit trail is what counts: a row that claims trust without an attested event behind it (a
// column flipped by someone without the passphrase) is no anchor.
import { createHash } from 'node:crypto';
import { ALTERED_FILE, newestAttestedEvent } from '../../audit/attested';
import {
  attestedRevocationOf,
  attestedRevocations,
  normalSerial,
  type AttestedRevocation,
} from '../revocation-attestation';
import { MazeVaultError } from '../../../shared/errors';
import type { Vault } from '../../vault/vault';
import type { RecordedRevocation, RevocationRecords, TrustAnchor } from './types';

export type AnchorKind = 'vault-ca' | 'marked';

export interface VaultAnchor extends TrustAnchor {
  id: string;
  subject: string;
  sha256: string;
  kind: AnchorKind;
}

export interface TrustChange {
  id: string;
  subject: string;
  sha256: string;
  /** Whether the certificate is a trust anchor now. */
  trusted: boolean;
  /** False when it already was (or was not) trusted: nothing was written or audited. */
  changed: boolean;
  /** Why its trust is what it is, in words. */
  reason: string;
}

interface TrustRow {
  id: string;
  subject: string;
  issuer: string;
  is_ca: number;
  source: string;
  sha256: string;
  trusted: number;
  der: Buffer;
}

/** The actions that store a certificate this vault signed (certificates.insert with 'issued'). */
export const ISSUANCE_ACTIONS = ['cert.issue', 'cert.reissue', 'cert.cross-certify'] as const;
export const TRUST_ACTIONS = ['cert.trust', 'cert.untrust'] as const;

/** What the rows claim about a certificate's trust, and whether the audit trail backs it. */
export interface TrustStanding {
  anchor: AnchorKind | 'none';
  /** Whether the row claims trust (a trusted mark, or issued here as a self-signed CA). */
  claimed: boolean;
}

/** A row that claims trust the audit trail does not back, for validation to report. */
export interface AlteredTrust {
  id: string;
  subject: string;
  sha256: string;
}

/** A root that was an anchor until its certificate was revoked or its key compromised. */
export interface RetiredAnchor {
  id: string;
  subject: string;
  sha256: string;
  /** Why it anchors nothing any more, in words. */
  reason: string;
}

export function retiredAnchorMessage(row: RetiredAnchor): string {
  return (
    `"${row.subject}" (${row.id}) is no longer a trust anchor: ${row.reason}. Certificates ` +
    'under it are not trusted; validate them against the CA that replaced it.'
  );
}

export function alteredTrustMessage(row: { id: string; subject: string }): string {
  return (
    `"${row.subject}" (${row.id}) is marked trusted in the vault file, but no trust decision ` +
    `for it is in the audit trail: ${ALTERED_FILE}`
  );
}

/** A CA certificate this vault created itself: self-signed, issued here. */
function isVaultCa(row: Pick<TrustRow, 'is_ca' | 'source' | 'subject' | 'issuer'>): boolean {
  return row.is_ca === 1 && row.source === 'issued' && row.subject === row.issuer;
}

export function vaultCaSource(id: string): string {
  return `a CA created in this vault (${id})`;
}

export function markedSource(id: string): string {
  return `marked trusted in this vault by an officer (${id}; mazevault cert untrust to undo)`;
}

export function trustFileSource(path: string): string {
  return `given for this validation with --trust ${path}`;
}

export function trustHint(id: string): string {
  return `if you trust it, mark it trusted (Trust as anchor on its certificate page, or mazevault cert trust ${id})`;
}

export class TrustAnchorStore {
  constructor(private readonly vault: Vault) {}

  /** Every anchor the vault contributes, vault CAs first. */
  anchors(): VaultAnchor[] {
    const rows = this.vault.db
      .prepare(
        `SELECT id, subject, issuer, is_ca, source, sha256, trusted, der FROM certificates
           WHERE is_ca = 1 AND source = 'issued' AND subject = issuer
         UNION
         SELECT id, subject, issuer, is_ca, source, sha256, trusted, der FROM certificates
           WHERE trusted = 1`,
      )
      .all() as TrustRow[];
    const anchors = rows.flatMap((row): VaultAnchor[] => {
      const standing = this.standing(row);
      if (standing.anchor === 'none' || this.retirement(row.id)) return [];
      const kind: AnchorKind = standing.anchor;
      return [
        {
          id: row.id,
          subject: row.subject,
          sha256: row.sha256,
          der: row.der,
          kind,
          source: kind === 'vault-ca' ? vaultCaSource(row.id) : markedSource(row.id),
        },
      ];
    });
    return anchors.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'vault-ca' ? -1 : 1));
  }

  /**
   * Anchors the vault retired: a revoked root certificate (the audited revocation counts even if
   * the row was edited back), or a root whose key is Compromised or Destroyed. A root key that was
   * stolen must not keep validating what the thief signs.
   */
  retired(): RetiredAnchor[] {
    const rows = this.vault.db
      .prepare(
        `SELECT id, subject, issuer, is_ca, source, sha256, trusted, der FROM certificates
           WHERE (is_ca = 1 AND source = 'issued' AND subject = issuer) OR trusted = 1`,
      )
      .all() as TrustRow[];
    return rows.flatMap((row) => {
      if (this.standing(row).anchor === 'none') return [];
      const reason = this.retirement(row.id);
      return reason ? [{ id: row.id, subject: row.subject, sha256: row.sha256, reason }] : [];
    });
  }

  private retirement(id: string): string | undefined {
    const revoked = newestAttestedEvent(this.vault, id, ['cert.revoke']);
    const row = this.vault.db
      .prepare(
        `SELECT c.status, c.revocation_reason AS reason, k.state AS keyState FROM certificates c
           LEFT JOIN keys k ON k.id = c.key_id WHERE c.id = ?`,
      )
      .get(id) as { status: string; reason: string | null; keyState: string | null } | undefined;
    if (revoked || row?.status === 'revoked') {
      const reason = (revoked?.details as { reason?: unknown } | undefined)?.reason ?? row?.reason;
      return `its certificate was revoked${reason ? ` (${String(reason)})` : ''}`;
    }
    if (row?.keyState === 'compromised' || row?.keyState === 'destroyed') {
      return `its key is ${row.keyState === 'compromised' ? 'Compromised' : 'Destroyed'}`;
    }
    return undefined;
  }

  /** Rows that claim to be anchors without an attested trust decision: the file was edited. */
  altered(): AlteredTrust[] {
    const rows = this.vault.db
      .prepare(
        `SELECT id, subject, issuer, is_ca, source, sha256, trusted, der FROM certificates
           WHERE (is_ca = 1 AND source = 'issued' AND subject = issuer) OR trusted = 1`,
      )
      .all() as TrustRow[];
    return rows
      .filter((row) => this.standing(row).anchor === 'none')
      .map((row) => ({ id: row.id, subject: row.subject, sha256: row.sha256 }));
  }

  /**
   * Whether the row's claim of trust is backed by the audit trail. A vault CA needs the attested
   * event that stored it as issued here; a marked certificate needs its newest attested trust
   * decision to be "trust". Both name the certificate's SHA-256, which must be the row's and its
   * DER's, so swapping another certificate into a trusted row does not carry the trust along.
   */
  private standing(row: TrustRow): TrustStanding {
    const claimed = row.trusted === 1 || isVaultCa(row);
    if (!claimed) return { anchor: 'none', claimed: false };
    const sha256 = createHash('sha256').update(row.der).digest('hex');
    if (sha256 !== row.sha256) return { anchor: 'none', claimed: true };

    if (isVaultCa(row)) {
      const stored = newestAttestedEvent(this.vault, row.id, ISSUANCE_ACTIONS);
      if (stored?.details.sha256 === sha256 && stored.details.source === 'issued') {
        return { anchor: 'vault-ca', claimed };
      }
    }
    if (row.trusted === 1) {
      const decision = newestAttestedEvent(this.vault, row.id, TRUST_ACTIONS);
      if (decision?.action === 'cert.trust' && decision.details.sha256 === sha256) {
        return { anchor: 'marked', claimed };
      }
    }
    return { anchor: 'none', claimed: true };
  }

  /** Whether the certificate with this SHA-256 is in the vault without being an anchor. */
  untrustedBySha256(sha256: string): { id: string; subject: string } | undefined {
    const row = this.vault.db
      .prepare(
        'SELECT id, subject, issuer, is_ca, source, trusted FROM certificates WHERE sha256 = ?',
      )
      .get(sha256) as Omit<TrustRow, 'der' | 'sha256'> | undefined;
    // A row that claims trust the trail does not back is reported as altered, not as untrusted.
    if (!row || row.trusted === 1 || isVaultCa(row)) return undefined;
    return { id: row.id, subject: row.subject };
  }

  /** Whether validation will take this certificate as an anchor. */
  isTrusted(id: string): boolean {
    return this.standing(this.row(id)).anchor !== 'none';
  }

  /** Whether validation takes the certificate as an anchor, and why, for the window. */
  status(id: string): { id: string; trusted: boolean; vaultCa: boolean; reason: string } {
    const row = this.row(id);
    const standing = this.standing(row);
    const vaultCa = standing.anchor === 'vault-ca';
    let reason = 'not trusted: importing a certificate never makes it a trust anchor';
    const retired = standing.anchor === 'none' ? undefined : this.retirement(row.id);
    if (retired) {
      return {
        id: row.id,
        trusted: false,
        vaultCa: false,
        reason: `no longer trusted: ${retired}`,
      };
    }
    if (standing.anchor === 'vault-ca') reason = 'a CA created in this vault';
    else if (standing.anchor === 'marked') reason = 'marked trusted by an officer';
    else if (standing.claimed) reason = `not trusted: ${alteredTrustMessage(row)}`;
    return { id: row.id, trusted: standing.anchor !== 'none', vaultCa, reason };
  }

  /** Marks a certificate as a trust anchor, or takes the mark away; audited when it changes. */
  setTrusted(id: string, trusted: boolean, context?: string): TrustChange {
    return this.vault.transaction(() => {
      const row = this.row(id);
      const base = { id: row.id, subject: row.subject, sha256: row.sha256 };
      const standing = this.standing(row);
      if (standing.anchor === 'vault-ca') {
        if (!trusted) {
          throw new MazeVaultError(
            'POLICY_VIOLATION',
            `"${row.subject}" is a CA created in this vault, which is always a trust anchor; ` +
              'revoke it (mazevault cert revoke) if it must no longer be relied on.',
          );
        }
        return { ...base, trusted: true, changed: false, reason: 'a CA created in this vault' };
      }
      // What counts is the attested decision: a row flipped in the file is set right and audited.
      if ((standing.anchor === 'marked') === trusted && (row.trusted === 1) === trusted) {
        const reason = trusted ? 'already marked trusted' : 'was not marked trusted';
        return { ...base, trusted, changed: false, reason };
      }

      this.vault.db
        .prepare('UPDATE certificates SET trusted = ? WHERE id = ?')
        .run(trusted ? 1 : 0, id);
      this.vault.record({
        action: trusted ? 'cert.trust' : 'cert.untrust',
        subject: id,
        outcome: 'success',
        details: {
          subject: row.subject,
          sha256: row.sha256,
          selfSigned: row.subject === row.issuer,
          ...(context ? { context } : {}),
        },
      });
      const reason = trusted ? 'now marked trusted' : 'no longer trusted';
      return { ...base, trusted, changed: true, reason };
    });
  }

  private row(id: string): TrustRow {
    const row = this.vault.db
      .prepare(
        'SELECT id, subject, issuer, is_ca, source, sha256, trusted, der FROM certificates WHERE id = ?',
      )
      .get(id) as TrustRow | undefined;
    if (!row) {
      throw new MazeVaultError(
        'NOT_FOUND',
        `No certificate with id ${id} in this vault; mazevault cert list shows the ids.`,
      );
    }
    return row;
  }
}

/**
 * The vault's own revocation records, for the CAs whose key it holds and signs with: every
 * certificate such a CA issues is a row here, so the row's status is first-hand, CRL or not. An
 * attested cert.revoke event outranks the row: a revocation edited out of the file still counts.
 */
export function vaultRevocationRecords(vault: Vault): RevocationRecords {
  const authorities = vault.db.prepare(
    `SELECT id FROM certificates
       WHERE spki_sha256 = ? AND is_ca = 1 AND source = 'issued' AND key_id IS NOT NULL`,
  );
  const issued = vault.db.prepare(
    `SELECT c.id, c.status, c.revoked_at, c.revocation_reason FROM certificates c
       JOIN certificates ca ON ca.id = c.issuer_cert_id
       WHERE c.serial IN (?, ?, ?) AND ca.spki_sha256 = ?`,
  );
  const revokedAs = (revocation: AttestedRevocation): RecordedRevocation => ({
    known: true,
    revoked: true,
    revokedAt: new Date(revocation.revokedAt),
    reason: revocation.reason || 'no reason recorded',
  });
  return {
    name: "this vault's revocation records",
    lookup(issuerSpkiSha256: string, serialHex: string): RecordedRevocation | undefined {
      const caIds = (authorities.all(issuerSpkiSha256) as { id: string }[]).map((row) => row.id);
      if (caIds.length === 0) return undefined;
      const serial = normalSerial(serialHex);
      const rows = issued.all(serial, `0${serial}`, `00${serial}`, issuerSpkiSha256) as {
        id: string;
        status: string;
        revoked_at: string | null;
        revocation_reason: string | null;
      }[];
      for (const row of rows) {
        const attested = attestedRevocationOf(vault, row.id);
        if (attested) return revokedAs(attested);
      }
      if (rows.length === 0) {
        // The row may have been deleted from the file: the trail still knows the revocation.
        const attested = attestedRevocations(vault, caIds).find((r) => r.serial === serial);
        return attested ? revokedAs(attested) : { known: false };
      }
      const revoked = rows.find((row) => row.status === 'revoked' && row.revoked_at !== null);
      if (!revoked) return { known: true, revoked: false };
      return {
        known: true,
        revoked: true,
        revokedAt: new Date(revoked.revoked_at!),
        reason: revoked.revocation_reason ?? 'no reason recorded',
      };
    },
  };
}
