// better-sqlite3 is a native module and must be built for the runtime that loads it. Under Node
// (tests, CLI) the copy in node_modules is used; under Electron the app loads a separate Electron
// build made by scripts/build-electron-native.mjs, so neither breaks the other.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where scripts/build-electron-native.mjs puts the Electron build, relative to the app root. */
export const ELECTRON_SQLITE_BINDING = join('build', 'native', 'electron', 'better_sqlite3.node');

let electronAppRoot: string | undefined;

/**
 * Called by the Electron main process with `app.getAppPath()`. Native files cannot be loaded from
 * inside an asar archive, so a packaged app reads them from app.asar.unpacked.
 */
export function useElectronAppRoot(appRoot: string): void {
  electronAppRoot = appRoot.replace(/app\.asar$/, 'app.asar.unpacked');
}

/** The Electron build's path for this app, whether or not it has been built yet. */
export function electronBindingPath(): string | undefined {
  return electronAppRoot ? join(electronAppRoot, ELECTRON_SQLITE_BINDING) : undefined;
}

export function nativeBindingPath(): string | undefined {
  const fromEnv = process.env.MAZEVAULT_SQLITE_BINDING;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  if (process.versions.electron) {
    const built = electronBindingPath();
    if (built && existsSync(built)) return built;
  }
  return undefined;
}
