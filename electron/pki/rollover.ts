// CA key rollover (RFC 4210 §4.4, "root CA key update"): a new CA key and certificate while the
// old certificate stays valid for verification, optionally the two cross-certificates
// NewWithOld (new key signed by the old) and OldWithNew (old key signed by the new) so relying
// parties that trust either CA certificate accept what the other signed, and on request the
// subordinate CAs certified again under the new key.
import { defaultSignatureAlgorithm, keyFamily, type KeyAlgorithm } from '../../shared/algorithms';
import { cryptoperiodWarning } from '../../shared/cryptoperiods';
import { MazeVaultError } from '../../shared/errors';
import type { KeyRecord } from '../keys/records';
import type { KeyService } from '../keys/service';
import type { ProviderKind } from '../providers/provider';
import type { Vault } from '../vault/vault';
import { assembleSigned, buildTbsCertificate, newSerialNumber } from './certificate-builder';
import { certificateFacts } from './certificate-facts';
import type { CertificateRecord, CertificateService } from './certificates';
import type { CrlService } from './crl';
import { buildExtensions } from './extensions';
import type { IssuanceService } from './issuance';
import { keyUsageFor, PROFILES, type PolicyOverride, type ValidityRequest } from './profiles';
import type { RenewalService } from './renewal';
import {
  signatureAlgorithmDer,
  signatureAlgorithmIdentifier,
  verifySignature,
} from './signature-algorithms';

/** The profile name stored on cross-certificates: they are never renewed on their own. */
export const CROSS_CERTIFICATE_PROFILE = 'cross-ca';

export interface RolloverRequest {
  /** Issue NewWithOld and OldWithNew cross-certificates (needs the old CA key, still Active). */
  crossSign?: boolean;
  /** Certify the old CA's subordinate CAs again under the new key, same subordinate keys. */
  reissueSubordinates?: boolean;
  /** The new key; by default the old key's algorithm and store. */
  algorithm?: KeyAlgorithm;
  provider?: ProviderKind;
  providerOptions?: Record<string, unknown>;
  /** Defaults to the old certificate's subject: same name, new key (RFC 4210 §4.4). */
  subject?: string;
  /** Defaults to the old certificate's validity in whole years, within the CA validity policy. */
  validity?: ValidityRequest;
  override?: PolicyOverride;
}

export interface RolloverResult {
  previous: CertificateRecord;
  certificate: CertificateRecord;
  key: KeyRecord;
  crossCertificates: { newWithOld: CertificateRecord; oldWithNew: CertificateRecord } | null;
  reissued: CertificateRecord[];
  warnings: string[];
}

const YEAR_MS = 365.25 * 86_400_000;

interface Party {
  record: CertificateRecord;
  facts: ReturnType<typeof certificateFacts>;
}

function defaultCaValidity(record: CertificateRecord, root: boolean): ValidityRequest {
  const years = Math.round(
    (Date.parse(record.notAfter) + 1000 - Date.parse(record.notBefore)) / YEAR_MS,
  );
  const [min, max] = root ? [10, 20] : [5, 10];
  return { years: Math.min(max, Math.max(min, years)) };
}

export class RolloverService {
  constructor(
    private readonly vault: Vault,
    private readonly keys: KeyService,
    private readonly certificates: CertificateService,
    private readonly issuance: IssuanceService,
    private readonly crls: CrlService,
    private readonly renewal: RenewalService,
  ) {}

