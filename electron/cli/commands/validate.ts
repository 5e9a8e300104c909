// mazevault validate: RFC 5280 path validation of a certificate from the vault or a file, with
// the chain built from the vault's CAs and the file's own certificates, and revocation checked
// against the vault's own records and the CRLs it holds. Prints every check and where the trust
// anchor's trust comes from; exits non-zero when the path is invalid. Revocation that could not
// be checked is a warning: the exit code stays 0, the verdict says so.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { MazeVaultError } from '../../../shared/errors';
import { decode } from '../../formats/decode';
import { trustFileSource } from '../../pki/validate/trust-anchors';
import type { TrustAnchor } from '../../pki/validate/types';
import type { Purpose, ValidationCheck, ValidationResult } from '../../pki/validate/validate';
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

const STATUS_WORDS: Record<ValidationCheck['status'], string> = {
  ok: 'ok  ',
  fail: 'FAIL',
  unknown: 'warn',
};

function verdict(result: ValidationResult): string {
  if (!result.valid) return `Invalid: ${result.firstFailure ?? 'a check failed.'}`;
  const unchecked = [
    ...new Set(
      result.checks.filter((c) => c.status === 'unknown').map((c) => `"${c.certificate}"`),
    ),
  ];
  if (unchecked.length === 0) return 'Valid.';
  return (
    `Valid, but revocation was not checked for ${unchecked.join(', ')}: ` +
    'import the issuer’s current CRL (mazevault import FILE.crl) to check it.'
  );
}

function resultText(result: ValidationResult, at: Date): string[] {
  const lines = [
    `Path (leaf first) at ${at.toISOString()}:`,
    ...result.chain.map((cert, i) => `  ${i}. ${cert.subject}  SHA-256 ${cert.sha256}`),
    ...(result.anchor ? [`Trust anchor: ${result.anchor.subject}, ${result.anchor.source}`] : []),
    'Checks:',
    ...result.checks.map(
      (check) =>
        `  ${STATUS_WORDS[check.status]} ${check.check.padEnd(20)} ${check.certificate}: ${check.detail}`,
    ),
  ];
  lines.push(verdict(result));
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
        const trusted: TrustAnchor[] = [];
        for (const path of options.trust) {
          const source = trustFileSource(path);
          for (const der of await certificatesOfFile(path)) trusted.push({ der, source });
        }
        const { result } = validateWithVault(services, {
          leaf: leaf!,
          carried,
          trusted,
          at,
          purpose: options.purpose,
        });
        const revocationChecked = !result.checks.some((c) => c.status === 'unknown');
        output.result(
          { at: at.toISOString(), ...result, revocationChecked, verdict: verdict(result) },
          resultText(result, at),
        );
        if (!result.valid) {
          throw new MazeVaultError(
            'POLICY_VIOLATION',
            result.firstFailure ?? 'The certificate is not valid.',
          );
        }
      });
    });
}
