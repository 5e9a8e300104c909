// mazevault export --format csr|crl: the two exports that are not a copy of the certificate. A
// CSR is signed anew by the certificate's key in the vault (for renewal at another CA); a CRL is
// the newest complete CRL the vault issued for that CA. Both go through the export writers.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MazeVaultError } from '../../../shared/errors';
import { encode } from '../../formats/encode';
import { parseCertificate } from '../../pki/validate/certificate';
import { formatIp } from '../../pki/validate/general-name';
import type { Services } from '../../services';
import { writeFileAtomic } from '../atomic-file';
import { withServices } from '../context';

export const REQUEST_AND_CRL_FORMATS = ['csr', 'crl'] as const;
export type RequestOrCrlFormat = (typeof REQUEST_AND_CRL_FORMATS)[number];

export function isRequestOrCrlFormat(format: string): format is RequestOrCrlFormat {
  return (REQUEST_AND_CRL_FORMATS as readonly string[]).includes(format);
}

export interface RequestOrCrlOptions {
  vault: string;
  format: RequestOrCrlFormat;
  out: string;
  force?: boolean;
  encoding?: 'pem' | 'der';
}

/** The certificate's subjectAltNames as `DNS:…` texts, so the new CSR asks for the same names. */
function subjectAltNames(der: Buffer): string[] {
  return (parseCertificate(der).subjectAltName ?? []).flatMap((name) => {
    if (name.kind === 'dns') return [`DNS:${name.value}`];
    if (name.kind === 'email') return [`email:${name.value}`];
    if (name.kind === 'uri') return [`URI:${name.value}`];
    if (name.kind === 'ip') return [`IP:${formatIp(name.bytes)}`];
    // TODO(#3): directory and other names are not carried into the new CSR yet.
    return [];
  });
}

async function requestDer(services: Services, certId: string): Promise<Buffer> {
  const certificate = services.certificates.get(certId);
  if (!certificate.keyId) {
    throw new MazeVaultError(
      'NOT_FOUND',
      `The key of "${certificate.subject}" is not in this vault, and a CSR must be signed by it; ` +
        'make the CSR where the key lives.',
    );
  }
  return services.issuance.createCsr({
    keyId: certificate.keyId,
    subject: certificate.subject,
    sans: subjectAltNames(services.certificates.der(certId)),
  });
}

function crlDer(services: Services, certId: string): Buffer {
  const certificate = services.certificates.get(certId);
  const latest = services.crls.latest(certId);
  if (!latest) {
    throw new MazeVaultError(
      'NOT_FOUND',
      `"${certificate.subject}" has issued no CRL in this vault; issue one with ` +
        '`mazevault crl issue` first.',
    );
  }
  return services.crls.der(latest.id);
}

export async function exportRequestOrCrl(
  command: Command,
  certId: string,
  options: RequestOrCrlOptions,
): Promise<void> {
  if (options.force !== true && existsSync(options.out)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `${options.out} already exists; choose another name or pass --force to replace it.`,
    );
  }
  await withServices(command, options.vault, async (services, output) => {
    const destination = resolve(options.out);
    const der =
      options.format === 'csr' ? await requestDer(services, certId) : crlDer(services, certId);
    const kind = options.format === 'csr' ? 'csrs' : 'crls';
    const bytes = await encode(
      options.format,
      { [kind]: [der] },
      { encoding: options.encoding ?? 'pem' },
    );
    writeFileAtomic(destination, bytes, { overwrite: options.force === true, mode: 0o644 });
    services.vault.record({
      action: `export.${options.format}`,
      subject: certId,
      outcome: 'success',
      details: { format: options.format, encoding: options.encoding ?? 'pem', destination },
    });
    output.result(
      { path: destination, format: options.format, bytes: bytes.length },
      `Wrote the ${options.format === 'csr' ? 'CSR' : 'CRL'} of ${certId} to ${destination}.`,
    );
  });
}
