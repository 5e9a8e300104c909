// Builds the native modules the Electron app loads, for the installed Electron's ABI, into
// build/native/electron/, without touching node_modules (whose Node builds the tests and the CLI
// keep using). The app finds the result through electron/vault/native-binding.ts.
//
//   better-sqlite3  uses V8's own API, so its ABI changes with every Electron: a copy of the
//                   package is rebuilt with node-gyp against Electron's headers.
//   pkcs11js        is a Node-API addon (it includes node_api.h): Node-API's ABI is stable across
//                   Node and Electron, so the node_modules build loads in both; nothing to build.
//
//   node scripts/build-electron-native.mjs                build (again)
//   node scripts/build-electron-native.mjs --if-missing   only when missing or for another Electron
//   node scripts/build-electron-native.mjs --check-binary first refuse if Electron's binary is absent
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './build-electron.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'build', 'native', 'electron');
// Inside the project, so node-gyp's helpers resolve from our node_modules; git ignores build/native.
const workDir = join(root, 'build', 'native', '.work');
const manifestPath = join(outDir, 'manifest.json');
const require = createRequire(import.meta.url);

function fail(message) {
  console.error(`mazevault: ${message}`);
  process.exit(1);
}

function electronVersion() {
  try {
    return JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  } catch {
    return fail('The electron package is not installed; run npm ci first.');
  }
}

function packageDir(name) {
  return dirname(require.resolve(`${name}/package.json`));
}

function upToDate(version) {
  if (!existsSync(manifestPath)) return false;
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    return (
      manifest.electron === version &&
      manifest.arch === process.arch &&
      existsSync(join(outDir, 'better_sqlite3.node'))
    );
  } catch {
    return false;
  }
}

function isNodeApiAddon(name) {
  const gyp = readFileSync(join(packageDir(name), 'binding.gyp'), 'utf8');
  const sources = join(packageDir(name), 'src');
  const header = existsSync(join(sources, 'common.h'))
    ? readFileSync(join(sources, 'common.h'), 'utf8')
    : '';
  return /NAPI_/.test(gyp) || /node_api\.h|napi\.h/.test(header);
}

function buildBetterSqlite3(version) {
  const source = packageDir('better-sqlite3');
  const copy = join(workDir, 'better-sqlite3');
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  // The sources and the SQLite amalgamation, not the Node build (build/) or anything installed.
  cpSync(source, copy, {
    recursive: true,
    filter: (path) => {
      const inside = relative(source, path).split(sep);
      return inside[0] !== 'build' && inside[0] !== 'node_modules';
    },
  });

  const nodeGyp = join(packageDir('node-gyp'), 'bin', 'node-gyp.js');
  console.log(`mazevault: building better-sqlite3 for Electron ${version} (${process.arch})…`);
  const result = spawnSync(
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      '--release',
      `--target=${version}`,
      `--arch=${process.arch}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: copy, stdio: 'inherit', env: { ...process.env, npm_config_build_from_source: 'true' } },
  );
  if (result.status !== 0) {
    fail(
      `building better-sqlite3 for Electron ${version} failed. It needs Electron's headers from ` +
        'https://electronjs.org/headers (network access, once; node-gyp caches them) and a C++ ' +
        "toolchain (python3, make, a C++20 compiler). node_modules' Node build is untouched.",
    );
  }
  const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) fail(`node-gyp reported success but ${built} is missing.`);
  mkdirSync(outDir, { recursive: true });
  copyFileSync(built, join(outDir, 'better_sqlite3.node'));
}

function main() {
  const args = new Set(process.argv.slice(2));
  if (args.has('--check-binary')) {
    const binary = electronBinary();
    if (binary.error) fail(binary.error);
  }
  const version = electronVersion();
  if (args.has('--if-missing') && upToDate(version)) {
    console.log(`mazevault: native modules for Electron ${version} are up to date in ${outDir}`);
    return;
  }

  buildBetterSqlite3(version);
  if (!isNodeApiAddon('pkcs11js')) {
    // TODO(#2): build pkcs11js like better-sqlite3 if a future version leaves Node-API.
    fail('pkcs11js is no longer a Node-API addon; it needs an Electron build too.');
  }
  console.log(
    'mazevault: pkcs11js is a Node-API addon; its node_modules build loads under Electron.',
  );

  const manifest = {
    electron: version,
    arch: process.arch,
    platform: process.platform,
    builtAt: new Date().toISOString(),
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(workDir, { recursive: true, force: true });
  console.log(`mazevault: native modules for Electron ${version} are in ${outDir}`);
}

main();
