// mazevault export --format csr|crl: the two exports that are not a copy of the certificate. A
// CSR is signed anew by the certificate's key in the vault (for renewal at another CA); a CRL is
// the newest complete CRL the vault issued for that CA. Both go through the export writers.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { encode } from '../../formats/encode';
import { certificateRequestDer, latestCrlDer } from '../../formats/export-request';
import { checkWritable, writeFileAtomic } from '../atomic-file';
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

export async function exportRequestOrCrl(
  command: Command,
  certId: string,
  options: RequestOrCrlOptions,
): Promise<void> {
  const destination = resolve(options.out);
  // Before the CSR is signed (and audited): a missing folder or an existing file is refused first.
  checkWritable(destination, { overwrite: options.force === true });
  await withServices(command, options.vault, async (services, output) => {
    const der =
      options.format === 'csr'
        ? await certificateRequestDer(services, certId)
        : latestCrlDer(services, certId);
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
