// What crosses the bridge for renewal, revocation, CRLs, rotation and the lifecycle lists (issue
// #5): counts, one page of a list, CRL metadata and plans. No schema has room for key material;
// every object is strict, so a service answer with more in it is refused by the router.
import { z } from 'zod';
import { REVOCATION_REASONS } from '../revocation-reasons';
import {
  certificateDetail,
  id,
  isoTime,
  keyAlgorithm,
  keyDto,
  keyPurpose,
  keyState,
  providerKind,
  sha256Hex,
} from '../dto';
import { KEY_STATES } from '../lifecycle';
import { KEY_POLICIES } from './lifecycle-constants';

export * from './lifecycle-constants';

const count = z.number().int().nonnegative();

export const revocationReason = z.enum(REVOCATION_REASONS);
export const keyPolicy = z.enum(KEY_POLICIES);

export const sortDirection = z.enum(['asc', 'desc']);

// ---------------------------------------------------------------------------------------------
// The dashboard

export const crlAttention = z.strictObject({
  crlId: id,
  issuerCertId: id,
  issuerSubject: z.string(),
  crlNumber: count,
  delta: z.boolean(),
  nextUpdate: isoTime,
  /** nextUpdate has passed: relying parties treat the CRL as stale. */
  overdue: z.boolean(),
});

export const lifecycleDashboard = z.strictObject({
  at: isoTime,
  keys: z.strictObject({
    total: count,
    byState: z.strictObject(
      Object.fromEntries(KEY_STATES.map((state) => [state, count])) as Record<
        (typeof KEY_STATES)[number],
        typeof count
      >,
    ),
    /** Active or Suspended keys used past their cryptoperiod (NIST SP 800-57 §5.3). */
    pastCryptoperiod: count,
  }),
  certificates: z.strictObject({
    total: count,
    valid: count,
    expired: count,
    revoked: count,
    /** Valid and expiring within `expiringWithinDays` (a subset of `valid`). */
    expiringSoon: count,
    expiringWithinDays: count,
  }),
  /** Valid certificates by the UTC month they expire: this month (from now) and the next 11. */
  expiryTimeline: z.array(z.strictObject({ month: z.string().regex(/^\d{4}-\d{2}$/), count })),
  rotationsDue: count,
  crlsNearNextUpdate: z.array(crlAttention),
});
export type LifecycleDashboard = z.infer<typeof lifecycleDashboard>;

// ---------------------------------------------------------------------------------------------
// The lists

export const certificateRow = z.strictObject({
  id,
  subject: z.string(),
  /** The subject's CN, or the whole subject. */
  displayName: z.string(),
  issuer: z.string(),
  serialNumber: z.string().regex(/^[0-9A-F]+$/),
  notBefore: isoTime,
  notAfter: isoTime,
  status: z.enum(['valid', 'expired', 'not-yet-valid', 'revoked']),
  revocationReason: revocationReason.nullable(),
  revokedAt: isoTime.nullable(),
  profile: z.string().nullable(),
  isCa: z.boolean(),
  keyId: id.nullable(),
  issuerId: id.nullable(),
});
export type CertificateRow = z.infer<typeof certificateRow>;

export const keyRow = z.strictObject({
  id,
  label: z.string(),
  algorithm: keyAlgorithm,
  purpose: keyPurpose,
  provider: providerKind,
  state: keyState,
  createdAt: isoTime,
  activationDate: isoTime.nullable(),
  cryptoperiodDays: count,
  cryptoperiodEnds: isoTime,
  /** Still Active or Suspended after its cryptoperiod ended. */
  pastCryptoperiod: z.boolean(),
});
export type KeyRow = z.infer<typeof keyRow>;

const pageOf = <T extends z.ZodType>(row: T) =>
  z.strictObject({ rows: z.array(row), total: count, page: count, pageSize: count });

export const certificatePage = pageOf(certificateRow);
export type CertificatePage = z.infer<typeof certificatePage>;
export const keyPage = pageOf(keyRow);
export type KeyPage = z.infer<typeof keyPage>;

// ---------------------------------------------------------------------------------------------
// One certificate's lifecycle, renewal, revocation, compromise

export const certificateLifecycle = z.strictObject({
  id,
  status: z.enum(['valid', 'revoked']),
  revocation: z
    .strictObject({
      reason: revocationReason,
      reasonLabel: z.string(),
      revokedAt: isoTime,
      invalidityDate: isoTime.nullable(),
    })
    .nullable(),
  /** The certificate this one renewed, and the one that renewed it. */
  predecessor: z.strictObject({ id, displayName: z.string() }).nullable(),
  successor: z.strictObject({ id, displayName: z.string() }).nullable(),
  profile: z.string().nullable(),
  /** The key policy a renewal uses unless the officer picks another. */
  defaultKeyPolicy: keyPolicy,
  /** Why a renewal is impossible here, or null when it can be renewed. */
  renewBlocked: z.string().nullable(),
  /** When rotation makes it due, from its policy; null when it is not scheduled. */
  rotationDueAt: isoTime.nullable(),
});
export type CertificateLifecycle = z.infer<typeof certificateLifecycle>;

