// CRL figures: building and signing a CRL of 100,000 entries in the vault, against `openssl ca
// -gencrl` over the same revocations (an OpenSSL CA directory whose index.txt lists them), and how
// long the event loop was held at most while ours was built.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { toPem } from '../electron/formats/encode-pem';
import { createServices } from '../electron/services';
import { seedInventory } from '../electron/testing/bulk-seed';
import { tempDir, TEST_PASSPHRASE } from '../electron/testing/temp';
import { Vault } from '../electron/vault/vault';
import { printSection, ratio, timeIt, type BenchLine } from './measure';

const ENTRIES = 100_000;

/** OpenSSL's index.txt reason names (crypto/x509/v3_crld.c order), for the same revocations. */
const OPENSSL_REASONS: Record<string, string> = {
  unspecified: 'unspecified',
  'key-compromise': 'keyCompromise',
  superseded: 'superseded',
  'cessation-of-operation': 'cessationOfOperation',
  'affiliation-changed': 'affiliationChanged',
};

/** index.txt dates are UTCTime text, YYMMDDHHMMSSZ. */
function indexTime(iso: string): string {
  return iso.replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, '$1$2$3$4$5$6Z');
}

export async function runCrlBench(): Promise<void> {
  const dir = tempDir('mazevault-crl-bench-');
  const vault = await Vault.create(join(dir.path, 'crl.mzv'), TEST_PASSPHRASE, {
    kdfCost: 'test-only',
  });
  try {
    const services = createServices(vault);
    const root = await services.issuance.createRoot({
      subject: 'CN=CRL Bench Root,O=MazeVault',
      key: { algorithm: 'ec-p256' },
      validity: { years: 20 },
    });
    const seeded = await timeIt(() =>
      seedInventory(vault, {
        keys: 0,
        certificates: ENTRIES,
        revokedFraction: 1,
        issuerCertId: root.certificate.id,
      }),
    );

    // Warm the statements and the signer once, then measure a full build with the loop watched.
    await services.crls.issue(root.certificate.id);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const ours = await timeIt(() => services.crls.issue(root.certificate.id));
    delay.disable();

    const ca = join(dir.path, 'openssl-ca');
    execFileSync('mkdir', ['-p', ca]);
    const rows = vault.db
      .prepare(
        `SELECT serial, not_after, revoked_at, revocation_reason, subject FROM certificates
         WHERE issuer_cert_id = ? AND status = 'revoked'`,
      )
      .all(root.certificate.id) as {
      serial: string;
      not_after: string;
      revoked_at: string;
      revocation_reason: string;
      subject: string;
    }[];
    const index = rows.map(
      (row) =>
        `R\t${indexTime(row.not_after)}\t${indexTime(row.revoked_at)},${OPENSSL_REASONS[row.revocation_reason] ?? 'unspecified'}` +
        `\t${row.serial.toUpperCase()}\tunknown\t/CN=${row.subject.slice(3, row.subject.indexOf(','))}`,
    );
    writeFileSync(join(ca, 'index.txt'), `${index.join('\n')}\n`);
    writeFileSync(join(ca, 'index.txt.attr'), 'unique_subject = no\n');
    writeFileSync(join(ca, 'crlnumber'), '01\n');
    writeFileSync(
      join(ca, 'ca.pem'),
      toPem('CERTIFICATE', services.certificates.der(root.certificate.id)),
    );
    const pkcs8 = services.keys.exportPrivateKey(root.key.id, {
      format: 'PKCS#8',
      destination: 'benchmark temp dir',
    });
    writeFileSync(join(ca, 'ca.key'), toPem('PRIVATE KEY', pkcs8), { mode: 0o600 });
    writeFileSync(
      join(ca, 'openssl.cnf'),
      [
        '[ca]',
        'default_ca = bench',
        '[bench]',
        `dir = ${ca}`,
        'database = $dir/index.txt',
        'crlnumber = $dir/crlnumber',
        'certificate = $dir/ca.pem',
        'private_key = $dir/ca.key',
        'default_md = sha256',
        'default_crl_days = 7',
        'crl_extensions = crl_ext',
        '[crl_ext]',
        'authorityKeyIdentifier = keyid:always',
        '',
      ].join('\n'),
    );
    const start = performance.now();
    execFileSync(
      'openssl',
      ['ca', '-gencrl', '-config', join(ca, 'openssl.cnf'), '-out', join(ca, 'crl.pem')],
      { stdio: 'ignore' },
    );
    const opensslMs = performance.now() - start;

    const lines: BenchLine[] = [
      { name: `seed ${ENTRIES} revoked certificate rows`, value: `${seeded.ms.toFixed(0)} ms` },
      {
        name: `build + sign a CRL of ${ours.value.crl.entries} entries (${(ours.value.der.length / 1e6).toFixed(1)} MB)`,
        value: `${ours.ms.toFixed(0)} ms`,
        comparison: `openssl ca -gencrl ${opensslMs.toFixed(0)} ms → ${ratio(ours.ms, opensslMs)}`,
      },
      {
        name: 'longest event-loop stall while building it',
        value: `${(delay.max / 1e6).toFixed(1)} ms`,
        comparison: `p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, mean ${(delay.mean / 1e6).toFixed(1)} ms`,
      },
    ];
    printSection('CRL (100,000 entries)', lines);
  } finally {
    vault.close();
    dir.cleanup();
  }
}
