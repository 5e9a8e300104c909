// Export: the export service encodes and audits; this handler writes the file in the main
// process, so neither the bytes nor a private key ever travel to the window.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { EXPORT_FORMATS } from '../../../shared/contract';
import { MazeVaultError } from '../../../shared/errors';
import type { CertificateExportFormat } from '../../formats/export-service';
import type { HandlerGroup } from '../handler';

// The contract's list and the service's list are the same formats (checked at compile time).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const formatsMatch: Same<(typeof EXPORT_FORMATS)[number], CertificateExportFormat> = true;
void formatsMatch;

const KEY_FORMATS: ReadonlySet<string> = new Set(['pkcs8', 'pkcs8-encrypted']);

function writeFailure(destination: string, error: unknown): MazeVaultError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EEXIST'
      ? 'a file with that name already exists; choose another name or allow replacing it'
      : code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission was denied'
          : code === 'ENOSPC'
            ? 'the disk is full'
            : `the system reported ${code ?? 'an error'}`;
  return new MazeVaultError('IO_ERROR', `The export was not written to ${destination}: ${why}.`);
}

export const exportHandlers: HandlerGroup<'export:certificate'> = {
  'export:certificate': async (request, { app, progress }) => {
    const services = app.unlockedServices();
    const { destination } = request;
    if (!isAbsolute(destination)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `"${destination}" is not a full path; choose the destination with Browse ` +
          'or type a full path.',
      );
    }

    progress('Encoding the export');
    const bytes = await services.exports.exportCertificate(request.certId, {
      format: request.format,
      ...(request.chain !== undefined ? { chain: request.chain } : {}),
      withKey: request.withKey,
      ...(request.password !== undefined ? { password: request.password } : {}),
      ...(request.friendlyName ? { friendlyName: request.friendlyName } : {}),
      destination,
      confirmed: request.confirmed,
    });
    const withKey = KEY_FORMATS.has(request.format) || request.withKey;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const length = bytes.length;

    progress('Writing the file', 0.9);
    try {
      // A file holding a private key is readable by its owner only, even when encrypted.
      await writeFile(destination, bytes, {
        flag: request.overwrite ? 'w' : 'wx',
        mode: withKey ? 0o600 : 0o644,
      });
    } catch (error) {
      services.vault.record({
        action: 'export.write',
        subject: request.certId,
        outcome: 'failure',
        details: {
          destination,
          format: request.format,
          code: (error as NodeJS.ErrnoException).code,
        },
      });
      throw writeFailure(destination, error);
    } finally {
      bytes.fill(0);
    }

    return {
      destination,
      format: request.format,
      withKey,
      bytes: length,
      sha256,
    };
  },
};
