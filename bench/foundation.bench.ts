// Foundation figures: vault unlock, key generation against `openssl genpkey`, audit verification.
import { join } from 'node:path';
import { KeyService } from '../electron/keys/service';
import { createServices } from '../electron/services';
import { tempDir, TEST_PASSPHRASE } from '../electron/testing/temp';
import { Vault } from '../electron/vault/vault';
import { printSection, ratio, timeCommand, timeIt, type BenchLine } from './measure';

async function meanKeygenMs(
  keys: KeyService,
  algorithm: 'rsa-3072' | 'ec-p384',
  runs: number,
): Promise<number> {
  const { ms } = await timeIt(async () => {
    for (let i = 0; i < runs; i += 1) await keys.generate({ algorithm, label: `bench-${i}` });
  });
  return ms / runs;
}

export async function runFoundationBench(): Promise<void> {
  const dir = tempDir('mazevault-bench-');
  try {
    const path = join(dir.path, 'bench.mzv');
    const created = await Vault.create(path, TEST_PASSPHRASE);
    created.close();

    const lines: BenchLine[] = [];
    const vault = Vault.open(path);
    const unlock = await timeIt(() => vault.unlock(TEST_PASSPHRASE));
    lines.push({
      name: 'vault unlock (scrypt N=2^17, r=8, p=1)',
      value: `${unlock.ms.toFixed(0)} ms`,
    });

    const { keys } = createServices(vault);
    const rsaRuns = 10;
    const ecRuns = 50;
    const rsaOurs = await meanKeygenMs(keys, 'rsa-3072', rsaRuns);
    const rsaOpenssl = timeCommand(
      'openssl',
      ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072', '-out', '/dev/null'],
      rsaRuns,
    );
    lines.push({
      name: 'RSA-3072 key generation, per key (sealed in vault)',
      value: `${rsaOurs.toFixed(0)} ms`,
      comparison: `openssl genpkey ${rsaOpenssl.toFixed(0)} ms → ${ratio(rsaOurs, rsaOpenssl)} (RSA keygen time is random; few runs)`,
    });
    const ecOurs = await meanKeygenMs(keys, 'ec-p384', ecRuns);
    const ecOpenssl = timeCommand(
      'openssl',
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', '/dev/null'],
      ecRuns,
    );
    lines.push({
      name: 'EC P-384 key generation, per key (sealed in vault)',
      value: `${ecOurs.toFixed(2)} ms`,
      comparison: `openssl genpkey ${ecOpenssl.toFixed(2)} ms → ${ratio(ecOurs, ecOpenssl)}`,
    });

    const events = 100_000;
    await timeIt(() =>
      vault.transaction(() => {
        for (let i = 0; i < events; i += 1) {
          vault.record({
            action: 'bench.event',
            subject: `subject-${i}`,
            outcome: 'success',
            details: { i },
          });
        }
      }),
    );
    const verify = await timeIt(() => vault.audit.verify());
    if (!verify.value.ok) throw new Error('the benchmark audit chain did not verify');
    lines.push({
      name: `audit verification over ${verify.value.events} events`,
      value: `${Math.round(verify.value.events / (verify.ms / 1000))} ev/s`,
      comparison: `${verify.ms.toFixed(0)} ms in all, MACs checked`,
    });

    printSection('Foundation', lines);
    vault.close();
  } finally {
    dir.cleanup();
  }
}