export const renewalResult = z.strictObject({
  certificate: certificateDetail,
  predecessorId: id,
  keyPolicy,
  /** The successor's key, when it is in the vault. */
  keyId: id.nullable(),
  /** The predecessor's key when Regenerate moved it to Deactivated. */
  deactivatedKeyId: id.nullable(),
  warnings: z.array(z.string()),
});
export type RenewalResult = z.infer<typeof renewalResult>;

export const revocationResult = z.strictObject({
  id,
  displayName: z.string(),
  serialNumber: z.string(),
  reason: revocationReason,
  revokedAt: isoTime,
  invalidityDate: isoTime.nullable(),
});
export type RevocationResult = z.infer<typeof revocationResult>;

export const planCertificate = z.strictObject({
  id,
  subject: z.string(),
  serialNumber: z.string(),
  isCa: z.boolean(),
  status: z.enum(['valid', 'revoked']),
});

export const compromisePlan = z.strictObject({
  keyId: id,
  keyLabel: z.string(),
  keyState: keyState,
  boundCount: count,
  issuedCount: count,
  /** Of those, how many are still valid and would be revoked. */
  toRevoke: count,
  /** The first COMPROMISE_PLAN_LIST_LIMIT of each. */
  bound: z.array(planCertificate),
  issued: z.array(planCertificate),
});
export type CompromisePlan = z.infer<typeof compromisePlan>;

export const compromiseResult = z.strictObject({
  key: keyDto,
  revokedCount: count,
  /** The first 1,000 revoked certificate ids (the audit trail holds the same list). */
  revoked: z.array(id),
});
export type CompromiseResult = z.infer<typeof compromiseResult>;

// ---------------------------------------------------------------------------------------------
// CRLs

export const crlPolicyDto = z.strictObject({
  issuerId: id,
  nextUpdateHours: z.number().int().positive(),
  deltaNextUpdateHours: z.number().int().positive().nullable(),
  distributionPoint: z.string().nullable(),
  lastCrlNumber: count,
});
export type CrlPolicyDto = z.infer<typeof crlPolicyDto>;

export const crlDto = z.strictObject({
  id,
  issuerId: id,
  crlNumber: count,
  baseCrlNumber: count.nullable(),
  thisUpdate: isoTime,
  nextUpdate: isoTime,
  entries: count,
  sha256: sha256Hex,
  createdAt: isoTime,
});
export type CrlDto = z.infer<typeof crlDto>;

export const crlExportResult = z.strictObject({
  destination: z.string(),
  format: z.enum(['pem', 'der']),
  bytes: count,
  sha256: sha256Hex,
});

// ---------------------------------------------------------------------------------------------
// Rotation, rollover, templates

export const dueCertificate = z.strictObject({
  certId: id,
  subject: z.string(),
  profile: z.string().nullable(),
  isCa: z.boolean(),
  notBefore: isoTime,
  notAfter: isoTime,
  dueAt: isoTime,
  trigger: z.enum(['expiry', 'interval']),
  keyPolicy,
  policyScope: z.enum(['certificate', 'profile', 'vault']),
  action: z.enum(['renew', 'ca-rollover', 'manual']),
  note: z.string().optional(),
});
export type DueCertificateDto = z.infer<typeof dueCertificate>;

export const rotationItem = z.strictObject({
  ...dueCertificate.shape,
  outcome: z.enum(['would-rotate', 'rotated', 'skipped', 'failed']),
  successorId: id.optional(),
  message: z.string().optional(),
});

export const rotationRun = z.strictObject({
  dryRun: z.boolean(),
  at: isoTime,
  items: z.array(rotationItem),
  rotated: count,
  skipped: count,
  failed: count,
});
export type RotationRunDto = z.infer<typeof rotationRun>;

export const rotationPolicy = z.strictObject({
  scope: z.enum(['certificate', 'profile', 'vault']),
  /** A certificate id, a profile name, or "*" for the vault default. */
  target: z.string(),
  /** Rotate this many days after notBefore; null rotates on expiry only. */
  intervalDays: z.number().int().positive().nullable(),
  leadDays: count,
  keyPolicy,
});
export type RotationPolicyDto = z.infer<typeof rotationPolicy>;

export const rolloverResult = z.strictObject({
  previousId: id,
  certificate: certificateDetail,
  keyId: id,
  newWithOldId: id.nullable(),
  oldWithNewId: id.nullable(),
  reissuedIds: z.array(id),
  warnings: z.array(z.string()),
});

export const templateDto = z.strictObject({
  id,
  name: z.string(),
  profile: z.enum(['tls-server', 'tls-client']),
  subjectDefaults: z.string().nullable(),
  sans: z.array(z.string()),
  crlDistributionPoint: z.string().nullable(),
  keyPolicy,
  keyAlgorithm,
  validity: z.strictObject({
    years: z.number().int().optional(),
    days: z.number().int().optional(),
  }),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type TemplateDto = z.infer<typeof templateDto>;
