// Locks on the window, after Electron's security checklist: the renderer is sandboxed and
// isolated, cannot navigate away from the app, cannot open windows or attach webviews, and is
// denied every permission (camera, notifications, HID…), which an offline PKI tool never needs.
import type {
  BrowserWindowConstructorOptions,
  IpcMainInvokeEvent,
  Session,
  WebContents,
} from 'electron';
import { isAppUrl } from './app-protocol';

export function hardenedWebPreferences(
  preloadPath: string,
): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    title: 'MazeVault',
    show: false,
    backgroundColor: '#101418',
    webPreferences: hardenedWebPreferences(preloadPath),
  };
}

/** Every web contents the app creates: no navigation, no new windows, no webviews. */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Refuses every permission request and check, and every device chooser. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * Whether an IPC call comes from the app's own window: the right web contents, its top frame,
 * and a page served by the app protocol. A frame that went away (null) is refused too.
 */
export function isTrustedSender(
  event: IpcMainInvokeEvent,
  window: { webContents: WebContents } | undefined,
): boolean {
  if (!window || window.webContents.isDestroyed()) return false;
  if (event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url);
}
