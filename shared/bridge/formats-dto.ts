// What the import wizard, the inspector and the validator receive (issue #3). Private keys are
// described (type, size, public-key hash, pairing), never carried; every object is strict, so a
// service answer with more in it is refused by the router.
import { z } from 'zod';
import { ERROR_CODES } from '../errors';

export const errorPayload = z.strictObject({ code: z.enum(ERROR_CODES), message: z.string() });

/** The formats electron/formats/detect.ts recognises from the bytes (checked in the handlers). */
export const DETECTED_FORMATS = [
  'pem',
  'der-certificate',
  'pkcs8',
  'pkcs8-encrypted',
  'pkcs1',
  'sec1',
  'pkcs12',
  'pkcs7',
  'csr',
  'crl',
  'jks',
  'jceks',
  'public-key',
  'bouncycastle',
  'unknown',
] as const;
export const detectedFormat = z.enum(DETECTED_FORMATS);

/**
 * A file for the main process to read: a path the officer picked or typed, or the bytes of a file
 * dropped on the window (base64; the window has no file-system access of its own).
 */
export const fileSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.strictObject({
    kind: z.literal('bytes'),
    name: z.string().min(1).max(255),
    base64: z.string().min(1).max(90_000_000),
  }),
]);
export type FileSource = z.infer<typeof fileSource>;

/** The passwords a file may need: its own, and key passwords of key store entries by alias. */
export const filePasswords = {
  password: z.string().max(1024).optional(),
  keyPasswords: z.record(z.string().max(255), z.string().max(1024)).optional(),
};

export const passwordTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('file') }),
  z.strictObject({ kind: z.literal('key'), alias: z.string() }),
]);
export type PasswordTargetDto = z.infer<typeof passwordTarget>;

// ---------------------------------------------------------------------------------------------
// Import

export const previewCertificate = z.strictObject({
  subject: z.string(),
  issuer: z.string(),
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  isCa: z.boolean(),
  sha256: z.string(),
  sha1: z.string(),
  spkiSha256: z.string(),
  alias: z.string().optional(),
  friendlyName: z.string().optional(),
  keyIndex: z.number().int().nonnegative().optional(),
  inVault: z.string().optional(),
  problem: z.string().optional(),
});
export type PreviewCertificateDto = z.infer<typeof previewCertificate>;

export const previewPrivateKey = z.strictObject({
  type: z.string(),
  spkiSha256: z.string().optional(),
  alias: z.string().optional(),
  friendlyName: z.string().optional(),
  chainSha256: z.array(z.string()),
  inVault: z.string().optional(),
  problem: z.string().optional(),
});
export type PreviewPrivateKeyDto = z.infer<typeof previewPrivateKey>;

export const previewCrl = z.strictObject({
  issuer: z.string(),
  thisUpdate: z.string(),
  nextUpdate: z.string().nullable(),
  entries: z.number().int().nonnegative(),
  sha256: z.string(),
  inVault: z.string().optional(),
  problem: z.string().optional(),
});
export type PreviewCrlDto = z.infer<typeof previewCrl>;

export const filePreview = z.strictObject({
  /** The file's name as the officer sees it (never used to detect the format). */
  name: z.string(),
  format: detectedFormat,
  /** ready: decoded; password: a password is needed or did not fit; failed: cannot be read. */
  status: z.enum(['ready', 'password', 'failed']),
  passwordTarget: passwordTarget.optional(),
  /** True when the password given did not fit: the window says "wrong password". */
  passwordAttempted: z.boolean().optional(),
  error: errorPayload.optional(),
  certificates: z.array(previewCertificate),
  privateKeys: z.array(previewPrivateKey),
  crls: z.array(previewCrl),
  csrs: z.number().int().nonnegative(),
  warnings: z.array(z.string()),
});
export type FilePreviewDto = z.infer<typeof filePreview>;

export const IMPORT_MODES = ['internal', 'remote'] as const;
export const importMode = z.enum(IMPORT_MODES);
export type ImportModeDto = z.infer<typeof importMode>;

export const importEntryResult = z.strictObject({
  file: z.string(),
  kind: z.enum(['certificate', 'private-key', 'crl', 'csr', 'file']),
  label: z.string(),
  fingerprint: z.string().optional(),
  outcome: z.enum(['new', 'existing', 'skipped', 'failed']),
  id: z.string().optional(),
  error: errorPayload.optional(),
  note: z.string().optional(),
});
export type ImportEntryResultDto = z.infer<typeof importEntryResult>;

export const importResult = z.strictObject({
  mode: importMode,
  counts: z.strictObject({
    new: z.number().int().nonnegative(),
    existing: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
  }),
  entries: z.array(importEntryResult),
  /** Per file: what did not stop the import but matters (no MAC, an untrusted root…). */
  warnings: z.array(z.string()),
});
export type ImportResultDto = z.infer<typeof importResult>;

// ---------------------------------------------------------------------------------------------
// Inspect

/** One field as the officer reads it; `problem` flags a field that is unusual or undecodable. */
export const inspectedField = z.strictObject({
  name: z.string(),
  value: z.string(),
  problem: z.string().optional(),
});
export type InspectedField = z.infer<typeof inspectedField>;

