// Imports what officers hand each other into the vault: every file is decoded first, then all of
// them are stored in ONE transaction with progress, so a cancel or a crash leaves nothing
// half-imported. Duplicates are recognised by fingerprint (certificates and CRLs by SHA-256, keys
// by the SHA-256 of their public key). Each file's import is audited; key bytes never are.
import { MazeVaultError, toErrorPayload, type ErrorPayload } from '../../shared/errors';
import type { KeyPurpose } from '../../shared/cryptoperiods';
import type { KeyService } from '../keys/service';
import type { CertificateService, CertificateStorage } from '../pki/certificates';
import { TrustAnchorStore, trustHint } from '../pki/validate/trust-anchors';
import type { Vault } from '../vault/vault';
import type { BundlePrivateKey } from './bundle';
import type { DecodeSecrets } from './decode';
import { ImportedCrlStore } from './import-crls';
import { decodeForImport, findKeyBySpki, type DecodedFile } from './import-preview';
import {
  IMPORT_MODES,
  type FilePreview,
  type ImportEntryResult,
  type ImportFile,
  type ImportItem,
  type ImportOptions,
  type ImportResult,
  type ImportSecrets,
  type PreviewCertificate,
} from './import-types';

export * from './import-types';

/** How long the import works between yields, so progress reaches the window and cancel is seen. */
const SLICE_MS = 40;

function secretsFor(secrets: ImportSecrets, name: string): DecodeSecrets {
  const { perFile, ...shared } = secrets;
  return { ...shared, ...perFile?.[name] };
}

