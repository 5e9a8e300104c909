// mazevault export …: a certificate, its chain and (confirmed) its private key, written atomically.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MazeVaultError } from '../../../shared/errors';
import {
  CERTIFICATE_EXPORT_FORMATS,
  type CertificateExportFormat,
} from '../../formats/export-service';
import { checkWritable, writeFileAtomic } from '../atomic-file';
import { oneOf, withServices, withVaultOption } from '../context';
import { canPrompt, obtainSecret, promptConfirm } from '../secrets-input';
import {
  exportRequestOrCrl,
  isRequestOrCrlFormat,
  REQUEST_AND_CRL_FORMATS,
} from './export-csr-crl';

// Certificate formats, plus a CSR signed by the certificate's key and the CA's latest CRL.
const FORMATS = [...CERTIFICATE_EXPORT_FORMATS, ...REQUEST_AND_CRL_FORMATS] as const;

const PASSWORD_FORMATS = new Set<CertificateExportFormat>([
  'p12',
  'p12-legacy',
  'pkcs8-encrypted',
  'jks',
  'jceks',
]);
const KEY_FORMATS = new Set<CertificateExportFormat>(['pkcs8', 'pkcs8-encrypted']);

interface ExportOptions {
  vault: string;
  format: (typeof FORMATS)[number];
  encoding?: 'pem' | 'der';
  chain?: boolean;
  withKey?: boolean;
  passwordFile?: string;
  friendlyName?: string;
  out: string;
  force?: boolean;
  yes?: boolean;
}

export function registerExportCommands(program: Command): void {
  withVaultOption(program.command('export'))
    .description('export a certificate (and with --with-key its private key) to a file')
    .argument('<certId>', 'the certificate')
    .requiredOption('--format <name>', FORMATS.join(', '), oneOf(FORMATS, 'format'))
    .option(
      '--encoding <pem|der>',
      'csr and crl: PEM text (default) or DER',
      oneOf(['pem', 'der'] as const, 'encoding'),
    )
    .option(
      '--chain',
      'include the issuing CAs up to the root (p7b, p7b-der and pem-chain do unless --no-chain)',
    )
    .option('--no-chain', 'only the certificate itself, for p7b too')
    .option('--with-key', 'include the private key (p12, jks); pkcs8 formats always carry it')
    .option(
      '--password-file <file>',
      'p12, p12-legacy, pkcs8-encrypted, jks, jceks: file whose first line protects the export ' +
        '(else MAZEVAULT_EXPORT_PASSWORD or a prompt); plain pkcs8 takes none',
    )
    .option('--friendly-name <name>', 'alias of the key entry in p12 and jks')
    .requiredOption('--out <file>', 'where to write; written whole or not at all')
    .option('--force', 'replace --out if it exists')
    .option(
      '--yes',
      'do not ask before a private key leaves the vault (--with-key is the confirmation)',
    )
    .action(async (certId: string, options: ExportOptions, command: Command) => {
      if (isRequestOrCrlFormat(options.format)) {
        return exportRequestOrCrl(command, certId, { ...options, format: options.format });
      }
      // `--format pkcs8 --password-file FILE` writes encrypted PKCS#8, as the foundation issue's CLI
      // has it; without a password file it is plain. An ambient MAZEVAULT_EXPORT_PASSWORD never
      // turns it encrypted silently, and the result line says which one was written.
      const format =
        options.format === 'pkcs8' && options.passwordFile !== undefined
          ? 'pkcs8-encrypted'
          : options.format;
      // Refuse before the export is made and audited (an existing file, a missing or read-only
      // folder); writeFileAtomic checks again at the end.
      checkWritable(options.out, { overwrite: options.force === true });
      const withKey = options.withKey === true || KEY_FORMATS.has(options.format);
      // Only the formats that are protected take a password.
      const wantsPassword = PASSWORD_FORMATS.has(format);
      if (!wantsPassword && options.passwordFile !== undefined) {
        throw new MazeVaultError(
          'INVALID_INPUT',
          `--format ${options.format} holds no secret and takes no password; leave out ` +
            '--password-file.',
        );
      }
      const password = wantsPassword
        ? await obtainSecret({
            file: options.passwordFile,
            env: 'MAZEVAULT_EXPORT_PASSWORD',
            what: 'export password',
            confirm: true,
            hint: 'pass --password-file FILE, set MAZEVAULT_EXPORT_PASSWORD, or run in a terminal to be asked',
          })
        : undefined;
      if (withKey && options.yes !== true && canPrompt()) {
        const yes = await promptConfirm(
          `Copy the private key of ${certId} out of the vault to ${options.out}?`,
        );
        if (!yes) throw new MazeVaultError('CANCELLED', 'Export cancelled; nothing was written.');
      }

      await withServices(command, options.vault, async (services, output) => {
        const destination = resolve(options.out);
        const bytes = await services.exports.exportCertificate(certId, {
          format,
          ...(options.chain !== undefined ? { chain: options.chain } : {}),
          withKey,
          ...(password !== undefined ? { password } : {}),
          ...(options.friendlyName !== undefined ? { friendlyName: options.friendlyName } : {}),
          destination,
          // Reaching this line means the officer asked for the key explicitly (--with-key or a
          // key format) and, on a terminal, answered yes.
          confirmed: withKey,
        });
        writeFileAtomic(destination, bytes, {
          overwrite: options.force === true,
          mode: withKey ? 0o600 : 0o644,
        });
        output.result(
          {
            path: destination,
            format: options.format,
            bytes: bytes.length,
            withKey,
            encrypted: withKey && PASSWORD_FORMATS.has(format),
          },
          `Wrote ${options.format} to ${destination}${keyNote(format, withKey)}.`,
        );
      });
    });
}

function keyNote(format: CertificateExportFormat, withKey: boolean): string {
  if (!withKey) return '';
  return PASSWORD_FORMATS.has(format)
    ? ' (with the private key, encrypted under the export password)'
    : ' (with the private key UNENCRYPTED: protect the file)';
}
