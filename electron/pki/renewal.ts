// Renewal: a successor certificate for the same subject, names and profile, with a new key pair
// (Regenerate, the default) or the same one (Reuse, for systems that pin keys). The predecessor is
// kept and linked to its successor; under Regenerate its key is deactivated once nothing uses it.
import type { KeyAlgorithm } from '../../shared/algorithms';
import { cryptoperiodWarning } from '../../shared/cryptoperiods';
import { MazeVaultError } from '../../shared/errors';
import type { KeyId } from '../../shared/ids';
import type { KeyRecord } from '../keys/records';
import { algorithmOfSpki, type KeyService } from '../keys/service';
import type { Vault } from '../vault/vault';
import { certificateFacts } from './certificate-facts';
import type { CertificateRecord, CertificateService } from './certificates';
import type { CrlService } from './crl';
import type { IssuanceService, KeySource } from './issuance';
import type { EndEntityProfile, PolicyOverride, ValidityRequest } from './profiles';
import { crlDistributionPointOf, subjectAltNamesOf } from './renewal-terms';
import type { RevocationService } from './revocation';

export const KEY_POLICIES = ['regenerate', 'reuse'] as const;
export type KeyPolicy = (typeof KEY_POLICIES)[number];

export interface RenewRequest {
  /** Defaults to the rotation policy of the certificate, its profile or the vault (Regenerate). */
  keyPolicy?: KeyPolicy;
  /** Edits; each defaults to the predecessor's. */
  subject?: string;
  sans?: string[];
  /** Defaults to the predecessor's validity length; the profile's validity policy still applies. */
  validity?: ValidityRequest;
  override?: PolicyOverride;
  crlDistributionPoint?: string;
  /** Regenerate only: the new key's algorithm, by default the predecessor key's. */
  algorithm?: KeyAlgorithm;
  /** Revoke the predecessor as superseded once the successor exists (RFC 5280 §5.3.1). */
  revokePredecessor?: boolean;
  /** What asked for the renewal, kept in the audit event: an unattended rotation run, or a person. */
  requestedBy?: 'rotation' | 'officer';
}

export interface RenewResult {
  certificate: CertificateRecord;
  key: KeyRecord | null;
  predecessor: CertificateRecord;
  keyPolicy: KeyPolicy;
  /** The predecessor's key when Regenerate moved it to Deactivated. */
  deactivatedKeyId: KeyId | null;
  warnings: string[];
}

const DAY_MS = 86_400_000;

export function isKeyPolicy(value: unknown): value is KeyPolicy {
  return typeof value === 'string' && (KEY_POLICIES as readonly string[]).includes(value);
}

/** The predecessor's validity as a request: whole years for CAs, days for end entities. */
function sameValidity(record: CertificateRecord): ValidityRequest {
  // RFC 5280 §4.1.2.5: notAfter is inclusive, so the period ends one second after it.
  const ms = Date.parse(record.notAfter) + 1000 - Date.parse(record.notBefore);
  if (record.isCa) return { years: Math.max(1, Math.round(ms / (365.25 * DAY_MS))) };
  return { days: Math.max(1, Math.round(ms / DAY_MS)) };
}

export class RenewalService {
  constructor(
    private readonly vault: Vault,
    private readonly keys: KeyService,
    private readonly certificates: CertificateService,
    private readonly issuance: IssuanceService,
    private readonly crls: CrlService,
    private readonly revocation: RevocationService,
  ) {}

  /** The key policy that applies to a certificate: its own, its profile's, or the vault's. */
  keyPolicyFor(certId: string): KeyPolicy {
    const row = this.vault.db
      .prepare('SELECT key_policy FROM rotation_terms WHERE cert_id = ?')
      .get(certId) as { key_policy: string } | undefined;
    return isKeyPolicy(row?.key_policy) ? row.key_policy : 'regenerate';
  }

