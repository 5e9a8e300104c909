// Builds the window (dist-renderer/) with vite when it is missing or older than its sources. Several
// e2e files run in parallel, so one build at a time holds a lock directory, and the new build is
// written beside the old one and swapped in, so a running test never reads a half-written build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT = join(ROOT, 'dist-renderer');
const LOCK = join(ROOT, '.dist-renderer.lock');
const LOCK_STALE_MS = 5 * 60_000;

function newestModification(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestModification(join(path, name))),
    stat.mtimeMs,
  );
}

function isStale(): boolean {
  const index = join(BUILT, 'index.html');
  const sources = ['renderer', 'shared', 'vite.config.ts'].map((name) => join(ROOT, name));
  return (
    !existsSync(index) || statSync(index).mtimeMs < Math.max(...sources.map(newestModification))
  );
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function acquireLock(): void {
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      // A lock left by a killed run is taken over once it is clearly older than any build.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) {
        rmSync(LOCK, { recursive: true, force: true });
      } else {
        sleep(250);
      }
    }
  }
}

export function ensureRendererBuilt(): string {
  if (!isStale()) return BUILT;
  acquireLock();
  try {
    if (!isStale()) return BUILT;
    const fresh = `${BUILT}.building-${process.pid}`;
    rmSync(fresh, { recursive: true, force: true });
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', fresh, '--emptyOutDir'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (result.status !== 0) {
      rmSync(fresh, { recursive: true, force: true });
      throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
    }
    const old = `${BUILT}.old-${process.pid}`;
    if (existsSync(BUILT)) renameSync(BUILT, old);
    renameSync(fresh, BUILT);
    rmSync(old, { recursive: true, force: true });
    return BUILT;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
