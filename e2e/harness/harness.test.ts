// Smoke test of the e2e harness: chromium, through the shim, reaches the real router and a real
// vault on disk, and hears its events.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSPHRASE, tempDir } from '../../electron/testing/temp';
import { launchChromium, startHarness, type Harness, type HarnessBrowser } from './index';

const dir = tempDir('mazevault-harness-');
const vaultDir = join(dir.path, 'vaults');
const rendererDir = join(dir.path, 'renderer');
let harness: Harness;
let browser: HarnessBrowser;

beforeAll(async () => {
  mkdirSync(vaultDir);
  mkdirSync(rendererDir);
  // A stand-in page: this test is about the bridge, not the renderer's UI.
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>harness smoke</title><p>ready</p>',
  );
  harness = await startHarness({ vaultDir, kdfCost: 'test-only', rendererDir });
  browser = await launchChromium();
  await browser.page.goto(harness.url);
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
  dir.cleanup();
});

function postFrom(host: string, origin?: string): Promise<number> {
  const url = new URL(harness.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: url.port,
        path: '/ipc/app:status',
        method: 'POST',
        headers: {
          Host: host,
          'Content-Type': 'application/json',
          ...(origin ? { Origin: origin } : {}),
        },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end('{}');
  });
}

describe('the e2e harness', () => {
  it('listens on 127.0.0.1 only, on a random port', () => {
    const url = new URL(harness.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
  });

  it('serves the renderer with the CSP, allowing fetch to its own origin only', async () => {
    const response = await browser.page.goto(harness.url);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(await browser.page.title()).toBe('harness smoke');
  });

  it('creates a vault from chromium through the shim and reads the app status back', async () => {
    const path = join(vaultDir, 'smoke.mzv');
    const result = await browser.page.evaluate(
      async ({ path, passphrase }) => {
        const seen: unknown[] = [];
        window.mazevault!.on('vault-locked', (payload) => seen.push(payload));
        const created = await window.mazevault!.invoke('vault:create', { path, passphrase });
        const status = await window.mazevault!.invoke('app:status');
        const locked = await window.mazevault!.invoke('vault:lock');
        for (let i = 0; i < 50 && !seen.length; i += 1) await new Promise((r) => setTimeout(r, 20));
        return { created, status, locked, seen };
      },
      { path, passphrase: TEST_PASSPHRASE },
    );
    expect(result.created).toEqual({
      ok: true,
      value: expect.objectContaining({ state: 'unlocked', path }),
    });
    expect(result.status).toEqual({
      ok: true,
      value: expect.objectContaining({
        defaultDirectory: vaultDir,
        vault: expect.objectContaining({ state: 'unlocked', path, testOnlyKdf: true }),
      }),
    });
    expect(result.locked).toEqual({
      ok: true,
      value: expect.objectContaining({ state: 'locked' }),
    });
    expect(result.seen).toEqual([{ reason: 'manual', path }]);
    expect(existsSync(path)).toBe(true);
    expect(harness.context.vault?.path).toBe(path);
  });

  it('gives the page the preload shape and refuses channels outside the contract', async () => {
    const result = await browser.page.evaluate(async () => ({
      keys: Object.keys(window.mazevault!).sort(),
      unknown: await window.mazevault!.invoke('fs:read' as never, {} as never),
    }));
    expect(result.keys).toEqual(['invoke', 'on']);
    expect(harness.initScript).toContain("Object.defineProperty(window, 'mazevault'");
    expect(result.unknown).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'INVALID_INPUT' }),
    });
  });

  it('refuses calls that name another host or come from another origin', async () => {
    const { port } = new URL(harness.url);
    expect(await postFrom(`127.0.0.1:${port}`)).toBe(200);
    expect(await postFrom(`attacker.example:${port}`)).toBe(403);
    expect(await postFrom(`127.0.0.1:${port}`, 'http://attacker.example')).toBe(403);
  });
});