  /** The newest valid successor of a CA certificate (after a rollover or renewal), or itself. */
  currentIssuer(caCertId: string): CertificateRecord {
    let current = this.certificates.get(caCertId);
    for (let step = 0; step < 32; step += 1) {
      const next = this.vault.db
        .prepare(
          `SELECT id FROM certificates WHERE predecessor_id = ? AND status = 'valid' AND is_ca = 1
           ORDER BY created_at DESC LIMIT 1`,
        )
        .get(current.id) as { id: string } | undefined;
      if (!next) return current;
      current = this.certificates.get(next.id);
    }
    return current;
  }

  successorOf(certId: string): CertificateRecord | undefined {
    const row = this.vault.db
      .prepare(
        'SELECT id FROM certificates WHERE predecessor_id = ? ORDER BY created_at DESC LIMIT 1',
      )
      .get(certId) as { id: string } | undefined;
    return row ? this.certificates.get(row.id) : undefined;
  }

  /** The certificate this one renewed (or rolled over from), if any. */
  predecessorOf(certId: string): CertificateRecord | undefined {
    const row = this.vault.db
      .prepare('SELECT predecessor_id FROM certificates WHERE id = ?')
      .get(certId) as { predecessor_id: string | null } | undefined;
    return row?.predecessor_id ? this.certificates.find(row.predecessor_id) : undefined;
  }

  /** A Regenerate renewal makes the new key where the old one lived: same provider, same token. */
  private successorStore(oldKey: KeyRecord): {
    provider: KeyRecord['provider'];
    providerOptions?: Record<string, unknown>;
  } {
    const placement = this.keys.placementOf(oldKey);
    return { provider: oldKey.provider, ...(placement ? { providerOptions: placement } : {}) };
  }

  async renew(certId: string, request: RenewRequest = {}): Promise<RenewResult> {
    const predecessor = this.certificates.get(certId);
    const keyPolicy = request.keyPolicy ?? this.keyPolicyFor(certId);
    if (!isKeyPolicy(keyPolicy)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `Unknown key policy "${String(keyPolicy)}"; use regenerate or reuse.`,
      );
    }
    const successor = this.successorOf(certId);
    if (successor) {
      throw new MazeVaultError(
        'DUPLICATE',
        `"${predecessor.subject}" (serial ${predecessor.serial}) was already renewed as ${successor.id}; renew that one instead.`,
      );
    }
    if (!predecessor.profile || predecessor.profile === 'cross-ca') {
      throw new MazeVaultError(
        'UNSUPPORTED',
        `"${predecessor.subject}" was not issued here under a profile, so it cannot be renewed; ` +
          'issue a new certificate, or use a CA rollover for a CA.',
      );
    }
    const facts = certificateFacts(this.certificates.der(certId));
    const oldKey = predecessor.keyId ? this.keys.get(predecessor.keyId) : null;
    const warnings: string[] = [];

    let key: KeySource;
    if (keyPolicy === 'reuse') {
      if (!oldKey) {
        throw new MazeVaultError(
          'UNSUPPORTED',
          `The key of "${predecessor.subject}" is not in this vault; renew it from a new CSR, or with Regenerate.`,
        );
      }
      if (predecessor.status === 'revoked' && predecessor.revocationReason === 'key-compromise') {
        throw new MazeVaultError(
          'POLICY_VIOLATION',
          'A certificate revoked for key compromise cannot be renewed with the same key; use Regenerate.',
        );
      }
      key = { keyId: oldKey.id };
      const warning = cryptoperiodWarning(
        oldKey,
        `certify the renewal of "${predecessor.subject}"`,
      );
      if (warning) warnings.push(warning);
    } else {
      key = {
        algorithm: request.algorithm ?? oldKey?.algorithm ?? algorithmOfSpki(facts.spki),
        ...(oldKey ? this.successorStore(oldKey) : {}),
        // Tokens refuse a second object with the same label, and people need to tell them apart.
        ...(oldKey
          ? { label: `${oldKey.label} (renewed ${new Date().toISOString().slice(0, 16)}Z)` }
          : {}),
      };
    }

