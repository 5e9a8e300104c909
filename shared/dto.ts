// What crosses the bridge: metadata, public keys and certificates. No schema here has a field for
// private key bytes, a passphrase, a password or a PIN, and every response object is strict, so a
// service that hands back more than this (a provider reference, a sealed secret) is refused by the
// router instead of being passed to the window.
import { z } from 'zod';
import { KEY_ALGORITHMS } from './algorithms';
import { KEY_PURPOSES } from './cryptoperiods';
import { KEY_OPERATIONS, KEY_STATES } from './lifecycle';

export const isoTime = z.iso.datetime({ offset: true });
export const sha256Hex = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a SHA-256 fingerprint in lowercase hex');
export const sha1Hex = z.string().regex(/^[0-9a-f]{40}$/, 'a SHA-1 fingerprint in lowercase hex');
export const publicKeyPem = z.string().startsWith('-----BEGIN PUBLIC KEY-----');
export const certificatePem = z.string().startsWith('-----BEGIN CERTIFICATE-----');
export const id = z.string().min(1).max(200);
export const filePath = z.string().min(1).max(4096);

export const keyAlgorithm = z.enum(KEY_ALGORITHMS);
export const keyPurpose = z.enum(KEY_PURPOSES);
export const keyState = z.enum(KEY_STATES);
export const keyOperation = z.enum(KEY_OPERATIONS);
/** Mirrors ProviderKind (electron/providers/provider.ts); checked in ipc/views/key-view.ts. */
export const PROVIDER_KINDS = ['software', 'pkcs11', 'aws-kms', 'azure-kv', 'gcp-kms'] as const;
export const providerKind = z.enum(PROVIDER_KINDS);

// ---------------------------------------------------------------------------------------------
// Vault and application

export const vaultStatus = z.strictObject({
  /** `none`: no vault open in this window yet. */
  state: z.enum(['none', 'locked', 'unlocked']),
  path: filePath.nullable(),
  /** The vault was made with cheap test KDF parameters; the window warns about it. */
  testOnlyKdf: z.boolean(),
  autoLockMinutes: z.number().positive().nullable(),
  kdf: z
    .strictObject({
      name: z.literal('scrypt'),
      N: z.number().int(),
      r: z.number().int(),
      p: z.number().int(),
    })
    .nullable(),
});
export type VaultStatus = z.infer<typeof vaultStatus>;

export const appStatus = z.strictObject({
  version: z.string(),
  platform: z.string(),
  /** Where the window suggests new vault files and exports, when the officer has not chosen. */
  defaultDirectory: filePath,
  vault: vaultStatus,
});
export type AppStatus = z.infer<typeof appStatus>;

// ---------------------------------------------------------------------------------------------
// Keys

export const keyDto = z.strictObject({
  id,
  label: z.string(),
  algorithm: keyAlgorithm,
  purpose: keyPurpose,
  provider: providerKind,
  owner: z.string(),
  state: keyState,
  stateLabel: z.string(),
  stateReason: z.string().nullable(),
  stateChangedAt: isoTime,
  createdAt: isoTime,
  activationDate: isoTime.nullable(),
  deactivationDate: isoTime.nullable(),
  cryptoperiodDays: z.number().int().nonnegative(),
  /** End of the originator-usage period: activation (or creation) plus the cryptoperiod. */
  cryptoperiodEnds: isoTime,
  publicKeyPem,
  spkiSha256: sha256Hex,
  /** From shared/lifecycle, so the window greys out what the main process would refuse. */
  allowedOperations: z.array(keyOperation),
  allowedTransitions: z.array(keyState),
  hasMaterial: z.boolean(),
});
export type KeyDto = z.infer<typeof keyDto>;

/** A key to use for a new certificate: a fresh one in a store, or one already in the vault. */
export const keySource = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('new'),
    algorithm: keyAlgorithm,
    provider: providerKind.default('software'),
    label: z.string().min(1).max(200).optional(),
    /** With provider pkcs11: the connection profile and the token (by serial) to make it on. */
    token: z
      .strictObject({ profileId: id, tokenSerial: z.string().trim().min(1).max(64) })
      .optional(),
  }),
  z.strictObject({ kind: z.literal('existing'), keyId: id }),
]);
export type KeySource = z.infer<typeof keySource>;

// ---------------------------------------------------------------------------------------------
// Certificates

export const certificateStatus = z.enum(['valid', 'expired', 'not-yet-valid', 'revoked']);

export const certificateSummary = z.strictObject({
  id,
  subject: z.string(),
  issuer: z.string(),
  /** The subject's CN, or the whole subject when it has none: the name the window shows. */
  displayName: z.string(),
  /** Hex, as OpenSSL prints it without colons. */
  serialNumber: z.string().regex(/^[0-9A-F]+$/),
  notBefore: isoTime,
  notAfter: isoTime,
  status: certificateStatus,
  /** Whole days until notAfter; negative once expired. */
  daysRemaining: z.number().int(),
  isCa: z.boolean(),
  selfSigned: z.boolean(),
  keyId: id.nullable(),
  issuerId: id.nullable(),
  sha256: sha256Hex,
});
export type CertificateSummary = z.infer<typeof certificateSummary>;

export const extensionDto = z.strictObject({
  oid: z.string().regex(/^\d+(\.\d+)+$/),
  name: z.string(),
  critical: z.boolean(),
  /** The decoded value as lines an officer reads, e.g. "CA: true", "Path length: 0". */
  lines: z.array(z.string()),
});
export type ExtensionDto = z.infer<typeof extensionDto>;

