// The Electron main process: one hardened window serving the renderer from app://mazevault, and
// every contract channel routed to the services after a sender check. The work lives in
// electron/ipc (routing) and electron/window (hardening); this file only wires them to Electron.
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  session,
  type IpcMainInvokeEvent,
} from 'electron';
import { ipcChannelName, ipcEventName } from '../shared/channels';
import type { InvokeResult } from '../shared/contract';
import { AppContext, type ChoosePathRequest } from './ipc/context';
import { createIpcRouter } from './ipc/router';
import { nativeBindingPath, useElectronAppRoot } from './vault/native-binding';
import { chooseFilesToRead } from './window/file-dialogs';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
} from './window/app-protocol';
import {
  denyAllPermissions,
  hardenWebContents,
  isTrustedSender,
  mainWindowOptions,
} from './window/hardening';

const appRoot = app.getAppPath();
const unpackedRoot = appRoot.replace(/app\.asar$/, 'app.asar.unpacked');
useElectronAppRoot(appRoot);
if (app.isPackaged && !process.env.MAZEVAULT_PKCS11_WORKER) {
  // Worker threads cannot start from inside the asar archive.
  process.env.MAZEVAULT_PKCS11_WORKER = join(unpackedRoot, 'dist-electron', 'pkcs11-worker.mjs');
}

// Both must happen before `ready`: the scheme's privileges and the sandbox for every renderer.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

let mainWindow: BrowserWindow | undefined;

async function choosePath(request: ChoosePathRequest): Promise<string | null> {
  if (!mainWindow) return null;
  const defaultPath = join(app.getPath('documents'), request.suggestedName ?? '');
  if (request.purpose === 'vault-open') {
    const result = await dialog.showOpenDialog(mainWindow, {
      title: 'Open a MazeVault vault',
      defaultPath,
      properties: ['openFile'],
      filters: [
        { name: 'MazeVault vault', extensions: ['mzv'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  }
  const result = await dialog.showSaveDialog(mainWindow, {
    title: request.purpose === 'vault-create' ? 'Create a MazeVault vault' : 'Save as',
    defaultPath,
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  });
  return result.canceled ? null : (result.filePath ?? null);
}

const context = new AppContext({
  emit: (event, payload) => {
    if (mainWindow && !mainWindow.webContents.isDestroyed()) {
      mainWindow.webContents.send(ipcEventName(event), payload);
    }
  },
  defaultDirectory: app.getPath('documents'),
  version: app.getVersion(),
  choosePath,
  chooseFiles: (request) =>
    chooseFilesToRead(dialog, mainWindow, request, app.getPath('documents')),
});
const router = createIpcRouter(context);

const REFUSED: InvokeResult<never> = {
  ok: false,
  error: {
    code: 'INVALID_INPUT',
    message: 'This request did not come from the MazeVault window; it was refused.',
  },
};

for (const channel of router.channels) {
  ipcMain.handle(ipcChannelName(channel), async (event: IpcMainInvokeEvent, request: unknown) => {
    if (!isTrustedSender(event, mainWindow)) {
      context.log.warn(`refused ${channel} from a sender that is not the app window`);
      return REFUSED;
    }
    return router.handle(channel, request);
  });
}

function createWindow(): void {
  const window = new BrowserWindow(
    mainWindowOptions(join(appRoot, 'dist-electron', 'preload.cjs')),
  );
  hardenWebContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  mainWindow = window;
  void window.loadURL(APP_ENTRY_URL);
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

// A second instance would open the same vault file twice; focus the first window instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  void app.whenReady().then(() => {
    if (process.versions.electron && !nativeBindingPath()) {
      dialog.showErrorBox(
        'MazeVault cannot start',
        'The SQLite module built for Electron is missing. ' +
          'Run "npm run build:native" and start again.',
      );
      app.quit();
      return;
    }
    protocol.handle(APP_SCHEME, createAppProtocolHandler(join(appRoot, 'dist-renderer')));
    denyAllPermissions(session.defaultSession);
    createWindow();
  });
}

// Quitting locks the vault: the data key is dropped and the lock is audited.
app.on('before-quit', () => context.close());
app.on('window-all-closed', () => {
  context.close();
  app.quit();
});
