// PKCS#11 figures: ECDSA P-256 signatures per second through MazeVault (worker thread, KeyService
// with lifecycle checks and audit) against a `pkcs11-tool --sign` loop on the same SoftHSM2 token,
// and the main thread's event-loop delay while a 100-signature batch runs.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createSoftHsmHome, SOFTHSM_MODULE } from '../electron/providers/pkcs11/testing/softhsm';
import { createServices } from '../electron/services';
import { tempDir, TEST_PASSPHRASE } from '../electron/testing/temp';
import { Vault } from '../electron/vault/vault';
import { printSection, ratio, timeCommand, timeIt } from './measure';

const PIN = '1234';
const SIGNATURES = 200;
const TOOL_RUNS = 30;
const BATCH = 100;

export async function runPkcs11Bench(): Promise<Record<string, unknown>> {
  const dir = tempDir('mazevault-bench-pkcs11-');
  const home = createSoftHsmHome();
  const vault = await Vault.create(join(dir.path, 'bench.mzv'), TEST_PASSPHRASE, {
    kdfCost: 'test-only',
  });
  const services = createServices(vault);
  try {
    const serial = home.initToken('Bench', { user: PIN });
    await services.pkcs11.saveProfile({
      name: 'bench',
      preset: 'softhsm2',
      modulePath: SOFTHSM_MODULE,
    });
    await services.pkcs11.login('bench', serial, PIN);
    const key = await services.keys.generate({
      algorithm: 'ec-p256',
      label: 'bench signer',
      provider: 'pkcs11',
      providerOptions: { profile: 'bench', tokenSerial: serial },
    });
    const data = Buffer.alloc(1024, 7);
    await services.keys.sign(key.id, 'ecdsa-sha256', data, 'bench warm-up');

    const ours = await timeIt(async () => {
      for (let i = 0; i < SIGNATURES; i += 1) {
        await services.keys.sign(key.id, 'ecdsa-sha256', data, 'bench');
      }
    });
    const oursMs = ours.ms / SIGNATURES;

    // SoftHSM2 offers only raw CKM_ECDSA, so the tool signs the SHA-256 digest MazeVault computes too.
    const input = join(dir.path, 'tbs.sha256');
    writeFileSync(input, createHash('sha256').update(data).digest());
    const toolMs = timeCommand(
      'env',
      [
        `SOFTHSM2_CONF=${home.conf}`,
        'pkcs11-tool',
        '--module',
        SOFTHSM_MODULE,
        '--token-label',
        'Bench',
        '--login',
        '--pin',
        PIN,
        '--sign',
        '--mechanism',
        'ECDSA',
        '--id',
        String(key.providerRef.ckaId),
        '--input-file',
        input,
        '--output-file',
        join(dir.path, 'sig.bin'),
      ],
      TOOL_RUNS,
    );

    // The window's responsiveness: the main thread keeps its timers while the worker signs.
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    await Promise.all(
      Array.from({ length: BATCH }, () =>
        services.keys.sign(key.id, 'ecdsa-sha256', data, 'bench batch'),
      ),
    );
    delay.disable();
    const maxDelayMs = delay.max / 1e6;
    const p99DelayMs = delay.percentile(99) / 1e6;

    const result = {
      mazevaultSignaturesPerSecond: Math.round(1000 / oursMs),
      pkcs11ToolSignaturesPerSecond: Math.round(1000 / toolMs),
      speedRatio: Number((toolMs / oursMs).toFixed(2)),
      batchSize: BATCH,
      eventLoopDelayMaxMs: Number(maxDelayMs.toFixed(1)),
      eventLoopDelayP99Ms: Number(p99DelayMs.toFixed(1)),
      eventLoopUnder50ms: maxDelayMs < 50,
    };
    printSection('PKCS#11 (SoftHSM2, ECDSA P-256)', [
      {
        name: 'signatures per second, MazeVault (worker + audit)',
        value: `${result.mazevaultSignaturesPerSecond}/s`,
        comparison: `pkcs11-tool --sign loop ${result.pkcs11ToolSignaturesPerSecond}/s, ${ratio(oursMs, toolMs)}`,
      },
      {
        name: `event-loop delay during a ${BATCH}-signature batch`,
        value: `max ${result.eventLoopDelayMaxMs} ms`,
        comparison: `p99 ${result.eventLoopDelayP99Ms} ms (target < 50 ms)`,
      },
    ]);
    return result;
  } finally {
    await services.pkcs11.close();
    vault.close();
    home.cleanup();
    dir.cleanup();
  }
}
