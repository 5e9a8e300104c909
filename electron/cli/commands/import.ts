// mazevault import …: certificates, keys and CRLs from any file an officer is handed, into the
// vault in one transaction. Ctrl-C during the import rolls all of it back.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { MazeVaultError } from '../../../shared/errors';
import type { DecodeSecrets } from '../../formats/decode';
import {
  IMPORT_MODES,
  type ImportEntryResult,
  type ImportItem,
  type ImportMode,
  type ImportResult,
} from '../../formats/import-service';
import { collect, oneOf, withServices, withVaultOption } from '../context';
import { table } from '../output';
import { canPrompt, promptHidden, readSecretFile } from '../secrets-input';

export interface FilePasswordOptions {
  passwordFile?: string;
  keyPasswordFile: string[];
}

/** Adds --password-file and --key-password-file, shared by import and inspect. */
export function withFilePasswordOptions(command: Command): Command {
  return command
    .option(
      '--password-file <file>',
      'first line: the password of the files (PKCS#12, key store, encrypted key); ' +
        'else MAZEVAULT_FILE_PASSWORD, or a prompt when one is needed',
    )
    .option(
      '--key-password-file <alias=file>',
      'the key password of one JKS/JCEKS entry when it differs from the store password (repeatable)',
      collect,
      [],
    );
}

/** The passwords given on the command line or in the environment; never from an argument. */
export function givenSecrets(options: FilePasswordOptions): DecodeSecrets {
  const secrets: DecodeSecrets = {};
  const password = options.passwordFile
    ? readSecretFile(options.passwordFile, 'file password')
    : process.env.MAZEVAULT_FILE_PASSWORD;
  if (password !== undefined) secrets.password = password;
  for (const pair of options.keyPasswordFile) {
    const split = pair.indexOf('=');
    if (split <= 0) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `--key-password-file takes ALIAS=FILE, not "${pair}".`,
      );
    }
    secrets.keyPasswords ??= {};
    secrets.keyPasswords[pair.slice(0, split)] = readSecretFile(
      pair.slice(split + 1),
      'key password',
    );
  }
  return secrets;
}

/** Asks on the terminal for the password a file needs, when there is a terminal to ask on. */
export async function askForPassword(
  name: string,
  target: { kind: 'file' } | { kind: 'key'; alias: string },
  secrets: DecodeSecrets,
): Promise<DecodeSecrets | undefined> {
  if (!canPrompt()) return undefined;
  if (target.kind === 'file') {
    return { ...secrets, password: await promptHidden(`Password of ${name}: `) };
  }
  const password = await promptHidden(`Key password of "${target.alias}" in ${name}: `);
  return { ...secrets, keyPasswords: { ...secrets.keyPasswords, [target.alias]: password } };
}

export function readInputFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new MazeVaultError('IO_ERROR', `Cannot read ${path}; check the path and permissions.`);
  }
}

interface ImportCommandOptions extends FilePasswordOptions {
  vault: string;
  mode: ImportMode;
  remoteLocation?: string;
  trustAnchors?: boolean;
}

function entryLine(entry: ImportEntryResult): string[] {
  const what = entry.error?.message ?? [entry.id, entry.note].filter(Boolean).join('  ');
  return [entry.outcome, entry.kind, entry.label, what];
}

/** The closing line when entries failed: what was imported, never "the others" when none were. */
export function failureSummary(counts: ImportResult['counts'], total: number): string {
  const imported = counts.new + counts.existing;
  if (imported === 0) {
    return (
      `Nothing was imported: ${counts.failed} of ${total} ${total === 1 ? 'entry' : 'entries'} ` +
      'could not be imported. The list above says why.'
    );
  }
  return (
    `${counts.failed} of ${total} entries could not be imported; the other ${imported} ` +
    `${imported === 1 ? 'was' : 'were'} imported. The list above says why.`
  );
}

export function registerImportCommands(program: Command): void {
  withFilePasswordOptions(withVaultOption(program.command('import')))
    .description('import certificates, keys and CRLs from files (format detected from the bytes)')
    .argument('<files...>', 'PEM, DER, PKCS#7, PKCS#8, PKCS#12, JKS, JCEKS, CRL files')
    .option(
      '--mode <mode>',
      'internal: seal private keys in the vault; remote: keep certificates only',
      oneOf(IMPORT_MODES, 'mode'),
      'internal',
    )
    .option('--remote-location <where>', 'remote mode: where the private keys live (host:path)')
    .option(
      '--trust-anchors',
      'trust the self-signed CA certificates of the files for validation (audited); ' +
        'without it an imported root is stored but not trusted',
    )
    .action(async (paths: string[], options: ImportCommandOptions, command: Command) => {
      const secrets = givenSecrets(options);
      await withServices(command, options.vault, async (services, output) => {
        const items: ImportItem[] = paths.map((path) => ({
          name: basename(path),
          bytes: readInputFile(path),
          secrets,
        }));
        if (secrets.password === undefined && canPrompt()) {
          // Ask only for what a file needs, once per file, before the transaction starts.
          for (const item of items) {
            const [preview] = await services.imports.preview([item], item.secrets);
            if (preview?.status !== 'password' || !preview.passwordTarget) continue;
            const asked = await askForPassword(item.name, preview.passwordTarget, secrets);
            if (asked) item.secrets = asked;
          }
        }

        const controller = new AbortController();
        const onInterrupt = () => controller.abort();
        process.once('SIGINT', onInterrupt);
        let lastNote = Date.now();
        try {
          const result = await services.imports.import(items, {
            mode: options.mode,
            ...(options.remoteLocation !== undefined
              ? { remoteLocation: options.remoteLocation }
              : {}),
            ...(options.trustAnchors ? { trustAnchors: true } : {}),
            signal: controller.signal,
            onProgress: (progress) => {
              if (progress.phase !== 'store' || Date.now() - lastNote < 1000) return;
              lastNote = Date.now();
              output.note(`Stored ${progress.done} of ${progress.total} entries…`);
            },
          });
          const { counts } = result;
          output.result({ ...result }, [
            ...table(result.entries.map(entryLine)),
            ...result.warnings.map((warning) => `Warning: ${warning}`),
            `${counts.new} new, ${counts.existing} already in the vault, ${counts.skipped} ` +
              `skipped, ${counts.failed} failed (mode: ${result.mode}).`,
          ]);
          if (counts.failed > 0) {
            throw new MazeVaultError(
              'INVALID_INPUT',
              failureSummary(counts, result.entries.length),
            );
          }
        } finally {
          process.removeListener('SIGINT', onInterrupt);
        }
      });
    });
}