export const certificateDetail = z.strictObject({
  ...certificateSummary.shape,
  version: z.number().int(),
  signatureAlgorithm: z.strictObject({ oid: z.string(), name: z.string() }),
  publicKey: z.strictObject({ description: z.string(), spkiSha256: sha256Hex, pem: publicKeyPem }),
  fingerprints: z.strictObject({ sha1: sha1Hex, sha256: sha256Hex }),
  extensions: z.array(extensionDto),
  pem: certificatePem,
  /** From this certificate up to its root, as far as the vault knows it (this one first). */
  chain: z.array(z.strictObject({ id, displayName: z.string() })),
});
export type CertificateDetail = z.infer<typeof certificateDetail>;

/** Validity of a new certificate, counted from now. The profile's policy limits it. */
export const validity = z.union([
  z.strictObject({ years: z.number().int().min(1).max(100) }),
  z.strictObject({ days: z.number().int().min(1).max(36_500) }),
]);
export type Validity = z.infer<typeof validity>;

/** Leaving the profile's validity policy needs a reason, which is audited. */
export const policyOverride = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

export const issuedCertificate = z.strictObject({
  certificate: certificateDetail,
  /** The certificate's key; null for a CSR (its private key stays with the requester). */
  key: keyDto.nullable(),
});
export type IssuedCertificate = z.infer<typeof issuedCertificate>;

// ---------------------------------------------------------------------------------------------
// Export

/**
 * Mirrors CERTIFICATE_EXPORT_FORMATS in electron/formats/export-service.ts (checked by the router).
 * pkcs8 formats always carry the private key; p12, p12-legacy (3DES/SHA-1 for old Windows), jks
 * and jceks carry it with `withKey`.
 */
export const EXPORT_FORMATS = [
  'pem',
  'der',
  'pem-chain',
  'p7b',
  'p7b-der',
  'p12',
  'p12-legacy',
  'pkcs8',
  'pkcs8-encrypted',
  'jks',
  'jceks',
] as const;
export const exportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof exportFormat>;

export const exportResult = z.strictObject({
  destination: filePath,
  format: exportFormat,
  withKey: z.boolean(),
  bytes: z.number().int().nonnegative(),
  /** SHA-256 of the written file, for the officer's record of what left the vault. */
  sha256: sha256Hex,
});
export type ExportResult = z.infer<typeof exportResult>;

// ---------------------------------------------------------------------------------------------
// Dashboard, ceremony, audit

export const dashboardSummary = z.strictObject({
  keys: z.strictObject({
    total: z.number().int().nonnegative(),
    byState: z.strictObject(
      Object.fromEntries(
        KEY_STATES.map((state) => [state, z.number().int().nonnegative()]),
      ) as Record<(typeof KEY_STATES)[number], z.ZodNumber>,
    ),
  }),
  certificates: z.strictObject({
    total: z.number().int().nonnegative(),
    ca: z.number().int().nonnegative(),
    expired: z.number().int().nonnegative(),
    /** Valid certificates whose notAfter is within 30 days, soonest first. */
    expiringWithin30Days: z.array(certificateSummary),
    /** Valid certificates whose notAfter is within 90 days (includes the 30-day ones). */
    expiringWithin90Days: z.array(certificateSummary),
  }),
  audit: z.strictObject({ events: z.number().int().nonnegative() }),
});
export type DashboardSummary = z.infer<typeof dashboardSummary>;

export const ceremonyTranscript = z.strictObject({
  title: z.string(),
  /** A printable Markdown record; also fine to print as plain text. */
  markdown: z.string(),
  /** A suggested file name for saving it. */
  fileName: z.string(),
});
export type CeremonyTranscript = z.infer<typeof ceremonyTranscript>;

export const auditOutcome = z.enum(['success', 'failure', 'refused']);

export const auditEventDto = z.strictObject({
  seq: z.number().int().positive(),
  time: isoTime,
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  outcome: auditOutcome,
  details: z.record(z.string(), z.unknown()),
  prevHash: sha256Hex,
  hash: sha256Hex,
});
export type AuditEventDto = z.infer<typeof auditEventDto>;

export const auditVerification = z.strictObject({
  ok: z.boolean(),
  events: z.number().int().nonnegative(),
  macChecked: z.number().int().nonnegative(),
  /** The MACs could not be checked because the vault is locked. */
  macSkipped: z.boolean(),
  firstBroken: z.strictObject({ seq: z.number().int(), reason: z.string() }).nullable(),
});
export type AuditVerificationDto = z.infer<typeof auditVerification>;

// ---------------------------------------------------------------------------------------------
// Events from the main process

export const progressEvent = z.strictObject({
  /** One id per invocation, so the window can tell two runs of the same channel apart. */
  operationId: z.string(),
  channel: z.string(),
  stage: z.enum(['started', 'working', 'finished', 'failed']),
  message: z.string(),
  /** 0..1 when the work can tell how far it is; null for an indeterminate bar. */
  fraction: z.number().min(0).max(1).nullable(),
});
export type ProgressEvent = z.infer<typeof progressEvent>;

export const vaultLockedEvent = z.strictObject({
  reason: z.enum(['manual', 'idle', 'closed']),
  path: filePath,
});
export type VaultLockedEvent = z.infer<typeof vaultLockedEvent>;
