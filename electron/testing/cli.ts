// Runs the `mazevault` CLI as a user would, in a child process, with a test vault passphrase and
// cheap KDF parameters; `env` adds to or overrides the environment (an actor, SOFTHSM2_CONF…).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const MAZEVAULT_BIN = resolve(__dirname, '../../bin/mazevault.mjs');
export const CLI_TEST_PASSPHRASE = 'correct horse battery staple';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

export function runMazevault(args: string[], env: Record<string, string | undefined> = {}): CliRun {
  const result = spawnSync(process.execPath, [MAZEVAULT_BIN, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      MAZEVAULT_PASSPHRASE: CLI_TEST_PASSPHRASE,
      MAZEVAULT_TEST_FAST_KDF: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
