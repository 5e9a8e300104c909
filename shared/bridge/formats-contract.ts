// The bridge channels for import, inspect and validate (issue #3), with their request and response schemas.
import { z } from 'zod';
import type { ChannelSpec } from '../contract';
import { exportResult, id, isoTime } from '../dto';
import type { FormatChannel } from './formats-names';
import {
  fileInspection,
  filePasswords,
  filePreview,
  fileSource,
  importMode,
  importResult,
  validationPurpose,
  validationResult,
  writtenFile,
} from './formats-dto';

const destination = z.string().min(1).max(4096);
/** An id the window makes up for one import run, so `import:cancel` can name it. */
const importId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'letters, digits and dashes');
const trustStatus = z.strictObject({
  id,
  trusted: z.boolean(),
  /** A CA this vault created: always an anchor while it is not revoked. */
  vaultCa: z.boolean(),
  /** Why its trust is what it is, in words. */
  reason: z.string(),
});
const sha256List = z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(100_000);

export const FORMAT_CONTRACT = {
  /** The system's open dialog; several files for an import. `paths` is empty when cancelled. */
  'dialog:choose-files': {
    request: z.strictObject({
      purpose: z.enum(['import', 'inspect', 'validate']),
      multiple: z.boolean().default(false),
    }),
    response: z.strictObject({ paths: z.array(z.string().min(1).max(4096)).max(1000) }),
    readOnly: true,
  },

  /** What each file holds and what the vault already has of it; writes nothing. */
  'import:preview': {
    request: z.strictObject({
      files: z
        .array(z.strictObject({ source: fileSource, ...filePasswords }))
        .min(1)
        .max(1000),
    }),
    response: z.strictObject({ files: z.array(filePreview) }),
    long: true,
    progressMessage: 'Reading the files',
    readOnly: true,
  },

  /**
   * Imports the chosen entries of the files in one transaction; a cancel (`import:cancel` with
   * the same importId) rolls all of it back.
   */
  'import:commit': {
    request: z
      .strictObject({
        importId,
        mode: importMode,
        /** Remote mode: where the private keys stay (server and path). */
        remoteLocation: z.string().trim().max(1000).optional(),
        /** Mark the self-signed CAs of the files as trust anchors (an import never does alone). */
        trustAnchors: z.boolean().optional(),
        files: z
          .array(
            z.strictObject({
              source: fileSource,
              ...filePasswords,
              /** Only these entries (SHA-256 of certificates and CRLs, SPKI SHA-256 of keys). */
              only: z
                .strictObject({
                  certificates: sha256List.optional(),
                  privateKeys: sha256List.optional(),
                  crls: sha256List.optional(),
                })
                .optional(),
            }),
          )
          .min(1)
          .max(1000),
      })
      .refine((request) => request.mode === 'internal' || Boolean(request.remoteLocation), {
        message: 'a remote-storage import must say where the private keys live',
        path: ['remoteLocation'],
      }),
    response: importResult,
    long: true,
    progressMessage: 'Importing',
    exclusive: true,
  },
  'import:cancel': {
    request: z.strictObject({ importId }),
    response: z.strictObject({ cancelled: z.boolean() }),
    readOnly: true,
  },

  /** Everything in a file, or in a vault certificate: fields, extensions, ASN.1 tree. */
  'inspect:file': {
    request: z.strictObject({
      source: z.union([fileSource, z.strictObject({ kind: z.literal('vault-certificate'), id })]),
      ...filePasswords,
    }),
    response: fileInspection,
    long: true,
    progressMessage: 'Reading the file',
    readOnly: true,
  },

  /** RFC 5280 path validation against the vault's CAs and CRLs at a chosen time. */
  'validate:certificate': {
    request: z.strictObject({
      source: z.union([fileSource, z.strictObject({ kind: z.literal('vault'), id })]),
      /** Left out: now. */
      at: isoTime.optional(),
      purpose: validationPurpose.default('any'),
    }),
    response: validationResult,
    readOnly: true,
  },

  /** Whether validation takes this vault certificate as a trust anchor, and why. */
  'certificates:trust': {
    request: z.strictObject({ id }),
    response: trustStatus,
    readOnly: true,
  },
  /** Marks a certificate as a trust anchor or takes the mark away (audited); a vault CA stays. */
  'certificates:set-trust': {
    request: z.strictObject({ id, trusted: z.boolean() }),
    response: trustStatus,
  },

  /** JKS or JCEKS with the key entry under its own password (keytool's -keypass). */
  'export:keystore': {
    request: z.strictObject({
      certId: id,
      format: z.enum(['jks', 'jceks']),
      /** Include the private key entry; off: the certificates as trusted entries only. */
      withKey: z.boolean().default(true),
      chain: z.boolean().default(true),
      storePassword: z.string().min(1).max(1024),
      /** The key entry's password; left out: the store password. */
      keyPassword: z.string().min(1).max(1024).optional(),
      /** The key entry's alias; left out: the certificate's CN. Needed with a key password. */
      alias: z.string().trim().min(1).max(200).optional(),
      destination,
      confirmed: z.boolean().default(false),
      overwrite: z.boolean().default(false),
    }),
    response: exportResult,
    long: true,
    progressMessage: 'Writing the key store',
  },

  /** A new CSR for the certificate's subject and names, signed by its key in the vault. */
  'export:csr': {
    request: z.strictObject({
      certId: id,
      encoding: z.enum(['pem', 'der']).default('pem'),
      destination,
      overwrite: z.boolean().default(false),
    }),
    response: writtenFile,
    long: true,
    progressMessage: 'Signing the certificate request',
  },

  /** The newest complete CRL this CA issued in the vault. */
  'export:crl': {
    request: z.strictObject({
      certId: id,
      encoding: z.enum(['pem', 'der']).default('pem'),
      destination,
      overwrite: z.boolean().default(false),
    }),
    response: writtenFile,
  },
} as const satisfies Record<FormatChannel, ChannelSpec>;
