// mazevault inspect FILE: what a file holds (certificates, keys, CRLs, CSRs), read from its bytes
// without a vault and without importing anything. Private keys are described, never printed.
import type { Command } from 'commander';
import { MazeVaultError } from '../../../shared/errors';
import {
  type CertificateInspection,
  type CrlInspection,
  type CsrInspection,
  type FileInspection,
  inspectFile,
  isUndecodable,
} from '../../pki/inspect';
import { outputFor } from '../context';
import {
  askForPassword,
  givenSecrets,
  readInputFile,
  withFilePasswordOptions,
  type FilePasswordOptions,
} from './import';

/** A field's text, or how it failed to decode: the rest of the object is still shown. */
function field<T>(value: T | unknown, show: (value: T) => string): string {
  if (isUndecodable(value)) return `(cannot be decoded: ${value.problem}; hex ${value.hex})`;
  return show(value as T);
}

function certificateLines(cert: FileInspection['certificates'][number], index: number): string[] {
  const c = cert as CertificateInspection & typeof cert;
  const lines = [`Certificate ${index + 1}${cert.alias ? ` (alias "${cert.alias}")` : ''}`];
  if (cert.friendlyName) lines.push(`  Friendly name: ${cert.friendlyName}`);
  lines.push(`  Subject:     ${field(c.subject, (n: { rfc4514: string }) => n.rfc4514)}`);
  lines.push(`  Issuer:      ${field(c.issuer, (n: { rfc4514: string }) => n.rfc4514)}`);
  lines.push(`  Serial:      ${field(c.serial, (s: { hex: string }) => s.hex)}`);
  lines.push(
    `  Validity:    ${field(
      c.validity,
      (v: { notBefore: { iso?: string; raw: string }; notAfter: { iso?: string; raw: string } }) =>
        `${v.notBefore.iso ?? v.notBefore.raw} to ${v.notAfter.iso ?? v.notAfter.raw}`,
    )}`,
  );
  lines.push(
    `  Public key:  ${field(c.publicKey, (k: { type: string; bits?: number; curve?: string }) =>
      [k.type, k.bits ? `${k.bits} bits` : '', k.curve ?? ''].filter(Boolean).join(' '),
    )}`,
  );
  lines.push(`  Signature:   ${field(c.signatureAlgorithm, (a: { name: string }) => a.name)}`);
  if (Array.isArray(c.extensions)) {
    for (const extension of c.extensions) {
      lines.push(`  Extension:   ${extension.name}${extension.critical ? ' (critical)' : ''}`);
    }
  }
  if (c.fingerprints) {
    lines.push(`  SHA-256:     ${c.fingerprints.sha256}`);
    lines.push(`  SHA-1:       ${c.fingerprints.sha1}`);
  }
  for (const problem of c.problems ?? []) lines.push(`  Problem:     ${problem}`);
  return lines;
}

function keyLines(key: FileInspection['privateKeys'][number], index: number): string[] {
  const size = [key.bits ? `${key.bits} bits` : '', key.curve ?? ''].filter(Boolean).join(' ');
  const lines = [`Private key ${index + 1}${key.alias ? ` (alias "${key.alias}")` : ''}`];
  lines.push(`  Type:        ${key.type}${size ? ` ${size}` : ''}`);
  if (key.publicKeySha256) lines.push(`  SPKI SHA-256: ${key.publicKeySha256}`);
  lines.push(
    key.chainSha256.length
      ? `  Paired with: certificate ${key.chainSha256[0]} (chain of ${key.chainSha256.length})`
      : '  Paired with: no certificate in this file',
  );
  return lines;
}

function crlLines(crl: CrlInspection, index: number): string[] {
  return [
    `CRL ${index + 1}`,
    `  Issuer:      ${field(crl.issuer, (n: { rfc4514: string }) => n.rfc4514)}`,
    `  This update: ${field(crl.thisUpdate, (t: { iso?: string; raw: string }) => t.iso ?? t.raw)}`,
    `  Next update: ${crl.nextUpdate ? (crl.nextUpdate.iso ?? crl.nextUpdate.raw) : '(none)'}`,
    `  Revoked:     ${crl.revokedCount} entries`,
    ...(crl.fingerprints ? [`  SHA-256:     ${crl.fingerprints.sha256}`] : []),
    ...(crl.problems ?? []).map((problem) => `  Problem:     ${problem}`),
  ];
}

function csrLines(csr: CsrInspection, index: number): string[] {
  return [
    `Certificate request ${index + 1}`,
    `  Subject:     ${field(csr.subject, (n: { rfc4514: string }) => n.rfc4514)}`,
    `  Public key:  ${field(csr.publicKey, (k: { type: string; bits?: number }) => `${k.type}${k.bits ? ` ${k.bits} bits` : ''}`)}`,
    `  Signature:   ${csr.signatureValid ? "verifies with the request's own public key" : csr.signatureUnchecked ? `could not be checked (${csr.signatureUnchecked})` : 'DOES NOT VERIFY'}`,
    ...(csr.problems ?? []).map((problem) => `  Problem:     ${problem}`),
  ];
}

export function inspectionText(name: string, inspection: FileInspection): string[] {
  const lines = [`${name}: ${inspection.format}`];
  inspection.certificates.forEach((cert, i) => lines.push(...certificateLines(cert, i)));
  inspection.privateKeys.forEach((key, i) => lines.push(...keyLines(key, i)));
  inspection.crls.forEach((crl, i) => lines.push(...crlLines(crl, i)));
  inspection.csrs.forEach((csr, i) => lines.push(...csrLines(csr, i)));
  inspection.publicKeys.forEach((key) =>
    lines.push(`Public key: ${key.type}${key.bits ? ` ${key.bits} bits` : ''}`),
  );
  for (const warning of inspection.warnings) lines.push(`Warning: ${warning}`);
  return lines;
}

export function registerInspectCommands(program: Command): void {
  withFilePasswordOptions(program.command('inspect'))
    .description('show what a file holds, without importing it (no vault needed)')
    .argument('<file>', 'any certificate, key, CRL, CSR, PKCS#7, PKCS#12 or Java key store')
    .action(async (path: string, options: FilePasswordOptions, command: Command) => {
      const bytes = readInputFile(path);
      let secrets = givenSecrets(options);
      let inspection = await inspectFile(bytes, secrets);
      // A terminal may be asked for each password the file needs: the store's, then each key's.
      for (let attempt = 0; attempt < 8 && inspection.error?.passwordTarget; attempt += 1) {
        const asked = await askForPassword(path, inspection.error.passwordTarget, secrets);
        if (!asked) break;
        secrets = asked;
        inspection = await inspectFile(bytes, secrets);
      }

      outputFor(command).result({ file: path, ...inspection }, inspectionText(path, inspection));
      if (inspection.error) {
        throw new MazeVaultError(inspection.error.code, inspection.error.message);
      }
    });
}
