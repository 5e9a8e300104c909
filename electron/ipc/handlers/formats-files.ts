// Files the window names for import, inspect and validate: read in the main process from a path
// the officer picked or typed, or taken from the bytes of a file dropped on the window. The open
// dialog for them lives here too.
import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import type { FileSource } from '../../../shared/bridge/formats-dto';
import { MazeVaultError } from '../../../shared/errors';
import { MAX_INPUT_BYTES } from '../../formats/decode';
import type { DecodeSecrets } from '../../formats/decode';
import type { HandlerGroup } from '../handler';

export interface ReadFile {
  name: string;
  bytes: Buffer;
}

function unreadable(path: string, error: unknown): MazeVaultError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'there is no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission was denied'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : `the system reported ${code ?? 'an error'}`;
  return new MazeVaultError('IO_ERROR', `Cannot read ${path}: ${why}. Check the path.`);
}

export async function readSource(source: FileSource): Promise<ReadFile> {
  if (source.kind === 'bytes') {
    const bytes = Buffer.from(source.base64, 'base64');
    if (bytes.length === 0) {
      throw new MazeVaultError('TRUNCATED', `${source.name} is empty.`);
    }
    return { name: source.name, bytes };
  }

  const path = source.path.trim();
  if (!isAbsolute(path)) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `"${path}" is not a full path; choose the file with Browse or type a full path.`,
    );
  }
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    if (info.size > MAX_INPUT_BYTES) {
      throw new MazeVaultError(
        'UNSUPPORTED',
        `${path} is ${info.size} bytes, above the ${MAX_INPUT_BYTES} MazeVault reads at once.`,
      );
    }
    return { name: basename(path), bytes: await readFile(path) };
  } catch (error) {
    if (error instanceof MazeVaultError) throw error;
    throw unreadable(path, error);
  }
}

/** The passwords of one file as the decoders take them; empty fields count as not given. */
export function secretsOf(request: {
  password?: string | undefined;
  keyPasswords?: Record<string, string> | undefined;
}): DecodeSecrets {
  const secrets: DecodeSecrets = {};
  if (request.password) secrets.password = request.password;
  const keyPasswords = Object.entries(request.keyPasswords ?? {}).filter(([, value]) => value);
  if (keyPasswords.length > 0) secrets.keyPasswords = Object.fromEntries(keyPasswords);
  return secrets;
}

export const fileDialogHandlers: HandlerGroup<'dialog:choose-files'> = {
  'dialog:choose-files': async (request, { app }) => {
    const choose = app.options.chooseFiles;
    const paths = choose ? await choose(request) : [];
    return { paths: request.multiple ? paths : paths.slice(0, 1) };
  },
};
