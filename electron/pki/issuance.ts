// Certificate issuance: self-signed roots, subordinate CAs and TLS end entities, and CSRs for keys
// that stay in their store. Every signature goes through KeyService.sign, the KeyProvider seam, so
// a root in an HSM and a test CA in the vault take the same path, with the lifecycle enforced.
import { createHash, createPublicKey } from 'node:crypto';
import { Extensions, type GeneralName, type Name } from '@peculiar/asn1-x509';
import {
  defaultSignatureAlgorithm,
  keyFamily,
  signatureFitsKey,
  SIGNATURE_ALGORITHMS,
  type KeyAlgorithm,
  type KeyFamily,
  type SignatureAlgorithm,
} from '../../shared/algorithms';
import { MazeVaultError } from '../../shared/errors';
import { STATE_LABELS } from '../../shared/lifecycle';
import type { KeyRecord } from '../keys/records';
import type { KeyService } from '../keys/service';
import type { ProviderKind } from '../providers/provider';
import type { Vault } from '../vault/vault';
import { assembleSigned, buildTbsCertificate, newSerialNumber } from './certificate-builder';
import { certificateFacts, keyIdentifierOf, type CertificateFacts } from './certificate-facts';
import type { CertificateRecord, CertificateService } from './certificates';
import { buildCsrInfo, readVerifiedCsr } from './csr';
import {
  buildExtensions,
  checkCrlDistributionPoint,
  parseSubjectAltName,
  subjectAltNameExtension,
} from './extensions';
import {
  checkNameBounds,
  commonNameOf,
  formatDistinguishedName,
  parseDistinguishedName,
} from './names';
import {
  checkValidityPolicy,
  checkWithinIssuer,
  keyUsageFor,
  profileByName,
  type EndEntityProfile,
  type PolicyOverride,
  type Profile,
  type ValidityRequest,
  validityEnd,
} from './profiles';
import {
  signatureAlgorithmDer,
  signatureAlgorithmIdentifier,
  verifySignature,
} from './signature-algorithms';

/** An existing vault key, or a new one made for this certificate. */
export type KeySource =
  | { keyId: string }
  | {
      algorithm: KeyAlgorithm;
      provider?: ProviderKind;
      providerOptions?: Record<string, unknown>;
      /** Defaults to the subject's common name and the profile. */
      label?: string;
    };

interface CommonRequest {
  /** RFC 4514, most specific first: "CN=Acme Root CA,O=Acme,C=DE". */
  subject: string;
  validity: ValidityRequest;
  override?: PolicyOverride;
  /** A URI for the CRL distribution point extension (RFC 5280 §4.2.1.13). */
  crlDistributionPoint?: string;
  signatureAlgorithm?: SignatureAlgorithm;
}

export interface CreateRootRequest extends CommonRequest {
  key: KeySource;
  pathLen?: number;
}

export interface IssueSubordinateRequest extends CommonRequest {
  issuerCertId: string;
  key: KeySource;
  /** Defaults to 0: a subordinate that issues end entities only. */
  pathLen?: number;
}

export interface IssueEndEntityRequest extends Omit<CommonRequest, 'subject'> {
  issuerCertId: string;
  profile: EndEntityProfile;
  /** Optional with a CSR, whose subject is then used. */
  subject?: string;
  /** "DNS:x", "IP:1.2.3.4", "email:a@b", "URI:…"; with a CSR and none given, the CSR's are used. */
  sans: string[];
  /** PKCS#10, DER or PEM. Either a CSR or a key, not both. */
  csr?: Buffer;
  key?: KeySource;
}

export interface CreateCsrRequest {
  keyId: string;
  subject: string;
  sans?: string[];
  /** Names copied as they are (directory names, otherName…), after those of `sans`. */
  generalNames?: GeneralName[];
  signatureAlgorithm?: SignatureAlgorithm;
}

export interface IssuanceResult {
  certificate: CertificateRecord;
  key: KeyRecord;
}

export interface EndEntityResult {
  certificate: CertificateRecord;
  /** The certified key when it is in this vault; null for a CSR whose key lives elsewhere. */
  key: KeyRecord | null;
}

