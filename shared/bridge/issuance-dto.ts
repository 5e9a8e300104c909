// What crosses the bridge for issuance templates and batch issuance (issue #5): the whole template
// (with the CSR precedence the lifecycle list leaves out), a CSR signing plan, and a batch's
// outcome per CSV line. No schema has room for key material.
import { z } from 'zod';
import { id, isoTime, keyAlgorithm } from '../dto';
import { fileSource } from './formats-dto';
import { keyPolicy } from './lifecycle-dto';

export const TEMPLATE_PROFILES = ['tls-server', 'tls-client'] as const;
export const PRECEDENCES = ['template', 'csr'] as const;

export const templateProfile = z.enum(TEMPLATE_PROFILES);
export const precedence = z.enum(PRECEDENCES);
export type Precedence = z.infer<typeof precedence>;

/** RFC 5280 §4.2: which side gives the subject and the SANs when a CSR is signed. */
export const csrPrecedence = z.strictObject({
  subject: precedence,
  subjectAltName: precedence,
});
export type CsrPrecedenceDto = z.infer<typeof csrPrecedence>;

/** Either years or days, or both (the service adds them). */
export const templateValidity = z
  .strictObject({
    years: z.number().int().min(1).max(100).optional(),
    days: z.number().int().min(1).max(36_500).optional(),
  })
  .refine((value) => value.years !== undefined || value.days !== undefined, {
    message: 'give the validity in years or days (end-entity: 90 days to 1 year)',
  });

/** A SAN as "TYPE:value"; the PKI service checks the type and the value and says what is wrong. */
export const templateSan = z.string().trim().min(3).max(2048);

export const issuanceTemplate = z.strictObject({
  id,
  name: z.string(),
  profile: templateProfile,
  subjectDefaults: z.string().nullable(),
  sans: z.array(z.string()),
  crlDistributionPoint: z.string().nullable(),
  keyPolicy,
  keyAlgorithm,
  validity: z.strictObject({
    years: z.number().int().optional(),
    days: z.number().int().optional(),
  }),
  csrPrecedence,
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type IssuanceTemplateDto = z.infer<typeof issuanceTemplate>;

/** A CSR as PEM text pasted in the window, or a file (path or dropped bytes). */
export const csrSource = z.union([
  z.strictObject({
    kind: z.literal('pem'),
    text: z
      .string()
      .min(1)
      .max(64 * 1024),
  }),
  fileSource,
]);
export type CsrSource = z.infer<typeof csrSource>;

export const csrPlan = z.strictObject({
  /** What would be certified under `precedence`. */
  subject: z.string(),
  sans: z.array(z.string()),
  precedence: csrPrecedence,
  /** Each side as it stands on its own. */
  csrSubject: z.string(),
  csrSans: z.array(z.string()),
  templateSubjectDefaults: z.string().nullable(),
  templateSans: z.array(z.string()),
});
export type CsrPlanDto = z.infer<typeof csrPlan>;

/** The batch CSV: pasted text, or a file. */
export const batchCsvSource = z.union([
  z.strictObject({
    kind: z.literal('text'),
    text: z
      .string()
      .min(1)
      .max(16 * 1024 * 1024),
  }),
  fileSource,
]);
export type BatchCsvSource = z.infer<typeof batchCsvSource>;

export const batchLine = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('issued'),
    line: z.number().int().positive(),
    subject: z.string(),
    certId: id,
    keyId: id.nullable(),
  }),
  z.strictObject({
    outcome: z.literal('failed'),
    line: z.number().int().positive(),
    subject: z.string(),
    code: z.string(),
    message: z.string(),
  }),
]);
export type BatchLineDto = z.infer<typeof batchLine>;

export const batchResult = z.strictObject({
  /** Every line that ran, in CSV order. */
  lines: z.array(batchLine),
  issued: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Lines of the CSV in all, run or not. */
  total: z.number().int().nonnegative(),
  cancelled: z.boolean(),
  /** What the CSV holds that the batch did not read (unknown columns, extra fields). */
  warnings: z.array(z.string()),
});
export type BatchResultDto = z.infer<typeof batchResult>;

export const batchPreview = z.strictObject({
  /** Certificate lines in the CSV (the header not counted). */
  total: z.number().int().nonnegative(),
  warnings: z.array(z.string()),
});
export type BatchPreviewDto = z.infer<typeof batchPreview>;
