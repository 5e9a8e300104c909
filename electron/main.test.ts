// The Electron main module under a mocked `electron` (the binary is not needed): what it
// registers, how it hardens the window, and whom it answers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, ipcChannelName } from '../shared/channels';
import { TEST_PASSPHRASE, tempDir } from './testing/temp';
import { Vault } from './vault/vault';

type Listener = (...args: unknown[]) => unknown;

class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  once(name: string, listener: Listener): this {
    return this.on(name, listener);
  }
  emit(name: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(name) ?? []) listener(...args);
  }
}

class FakeWebContents extends FakeEmitter {
  windowOpenHandler: Listener | undefined;
  readonly send = vi.fn();
  setWindowOpenHandler(handler: Listener): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return false;
  }
}

const electron = vi.hoisted(() => ({
  appRoot: '',
  documents: '',
  windows: [] as {
    options: Record<string, unknown>;
    webContents: unknown;
    loadURL: ReturnType<typeof vi.fn>;
  }[],
  handlers: new Map<string, (...args: unknown[]) => Promise<unknown>>(),
  appListeners: new Map<string, ((...args: unknown[]) => void)[]>(),
  privileged: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  permissionRequest: undefined as undefined | ((...args: unknown[]) => void),
  permissionCheck: undefined as undefined | ((...args: unknown[]) => boolean),
  devicePermission: undefined as undefined | ((...args: unknown[]) => boolean),
  sandboxEnabled: false,
  ready: undefined as undefined | Promise<void>,
}));

vi.mock('electron', () => {
  const app = {
    getAppPath: () => electron.appRoot,
    getPath: () => electron.documents,
    getVersion: () => '0.1.0',
    isPackaged: false,
    enableSandbox: () => {
      electron.sandboxEnabled = true;
    },
    requestSingleInstanceLock: () => true,
    whenReady: () => {
      electron.ready = Promise.resolve();
      return electron.ready;
    },
    on: (name: string, listener: (...args: unknown[]) => void) => {
      electron.appListeners.set(name, [...(electron.appListeners.get(name) ?? []), listener]);
      return app;
    },
    quit: vi.fn(),
  };
  class BrowserWindow extends FakeEmitter {
    readonly webContents = new FakeWebContents();
    readonly loadURL = vi.fn(async () => undefined);
    constructor(readonly options: Record<string, unknown>) {
      super();
      electron.windows.push(this as never);
    }
    show(): void {}
    focus(): void {}
    isMinimized(): boolean {
      return false;
    }
  }
  return {
    app,
    BrowserWindow,
    dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
    ipcMain: {
      handle: (channel: string, handler: (...args: unknown[]) => Promise<unknown>) => {
        if (electron.handlers.has(channel)) throw new Error(`${channel} registered twice`);
        electron.handlers.set(channel, handler);
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        if (electron.ready) throw new Error('schemes must be registered before ready');
        electron.privileged.push(...schemes);
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        electron.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: (...args: unknown[]) => void) => {
          electron.permissionRequest = handler;
        },
        setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => {
          electron.permissionCheck = handler;
        },
        setDevicePermissionHandler: (handler: (...args: unknown[]) => boolean) => {
          electron.devicePermission = handler;
        },
      },
    },
  };
});

const dir = tempDir('mazevault-main-');

beforeAll(async () => {
  electron.appRoot = join(dir.path, 'app');
  electron.documents = dir.path;
  mkdirSync(join(electron.appRoot, 'dist-renderer'), { recursive: true });
  writeFileSync(
    join(electron.appRoot, 'dist-renderer', 'index.html'),
    '<!doctype html><title>MazeVault</title>',
  );
  await import('./main');
  await electron.ready;
});

afterAll(() => {
  for (const listener of electron.appListeners.get('before-quit') ?? []) listener();
  dir.cleanup();
});

function mainWindow() {
  const window = electron.windows[0];
  if (!window) throw new Error('no window was created');
  return window as unknown as {
    options: Record<string, unknown>;
    webContents: FakeWebContents;
    loadURL: ReturnType<typeof vi.fn>;
  };
}

function invoke(channel: string, event: unknown, request?: unknown): Promise<unknown> {
  const handler = electron.handlers.get(ipcChannelName(channel as never));
  if (!handler) throw new Error(`${channel} is not registered`);
  return handler(event, request);
}

function eventFrom(sender: unknown, url: string, parent: unknown = null): unknown {
  return { sender, senderFrame: { url, parent } };
}

