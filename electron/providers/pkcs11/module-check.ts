// Checks a module path before a profile is saved: it exists, is a shared library for this kind of
// computer, exports C_GetFunctionList and initialises. Each failure has its own sentence.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { MazeVaultError } from '../../../shared/errors';
import { describeLoadFailure, loadedModule, type ModuleInfo } from './module';
import { Pkcs11Worker } from './worker-client';

export interface ModuleCheck {
  path: string;
  info: ModuleInfo;
}

/** ELF, Mach-O (both byte orders, fat) and PE/DLL magic numbers. */
function looksLikeSharedLibrary(head: Buffer): boolean {
  if (head.length < 4) return false;
  if (head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return true;
  const magic = head.readUInt32BE(0);
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)) return true;
  return head[0] === 0x4d && head[1] === 0x5a;
}

export async function checkModulePath(path: string, timeoutMs = 15_000): Promise<ModuleCheck> {
  if (!path || !isAbsolute(path)) {
    throw new MazeVaultError('INVALID_INPUT', 'Enter the full path of the PKCS#11 module.');
  }
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) {
      throw new MazeVaultError('INVALID_INPUT', `${path} is a folder, not a PKCS#11 module.`);
    }
    size = stat.size;
  } catch (error) {
    if (error instanceof MazeVaultError) throw error;
    throw new MazeVaultError(
      'NOT_FOUND',
      `There is no file at ${path}. Install the vendor's PKCS#11 client or correct the path.`,
    );
  }
  const head = Buffer.alloc(Math.min(4, size));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!looksLikeSharedLibrary(head)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `${path} is not a shared library (.so, .dylib or .dll); choose the vendor's PKCS#11 module.`,
    );
  }

  // A module already in use must not be finalised under its sessions: report it as loaded.
  const inUse = loadedModule(path);
  if (inUse) return { path: inUse.path, info: inUse.info };

  const worker = new Pkcs11Worker(timeoutMs);
  try {
    const raw = await worker.run<{
      cryptokiVersion: { major: number; minor: number };
      manufacturerID: string;
      libraryDescription: string;
      libraryVersion: { major: number; minor: number };
    }>('load', [path]);
    await worker.run('finalize', []).catch(() => undefined);
    return {
      path,
      info: {
        cryptokiVersion: `${raw.cryptokiVersion.major}.${raw.cryptokiVersion.minor}`,
        manufacturer: raw.manufacturerID.trim(),
        description: raw.libraryDescription.trim(),
        libraryVersion: `${raw.libraryVersion.major}.${raw.libraryVersion.minor}`,
      },
    };
  } catch (error) {
    throw describeLoadFailure(error, path);
  } finally {
    worker.close();
  }
}
