// Writes an output file whole or not at all: a temp file beside the target, flushed, then renamed
// over it (rename is atomic within one file system, POSIX rename(2)).
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MazeVaultError } from '../../shared/errors';

export interface AtomicWriteOptions {
  /** Replace an existing file; without it an existing file is refused. */
  overwrite?: boolean;
  /** 0o600 for anything holding a private key. */
  mode?: number;
}

/**
 * Refuses, before any work is signed, numbered or audited, an output path that writeFileAtomic
 * would refuse at the end: an existing file without overwrite, a directory, a missing or
 * read-only folder.
 */
export function checkWritable(
  path: string,
  options: Pick<AtomicWriteOptions, 'overwrite'> = {},
): void {
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory()) {
    throw new MazeVaultError('INVALID_INPUT', `${path} is a folder; give a file name to write to.`);
  }
  if (existing && !options.overwrite) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `${path} already exists; choose another name or pass --force to replace it.`,
    );
  }
  const folder = dirname(path);
  const parent = statSync(folder, { throwIfNoEntry: false });
  if (!parent?.isDirectory()) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `The folder ${folder} does not exist; create it first or choose another place to write ${basename(path)}.`,
    );
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new MazeVaultError(
      'IO_ERROR',
      `Cannot write into ${folder} (permission denied); choose a folder you may write to.`,
    );
  }
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
    throw new MazeVaultError('IO_ERROR', `Cannot write ${path}: ${writeFailure(error)}.`);
  }
}

/** What a failed write means, in words rather than an errno code. */
function writeFailure(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; choose a folder you may write to';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full; free some space or write elsewhere';
    case 'EROFS':
      return 'the file system is read-only; write elsewhere';
    case 'ENOENT':
      return 'its folder does not exist; create it first';
    case 'EISDIR':
      return 'it is a folder; give a file name';
    default:
      return 'the write failed; check the disk and try again';
  }
}