    const subject = request.subject ?? predecessor.subject;
    const validity = request.validity ?? sameValidity(predecessor);
    const common = {
      subject,
      validity,
      ...(request.override ? { override: request.override } : {}),
    };
    let issued: { certificate: CertificateRecord; key: KeyRecord | null };
    if (predecessor.profile === 'root-ca') {
      issued = await this.issuance.createRoot({ ...common, key, pathLen: facts.pathLen });
    } else {
      if (!predecessor.issuerCertId) {
        throw new MazeVaultError(
          'NOT_FOUND',
          `The issuer of "${predecessor.subject}" is not in this vault, so it cannot be renewed here.`,
        );
      }
      const issuer = this.currentIssuer(predecessor.issuerCertId);
      const crlDistributionPoint =
        request.crlDistributionPoint ??
        this.crls.distributionPoint(issuer.id) ??
        crlDistributionPointOf(facts.certificate);
      const withIssuer = {
        ...common,
        issuerCertId: issuer.id,
        ...(crlDistributionPoint ? { crlDistributionPoint } : {}),
      };
      if (issuer.keyId) {
        const warning = cryptoperiodWarning(
          this.keys.get(issuer.keyId),
          `sign the renewal of "${predecessor.subject}"`,
        );
        if (warning) warnings.push(warning);
      }
      if (predecessor.profile === 'sub-ca') {
        issued = await this.issuance.issueSubordinate({
          ...withIssuer,
          key,
          pathLen: facts.pathLen,
        });
      } else {
        issued = await this.issuance.issueEndEntity({
          ...withIssuer,
          profile: predecessor.profile as EndEntityProfile,
          sans: request.sans ?? subjectAltNamesOf(facts.certificate, predecessor.subject),
          key,
        });
      }
    }

    this.vault.transaction(() => {
      this.vault.db
        .prepare('UPDATE certificates SET predecessor_id = ? WHERE id = ?')
        .run(predecessor.id, issued.certificate.id);
      this.vault.record({
        action: 'cert.renew',
        subject: issued.certificate.id,
        outcome: 'success',
        details: {
          predecessorId: predecessor.id,
          keyPolicy,
          keyId: issued.key?.id ?? null,
          previousKeyId: oldKey?.id ?? null,
          serial: issued.certificate.serial,
          ...(request.requestedBy === 'rotation' ? { requestedBy: 'rotation' } : {}),
        },
      });
    });
    if (request.revokePredecessor && predecessor.status === 'valid') {
      this.revocation.revoke(predecessor.id, { reason: 'superseded' });
    }

    let deactivatedKeyId: KeyId | null = null;
    if (keyPolicy === 'regenerate' && oldKey && this.keyIsRetired(oldKey, predecessor.id)) {
      await this.keys.transition(
        oldKey.id,
        'deactivated',
        `superseded by the renewal of "${predecessor.subject}"`,
      );
      deactivatedKeyId = oldKey.id;
    }

    return {
      certificate: this.certificates.get(issued.certificate.id),
      key: issued.key,
      predecessor: this.certificates.get(predecessor.id),
      keyPolicy,
      deactivatedKeyId,
      warnings,
    };
  }

  /**
   * NIST SP 800-57 §5.3.4: a key leaves the Active state when it is no longer to be used for
   * applying protection. Ours is no longer used when no other current certificate carries it and,
   * for a CA key, nothing it issued is still unexpired (its CRLs must still be signed with it).
   */
  private keyIsRetired(key: KeyRecord, predecessorId: string): boolean {
    if (key.state !== 'active' && key.state !== 'suspended') return false;
    const now = new Date().toISOString();
    const stillBound = this.vault.db
      .prepare(
        `SELECT 1 FROM certificates c WHERE c.key_id = ? AND c.id <> ? AND c.status = 'valid' AND c.not_after > ?
           AND NOT EXISTS (SELECT 1 FROM certificates s WHERE s.predecessor_id = c.id) LIMIT 1`,
      )
      .get(key.id, predecessorId, now);
    if (stillBound) return false;
    const stillIssuing = this.vault.db
      .prepare(
        `SELECT 1 FROM certificates ca JOIN certificates c ON c.issuer_cert_id = ca.id
         WHERE ca.key_id = ? AND ca.is_ca = 1 AND c.id <> ca.id AND c.not_after > ? LIMIT 1`,
      )
      .get(key.id, now);
    return !stillIssuing;
  }
}
