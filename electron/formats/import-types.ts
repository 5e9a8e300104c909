// The shapes the import wizard and `mazevault import` exchange with the import service: a preview
// of each file without any vault write, and the per-item result of an import.
import type { ErrorPayload } from '../../shared/errors';
import type { DecodeSecrets } from './decode';
import type { PasswordTarget } from './decode-errors';
import type { DetectedFormat } from './detect';

export interface ImportFile {
  /** The file's name as the officer sees it; recorded as the source, never used for detection. */
  name: string;
  bytes: Buffer;
}

/** Passwords for the files: one for all, or per file name (which wins). */
export interface ImportSecrets extends DecodeSecrets {
  perFile?: Record<string, DecodeSecrets>;
}

export const IMPORT_MODES = ['internal', 'remote'] as const;
/**
 * internal: private keys are sealed into the vault. remote: only certificates are kept; the key
 * stays on the server it lives on, and the record says where.
 */
export type ImportMode = (typeof IMPORT_MODES)[number];

export interface PreviewCertificate {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  isCa: boolean;
  sha256: string;
  sha1: string;
  spkiSha256: string;
  alias?: string;
  friendlyName?: string;
  /** Index into the file's privateKeys of the key this certificate certifies, when present. */
  keyIndex?: number;
  /** The vault's certificate with the same SHA-256, when it is already there. */
  inVault?: string;
  /** Why the certificate cannot be read; it will fail to import. */
  problem?: string;
}

export interface PreviewPrivateKey {
  /** Key type as Node names it: rsa, ec, ed25519, rsa-pss, dsa… */
  type: string;
  /** SHA-256 of its public key (SPKI), hex: how duplicates and certificates are matched. */
  spkiSha256?: string;
  alias?: string;
  friendlyName?: string;
  /** SHA-256 fingerprints of the certificates the key is paired with, leaf first. */
  chainSha256: string[];
  /** The vault's key with the same public key, when it is already there. */
  inVault?: string;
  problem?: string;
}

export interface PreviewCrl {
  issuer: string;
  thisUpdate: string;
  nextUpdate: string | null;
  entries: number;
  sha256: string;
  inVault?: string;
  problem?: string;
}

export interface FilePreview {
  name: string;
  format: DetectedFormat;
  /** ready: decoded; password: a password is needed or did not fit; failed: cannot be read. */
  status: 'ready' | 'password' | 'failed';
  /** Which password is needed (the file's, or one key store entry's), when status is password. */
  passwordTarget?: PasswordTarget;
  /** True when a password was given and did not fit. */
  passwordAttempted?: boolean;
  error?: ErrorPayload;
  certificates: PreviewCertificate[];
  privateKeys: PreviewPrivateKey[];
  crls: PreviewCrl[];
  /** CSRs are shown by subject; the vault does not store them (sign them with `ca sign`). */
  csrs: number;
  warnings: string[];
}

/** One file to import, with its passwords and, optionally, which of its entries to take. */
export interface ImportItem extends ImportFile {
  secrets?: DecodeSecrets;
  /** Take only these (by SHA-256 for certificates and CRLs, SPKI SHA-256 for keys). */
  only?: { certificates?: string[]; privateKeys?: string[]; crls?: string[] };
}

export interface ImportOptions {
  mode: ImportMode;
  /** Remote mode: where the private key lives (host and path, a server name…). Required there. */
  remoteLocation?: string;
  /**
   * Mark the self-signed CA certificates of the files as trust anchors for validation (audited).
   * Without it an imported root is stored but never trusted, and its entry says so.
   */
  trustAnchors?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Aborting rolls the whole import back: nothing is half-imported. */
  signal?: AbortSignal;
}

export interface ImportProgress {
  phase: 'decode' | 'store';
  done: number;
  total: number;
  file: string;
}

export type ImportEntryKind = 'certificate' | 'private-key' | 'crl' | 'csr' | 'file';

export interface ImportEntryResult {
  file: string;
  kind: ImportEntryKind;
  /** Subject, issuer or alias: what the officer recognises the entry by. */
  label: string;
  /** SHA-256 of a certificate or CRL, SPKI SHA-256 of a key. */
  fingerprint?: string;
  /** new: stored now; existing: already in the vault; skipped: deliberately not stored. */
  outcome: 'new' | 'existing' | 'skipped' | 'failed';
  /** The vault id (certificate, key or CRL) for new and existing entries. */
  id?: string;
  /** Why it failed or was skipped, in words. */
  error?: ErrorPayload;
  note?: string;
}

export interface ImportResult {
  mode: ImportMode;
  counts: { new: number; existing: number; skipped: number; failed: number };
  entries: ImportEntryResult[];
  /**
   * What the officer should know that did not stop the import, each naming its file: a store
   * read without its MAC, a key password for an alias the store lacks, a self-signed CA that was
   * stored but is not trusted for validation.
   */
  warnings: string[];
}
