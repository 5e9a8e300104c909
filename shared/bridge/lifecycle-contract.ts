// The bridge channels for renewal, revocation, CRLs and the lifecycle lists (issue #5), with their request and response schemas.
import { z } from 'zod';
import type { ChannelSpec } from '../contract';
import { filePath, id, isoTime, keyAlgorithm, keyPurpose, keyState, providerKind } from '../dto';
import {
  CERTIFICATE_LIST_STATUSES,
  CERTIFICATE_SORT_FIELDS,
  certificateLifecycle,
  certificatePage,
  compromisePlan,
  compromiseResult,
  crlDto,
  crlExportResult,
  crlPolicyDto,
  dueCertificate,
  KEY_SORT_FIELDS,
  keyPage,
  keyPolicy,
  lifecycleDashboard,
  MAX_LIST_PAGE_SIZE,
  renewalResult,
  revocationReason,
  revocationResult,
  rolloverResult,
  rotationPolicy,
  rotationRun,
  sortDirection,
  templateDto,
} from './lifecycle-dto';
import { MAX_SCHEDULE_MINUTES, MIN_SCHEDULE_MINUTES } from './lifecycle-constants';
import type { LifecycleChannel } from './lifecycle-names';

const empty = z.strictObject({}).default({});
const rotationScheduleSettings = z.strictObject({
  everyMinutes: z.number().int().positive().nullable(),
  lastRun: z
    .strictObject({
      at: isoTime,
      rotated: z.number().int().nonnegative(),
      skipped: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      error: z.string().optional(),
    })
    .nullable(),
});
const page = z.number().int().min(0).max(1_000_000).default(0);
const pageSize = z.number().int().min(1).max(MAX_LIST_PAGE_SIZE).default(100);
const prefix = z.string().trim().min(1).max(200);
const reasonText = z.string().trim().min(1).max(2000);
const subjectAltName = z
  .string()
  .regex(/^(DNS|IP|email|URI):.+$/, 'TYPE:value with TYPE one of DNS, IP, email, URI');
const validity = z.union([
  z.strictObject({ years: z.number().int().min(1).max(100) }),
  z.strictObject({ days: z.number().int().min(1).max(36_500) }),
]);

