// The bridge channels for issuance templates and batch issuance (issue #5), with their request and
// response schemas. The template service validates the contents (profile policy, names, SANs) and
// answers with a sentence; these schemas bound the sizes and shapes.
import { z } from 'zod';
import type { ChannelSpec } from '../contract';
import { id, issuedCertificate, keyAlgorithm } from '../dto';
import {
  batchCsvSource,
  batchPreview,
  batchResult,
  csrPlan,
  csrPrecedence,
  csrSource,
  issuanceTemplate,
  precedence,
  templateProfile,
  templateSan,
  templateValidity,
} from './issuance-dto';
import type { IssuanceChannel } from './issuance-names';
import { keyPolicy } from './lifecycle-dto';

/** A template's name or id. */
const templateRef = z.string().trim().min(1).max(200);
/** An id the window makes up for one batch run, so `batch:cancel` can name it. */
const batchId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'letters, digits and dashes');
const sans = z.array(templateSan).max(100);

export const ISSUANCE_CONTRACT = {
  'templates:get': {
    request: z.strictObject({ template: templateRef }),
    response: issuanceTemplate,
    readOnly: true,
  },

  /** Creates the template, or replaces the one with the same name (audited). */
  'templates:save': {
    request: z.strictObject({
      name: z.string().trim().min(1).max(200),
      profile: templateProfile,
      /** RFC 4514 attributes added to every subject, e.g. "OU=Devices,O=Acme,C=DE". */
      subjectDefaults: z.string().trim().max(4096).optional(),
      sans: sans.default([]),
      crlDistributionPoint: z.url().max(2048).optional(),
      keyPolicy,
      keyAlgorithm,
      validity: templateValidity,
      csrPrecedence,
    }),
    response: issuanceTemplate,
  },

  /** Deletes the template; certificates issued with it are not touched. */
  'templates:remove': {
    request: z.strictObject({ template: templateRef, confirmed: z.boolean().default(false) }),
    response: z.strictObject({ removed: z.string() }),
  },

  /** A new key in the vault and its certificate, the template's way, for one subject. */
  'templates:issue': {
    request: z.strictObject({
      template: templateRef,
      issuerId: id,
      /** A full RFC 4514 subject, or just the common name; the template's defaults fill the rest. */
      subject: z.string().trim().min(1).max(4096),
      /** Added to the template's SANs. */
      subjectAltNames: sans.default([]),
      /** Left out: the template's validity. */
      validity: templateValidity.optional(),
    }),
    response: issuedCertificate,
    long: true,
    progressMessage: 'Generating the key and issuing the certificate from the template',
  },

  /** What signing this CSR with the template would certify; changes nothing. */
  'templates:plan-csr': {
    request: z.strictObject({
      template: templateRef,
      csr: csrSource,
      /** Per field; left out: the template's choice. */
      precedence: z
        .strictObject({ subject: precedence.optional(), subjectAltName: precedence.optional() })
        .optional(),
    }),
    response: csrPlan,
    readOnly: true,
  },

  /** Signs the CSR with the chosen winner per field and, when given, the SANs as edited. */
  'templates:sign-csr': {
    request: z.strictObject({
      template: templateRef,
      issuerId: id,
      csr: csrSource,
      precedence: csrPrecedence,
      /** The SANs to certify, replacing the merged list; left out: the plan's. */
      subjectAltNames: sans.optional(),
    }),
    response: issuedCertificate,
    long: true,
    progressMessage: 'Checking the CSR and signing it with the template',
  },

  /** Reads the CSV as a batch would, issuing nothing: how many lines, and what it would ignore. */
  'batch:preview': {
    request: z.strictObject({ csv: batchCsvSource }),
    response: batchPreview,
    readOnly: true,
  },

  /**
   * One certificate per CSV line (header: cn or subject, sans, days), each with a new key, each
   * its own audited issuance: a bad line fails alone. Progress per line; `batch:cancel` stops it
   * after the line in hand, and what was issued stays issued.
   */
  'batch:issue': {
    request: z.strictObject({
      batchId,
      issuerId: id,
      template: templateRef,
      csv: batchCsvSource,
    }),
    response: batchResult,
    long: true,
    progressMessage: 'Issuing the batch',
  },
  'batch:cancel': {
    request: z.strictObject({ batchId }),
    response: z.strictObject({ cancelled: z.boolean() }),
    readOnly: true,
  },
} as const satisfies Record<IssuanceChannel, ChannelSpec>;
