// Writes an output file whole or not at all: a temp file beside the target, flushed, then renamed
// over it (rename is atomic within one file system, POSIX rename(2)).
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MazeVaultError } from '../../shared/errors';

export interface AtomicWriteOptions {
  /** Replace an existing file; without it an existing file is refused. */
  overwrite?: boolean;
  /** 0o600 for anything holding a private key. */
  mode?: number;
}

export function writeFileAtomic(
  path: string,
  bytes: Buffer,
  options: AtomicWriteOptions = {},
): void {
  if (!options.overwrite && existsSync(path)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `${path} already exists; choose another name or pass --force to replace it.`,
    );
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', options.mode ?? 0o644);
    for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw new MazeVaultError(
      'IO_ERROR',
      `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? 'write failed'}.`,
    );
  }
}
