// The e2e harness: a loopback HTTP server that serves the built renderer and exposes the main
// process's real IPC router, so Playwright can drive the real window in Debian's chromium against
// the real services (a real vault on disk), with Electron's IPC replaced by HTTP and SSE.
//
//   POST /ipc/:channel   JSON request in, the router's { ok, value } | { ok: false, error } out
//   GET  /events         server-sent events: progress, vault-locked
//   GET  /…              dist-renderer/ (or `rendererDir`): the app's CSP + connect-src 'self'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppContext, type ChoosePathRequest, type IpcLogger } from '../../electron/ipc/context';
import { createIpcRouter } from '../../electron/ipc/router';
import type { VaultOptions } from '../../electron/vault/vault';
import { contentSecurityPolicy, SECURITY_HEADERS } from '../../electron/window/csp';
import { readStaticFile } from '../../electron/window/static-files';
import { bridgeShimScript } from './shim';

export interface HarnessOptions {
  /** Where vaults and exports go: `dialog:choose-path` answers with files in this folder. */
  vaultDir: string;
  /** `'test-only'` for fast throw-away vaults; the real KDF when left out. */
  kdfCost?: VaultOptions['kdfCost'];
  /** The built renderer; defaults to dist-renderer/ at the repository root. */
  rendererDir?: string;
  actor?: string;
  log?: IpcLogger;
}

export interface Harness {
  /** http://127.0.0.1:<port>/ */
  url: string;
  /** The session behind the router, for assertions (e.g. the open vault's path). */
  context: AppContext;
  /** The bridge shim for `page.addInitScript({ content })` (same as bridgeShimScript()). */
  initScript: string;
  /**
   * What the next open dialogs (`dialog:choose-files`) answer, one list per dialog, in order;
   * once they are used up the dialog answers as if cancelled.
   */
  answerOpenDialogs(...answers: string[][]): void;
  close(): Promise<void>;
}

const REPOSITORY_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MAX_REQUEST_BYTES = 1024 * 1024;

const SUGGESTED_NAMES: Record<ChoosePathRequest['purpose'], string> = {
  'vault-create': 'vault.mzv',
  'vault-open': 'vault.mzv',
  export: 'export.bin',
  transcript: 'transcript.md',
};

const quietLog: IpcLogger = {
  warn: () => undefined,
  error: (message, error) => process.stderr.write(`[harness] ${message} ${String(error ?? '')}\n`),
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new Error('request too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const rendererDir = options.rendererDir ?? join(REPOSITORY_ROOT, 'dist-renderer');
  const streams = new Set<ServerResponse>();
  let chosen = 0;
  const openDialogAnswers: string[][] = [];

  const context = new AppContext({
    emit: (event, payload) => {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const stream of streams) stream.write(frame);
    },
    defaultDirectory: options.vaultDir,
    version: '0.0.0-harness',
    platform: process.platform,
    ...(options.actor ? { actor: options.actor } : {}),
    ...(options.kdfCost ? { kdfCost: options.kdfCost } : {}),
    // The system dialog's stand-in: a fresh file in the vault folder, so tests can press Browse.
    choosePath: async (request) => {
      chosen += 1;
      const name = request.suggestedName ?? SUGGESTED_NAMES[request.purpose];
      const extension = extname(name);
      const base = name.slice(0, name.length - extension.length);
      return join(
        options.vaultDir,
        request.purpose === 'vault-open' ? name : `${base}-${chosen}${extension}`,
      );
    },
    // The open dialog's stand-in: the paths the test queued with answerOpenDialogs.
    chooseFiles: async () => openDialogAnswers.shift() ?? [],
    log: options.log ?? quietLog,
  });
  const router = createIpcRouter(context);

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const address = server.address() as AddressInfo;
      const origin = `http://127.0.0.1:${address.port}`;
      // Only pages of this origin may call the router: a Host or Origin of another name (DNS
      // rebinding, another local page) is refused.
      if (request.headers.host !== `127.0.0.1:${address.port}`) return sendJson(response, 403, {});
      if (request.headers.origin && request.headers.origin !== origin) {
        return sendJson(response, 403, {});
      }

      if (request.method === 'POST' && url.pathname.startsWith('/ipc/')) {
        if (!String(request.headers['content-type']).startsWith('application/json')) {
          return sendJson(response, 415, {});
        }
        let body: unknown;
        try {
          const text = await readBody(request);
          body = text.length ? JSON.parse(text) : undefined;
        } catch {
          return sendJson(response, 400, {
            ok: false,
            error: { code: 'INVALID_INPUT', message: 'The request body is not JSON.' },
          });
        }
        const channel = decodeURIComponent(url.pathname.slice('/ipc/'.length));
        return sendJson(response, 200, await router.handle(channel, body));
      }

      if (request.method === 'GET' && url.pathname === '/events') {
        response.writeHead(200, {
          'Content-Type': 'text/event-stream',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
        });
        response.write(': connected\n\n');
        streams.add(response);
        request.on('close', () => streams.delete(response));
        return undefined;
      }

      if (request.method !== 'GET') return sendJson(response, 405, {});
      const file = await readStaticFile(rendererDir, url.pathname);
      response.writeHead(file.status, {
        'Content-Type': file.contentType,
        'Content-Security-Policy': contentSecurityPolicy({ allowSameOriginFetch: true }),
        ...SECURITY_HEADERS,
      });
      response.end(file.body);
      return undefined;
    })().catch((error: unknown) => {
      quietLog.error('request failed', error);
      if (!response.headersSent) sendJson(response, 500, {});
      else response.end();
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    context,
    initScript: bridgeShimScript(),
    answerOpenDialogs: (...answers) => {
      openDialogAnswers.push(...answers);
    },
    close: async () => {
      context.close();
      for (const stream of streams) stream.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