interface IssuerContext {
  record: CertificateRecord;
  facts: CertificateFacts;
  key: KeyRecord;
}

interface SubjectKey {
  spki: Buffer;
  record: KeyRecord | null;
  /** Made by this issuance, so retired if the certificate is not issued after all. */
  generated: boolean;
}

interface IssuePlan {
  profile: Profile;
  subject: Name;
  sans: GeneralName[];
  validity: ValidityRequest;
  override?: PolicyOverride;
  crlDistributionPoint?: string;
  signatureAlgorithm?: SignatureAlgorithm;
  pathLen?: number;
  issuer?: IssuerContext;
  key: KeySource | { spki: Buffer };
}

function checkPathLen(pathLen: number | undefined): void {
  if (pathLen !== undefined && (!Number.isInteger(pathLen) || pathLen < 0 || pathLen > 16)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `A path length constraint must be a whole number from 0 to 16, not ${pathLen}.`,
    );
  }
}

export class IssuanceService {
  private distributionPointOf: (issuerCertId: string) => string | undefined = () => undefined;

  constructor(
    private readonly vault: Vault,
    private readonly keys: KeyService,
    private readonly certificates: CertificateService,
  ) {}

  /**
   * Where the CA's CRLs are published, when its CRL policy names a place: certificates it issues
   * then carry that CRL distribution point unless the request gives one (RFC 5280 §4.2.1.13).
   */
  useCrlDistributionPoints(lookup: (issuerCertId: string) => string | undefined): void {
    this.distributionPointOf = lookup;
  }

  /** A self-signed root CA certificate, the anchor of a key ceremony. */
  async createRoot(request: CreateRootRequest): Promise<IssuanceResult> {
    checkPathLen(request.pathLen);
    const result = await this.issue({
      profile: profileByName('root-ca'),
      subject: parseDistinguishedName(request.subject),
      sans: [],
      validity: request.validity,
      override: request.override,
      crlDistributionPoint: request.crlDistributionPoint,
      signatureAlgorithm: request.signatureAlgorithm,
      pathLen: request.pathLen,
      key: request.key,
    });
    return { certificate: result.certificate, key: result.key! };
  }

  async issueSubordinate(request: IssueSubordinateRequest): Promise<IssuanceResult> {
    checkPathLen(request.pathLen);
    const issuer = this.issuerContext(request.issuerCertId);
    const pathLen = request.pathLen ?? 0;
    // RFC 5280 §4.2.1.9 and §6.1.4 (l)–(m): each CA below uses up one step of the issuer's pathLen.
    if (issuer.facts.pathLen !== undefined && pathLen >= issuer.facts.pathLen) {
      throw new MazeVaultError(
        'POLICY_VIOLATION',
        issuer.facts.pathLen === 0
          ? `"${issuer.record.subject}" may not issue CA certificates (its path length constraint is 0).`
          : `"${issuer.record.subject}" allows at most ${issuer.facts.pathLen - 1} CA levels below the new one; ` +
              `ask for a pathLen below ${issuer.facts.pathLen}.`,
      );
    }
    const result = await this.issue({
      profile: profileByName('sub-ca'),
      subject: parseDistinguishedName(request.subject),
      sans: [],
      validity: request.validity,
      override: request.override,
      crlDistributionPoint: request.crlDistributionPoint,
      signatureAlgorithm: request.signatureAlgorithm,
      pathLen,
      issuer,
      key: request.key,
    });
    return { certificate: result.certificate, key: result.key! };
  }