  async rollover(caCertId: string, request: RolloverRequest = {}): Promise<RolloverResult> {
    const previous = this.certificates.get(caCertId);
    const old = this.party(previous.id);
    if (!old.facts.isCa) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `"${previous.subject}" is not a CA certificate; renew it instead of rolling it over.`,
      );
    }
    if (previous.status === 'revoked') {
      throw new MazeVaultError(
        'POLICY_VIOLATION',
        `"${previous.subject}" is revoked; create a new CA instead of rolling this one over.`,
      );
    }
    const successor = this.renewal.successorOf(previous.id);
    if (successor) {
      throw new MazeVaultError(
        'DUPLICATE',
        `"${previous.subject}" was already rolled over to ${successor.id}; roll that one over instead.`,
      );
    }
    const oldKey = previous.keyId ? this.keys.get(previous.keyId) : null;
    if ((request.crossSign || request.reissueSubordinates) && !oldKey) {
      throw new MazeVaultError(
        'NOT_FOUND',
        `The key of "${previous.subject}" is not in this vault, so it cannot cross-sign; connect its HSM or roll over without --cross-sign.`,
      );
    }
    if (request.crossSign && oldKey) {
      this.keys.assertOperation(oldKey.id, 'sign', `cross-certificate for ${previous.subject}`);
    }

    const isRoot = old.facts.selfIssued && !previous.issuerCertId;
    const subject = request.subject ?? previous.subject;
    const provider = request.provider ?? oldKey?.provider;
    const key = {
      algorithm: request.algorithm ?? oldKey?.algorithm ?? ('ec-p384' as const),
      ...(provider ? { provider } : {}),
      ...(request.providerOptions ? { providerOptions: request.providerOptions } : {}),
    };
    const validity = request.validity ?? defaultCaValidity(previous, isRoot);
    const common = {
      subject,
      key,
      validity,
      pathLen: old.facts.pathLen,
      ...(request.override ? { override: request.override } : {}),
    };
    const issued = isRoot
      ? await this.issuance.createRoot(common)
      : await this.issuance.issueSubordinate({
          ...common,
          issuerCertId: this.renewal.currentIssuer(previous.issuerCertId!).id,
        });

    this.vault.transaction(() => {
      this.vault.db
        .prepare('UPDATE certificates SET predecessor_id = ? WHERE id = ?')
        .run(previous.id, issued.certificate.id);
      this.vault.record({
        action: 'ca.rollover',
        subject: issued.certificate.id,
        outcome: 'success',
        details: {
          previousCertId: previous.id,
          previousKeyId: oldKey?.id ?? null,
          keyId: issued.key.id,
          crossSign: !!request.crossSign,
        },
      });
    });
    const next = this.party(issued.certificate.id);

    let crossCertificates: RolloverResult['crossCertificates'] = null;
    if (request.crossSign) {
      const newWithOld = await this.certify(old, next, CROSS_CERTIFICATE_PROFILE, 'NewWithOld');
      const oldWithNew = await this.certify(next, old, CROSS_CERTIFICATE_PROFILE, 'OldWithNew');
      crossCertificates = { newWithOld, oldWithNew };
    }
    const reissued = request.reissueSubordinates
      ? await this.reissueSubordinates(previous.id, issued.certificate.id)
      : [];

    const warnings: string[] = [];
    if (oldKey) {
      const warning = cryptoperiodWarning(oldKey, `sign for "${previous.subject}" until now`);
      if (warning) warnings.push(warning);
    }
    return {
      previous,
      certificate: this.certificates.get(issued.certificate.id),
      key: issued.key,
      crossCertificates,
      reissued,
      warnings,
    };
  }

  /**
   * Certifies each current subordinate CA of `oldCaCertId` again under `newCaCertId`, with the same
   * subordinate key and subject; the new certificate succeeds the old one.
   */
  async reissueSubordinates(
    oldCaCertId: string,
    newCaCertId: string,
  ): Promise<CertificateRecord[]> {
    const rows = this.vault.db
      .prepare(
        `SELECT c.id FROM certificates c
         WHERE c.issuer_cert_id = ? AND c.is_ca = 1 AND c.status = 'valid' AND c.id <> ?
           AND COALESCE(c.profile, '') <> ? AND c.not_after > ?
           AND NOT EXISTS (SELECT 1 FROM certificates s WHERE s.predecessor_id = c.id)`,
      )
      .all(oldCaCertId, newCaCertId, CROSS_CERTIFICATE_PROFILE, new Date().toISOString()) as {
      id: string;
    }[];
    const signer = this.party(newCaCertId);
    const reissued: CertificateRecord[] = [];
    for (const row of rows) {
      const subordinate = this.party(row.id);
      const record = await this.certify(
        signer,
        subordinate,
        'sub-ca',
        're-issue under the new CA key',
      );
      this.vault.db
        .prepare('UPDATE certificates SET predecessor_id = ? WHERE id = ?')
        .run(subordinate.record.id, record.id);
      reissued.push(this.certificates.get(record.id));
    }
    return reissued;
  }

  private party(certId: string): Party {
    return {
      record: this.certificates.get(certId),
      facts: certificateFacts(this.certificates.der(certId)),
    };
  }

  /**
   * A CA certificate for an existing CA's subject and key, signed by another CA: a cross-
   * certificate or a re-issued subordinate. It may not outlive either CA, nor the CA validity
   * policy (RFC 5280 §4.1.2.5; root 20 years, subordinate 10).
   */
  private async certify(
    signer: Party,
    target: Party,
    profile: string,
    why: string,
  ): Promise<CertificateRecord> {
    if (!signer.record.keyId) {
      throw new MazeVaultError(
        'NOT_FOUND',
        `The key of "${signer.record.subject}" is not in this vault, so it cannot sign.`,
      );
    }
    const context = `${why} for ${target.record.subject}`;
    const signerKey = this.keys.assertOperation(signer.record.keyId, 'sign', context);
    const algorithm = defaultSignatureAlgorithm(signerKey.algorithm);
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
    const maxYears = profile === CROSS_CERTIFICATE_PROFILE ? 20 : 10;
    const policyEnd = new Date(notBefore);
    policyEnd.setUTCFullYear(policyEnd.getUTCFullYear() + maxYears);
    const notAfter = new Date(
      Math.min(
        target.facts.notAfter.getTime(),
        signer.facts.notAfter.getTime(),
        policyEnd.getTime() - 1000,
      ),
    );
    const caProfile = PROFILES['sub-ca'];
    const crlDistributionPoint = this.crls.distributionPoint(signer.record.id);
    const tbs = buildTbsCertificate({
      serial: newSerialNumber(),
      signature: signatureAlgorithmIdentifier(algorithm),
      issuer: signer.facts.certificate.tbsCertificate.subject,
      subject: target.facts.certificate.tbsCertificate.subject,
      notBefore,
      notAfter,
      spki: target.facts.spki,
      extensions: buildExtensions({
        profile: caProfile,
        keyUsage: keyUsageFor(caProfile, keyFamily(signerKey.algorithm)),
        subjectKeyIdentifier: target.facts.keyIdentifier,
        authorityKeyIdentifier: signer.facts.keyIdentifier,
        pathLen: target.facts.pathLen,
        subjectAltNames: [],
        subjectIsEmpty: false,
        ...(crlDistributionPoint ? { crlDistributionPoint } : {}),
      }),
    });
    const signature = await this.keys.sign(signerKey.id, algorithm, tbs, context);
    if (
      !verifySignature(signerKey.publicKey, signatureAlgorithmIdentifier(algorithm), tbs, signature)
    ) {
      throw new MazeVaultError(
        'PROVIDER_ERROR',
        `The signature from key "${signerKey.label}" does not verify with its public key; the certificate was not stored.`,
      );
    }
    const der = assembleSigned(tbs, signatureAlgorithmDer(algorithm), signature);
    return this.certificates.insert(der, {
      source: 'issued',
      keyId: target.record.keyId,
      issuerCertId: signer.record.id,
      profile,
      audit: {
        action: profile === CROSS_CERTIFICATE_PROFILE ? 'cert.cross-certify' : 'cert.reissue',
        details: {
          kind: why,
          signerCertId: signer.record.id,
          targetCertId: target.record.id,
          notAfter: notAfter.toISOString(),
        },
      },
    }).certificate;
  }
}
