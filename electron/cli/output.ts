// The CLI's output layer, the only place in the main process that writes to the console: results
// on stdout (text, or one JSON object with --json), errors as one line on stderr.
import { MazeVaultError } from '../../shared/errors';

export interface Output {
  /** Prints the command's result: `data` as one JSON object with --json, else `text`. */
  result(data: Record<string, unknown>, text: string | string[]): void;
  /** Progress or hints for a person, on stderr so stdout stays clean for pipes; silent with --json. */
  note(line: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    result(data, text) {
      if (json) {
        console.log(JSON.stringify(data, jsonReplacer));
        return;
      }
      for (const line of Array.isArray(text) ? text : [text]) console.log(line);
    },
    note(line) {
      if (!json) console.error(line);
    },
  };
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
    console.error(`mazevault: ${error.message.replace(/\s*\n\s*/g, ' ')}`);
    return 1;
  }
  if (process.env.MAZEVAULT_DEBUG === '1' && error instanceof Error) console.error(error.stack);
  else {
    console.error(
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
