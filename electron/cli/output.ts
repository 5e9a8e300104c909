// The CLI's output layer, the only place in the main process that writes to the console: results
// on stdout (text, or one JSON object with --json), errors as one line on stderr.
import { MazeVaultError, toErrorPayload } from '../../shared/errors';
import { escapeControlCharacters } from '../pki/names';

export interface Output {
  /** Prints the command's result: `data` as one JSON object with --json, else `text`. */
  result(data: Record<string, unknown>, text: string | string[]): void;
  /** Progress or hints for a person, on stderr so stdout stays clean for pipes; silent with --json. */
  note(line: string): void;
}

/** Set once the reader of stdout has gone (`| head`): what is left to print is dropped. */
let stdoutClosed = false;
/** A write to stdout failed for another reason than a reader that left (a full disk). */
let outputFailed = false;
let guarded = false;

/** The exit code, turned into 74 (EX_IOERR) when the output could not be written. */
export function withOutputStatus(code: number): number {
  return code === 0 && outputFailed ? 74 : code;
}

/**
 * Keeps a reader that stops early (`| head`, `less` then q) from crashing the CLI: Node reports
 * EPIPE as an 'error' event on stdout, which kills the process with a stack unless handled. The
 * command then finishes its work silently, so the vault is still locked and closed as usual, and
 * exits 0 like other tools whose reader left. Other write errors are reported as one line.
 */
export function guardOutputStreams(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    stdoutClosed = true;
    if (error.code === 'EPIPE') return;
    outputFailed = true;
    writeError('mazevault: cannot write the output; check where it is redirected to.');
  });
  process.stderr.on('error', () => {
    // Nowhere left to report a failed report; the exit code says the rest.
  });
}

function writeLine(line: string): void {
  if (!stdoutClosed) process.stdout.write(`${line}\n`);
}

function writeError(line: string): void {
  if (!process.stderr.destroyed) process.stderr.write(`${line}\n`);
}

export function createOutput(json: boolean): Output {
  return {
    result(data, text) {
      if (json) {
        writeLine(JSON.stringify(data, jsonReplacer));
        return;
      }
      for (const line of Array.isArray(text) ? text : [text]) writeLine(forTerminal(line));
    },
    note(line) {
      if (!json) writeError(forTerminal(line));
    },
  };
}

/**
 * Each output line as one terminal line: control characters from names in certificates, files and
 * templates (a newline that forges a "Valid." line, an escape sequence that erases one) are shown
 * as RFC 4514 \XX escapes. Commands pass one array item per line they mean to print.
 */
export function forTerminal(line: string): string {
  return escapeControlCharacters(line);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  // Buffers in records are public material (SPKIs); they read better as base64 than as arrays.
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer') {
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  return value;
}

/**
 * Reports an error as one line and returns the exit code. A MazeVaultError's message is written
 * for the officer; anything else is a bug, whose stack only MAZEVAULT_DEBUG=1 reveals.
 */
export function reportError(error: unknown): number {
  if (error instanceof MazeVaultError) {
    writeError(`mazevault: ${forTerminal(error.message.replace(/\s*\n\s*/g, ' '))}`);
    return 1;
  }
  const payload = toErrorPayload(error);
  if (payload.code === 'BUSY') {
    writeError(`mazevault: ${payload.message}`);
    return 75; // EX_TEMPFAIL: try again later
  }
  if (process.env.MAZEVAULT_DEBUG === '1' && error instanceof Error) writeError(error.stack ?? '');
  else {
    writeError(
      'mazevault: an internal error occurred; run again with MAZEVAULT_DEBUG=1 for details.',
    );
  }
  return 70;
}

/** Pads columns for the text listings. */
export function table(rows: string[][]): string[] {
  if (!rows.length) return [];
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
}