export const inspectedExtension = z.strictObject({
  oid: z.string(),
  name: z.string(),
  critical: z.boolean(),
  /** False for an extension the inspector does not know: only its hex is shown. */
  known: z.boolean(),
  lines: z.array(z.string()),
  hex: z.string(),
  problem: z.string().optional(),
});
export type InspectedExtension = z.infer<typeof inspectedExtension>;

export interface Asn1NodeDto {
  tag: string;
  offset: number;
  headerLength: number;
  length: number;
  constructed: boolean;
  indefinite?: boolean | undefined;
  preview?: string | undefined;
  truncated?: string | undefined;
  children?: Asn1NodeDto[] | undefined;
}
export const asn1Node: z.ZodType<Asn1NodeDto> = z.lazy(() =>
  z.strictObject({
    tag: z.string(),
    offset: z.number().int().nonnegative(),
    headerLength: z.number().int().nonnegative(),
    length: z.number().int().nonnegative(),
    constructed: z.boolean(),
    indefinite: z.boolean().optional(),
    preview: z.string().optional(),
    truncated: z.string().optional(),
    children: z.array(asn1Node).optional(),
  }),
);

export const revokedEntryDto = z.strictObject({
  serial: z.string(),
  date: z.string(),
  details: z.array(z.string()),
});

export const inspectedObject = z.strictObject({
  kind: z.enum(['certificate', 'csr', 'crl']),
  /** Subject (certificate, CSR) or issuer (CRL), RFC 4514. */
  title: z.string(),
  alias: z.string().optional(),
  fields: z.array(inspectedField),
  extensions: z.array(inspectedExtension),
  /** Upper-case colon hex, as OpenSSL prints them; null for a CSR. */
  fingerprints: z.strictObject({ sha1: z.string(), sha256: z.string() }).nullable(),
  problems: z.array(z.string()),
  /** CRL only: the entries shown (at most 500) and how many the CRL holds. */
  revoked: z.array(revokedEntryDto),
  revokedCount: z.number().int().nonnegative(),
  asn1: asn1Node.nullable(),
});
export type InspectedObject = z.infer<typeof inspectedObject>;

export const inspectedPrivateKey = z.strictObject({
  type: z.string(),
  bits: z.number().int().optional(),
  curve: z.string().optional(),
  alias: z.string().optional(),
  publicKeySha256: z.string().optional(),
  /** SHA-256 of the certificate the file pairs the key with, when there is one. */
  pairedWith: z.string().optional(),
});

export const fileInspection = z.strictObject({
  name: z.string(),
  format: detectedFormat,
  objects: z.array(inspectedObject),
  privateKeys: z.array(inspectedPrivateKey),
  publicKeys: z.array(z.string()),
  warnings: z.array(z.string()),
  error: z
    .strictObject({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      passwordTarget: passwordTarget.optional(),
    })
    .optional(),
});
export type FileInspectionDto = z.infer<typeof fileInspection>;

// ---------------------------------------------------------------------------------------------
// Validate

export const VALIDATION_PURPOSES = [
  'any',
  'server-auth',
  'client-auth',
  'code-signing',
  'email-protection',
  'time-stamping',
  'ocsp-signing',
] as const;
export const validationPurpose = z.enum(VALIDATION_PURPOSES);
export type ValidationPurposeDto = z.infer<typeof validationPurpose>;

export const validationResult = z.strictObject({
  valid: z.boolean(),
  at: z.string(),
  purpose: validationPurpose,
  /** Leaf first, trust anchor last. */
  chain: z.array(z.strictObject({ subject: z.string(), sha256: z.string() })),
  checks: z.array(
    z.strictObject({
      check: z.string(),
      certificate: z.string(),
      ok: z.boolean(),
      /** unknown: the check could not be done (revocation without a record or CRL): a warning. */
      status: z.enum(['ok', 'fail', 'unknown']),
      detail: z.string(),
    }),
  ),
  /** The anchor the path ends in and where its trust comes from (vault CA, officer's mark). */
  anchor: z
    .strictObject({ subject: z.string(), sha256: z.string(), source: z.string() })
    .nullable(),
  /** Checks that could not be done on a valid path, e.g. revocation without a CRL. */
  warnings: z.array(z.string()),
  firstFailure: z.string().nullable(),
  /** Index in `checks` of the first check that failed, for the window to highlight. */
  firstFailureIndex: z.number().int().nonnegative().nullable(),
  /** Trust anchors, intermediates and CRLs the vault contributed, for the officer's record. */
  used: z.strictObject({
    anchors: z.number().int().nonnegative(),
    intermediates: z.number().int().nonnegative(),
    crls: z.number().int().nonnegative(),
  }),
});
export type ValidationResultDto = z.infer<typeof validationResult>;

// ---------------------------------------------------------------------------------------------
// Export of CSRs and CRLs

export const writtenFile = z.strictObject({
  destination: z.string(),
  format: z.enum(['csr', 'crl']),
  encoding: z.enum(['pem', 'der']),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type WrittenFile = z.infer<typeof writtenFile>;
