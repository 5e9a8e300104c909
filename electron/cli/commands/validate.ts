// mazevault validate: RFC 5280 path validation of a certificate from the vault or a file, with
// the chain built from the vault's CAs and the file's own certificates, and revocation checked
// against the CRLs the vault holds. Prints every check; exits non-zero when the path is invalid.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { MazeVaultError } from '../../../shared/errors';
import { decode } from '../../formats/decode';
import { ImportedCrlStore } from '../../formats/import-crls';
import type { Services } from '../../services';
import { validatePath, type Purpose, type ValidationResult } from '../../pki/validate/validate';
import { collect, oneOf, withServices, withVaultOption } from '../context';
import { readInputFile } from './import';

const PURPOSES: readonly Purpose[] = [
  'server-auth',
  'client-auth',
  'code-signing',
  'email-protection',
  'time-stamping',
  'ocsp-signing',
  'any',
];

interface ValidateOptions {
  vault: string;
  at?: string;
  purpose: Purpose;
  trust: string[];
}

function parseTime(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `--at takes an ISO 8601 time such as 2030-01-31T12:00:00Z, not "${value}".`,
    );
  }
  return at;
}

/** The certificates of a file: the first is the one to validate, the rest may be intermediates. */
async function certificatesOfFile(path: string): Promise<Buffer[]> {
  const bundle = await decode(readInputFile(path));
  const ders = [
    ...bundle.privateKeys.flatMap((key) => key.chain ?? []),
    ...bundle.certificates.map((cert) => cert.der),
  ];
  if (ders.length === 0) {
    throw new MazeVaultError('INVALID_INPUT', `${path} holds no certificate to validate.`);
  }
  return ders;
}

interface VaultPool {
  anchors: Buffer[];
  intermediates: Buffer[];
}

/** Self-signed CAs in the vault are its trust anchors; every other CA may build the path. */
function vaultPool(services: Services): VaultPool {
  const rows = services.vault.db
    .prepare('SELECT der, subject, issuer FROM certificates WHERE is_ca = 1')
    .all() as { der: Buffer; subject: string; issuer: string }[];
  return {
    anchors: rows.filter((row) => row.subject === row.issuer).map((row) => row.der),
    intermediates: rows.filter((row) => row.subject !== row.issuer).map((row) => row.der),
  };
}

function resultText(result: ValidationResult, at: Date): string[] {
  const lines = [
    `Path (leaf first) at ${at.toISOString()}:`,
    ...result.chain.map((cert, i) => `  ${i}. ${cert.subject}  SHA-256 ${cert.sha256}`),
    'Checks:',
    ...result.checks.map(
      (check) =>
        `  ${check.ok ? 'ok  ' : 'FAIL'} ${check.check.padEnd(20)} ${check.certificate}: ${check.detail}`,
    ),
  ];
  lines.push(result.valid ? 'Valid.' : `Invalid: ${result.firstFailure ?? 'a check failed.'}`);
  return lines;
}

export function registerValidateCommands(program: Command): void {
  withVaultOption(program.command('validate'))
    .description('validate a certificate (vault id or file) by RFC 5280 path validation')
    .argument('<cert>', 'a certificate id in the vault, or a certificate file (PEM chain welcome)')
    .option('--at <time>', 'validate at this ISO 8601 time (default: now)')
    .option('--purpose <purpose>', PURPOSES.join(', '), oneOf(PURPOSES, 'purpose'), 'any')
    .option('--trust <file>', 'also trust the certificates of this file (repeatable)', collect, [])
    .action(async (cert: string, options: ValidateOptions, command: Command) => {
      const at = parseTime(options.at);
      await withServices(command, options.vault, async (services, output) => {
        const fromFile = !services.certificates.find(cert) && existsSync(cert);
        const [leaf, ...carried] = fromFile
          ? await certificatesOfFile(cert)
          : [services.certificates.der(cert)];
        const pool = vaultPool(services);
        const trusted: Buffer[] = [];
        for (const path of options.trust) trusted.push(...(await certificatesOfFile(path)));
        const crls = [
          ...new ImportedCrlStore(services.vault).allDer(),
          ...services.crls.currentCrls(),
        ];

        const result = validatePath({
          leaf: leaf!,
          intermediates: [...carried, ...pool.intermediates],
          trustAnchors: [...pool.anchors, ...trusted],
          ...(crls.length > 0 ? { crls } : {}),
          at,
          purpose: options.purpose,
        });
        output.result({ at: at.toISOString(), ...result }, resultText(result, at));
        if (!result.valid) {
          throw new MazeVaultError(
            'POLICY_VIOLATION',
            result.firstFailure ?? 'The certificate is not valid.',
          );
        }
      });
    });
}
