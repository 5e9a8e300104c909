// The e2e harness's public API: the loopback server, the bridge shim and the chromium launcher.
export { startHarness, type Harness, type HarnessOptions } from './server';
export { bridgeShimScript } from './shim';
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium, type HarnessBrowser } from './chromium';
export { ensureRendererBuilt } from './build';
export { escapeRegExp, fieldByLabel, openAppWindow } from './window';