export const LIFECYCLE_CONTRACT = {
  /** Every dashboard figure, counted by indexed SQL in the main process. */
  'lifecycle:dashboard': { request: empty, response: lifecycleDashboard, readOnly: true },

  /** One page of certificates, filtered and sorted by indexed SQL (never the whole inventory). */
  'lifecycle:certificates-page': {
    readOnly: true,
    request: z
      .strictObject({
        page,
        pageSize,
        sortBy: z.enum(CERTIFICATE_SORT_FIELDS).default('notAfter'),
        sortDirection: sortDirection.default('asc'),
        status: z.enum(CERTIFICATE_LIST_STATUSES).optional(),
        issuerId: id.optional(),
        keyId: id.optional(),
        profile: z.string().trim().min(1).max(50).optional(),
        isCa: z.boolean().optional(),
        /** The subject starts with this, e.g. "CN=web". */
        subjectPrefix: prefix.optional(),
        expiresFrom: isoTime.optional(),
        expiresBefore: isoTime.optional(),
      })
      .default({ page: 0, pageSize: 100, sortBy: 'notAfter', sortDirection: 'asc' }),
    response: certificatePage,
  },

  'lifecycle:keys-page': {
    readOnly: true,
    request: z
      .strictObject({
        page,
        pageSize,
        sortBy: z.enum(KEY_SORT_FIELDS).default('createdAt'),
        sortDirection: sortDirection.default('desc'),
        state: keyState.optional(),
        purpose: keyPurpose.optional(),
        provider: providerKind.optional(),
        /** Only Active or Suspended keys whose cryptoperiod has ended. */
        pastCryptoperiod: z.boolean().optional(),
        labelPrefix: prefix.optional(),
      })
      .default({ page: 0, pageSize: 100, sortBy: 'createdAt', sortDirection: 'desc' }),
    response: keyPage,
  },

  /** Revocation, predecessor and successor, and whether it can be renewed, for one certificate. */
  'certificates:lifecycle': {
    request: z.strictObject({ id }),
    response: certificateLifecycle,
    readOnly: true,
  },

  'certificates:renew': {
    request: z.strictObject({
      id,
      keyPolicy,
      /** Regenerate only: the new key's algorithm; the old key's by default. */
      algorithm: keyAlgorithm.optional(),
      /** Edits; each left out keeps the predecessor's. */
      subject: z.string().trim().min(3).max(4096).optional(),
      subjectAltNames: z.array(subjectAltName).max(100).optional(),
      validity: validity.optional(),
      override: z.strictObject({ reason: reasonText }).optional(),
      /** Revoke the predecessor as superseded once the successor exists. */
      revokePredecessor: z.boolean().default(false),
    }),
    response: renewalResult,
    long: true,
    progressMessage: 'Renewing the certificate',
  },

  /** RFC 5280 §5.3.1 reason and time; refused without `confirmed: true`. */
  'certificates:revoke': {
    request: z.strictObject({
      id,
      reason: revocationReason,
      at: isoTime.optional(),
      invalidityDate: isoTime.optional(),
      confirmed: z.boolean().default(false),
    }),
    response: revocationResult,
  },

  /** What marking the key Compromised would revoke; changes nothing. */
  'keys:compromise-plan': {
    request: z.strictObject({ id }),
    response: compromisePlan,
    readOnly: true,
  },
  /** Marks the key Compromised and revokes what the plan lists; refused without confirmation. */
  'keys:compromise': {
    request: z.strictObject({
      id,
      reason: reasonText,
      compromisedAt: isoTime.optional(),
      confirmed: z.boolean().default(false),
    }),
    response: compromiseResult,
    long: true,
    progressMessage: 'Marking the key Compromised and revoking its certificates',
  },

  'crl:list': {
    readOnly: true,
    request: z.strictObject({
      issuerId: id,
      limit: z.number().int().min(1).max(1000).default(50),
      offset: z.number().int().min(0).default(0),
    }),
    response: z.strictObject({ crls: z.array(crlDto), policy: crlPolicyDto }),
  },
  /** The CA's CRL policy; with `update`, changes it first (audited). */
  'crl:policy': {
    request: z.strictObject({
      issuerId: id,
      update: z
        .strictObject({
          nextUpdateHours: z.number().int().min(1).max(8784).optional(),
          deltaNextUpdateHours: z.number().int().min(1).max(8784).nullable().optional(),
          distributionPoint: z.url().max(2048).nullable().optional(),
        })
        .optional(),
    }),
    response: crlPolicyDto,
  },
  'crl:issue': {
    request: z.strictObject({ issuerId: id, delta: z.boolean().default(false) }),
    response: z.strictObject({ crl: crlDto, warnings: z.array(z.string()) }),
    long: true,
    progressMessage: 'Building and signing the CRL',
  },
  /** Writes the CRL to `destination` (an absolute path) in the main process. */
  'crl:export': {
    request: z.strictObject({
      crlId: id,
      format: z.enum(['pem', 'der']),
      destination: filePath,
      overwrite: z.boolean().default(false),
    }),
    response: crlExportResult,
  },

  'rotation:due': {
    readOnly: true,
    request: z
      .strictObject({
        limit: z.number().int().min(1).max(MAX_LIST_PAGE_SIZE).default(100),
        offset: z.number().int().min(0).default(0),
      })
      .default({ limit: 100, offset: 0 }),
    response: z.strictObject({ items: z.array(dueCertificate), total: z.number().int() }),
  },
  'rotation:run': {
    request: z.strictObject({ dryRun: z.boolean() }),
    response: rotationRun,
    long: true,
    progressMessage: 'Rotating the certificates that are due',
  },

  /** The rotation policies: per certificate, per profile, and the vault default. */
  'rotation:policies': {
    readOnly: true,
    request: empty,
    response: z.strictObject({ policies: z.array(rotationPolicy) }),
  },
  /** Sets one policy (audited) and re-plans what it governs; answers how many are due now. */
  'rotation:set-policy': {
    request: z.strictObject({
      scope: z.enum(['certificate', 'profile', 'vault']),
      /** The certificate id or profile name; left out for the vault default. */
      target: z.string().trim().min(1).max(200).optional(),
      intervalDays: z.number().int().min(1).max(36_500).nullable(),
      leadDays: z.number().int().min(0).max(3650),
      keyPolicy,
    }),
    response: z.strictObject({ policy: rotationPolicy, due: z.number().int().nonnegative() }),
  },

  /** Rotation on a schedule while the app is open and the vault unlocked; null minutes: off. */
  'rotation:schedule': {
    readOnly: true,
    request: empty,
    response: rotationScheduleSettings,
  },
  'rotation:set-schedule': {
    request: z.strictObject({
      everyMinutes: z.number().int().min(MIN_SCHEDULE_MINUTES).max(MAX_SCHEDULE_MINUTES).nullable(),
    }),
    response: rotationScheduleSettings,
  },

  /** RFC 4210 §4.4 CA key update: a new CA key and certificate; the old stays valid. */
  'ca:rollover': {
    request: z.strictObject({
      id,
      crossSign: z.boolean().default(false),
      reissueSubordinates: z.boolean().default(false),
      algorithm: keyAlgorithm.optional(),
      validityYears: z.number().int().min(1).max(30).optional(),
      override: z.strictObject({ reason: reasonText }).optional(),
    }),
    response: rolloverResult,
    long: true,
    progressMessage: 'Rolling the CA over to a new key',
  },

  'templates:list': {
    readOnly: true,
    request: empty,
    response: z.strictObject({ templates: z.array(templateDto) }),
  },
} as const satisfies Record<LifecycleChannel, ChannelSpec>;
