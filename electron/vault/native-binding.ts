// better-sqlite3 is a native module and must be built for the runtime that loads it. Under Node
// (tests, CLI) the copy in node_modules is used; under Electron the app loads a separate Electron
// build made by scripts/build-electron-native.mjs, so neither breaks the other.
import { existsSync } from 'node:fs';

export function nativeBindingPath(): string | undefined {
  const fromEnv = process.env.MAZEVAULT_SQLITE_BINDING;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return undefined;
}