  async issueEndEntity(request: IssueEndEntityRequest): Promise<EndEntityResult> {
    const profile = profileByName(request.profile);
    if (profile.isCa) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `"${request.profile}" is a CA profile; use issueSubordinate for CAs.`,
      );
    }
    if (request.csr && request.key) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'Give either a CSR or a key for the certificate, not both.',
      );
    }
    if (!request.csr && !request.key) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'Give a CSR, or a key algorithm to make a new key, for the certificate.',
      );
    }
    const issuer = this.issuerContext(request.issuerCertId);

    let subject: Name;
    let sans = request.sans.map(parseSubjectAltName);
    let key: IssuePlan['key'];
    if (request.csr) {
      const csr = readVerifiedCsr(request.csr);
      subject = request.subject ? parseDistinguishedName(request.subject) : csr.subject;
      if (!sans.length) sans = csr.requestedSans;
      key = { spki: csr.spki };
    } else {
      if (!request.subject) {
        throw new MazeVaultError(
          'INVALID_INPUT',
          'A certificate needs a subject, e.g. CN=www.example.com.',
        );
      }
      subject = parseDistinguishedName(request.subject);
      key = request.key!;
    }
    if (profile.requiresSan && !sans.length) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'A TLS server certificate needs at least one subject alternative name (e.g. DNS:www.example.com); ' +
          'clients ignore the common name (RFC 6125 §6.4.4).',
      );
    }

    return this.issue({
      profile,
      subject,
      sans,
      validity: request.validity,
      override: request.override,
      crlDistributionPoint: request.crlDistributionPoint,
      signatureAlgorithm: request.signatureAlgorithm,
      issuer,
      key,
    });
  }

  /** A PKCS#10 CSR for a vault key (software, HSM or KMS), signed through the provider. DER. */
  async createCsr(request: CreateCsrRequest): Promise<Buffer> {
    const key = this.keys.assertOperation(request.keyId, 'sign', 'certificate signing request');
    const subject = parseDistinguishedName(request.subject);
    const sans = [
      ...(request.sans ?? []).map(parseSubjectAltName),
      ...(request.generalNames ?? []),
    ];
    const algorithm = this.signatureAlgorithmFor(key, request.signatureAlgorithm);
    const extensions = sans.length
      ? new Extensions([subjectAltNameExtension(sans, false)])
      : undefined;
    const info = buildCsrInfo(subject, key.publicKey, extensions);
    const subjectText = formatDistinguishedName(subject);

    const signature = await this.keys.sign(key.id, algorithm, info, `CSR for ${subjectText}`);
    const der = assembleSigned(info, signatureAlgorithmDer(algorithm), signature);
    this.vault.record({
      action: 'csr.create',
      subject: key.id,
      outcome: 'success',
      details: { subject: subjectText, sans: request.sans ?? [], signatureAlgorithm: algorithm },
    });
    return der;
  }

  private async issue(plan: IssuePlan): Promise<EndEntityResult> {
    // Every check that can refuse runs before a key is made, so a refusal leaves no orphan key.
    checkNameBounds(plan.subject);
    const subjectText = formatDistinguishedName(plan.subject);
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
    const notAfter = validityEnd(notBefore, plan.validity);
    const decision = checkValidityPolicy(plan.profile, notBefore, notAfter, plan.override);
    if (plan.issuer) {
      checkWithinIssuer(notAfter, plan.issuer.facts.notAfter, plan.issuer.record.subject);
      this.keys.assertOperation(plan.issuer.key.id, 'sign', `certificate for ${subjectText}`);
    }
    plan.crlDistributionPoint ??= plan.issuer
      ? this.distributionPointOf(plan.issuer.record.id)
      : undefined;
    if (plan.crlDistributionPoint) checkCrlDistributionPoint(plan.crlDistributionPoint);
    if (plan.issuer) this.signatureAlgorithmFor(plan.issuer.key, plan.signatureAlgorithm);
    else if ('keyId' in plan.key) {
      this.signatureAlgorithmFor(
        this.keys.assertOperation(plan.key.keyId, 'sign', `root CA ${subjectText}`),
        plan.signatureAlgorithm,
      );
    } else if (
      'algorithm' in plan.key &&
      plan.signatureAlgorithm &&
      !signatureFitsKey(plan.signatureAlgorithm, plan.key.algorithm)
    ) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `A ${plan.key.algorithm} key cannot make ${plan.signatureAlgorithm} signatures.`,
      );
    }

    // A key made here is wasted if the issuer cannot sign (its token absent, no PIN): ask first.
    // The retirement below stays for failures that only the signature itself reveals.
    if (plan.issuer && 'algorithm' in plan.key) {
      await this.keys.prepareToSign(plan.issuer.key.id, `certificate for ${subjectText}`);
    }
    const subjectKey = await this.subjectKey(plan, subjectText);
    try {
      const signerKey = plan.issuer?.key ?? subjectKey.record!;
      const algorithm = this.signatureAlgorithmFor(signerKey, plan.signatureAlgorithm);
      const serial = newSerialNumber();
      const serialHex = serial.toString('hex');
      const subjectKeyIdentifier = keyIdentifierOf(subjectKey.spki);
      const family = subjectKey.record
        ? keyFamily(subjectKey.record.algorithm)
        : familyOfSpki(subjectKey.spki);

      const tbs = buildTbsCertificate({
        serial,
        signature: signatureAlgorithmIdentifier(algorithm),
        issuer: plan.issuer ? plan.issuer.facts.certificate.tbsCertificate.subject : plan.subject,
        subject: plan.subject,
        notBefore,
        notAfter,
        spki: subjectKey.spki,
        extensions: buildExtensions({
          profile: plan.profile,
          keyUsage: keyUsageFor(plan.profile, family, {
            rsaPssOnly: isRsaPssOnly(subjectKey.spki),
          }),
          subjectKeyIdentifier,
          authorityKeyIdentifier: plan.issuer?.facts.keyIdentifier ?? subjectKeyIdentifier,
          pathLen: plan.profile.isCa ? plan.pathLen : undefined,
          subjectAltNames: plan.sans,
          subjectIsEmpty: plan.subject.length === 0,
          crlDistributionPoint: plan.crlDistributionPoint,
        }),
      });

      const context = `certificate ${serialHex} for ${subjectText}`;
      const signature = await this.keys.sign(signerKey.id, algorithm, tbs, context);
      const der = assembleSigned(tbs, signatureAlgorithmDer(algorithm), signature);
      // A provider that returns a wrong signature (a faulty token, a mis-mapped key) must not put a
      // certificate into the inventory that no relying party would accept.
      if (
        !verifySignature(
          signerKey.publicKey,
          signatureAlgorithmIdentifier(algorithm),
          tbs,
          signature,
        )
      ) {
        throw new MazeVaultError(
          'PROVIDER_ERROR',
          `The signature from key "${signerKey.label}" does not verify with its public key; the certificate was not stored.`,
        );
      }

      const issuerText = plan.issuer?.record.subject ?? subjectText;
      const certificate = this.vault.transaction(() => {
        const { certificate: record } = this.certificates.insert(der, {
          source: 'issued',
          keyId: subjectKey.record?.id ?? null,
          issuerCertId: plan.issuer?.record.id ?? null,
          profile: plan.profile.name,
          audit: {
            action: 'cert.issue',
            details: {
              profile: plan.profile.name,
              issuerCertId: plan.issuer?.record.id ?? null,
              keyId: subjectKey.record?.id ?? null,
              notBefore: notBefore.toISOString(),
              notAfter: notAfter.toISOString(),
              signatureAlgorithm: algorithm,
              ...(decision.override ? { policyOverride: decision.override } : {}),
            },
          },
        });
        if (decision.override) {
          this.vault.record({
            action: 'policy.override',
            subject: record.id,
            outcome: 'success',
            details: {
              policy: decision.override.policy,
              reason: decision.override.reason,
              serial: serialHex,
              subject: subjectText,
              issuer: issuerText,
            },
          });
        }
        return record;
      });
      return { certificate, key: subjectKey.record };
    } catch (error) {
      if (subjectKey.generated && subjectKey.record) {
        await this.retireUnusedKey(subjectKey.record, error);
      }
      throw error;
    }
  }

  /**
   * A key made for a certificate that was then never issued (the issuer's token was unplugged, the
   * signature did not verify) must not stay Active and usable: it is Deactivated, with the reason.
   */
  private async retireUnusedKey(key: KeyRecord, cause: unknown): Promise<void> {
    const why = cause instanceof MazeVaultError ? cause.message : 'an internal error';
    try {
      await this.keys.transition(
        key.id,
        'deactivated',
        `No certificate was issued for this key: ${why}`,
      );
    } catch {
      // The transition is audited when it happens; if even that fails the original error matters more.
    }
  }

  private issuerContext(issuerCertId: string): IssuerContext {
    const record = this.certificates.get(issuerCertId);
    const facts = certificateFacts(this.certificates.der(issuerCertId));
    if (!facts.isCa) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `"${record.subject}" is not a CA certificate and cannot issue certificates.`,
      );
    }
    if (record.status === 'revoked') {
      throw new MazeVaultError(
        'POLICY_VIOLATION',
        `"${record.subject}" is revoked and may not issue certificates.`,
      );
    }
    const now = Date.now();
    if (facts.notAfter.getTime() < now || facts.notBefore.getTime() > now) {
      throw new MazeVaultError(
        'POLICY_VIOLATION',
        `"${record.subject}" is not valid now (valid ${facts.notBefore.toISOString()} to ${facts.notAfter.toISOString()}).`,
      );
    }
    if (!record.keyId) {
      throw new MazeVaultError(
        'NOT_FOUND',
        `The private key of "${record.subject}" is not in this vault; import it or connect its HSM to issue from it.`,
      );
    }
    const key = this.keys.get(record.keyId);
    if (key.spkiSha256 !== facts.spkiSha256) {
      throw new MazeVaultError(
        'VAULT_DAMAGED',
        `The key linked to "${record.subject}" does not match its public key.`,
      );
    }
    return { record, facts, key };
  }

  private async subjectKey(plan: IssuePlan, subjectText: string): Promise<SubjectKey> {
    if ('spki' in plan.key) {
      const fingerprint = spkiSha256(plan.key.spki);
      const match = this.keys
        .list({ search: fingerprint })
        .find((key) => key.spkiSha256 === fingerprint);
      return { spki: plan.key.spki, record: match ?? null, generated: false };
    }
    if ('keyId' in plan.key) {
      const record = this.keys.get(plan.key.keyId);
      if (record.state !== 'active' && record.state !== 'pre-active') {
        throw new MazeVaultError(
          'FORBIDDEN_BY_LIFECYCLE',
          `Key "${record.label}" is ${STATE_LABELS[record.state]}; a new certificate needs an active or pre-active key.`,
        );
      }
      return { spki: record.publicKey, record, generated: false };
    }
    const label =
      plan.key.label ?? `${commonNameOf(plan.subject) ?? subjectText} (${plan.profile.name})`;
    const record = await this.keys.generate({
      algorithm: plan.key.algorithm,
      label,
      purpose: plan.profile.keyPurpose,
      provider: plan.key.provider,
      providerOptions: plan.key.providerOptions,
    });
    return { spki: record.publicKey, record, generated: true };
  }

  private signatureAlgorithmFor(
    key: KeyRecord,
    requested: SignatureAlgorithm | undefined,
  ): SignatureAlgorithm {
    const algorithm = requested ?? defaultSignatureAlgorithm(key.algorithm);
    if (!SIGNATURE_ALGORITHMS.includes(algorithm)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `Unknown signature algorithm ${algorithm}; use one of ${SIGNATURE_ALGORITHMS.join(', ')}.`,
      );
    }
    if (!signatureFitsKey(algorithm, key.algorithm)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `Key "${key.label}" (${key.algorithm}) cannot make ${algorithm} signatures.`,
      );
    }
    return algorithm;
  }
}

function spkiSha256(spki: Buffer): string {
  return createHash('sha256').update(spki).digest('hex');
}

function familyOfSpki(spki: Buffer): KeyFamily {
  const type = createPublicKey({ key: spki, format: 'der', type: 'spki' }).asymmetricKeyType;
  if (type === 'rsa' || type === 'rsa-pss') return 'rsa';
  if (type === 'ec') return 'ec';
  if (type === 'ed25519') return 'ed25519';
  throw new MazeVaultError(
    'UNSUPPORTED',
    `A ${type} key cannot be certified here; use RSA, EC or Ed25519.`,
  );
}

/** An id-RSASSA-PSS SubjectPublicKeyInfo (RFC 4055 §1.2): an RSA key restricted to PSS signatures. */
function isRsaPssOnly(spki: Buffer): boolean {
  return (
    createPublicKey({ key: spki, format: 'der', type: 'spki' }).asymmetricKeyType === 'rsa-pss'
  );
}
