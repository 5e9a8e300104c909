// Foundation figures: vault unlock, key generation against `openssl genpkey`, audit verification.
import { execFileSync } from 'node:child_process';
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

/** Mean time for OpenSSL to make a P-256 key and CSR and sign a 90-day leaf with a P-256 CA. */
function opensslLeafIssueMs(dir: string, runs: number): number {
  const caKey = join(dir, 'bench-ca.key');
  const caCert = join(dir, 'bench-ca.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      '/CN=Bench OpenSSL CA',
      '-days',
      '3650',
      '-keyout',
      caKey,
      '-out',
      caCert,
    ],
    { stdio: 'ignore' },
  );
  const script =
    `openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=host.bench.example ` +
    `-keyout /dev/null 2>/dev/null | openssl x509 -req -CA ${caCert} -CAkey ${caKey} -days 90 ` +
    `-extfile <(printf 'subjectAltName=DNS:host.bench.example\nextendedKeyUsage=serverAuth') -out /dev/null 2>/dev/null`;
  return timeCommand('bash', ['-c', script], runs);
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

    const { issuance } = createServices(vault);
    const { certificate: root } = await issuance.createRoot({
      subject: 'CN=Bench Root CA,O=MazeVault Bench',
      key: { algorithm: 'ec-p384' },
      validity: { years: 20 },
    });
    const { certificate: sub } = await issuance.issueSubordinate({
      issuerCertId: root.id,
      subject: 'CN=Bench Issuing CA,O=MazeVault Bench',
      key: { algorithm: 'ec-p256' },
      validity: { years: 10 },
    });
    const leaves = 1_000;
    const issued = await timeIt(async () => {
      for (let i = 0; i < leaves; i += 1) {
        await issuance.issueEndEntity({
          issuerCertId: sub.id,
          profile: 'tls-server',
          subject: `CN=host-${i}.bench.example`,
          sans: [`DNS:host-${i}.bench.example`],
          key: { algorithm: 'ec-p256' },
          validity: { days: 90 },
        });
      }
    });
    const opensslLeafMs = opensslLeafIssueMs(dir.path, 30);
    const oursLeafMs = issued.ms / leaves;
    lines.push({
      name: `certificates issued per second (${leaves} TLS leaves, new P-256 key each)`,
      value: `${(1000 / oursLeafMs).toFixed(0)} cert/s`,
      comparison: `openssl req | openssl x509 -req ${(1000 / opensslLeafMs).toFixed(0)} cert/s → ${ratio(oursLeafMs, opensslLeafMs)}`,
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
