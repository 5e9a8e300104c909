#!/usr/bin/env node
// The mazevault command: registers tsx so Node runs the TypeScript services directly, then hands
// over to the CLI. Nothing else lives here.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../electron/cli/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv);
