// Test helper: a SoftHSM2 token directory of the test's own, selected through SOFTHSM2_CONF so no
// test touches a shared token. SoftHSM reads the variable when the module is initialised, and a
// module is process-wide, so one test file uses one directory (with as many tokens as it likes).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface SoftHsmHome {
  dir: string;
  tokenDir: string;
  conf: string;
  /** Initialises a token with softhsm2-util and returns its serial. */
  initToken(label: string, pins?: { so?: string; user?: string }): string;
  cleanup(): void;
}

export function createSoftHsmHome(): SoftHsmHome {
  const dir = mkdtempSync(join(tmpdir(), 'mazevault-softhsm-'));
  const tokenDir = join(dir, 'tokens');
  execFileSync('mkdir', ['-p', tokenDir]);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  );
  process.env.SOFTHSM2_CONF = conf;
  return {
    dir,
    tokenDir,
    conf,
    initToken(label, pins = {}) {
      const out = execFileSync(
        'softhsm2-util',
        [
          '--init-token',
          '--free',
          '--label',
          label,
          '--so-pin',
          pins.so ?? '87654321',
          '--pin',
          pins.user ?? '1234',
        ],
        { env: { ...process.env, SOFTHSM2_CONF: conf }, encoding: 'utf8' },
      );
      if (!/initialized/.test(out)) {
        throw new Error(`softhsm2-util did not initialise ${label}: ${out}`);
      }
      return tokenSerial(conf, label);
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function tokenSerial(conf: string, label: string): string {
  const out = execFileSync('softhsm2-util', ['--show-slots'], {
    env: { ...process.env, SOFTHSM2_CONF: conf },
    encoding: 'utf8',
  });
  for (const block of out.split(/\nSlot /)) {
    const labelMatch = /Label:\s+(.*)/.exec(block);
    const serialMatch = /Serial number:\s+(\S+)/.exec(block);
    if (labelMatch && serialMatch && labelMatch[1]!.trim() === label) return serialMatch[1]!;
  }
  throw new Error(`no token labelled ${label} in ${conf}`);
}

/** Runs pkcs11-tool against the test's token directory. */
export function pkcs11Tool(home: SoftHsmHome, args: string[]): string {
  return execFileSync('pkcs11-tool', ['--module', SOFTHSM_MODULE, ...args], {
    env: { ...process.env, SOFTHSM2_CONF: home.conf },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
