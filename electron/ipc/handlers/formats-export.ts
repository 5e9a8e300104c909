// The export wizard's formats beyond the core channel: JKS and JCEKS with the key entry under its
// own password, a new CSR signed by the certificate's key, and the CA's latest CRL. The bytes are
// written here in the main process; only a summary goes back to the window.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { MazeVaultError } from '../../../shared/errors';
import { encode } from '../../formats/encode';
import { certificateRequestDer, latestCrlDer } from '../../formats/export-request';
import type { Services } from '../../services';
import type { HandlerGroup } from '../handler';

type ExportChannels = 'export:keystore' | 'export:csr' | 'export:crl';

function requireFullPath(destination: string): string {
  const path = destination.trim();
  if (!isAbsolute(path)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `"${path}" is not a full path; choose the destination with Browse or type a full path.`,
    );
  }
  return path;
}

function writeFailure(destination: string, error: unknown): MazeVaultError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EEXIST'
      ? 'a file with that name already exists; choose another name or allow replacing it'
      : code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission was denied'
          : `the system reported ${code ?? 'an error'}`;
  return new MazeVaultError('IO_ERROR', `The export was not written to ${destination}: ${why}.`);
}

async function writeExport(
  services: Services,
  subject: string,
  destination: string,
  bytes: Buffer,
  options: { overwrite: boolean; secret: boolean; format: string },
): Promise<{ bytes: number; sha256: string }> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const length = bytes.length;
  try {
    // A file holding a private key is readable by its owner only, even when encrypted.
    await writeFile(destination, bytes, {
      flag: options.overwrite ? 'w' : 'wx',
      mode: options.secret ? 0o600 : 0o644,
    });
  } catch (error) {
    services.vault.record({
      action: 'export.write',
      subject,
      outcome: 'failure',
      details: {
        destination,
        format: options.format,
        code: (error as NodeJS.ErrnoException).code,
      },
    });
    throw writeFailure(destination, error);
  } finally {
    bytes.fill(0);
  }
  return { bytes: length, sha256 };
}

export const formatExportHandlers: HandlerGroup<ExportChannels> = {
  'export:keystore': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    const destination = requireFullPath(request.destination);
    if (request.keyPassword !== undefined && !request.withKey) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'A key password protects the private key entry; include the private key or leave ' +
          'the key password out.',
      );
    }
    if (request.keyPassword !== undefined && !request.alias) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'Name the key entry (its alias) to give it a password of its own.',
      );
    }
    const alias = request.withKey ? request.alias : undefined;

    progress('Encoding the key store');
    const bytes = await services.exports.exportCertificate(request.certId, {
      format: request.format,
      chain: request.chain,
      withKey: request.withKey,
      password: request.storePassword,
      ...(alias ? { friendlyName: alias } : {}),
      ...(alias && request.keyPassword !== undefined
        ? { keyPasswords: { [alias]: request.keyPassword } }
        : {}),
      destination,
      confirmed: request.confirmed,
    });
    progress('Writing the file', 0.9);
    const written = await writeExport(services, request.certId, destination, bytes, {
      overwrite: request.overwrite,
      secret: request.withKey,
      format: request.format,
    });
    return { destination, format: request.format, withKey: request.withKey, ...written };
  },

  'export:csr': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    const destination = requireFullPath(request.destination);
    progress('Signing the request with the certificate key');
    const der = await certificateRequestDer(services, request.certId);
    const bytes = await encode('csr', { csrs: [der] }, { encoding: request.encoding });
    const written = await writeExport(services, request.certId, destination, bytes, {
      overwrite: request.overwrite,
      secret: false,
      format: 'csr',
    });
    services.vault.record({
      action: 'export.csr',
      subject: request.certId,
      outcome: 'success',
      details: { format: 'csr', encoding: request.encoding, destination },
    });
    return { destination, format: 'csr' as const, encoding: request.encoding, ...written };
  },

  'export:crl': async (request, { app }) => {
    const services = app.unlockedServices();
    const destination = requireFullPath(request.destination);
    const der = latestCrlDer(services, request.certId);
    const bytes = await encode('crl', { crls: [der] }, { encoding: request.encoding });
    const written = await writeExport(services, request.certId, destination, bytes, {
      overwrite: request.overwrite,
      secret: false,
      format: 'crl',
    });
    services.vault.record({
      action: 'export.crl',
      subject: request.certId,
      outcome: 'success',
      details: { format: 'crl', encoding: request.encoding, destination },
    });
    return { destination, format: 'crl' as const, encoding: request.encoding, ...written };
  },
};