describe('the Electron main module', () => {
  it('registers exactly the contract channels with ipcMain.handle', () => {
    expect([...electron.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map(ipcChannelName).sort());
  });

  it('registers the app scheme as standard and secure before ready, and sandboxes every renderer', () => {
    expect(electron.privileged).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    expect(electron.sandboxEnabled).toBe(true);
  });

  it('opens one window with hardened webPreferences and loads it from the app protocol', () => {
    expect(electron.windows).toHaveLength(1);
    const { options, loadURL } = mainWindow();
    expect(options.webPreferences).toEqual(
      expect.objectContaining({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        preload: join(electron.appRoot, 'dist-electron', 'preload.cjs'),
      }),
    );
    expect(loadURL).toHaveBeenCalledWith('app://mazevault/index.html');
  });

  it('serves the renderer with a strict CSP header and refuses paths outside it', async () => {
    const handler = electron.protocolHandlers.get('app');
    if (!handler) throw new Error('the app protocol is not handled');
    const page = await handler(new Request('app://mazevault/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>MazeVault</title>');
    const csp = page.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toMatch(/unsafe-eval/);
    // A file beside the renderer folder must stay out of reach, however the path is spelled.
    writeFileSync(join(electron.appRoot, 'secret.txt'), 'not for the window');
    for (const path of ['/..%2Fsecret.txt', '/%2E%2E/secret.txt', '/..%5Csecret.txt']) {
      const escape = await handler(new Request(`app://mazevault${path}`));
      expect(await escape.text(), path).not.toContain('not for the window');
    }
  });

  it('refuses navigation, window.open and webviews', () => {
    const { webContents } = mainWindow();
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      webContents.emit(name, event, 'https://example.com/');
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    expect(webContents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({
      action: 'deny',
    });
  });

  it('hardens any other web contents the app creates', () => {
    const other = new FakeWebContents();
    for (const listener of electron.appListeners.get('web-contents-created') ?? []) {
      listener({}, other);
    }
    const event = { preventDefault: vi.fn() };
    other.emit('will-navigate', event, 'https://example.com/');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(other.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    const callback = vi.fn();
    electron.permissionRequest?.({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(electron.permissionCheck?.({}, 'notifications')).toBe(false);
    expect(electron.devicePermission?.({})).toBe(false);
  });

  it('answers the app window and refuses every other sender', async () => {
    const { webContents } = mainWindow();
    const answered = await invoke(
      'app:status',
      eventFrom(webContents, 'app://mazevault/index.html'),
    );
    expect(answered).toEqual({ ok: true, value: expect.objectContaining({ version: '0.1.0' }) });

    const refusals = [
      eventFrom(new FakeWebContents(), 'app://mazevault/index.html'),
      eventFrom(webContents, 'https://evil.example/'),
      eventFrom(webContents, 'file:///tmp/index.html'),
      eventFrom(webContents, 'app://mazevault/index.html', { url: 'app://mazevault/' }),
      { sender: webContents, senderFrame: null },
    ];
    for (const event of refusals) {
      expect(await invoke('app:status', event)).toEqual({
        ok: false,
        error: expect.objectContaining({
          code: 'INVALID_INPUT',
          message: expect.stringContaining('refused'),
        }),
      });
    }
  });

  it('locks the vault when the app quits', async () => {
    const path = join(dir.path, 'quit.mzv');
    (await Vault.create(path, TEST_PASSPHRASE, { kdfCost: 'test-only' })).close();
    const trusted = eventFrom(mainWindow().webContents, 'app://mazevault/index.html');
    await invoke('vault:open', trusted, { path });
    await invoke('vault:unlock', trusted, { passphrase: TEST_PASSPHRASE });
    expect(await invoke('app:status', trusted)).toEqual({
      ok: true,
      value: expect.objectContaining({ vault: expect.objectContaining({ state: 'unlocked' }) }),
    });

    for (const listener of electron.appListeners.get('before-quit') ?? []) listener();

    expect(await invoke('app:status', trusted)).toEqual({
      ok: true,
      value: expect.objectContaining({ vault: expect.objectContaining({ state: 'none' }) }),
    });
    const reopened = Vault.open(path);
    const last = reopened.audit.list({ limit: 1 })[0];
    reopened.close();
    expect(last).toEqual(expect.objectContaining({ action: 'vault.lock', outcome: 'success' }));
  });
});
