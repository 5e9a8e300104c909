// Exports a certificate from the vault, with its chain and, when the officer confirms it, its
// private key. The bytes come from the pure encoders (encode.ts); this file decides what may
// leave the vault and leaves a trace of it in the audit trail.
import { MazeVaultError } from '../../shared/errors';
import type { KeyService } from '../keys/service';
import type { CertificateRecord, CertificateService } from '../pki/certificates';
import type { Vault } from '../vault/vault';
import { encode, type ExportFormat, type ExportInput, type ExportOptions } from './encode';

export const CERTIFICATE_EXPORT_FORMATS = [
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
export type CertificateExportFormat = (typeof CERTIFICATE_EXPORT_FORMATS)[number];

export interface CertificateExportRequest {
  format: CertificateExportFormat;
  /** Include the issuers the vault knows, up to the root. Default: on for pem-chain and p7b. */
  chain?: boolean;
  /** Include the private key (p12, p12-legacy, jks, jceks); pkcs8 formats always carry it. */
  withKey?: boolean;
  /** Protects p12, jks, jceks and encrypted PKCS#8; refused with the plain 'pkcs8'. */
  password?: string;
  friendlyName?: string;
  /** jks and jceks: key entry passwords by alias, when they differ from the store password. */
  keyPasswords?: Readonly<Record<string, string>>;
  /** Where the bytes will go (a path, "clipboard"…), recorded in the audit trail. */
  destination: string;
  /** The officer confirmed that a private key leaves the vault. */
  confirmed?: boolean;
}

const KEY_FORMATS: ReadonlySet<CertificateExportFormat> = new Set(['pkcs8', 'pkcs8-encrypted']);
const KEYSTORE_FORMATS: ReadonlySet<CertificateExportFormat> = new Set([
  'p12',
  'p12-legacy',
  'jks',
  'jceks',
]);
const CHAIN_BY_DEFAULT: ReadonlySet<CertificateExportFormat> = new Set([
  'pem-chain',
  'p7b',
  'p7b-der',
]);

function invalid(message: string): MazeVaultError {
  return new MazeVaultError('INVALID_INPUT', message);
}

export class ExportService {
  constructor(
    private readonly vault: Vault,
    private readonly keys: KeyService,
    private readonly certificates: CertificateService,
  ) {}

  async exportCertificate(certId: string, request: CertificateExportRequest): Promise<Buffer> {
    const certificate = this.certificates.get(certId);
    if (!(CERTIFICATE_EXPORT_FORMATS as readonly string[]).includes(request.format)) {
      throw invalid(
        `"${request.format}" is not a certificate export format; use ${CERTIFICATE_EXPORT_FORMATS.join(', ')}.`,
      );
    }
    const destination = request.destination?.trim();
    if (!destination) {
      throw invalid('Say where the export goes (a file name), for the audit trail.');
    }

    const withKey = KEY_FORMATS.has(request.format) || request.withKey === true;
    if (withKey && !KEY_FORMATS.has(request.format) && !KEYSTORE_FORMATS.has(request.format)) {
      throw invalid(
        `The ${request.format} format cannot carry a private key; choose p12 or pkcs8.`,
      );
    }
    const chain = request.chain ?? CHAIN_BY_DEFAULT.has(request.format);
    let format: ExportFormat = request.format;
    if (format === 'pem' && chain) format = 'pem-chain';
    // 'pkcs8' is the unencrypted form: a password never turns it into another format unasked.
    if (format === 'pkcs8' && request.password !== undefined) {
      throw invalid(
        "The 'pkcs8' format writes the key unencrypted and takes no password; choose " +
          "'pkcs8-encrypted' to protect it with one.",
      );
    }
    if (format === 'der' && chain) {
      throw invalid('A DER file holds one certificate; choose pem-chain or p7b for the chain.');
    }

    const ders = chain ? this.certificates.chain(certId) : [this.certificates.der(certId)];
    const options: ExportOptions = {};
    if (request.password !== undefined) options.password = request.password;
    if (request.friendlyName !== undefined) options.friendlyName = request.friendlyName;
    if (request.keyPasswords !== undefined) options.keyPasswords = request.keyPasswords;

    let input: ExportInput;
    let pkcs8: Buffer | undefined;
    if (withKey) {
      pkcs8 = this.privateKeyFor(certificate, format, destination, request.confirmed === true);
      input = KEY_FORMATS.has(request.format)
        ? { privateKeys: [{ pkcs8 }] }
        : { privateKeys: [{ pkcs8, chain: ders }] };
    } else {
      input = { certificates: ders.map((der) => ({ der })) };
    }

    const audit = { format, chain, withKey, destination, sha256: certificate.sha256 };
    try {
      const bytes = await encode(format, input, options);
      this.vault.record({
        action: 'export.certificate',
        subject: certificate.id,
        outcome: 'success',
        details: audit,
      });
      return bytes;
    } catch (error) {
      this.vault.record({
        action: 'export.certificate',
        subject: certificate.id,
        outcome: 'failure',
        details: { ...audit, reason: error instanceof MazeVaultError ? error.code : 'INTERNAL' },
      });
      throw error;
    } finally {
      pkcs8?.fill(0);
    }
  }

  /** The key leaves the vault only unlocked, confirmed, and through the lifecycle-checked path. */
  private privateKeyFor(
    certificate: CertificateRecord,
    format: string,
    destination: string,
    confirmed: boolean,
  ): Buffer {
    if (!certificate.keyId) {
      throw new MazeVaultError(
        'NOT_FOUND',
        `The private key of "${certificate.subject}" is not in this vault; export the certificate without the key.`,
      );
    }
    this.vault.requireUnlocked();
    if (!confirmed) {
      throw new MazeVaultError(
        'CONFIRMATION_REQUIRED',
        `Exporting the private key of "${certificate.subject}" copies it out of the vault; confirm the export to go on.`,
      );
    }
    return this.keys.exportPrivateKey(certificate.keyId, { format, destination });
  }
}
