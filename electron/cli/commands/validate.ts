// mazevault validate: RFC 5280 path validation of a certificate from the vault or a file, with
// the chain built from the vault's CAs and the file's own certificates, and revocation checked
// against the CRLs the vault holds. Prints every check; exits non-zero when the path is invalid.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { MazeVaultError } from '../../../shared/errors';
import { decode } from '../../formats/decode';
import type { Purpose, ValidationResult } from '../../pki/validate/validate';
import { validateWithVault } from '../../pki/validate/vault-trust';
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
        const trusted: Buffer[] = [];
        for (const path of options.trust) trusted.push(...(await certificatesOfFile(path)));
        const { result } = validateWithVault(services, {
          leaf: leaf!,
          carried,
          trusted,
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
