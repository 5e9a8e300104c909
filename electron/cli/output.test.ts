import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_PASSPHRASE } from '../testing/temp';
import { Vault } from '../vault/vault';

const BIN = resolve(__dirname, '../../bin/mazevault.mjs');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mazevault-epipe-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI into a pipe whose reader goes away after the first chunk, as `| head -1` does. */
function runIntoClosingPipe(
  args: string[],
): Promise<{ status: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, MAZEVAULT_TEST_FAST_KDF: '1', MAZEVAULT_PASSPHRASE: TEST_PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (status, signal) => resolvePromise({ status, signal, stderr }));
  });
}

describe('the CLI output layer (newcomer finding #6)', () => {
  it('exits quietly, without a stack trace, when its reader closes the pipe early', async () => {
    const one = join(dir, 'one.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        '/CN=epipe',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        one,
      ],
      { stdio: 'ignore' },
    );
    // Far more output than a pipe buffers, so the CLI is still writing when the reader leaves.
    const many = join(dir, 'many.pem');
    writeFileSync(many, readFileSync(one, 'utf8').repeat(1500));

    const run = await runIntoClosingPipe(['inspect', many]);
    expect(run.stderr).not.toMatch(/node:events|EPIPE|Unhandled|\n\s+at /);
    expect(run.stderr).toBe('');
    expect(run.signal).toBeNull();
    expect([0, 141]).toContain(run.status);
  });

  it('still locks and closes the vault when the reader leaves early', async () => {
    const path = join(dir, 'many-events.mzv');
    const vault = await Vault.create(path, TEST_PASSPHRASE, { kdfCost: 'test-only' });
    vault.transaction(() => {
      for (let i = 0; i < 2000; i += 1) {
        vault.record({ action: 'test.event', subject: `subject-${i}`, outcome: 'success' });
      }
    });
    vault.close();

    const run = await runIntoClosingPipe(['audit', 'list', '--vault', path, '--limit', '5000']);
    expect(run.stderr).toBe('');
    expect([0, 141]).toContain(run.status);

    const reopened = Vault.open(path);
    try {
      expect(reopened.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'vault.lock' });
      expect(reopened.audit.verify().ok).toBe(true);
    } finally {
      reopened.close();
    }
  });
});

describe('names with control characters in human output', () => {
  it('prints a forged newline or escape sequence as RFC 4514 escapes, on one line', async () => {
    const { createOutput } = await import('./output');
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      createOutput(false).result({}, ['  subject  CN=a.example\nValid.\u001b[2K', 'second line']);
    } finally {
      spy.mockRestore();
    }
    expect(written).toEqual(['  subject  CN=a.example\\0AValid.\\1B[2K\n', 'second line\n']);
  });
});
