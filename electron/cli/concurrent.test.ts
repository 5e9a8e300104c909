// Two officers' scripts (or cron and a person) may run MazeVault on the same vault file at once:
// every write waits for the other's lock, so each command either succeeds or says the vault is
// busy, and the audit chain stays whole.
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp';

const BIN = resolve(__dirname, '../../bin/mazevault.mjs');
const ENV = {
  ...process.env,
  MAZEVAULT_PASSPHRASE: 'correct horse battery staple',
  MAZEVAULT_TEST_FAST_KDF: '1',
  MAZEVAULT_ACTOR: 'concurrent-cli-test',
};

let dir: { path: string; cleanup: () => void };
let vault: string;

function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => done({ status: status ?? -1, stdout, stderr }));
  });
}

beforeAll(() => {
  dir = tempDir('mazevault-concurrent-');
  vault = join(dir.path, 'shared.mzv');
  const init = spawnSync(process.execPath, [BIN, 'vault', 'init', '--vault', vault], {
    env: ENV,
    encoding: 'utf8',
  });
  expect(init.status, init.stderr).toBe(0);
});
afterAll(() => dir.cleanup());

describe('several mazevault processes on one vault', () => {
  it('all generate their keys, with no internal error and an intact audit chain', async () => {
    const runs = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        run([
          'key',
          'generate',
          '--vault',
          vault,
          '--algorithm',
          'ec-p256',
          '--label',
          `parallel-${index}`,
        ]),
      ),
    );
    for (const result of runs) {
      expect(result.stderr).not.toMatch(/internal error|SQLITE|constraint/i);
      expect(result.status, result.stderr).toBe(0);
    }

    const listed = await run(['--json', 'key', 'list', '--vault', vault]);
    const keys = (JSON.parse(listed.stdout) as { keys: { label: string }[] }).keys;
    expect(keys.map((key) => key.label).sort()).toEqual(
      [0, 1, 2, 3, 4].map((i) => `parallel-${i}`),
    );
    const verify = await run(['audit', 'verify', '--vault', vault]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });
});
