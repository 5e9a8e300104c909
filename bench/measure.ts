// Small timing helpers for `npm run bench`. Ratios compare MazeVault with the tool an officer would
// otherwise use, measured on the same machine in the same run.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export async function timeIt<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/** Runs a command `runs` times and returns the mean wall time per run in milliseconds. */
export function timeCommand(command: string, args: string[], runs: number): number {
  const start = performance.now();
  for (let i = 0; i < runs; i += 1) execFileSync(command, args, { stdio: 'ignore' });
  return (performance.now() - start) / runs;
}

/** Speed of MazeVault relative to the other tool, from mean times: above 1 means MazeVault is faster. */
export function ratio(ours: number, theirs: number): string {
  return `speed ratio ${(theirs / ours).toFixed(2)} (>1: MazeVault faster)`;
}

export interface BenchLine {
  name: string;
  value: string;
  comparison?: string;
}

export function printSection(title: string, lines: BenchLine[]): void {
  console.log(`\n== ${title}`);
  for (const line of lines) {
    console.log(
      `  ${line.name.padEnd(52)} ${line.value.padStart(16)}${line.comparison ? `   ${line.comparison}` : ''}`,
    );
  }
}