function cancelled(): MazeVaultError {
  return new MazeVaultError('CANCELLED', 'The import was cancelled; nothing was imported.');
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function wipeKeys(decoded: readonly DecodedFile[]): void {
  for (const { bundle } of decoded) for (const key of bundle?.privateKeys ?? []) key.pkcs8.fill(0);
}

/** The first CN of a DN string as certificateFacts formats it, for a readable key label. */
function commonName(subject: string): string | undefined {
  return /(?:^|,)\s*CN=((?:\\.|[^,])+)/.exec(subject)?.[1]?.replace(/\\(.)/g, '$1');
}

interface FileTally {
  certificatesNew: number;
  certificatesExisting: number;
  keysNew: number;
  keysExisting: number;
  crlsNew: number;
  crlsExisting: number;
  skipped: number;
  failed: number;
}

export class ImportService {
  private readonly crls: ImportedCrlStore;
  private readonly trust: TrustAnchorStore;

  constructor(
    private readonly vault: Vault,
    private readonly keys: KeyService,
    private readonly certificates: CertificateService,
  ) {
    this.crls = new ImportedCrlStore(vault);
    this.trust = new TrustAnchorStore(vault);
  }

  /** What each file holds and what the vault already has of it; writes nothing. */
  async preview(files: readonly ImportFile[], secrets: ImportSecrets = {}): Promise<FilePreview[]> {
    const previews: FilePreview[] = [];
    for (const file of files) {
      const decoded = await decodeForImport(this.vault, file, secretsFor(secrets, file.name));
      wipeKeys([decoded]);
      previews.push(decoded.preview);
    }
    return previews;
  }

  /**
   * Imports the items in one transaction. Entries that fail (an unsupported key, a damaged
   * certificate) are reported and the rest is kept; a cancel through `signal` rolls back
   * everything and throws CANCELLED.
   */
  async import(items: readonly ImportItem[], options: ImportOptions): Promise<ImportResult> {
    if (!(IMPORT_MODES as readonly string[]).includes(options.mode)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `Unknown import mode "${options.mode}"; use internal (keys sealed in the vault) or ` +
          'remote (keys stay on their server).',
      );
    }
    const remoteLocation = options.remoteLocation?.trim();
    if (options.mode === 'remote' && !remoteLocation) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'A remote-storage import must say where the private keys live (server and path).',
      );
    }
    this.vault.requireUnlocked();
    if (this.vault.db.inTransaction) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'Another import or vault change is in progress; wait for it to finish and try again.',
      );
    }
    const signal = options.signal;
    if (signal?.aborted) throw cancelled();

    const decoded: DecodedFile[] = [];
    try {
      for (const [index, item] of items.entries()) {
        decoded.push(await decodeForImport(this.vault, item, item.secrets ?? {}));
        options.onProgress?.({
          phase: 'decode',
          done: index + 1,
          total: items.length,
          file: item.name,
        });
        if (signal?.aborted) throw cancelled();
      }
      return await this.storeAll(items, decoded, { ...options, remoteLocation });
    } catch (error) {
      if (error instanceof MazeVaultError && error.code === 'CANCELLED') {
        this.vault.record({
          action: 'import',
          subject: items
            .map((item) => item.name)
            .join(', ')
            .slice(0, 500),
          outcome: 'failure',
          details: { mode: options.mode, files: items.length, reason: 'cancelled' },
        });
      }
      throw error;
    } finally {
      wipeKeys(decoded);
    }
  }

  private async storeAll(
    items: readonly ImportItem[],
    decoded: readonly DecodedFile[],
    options: ImportOptions,
  ): Promise<ImportResult> {
    const total = decoded.reduce(
      (sum, { bundle }) =>
        sum +
        (bundle ? bundle.certificates.length + bundle.privateKeys.length + bundle.crls.length : 1),
      0,
    );
    const result: ImportResult = {
      mode: options.mode,
      counts: { new: 0, existing: 0, skipped: 0, failed: 0 },
      entries: [],
      warnings: [],
    };
    let done = 0;
    let sliceStart = Date.now();
    const progress = async (file: string) => {
      done += 1;
      if (Date.now() - sliceStart < SLICE_MS && done < total) return;
      options.onProgress?.({ phase: 'store', done, total, file });
      // Writes made while the import yields here would join its transaction (one connection):
      // the IPC router refuses every non-read channel while `import:commit` runs (exclusive).
      await yieldToEventLoop();
      if (options.signal?.aborted) throw cancelled();
      sliceStart = Date.now();
    };

    // One transaction for everything; each entry runs in its own savepoint (the services' nested
    // transactions), so a failed entry is undone alone and reported, and a cancel undoes all.
    this.vault.db.exec('BEGIN IMMEDIATE');
    try {
      for (const [index, file] of decoded.entries()) {
        const name = items[index]!.name;
        for (const warning of file.preview.warnings) result.warnings.push(`${name}: ${warning}`);
        const warn = (warning: string) => result.warnings.push(`${name}: ${warning}`);
        const entries = await this.storeFile(file, items[index]!, options, progress, warn);
        result.entries.push(...entries);
      }
      this.vault.db.exec('COMMIT');
    } catch (error) {
      if (this.vault.db.inTransaction) this.vault.db.exec('ROLLBACK');
      throw error;
    }
    for (const entry of result.entries) result.counts[entry.outcome] += 1;
    return result;
  }

  private async storeFile(
    decoded: DecodedFile,
    item: ImportItem,
    options: ImportOptions,
    progress: (file: string) => Promise<void>,
    warn: (warning: string) => void,
  ): Promise<ImportEntryResult[]> {
    const { preview, bundle } = decoded;
    const name = item.name;
    const source = `import:${name}`;
    if (!bundle) {
      const error: ErrorPayload = preview.error ?? {
        code: 'MALFORMED',
        message: `${name} could not be read.`,
      };
      this.auditFile(name, preview, options, undefined, error);
      await progress(name);
      return [{ file: name, kind: 'file', label: name, outcome: 'failed', error }];
    }

    const entries: ImportEntryResult[] = [];
    const tally: FileTally = {
      certificatesNew: 0,
      certificatesExisting: 0,
      keysNew: 0,
      keysExisting: 0,
      crlsNew: 0,
      crlsExisting: 0,
      skipped: 0,
      failed: 0,
    };
    const add = (entry: ImportEntryResult) => {
      entries.push(entry);
      if (entry.outcome === 'failed') tally.failed += 1;
      if (entry.outcome === 'skipped') tally.skipped += 1;
    };
    const wanted = (list: string[] | undefined, fingerprint: string | undefined) =>
      !list || (fingerprint !== undefined && list.includes(fingerprint));

    // Keys first, so the certificates that follow link to them by SPKI.
    for (const [index, key] of bundle.privateKeys.entries()) {
      const described = preview.privateKeys[index]!;
      if (wanted(item.only?.privateKeys, described.spkiSha256)) {
        const entry = this.storeKey(key, preview, index, source, options);
        if (entry.outcome === 'new') tally.keysNew += 1;
        if (entry.outcome === 'existing') tally.keysExisting += 1;
        add({ ...entry, file: name });
      }
      await progress(name);
    }

    for (const index of issuersFirst(preview.certificates)) {
      const described = preview.certificates[index]!;
      if (wanted(item.only?.certificates, described.sha256)) {
        const der = bundle.certificates[index]!.der;
        const entry = this.storeCertificate(der, described, preview, source, options, warn);
        if (entry.outcome === 'new') tally.certificatesNew += 1;
        if (entry.outcome === 'existing') tally.certificatesExisting += 1;
        add({ ...entry, file: name });
      }
      await progress(name);
    }

    for (const [index, der] of bundle.crls.entries()) {
      const described = preview.crls[index]!;
      if (wanted(item.only?.crls, described.sha256)) {
        const entry = this.storeCrl(der, described.issuer, source);
        if (entry.outcome === 'new') tally.crlsNew += 1;
        if (entry.outcome === 'existing') tally.crlsExisting += 1;
        add({ ...entry, file: name });
      }
      await progress(name);
    }

    if (bundle.csrs.length > 0) {
      add({
        file: name,
        kind: 'csr',
        label: `${bundle.csrs.length} certificate signing request(s)`,
        outcome: 'skipped',
        note: 'The vault does not store CSRs; sign one with `mazevault ca sign` instead.',
      });
    }
    this.auditFile(name, preview, options, tally);
    return entries;
  }

  private storeKey(
    key: BundlePrivateKey,
    preview: FilePreview,
    index: number,
    source: string,
    options: ImportOptions,
  ): Omit<ImportEntryResult, 'file'> {
    const described = preview.privateKeys[index]!;
    const leaf = preview.certificates.find((cert) => cert.keyIndex === index);
    const label =
      key.alias ??
      key.friendlyName ??
      (leaf ? commonName(leaf.subject) : undefined) ??
      `Imported ${described.type} key`;
    const base = { kind: 'private-key' as const, label, fingerprint: described.spkiSha256 };
    if (described.problem || !described.spkiSha256) {
      return {
        ...base,
        outcome: 'failed',
        error: { code: 'UNSUPPORTED', message: described.problem ?? 'The key cannot be read.' },
      };
    }
    if (options.mode === 'remote') {
      return {
        ...base,
        outcome: 'skipped',
        note: `Remote storage: the key stays at ${options.remoteLocation} and is not stored.`,
      };
    }
    const existing = findKeyBySpki(this.vault, described.spkiSha256);
    if (existing) return { ...base, outcome: 'existing', id: existing };

    try {
      const purpose: KeyPurpose = leaf?.isCa
        ? leaf.subject === leaf.issuer
          ? 'root-ca'
          : 'sub-ca'
        : 'general';
      const record = this.vault.transaction(() => {
        const imported = this.keys.importSoftwareKey(key.pkcs8, { label, purpose, source });
        // Certificates already in the vault without their key now have it (same SPKI).
        this.vault.db
          .prepare(
            `UPDATE certificates SET key_id = ?, storage = 'internal', remote_location = NULL
             WHERE spki_sha256 = ? AND key_id IS NULL`,
          )
          .run(imported.id, imported.spkiSha256);
        return imported;
      });
      return { ...base, outcome: 'new', id: record.id };
    } catch (error) {
      return { ...base, outcome: 'failed', error: toErrorPayload(error) };
    }
  }

  private storeCertificate(
    der: Buffer,
    described: PreviewCertificate,
    preview: FilePreview,
    source: string,
    options: ImportOptions,
    warn: (warning: string) => void,
  ): Omit<ImportEntryResult, 'file'> {
    const base = {
      kind: 'certificate' as const,
      label: described.subject,
      fingerprint: described.sha256,
    };
    if (described.problem) {
      return {
        ...base,
        outcome: 'failed',
        error: { code: 'MALFORMED', message: described.problem },
      };
    }
    const storage = this.storageOf(described, preview, options);
    try {
      return this.vault.transaction(() => {
        const { certificate, duplicate } = this.certificates.insert(der, {
          source,
          storage,
          remoteLocation: storage === 'remote' ? (options.remoteLocation ?? null) : null,
          audit: { action: 'cert.import', details: { mode: options.mode } },
        });
        const trust = this.trustNote(certificate.id, described, source, options);
        if (trust?.warning) warn(trust.note);
        return {
          ...base,
          outcome: duplicate ? ('existing' as const) : ('new' as const),
          id: certificate.id,
          ...(trust ? { note: trust.note } : {}),
        };
      });
    } catch (error) {
      return { ...base, outcome: 'failed', error: toErrorPayload(error) };
    }
  }

  /**
   * An import never grants trust by itself: a self-signed CA becomes a trust anchor only when the
   * officer asked for it (`trustAnchors`); otherwise its entry warns that it is not trusted.
   */
  private trustNote(
    id: string,
    described: PreviewCertificate,
    source: string,
    options: ImportOptions,
  ): { note: string; warning: boolean } | undefined {
    if (!described.isCa || described.subject !== described.issuer) return undefined;
    if (options.trustAnchors) {
      const change = this.trust.setTrusted(id, true, source);
      const note = change.changed
        ? `${described.subject} is now a trust anchor for validation (asked for with the import).`
        : `${described.subject} is a trust anchor for validation (${change.reason}).`;
      return { note, warning: false };
    }
    if (this.trust.isTrusted(id)) return undefined;
    const note =
      `${described.subject} is a self-signed CA and is not trusted for validation; ` +
      `${trustHint(id)}.`;
    return { note, warning: true };
  }

  /**
   * internal: the key is (now) in the vault. remote: the key of this certificate stays on its
   * server, which holds for a certificate paired with a key in the file, or, in a file without
   * keys, for an end-entity certificate. Anything else (the CAs of a chain) has no key here.
   */
  private storageOf(
    described: PreviewCertificate,
    preview: FilePreview,
    options: ImportOptions,
  ): CertificateStorage {
    if (findKeyBySpki(this.vault, described.spkiSha256)) return 'internal';
    if (options.mode !== 'remote') return 'none';
    const paired = described.keyIndex !== undefined;
    const bareLeaf = preview.privateKeys.length === 0 && !described.isCa;
    return paired || bareLeaf ? 'remote' : 'none';
  }

  private storeCrl(der: Buffer, issuer: string, source: string): Omit<ImportEntryResult, 'file'> {
    const base = { kind: 'crl' as const, label: `CRL of ${issuer}` };
    try {
      const { crl, duplicate } = this.vault.transaction(() => this.crls.insert(der, source));
      return {
        ...base,
        fingerprint: crl.sha256,
        outcome: duplicate ? 'existing' : 'new',
        id: crl.id,
      };
    } catch (error) {
      return { ...base, outcome: 'failed', error: toErrorPayload(error) };
    }
  }

  private auditFile(
    name: string,
    preview: FilePreview,
    options: ImportOptions,
    tally: FileTally | undefined,
    error?: ErrorPayload,
  ): void {
    this.vault.record({
      action: 'import',
      subject: name,
      outcome: error ? 'failure' : 'success',
      details: {
        file: name,
        format: preview.format,
        mode: options.mode,
        ...(options.mode === 'remote' ? { remoteLocation: options.remoteLocation } : {}),
        ...(tally ?? {}),
        ...(error ? { reason: error.code } : {}),
      },
    });
  }
}

/**
 * Certificate indexes ordered so that a CA comes before the certificates it issued within the
 * file, letting each one link to its issuer as it is stored (RFC 5280 §6.1 chain order).
 */
function issuersFirst(certificates: readonly PreviewCertificate[]): number[] {
  const bySubject = new Map<string, number>();
  certificates.forEach((cert, index) => {
    if (cert.isCa && !bySubject.has(cert.subject)) bySubject.set(cert.subject, index);
  });
  const depths = new Map<number, number>();
  const depth = (index: number, seen: Set<number>): number => {
    const known = depths.get(index);
    if (known !== undefined) return known;
    const cert = certificates[index]!;
    const issuer = bySubject.get(cert.issuer);
    const value =
      issuer === undefined || issuer === index || seen.has(issuer) || seen.size > 16
        ? 0
        : depth(issuer, new Set([...seen, index])) + 1;
    depths.set(index, value);
    return value;
  };
  return certificates
    .map((_, index) => index)
    .sort((a, b) => depth(a, new Set()) - depth(b, new Set()) || a - b);
}
