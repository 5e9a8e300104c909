// Bundles the Electron main process and the preload into dist-electron/ as CommonJS with esbuild.
// Native modules (better-sqlite3, pkcs11js) and electron itself stay external: they are loaded at
// run time from node_modules or from the Electron build in build/native/electron/.
//
//   node scripts/build-electron.mjs                 build
//   node scripts/build-electron.mjs --check-binary  first refuse clearly if Electron's binary is absent
import console from 'node:console';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist-electron');
const require = createRequire(import.meta.url);

/** The path of Electron's executable, or a message saying why there is none. */
export function electronBinary() {
  try {
    // node_modules/electron/index.js exports the executable's path, or throws when the download
    // was skipped (ELECTRON_SKIP_BINARY_DOWNLOAD=1) or failed.
    return { path: require('electron') };
  } catch {
    return {
      error:
        "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1 or a failed download), " +
        'so the desktop window cannot start here. Everything else (CLI, tests) works without it. ' +
        'To run the app, reinstall electron with network access: ' +
        'rm -rf node_modules/electron && npm install electron',
    };
  }
}

async function main() {
  if (process.argv.includes('--check-binary')) {
    const binary = electronBinary();
    if (binary.error) {
      console.error(`mazevault: ${binary.error}`);
      process.exit(1);
    }
  }

  mkdirSync(outDir, { recursive: true });
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    external: ['electron', 'better-sqlite3', 'pkcs11js'],
    // worker-client.ts reads import.meta.url only under ESM and falls back to __dirname in a
    // CommonJS bundle, which is this one; the warning says nothing new.
    logOverride: { 'empty-import-meta': 'silent' },
  };
  await build({
    ...common,
    entryPoints: [join(root, 'electron', 'main.ts')],
    outfile: join(outDir, 'main.cjs'),
  });
  // A sandboxed preload may require only 'electron': everything else is inlined.
  await build({
    ...common,
    entryPoints: [join(root, 'electron', 'preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    external: ['electron'],
  });
  // The PKCS#11 thread is a separate script (see electron/providers/pkcs11/worker-client.ts).
  copyFileSync(
    join(root, 'electron', 'providers', 'pkcs11', 'worker.mjs'),
    join(outDir, 'pkcs11-worker.mjs'),
  );
  console.log(`mazevault: built main, preload and the PKCS#11 worker into ${outDir}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(`mazevault: the Electron build failed: ${error.message}`);
    process.exit(1);
  });
}
