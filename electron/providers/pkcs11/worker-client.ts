// The main thread's side of the PKCS#11 worker: one thread per loaded module, each call a message
// with its own timeout. A call that outlives its timeout rejects with TIMEOUT at once; the thread
// is then abandoned (a native call cannot be interrupted) and the next use starts a fresh one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MazeVaultError } from '../../../shared/errors';
import { Pkcs11CallError, type Pkcs11Failure } from './errors';

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

type Reply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: Pkcs11Failure };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * Where the worker script is. Under vitest and tsx it sits beside this file; an esbuild bundle
 * (CommonJS, no import.meta.url) ships it beside the bundle as `pkcs11-worker.mjs`;
 * MAZEVAULT_PKCS11_WORKER overrides both (packaged apps put it outside the asar archive).
 */
export function workerScriptPath(): string {
  const fromEnv = process.env.MAZEVAULT_PKCS11_WORKER;
  if (fromEnv) return fromEnv;
  const metaUrl = typeof import.meta === 'object' ? import.meta.url : undefined;
  if (metaUrl) return fileURLToPath(new URL('./worker.mjs', metaUrl));
  const bundled = join(
    typeof __dirname === 'string' ? __dirname : process.cwd(),
    'pkcs11-worker.mjs',
  );
  if (existsSync(bundled)) return bundled;
  throw new MazeVaultError('INTERNAL', 'The PKCS#11 worker script is missing from this build.');
}

export class Pkcs11Worker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private deadReason: string | undefined;

  constructor(readonly defaultTimeoutMs = DEFAULT_CALL_TIMEOUT_MS) {
    this.worker = new Worker(workerScriptPath());
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', () => this.fail('the PKCS#11 worker stopped with an error'));
    this.worker.on('exit', () => this.fail('the PKCS#11 worker exited'));
  }

  /** False once the thread timed out, crashed or was closed; the owner then starts another. */
  get usable(): boolean {
    return this.deadReason === undefined;
  }

  /** Runs one worker operation (see worker.mjs) within `timeoutMs`. */
  run<T>(op: string, args: unknown[], timeoutMs = this.defaultTimeoutMs): Promise<T> {
    if (this.deadReason) {
      return Promise.reject(
        new MazeVaultError('TOKEN_ERROR', `The token connection is closed: ${this.deadReason}.`),
      );
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.timeout(id, op, timeoutMs), timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.worker.ref();
      this.worker.postMessage({ id, op, args });
    });
  }

  /** Stops the thread; a thread stuck in a native call is left to finish on its own. */
  close(): void {
    this.fail('the token connection was closed');
    void this.worker.terminate().catch(() => undefined);
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) pending.resolve(reviveBuffers(reply.value));
    else pending.reject(new Pkcs11CallError(reply.error));
  }

  private timeout(id: number, op: string, timeoutMs: number): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.reject(
      new MazeVaultError(
        'TIMEOUT',
        `The token did not answer within ${Math.round(timeoutMs / 1000)} s (${op}); ` +
          'check the HSM and its network, then try again.',
      ),
    );
    // The thread is stuck inside the module; everything queued behind it would wait too.
    this.fail(`an earlier ${op} call timed out`);
    this.worker.unref();
    void this.worker.terminate().catch(() => undefined);
  }

  private fail(reason: string): void {
    if (!this.deadReason) this.deadReason = reason;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(
        new MazeVaultError('TOKEN_ERROR', `The token connection was lost: ${reason}.`),
      );
      this.pending.delete(id);
    }
    this.worker.unref();
  }
}

/** Structured clone hands back Uint8Arrays; the rest of the code speaks Buffer. */
function reviveBuffers(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  if (Array.isArray(value)) return value.map(reviveBuffers);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = reviveBuffers(inner);
    return out;
  }
  return value;
}
