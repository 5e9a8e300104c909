// Dashboard figures with 100,000 certificates and 10,000 keys in the vault: the whole summary,
// filtered and sorted list pages, and the rotation "due" list. Target: under 100 ms each.
import { join } from 'node:path';
import { DashboardService } from '../electron/pki/dashboard';
import { seedInventory } from '../electron/testing/bulk-seed';
import { tempDir, TEST_PASSPHRASE } from '../electron/testing/temp';
import { createServices } from '../electron/services';
import { Vault } from '../electron/vault/vault';
import { printSection, timeIt, type BenchLine } from './measure';

const CERTIFICATES = 100_000;
const KEYS = 10_000;
const RUNS = 20;

async function meanMs(work: () => unknown): Promise<{ mean: number; worst: number }> {
  work();
  let total = 0;
  let worst = 0;
  for (let i = 0; i < RUNS; i += 1) {
    const { ms } = await timeIt(work);
    total += ms;
    worst = Math.max(worst, ms);
  }
  return { mean: total / RUNS, worst };
}

function verdict(ms: number): string {
  return ms < 100 ? 'under the 100 ms target' : 'OVER the 100 ms target';
}

export async function runDashboardBench(): Promise<void> {
  const dir = tempDir('mazevault-dashboard-bench-');
  const vault = await Vault.create(join(dir.path, 'dashboard.mzv'), TEST_PASSPHRASE, {
    kdfCost: 'test-only',
  });
  try {
    const seeded = await timeIt(() =>
      seedInventory(vault, { keys: KEYS, certificates: CERTIFICATES, revokedFraction: 0.1 }),
    );
    const dashboard = new DashboardService(vault);
    const { rotation } = createServices(vault);
    const lines: BenchLine[] = [
      {
        name: `seed ${CERTIFICATES} certificates and ${KEYS} keys`,
        value: `${seeded.ms.toFixed(0)} ms`,
      },
    ];

    const cases: [string, () => unknown][] = [
      ['dashboard summary (all figures)', () => dashboard.summary()],
      [
        'valid certificates by subject, page 50 of 100 + total',
        () =>
          dashboard.listCertificates({
            status: 'valid',
            sortBy: 'subject',
            page: 50,
            pageSize: 100,
          }),
      ],
      [
        'expiring in 30 days by notAfter, page 1 + total',
        () => dashboard.listCertificates({ status: 'expiring', sortBy: 'notAfter', pageSize: 100 }),
      ],
      [
        'revoked by newest first, page 1 + total',
        () =>
          dashboard.listCertificates({
            status: 'revoked',
            sortBy: 'createdAt',
            sortDirection: 'desc',
            pageSize: 100,
          }),
      ],
      [
        'subject prefix "CN=host01", page 1 + total',
        () =>
          dashboard.listCertificates({
            subjectPrefix: 'CN=host01',
            sortBy: 'subject',
            pageSize: 100,
          }),
      ],
      [
        'keys past cryptoperiod by end, page 1 + total',
        () =>
          dashboard.listKeys({
            pastCryptoperiod: true,
            sortBy: 'cryptoperiodEnd',
            sortDirection: 'asc',
            pageSize: 100,
          }),
      ],
      ['rotations due, first 100', () => rotation.due({ limit: 100 })],
    ];
    for (const [name, work] of cases) {
      const { mean, worst } = await meanMs(work);
      lines.push({
        name,
        value: `${mean.toFixed(1)} ms`,
        comparison: `worst ${worst.toFixed(1)} ms of ${RUNS}, ${verdict(worst)}`,
      });
    }
    printSection('Dashboard (100,000 certificates, 10,000 keys)', lines);
  } finally {
    vault.close();
    dir.cleanup();
  }
}
