// `npm run bench`: every section prints its figures, with ratios against OpenSSL or the tool an
// officer would otherwise use, measured in this run on this machine. `npm run bench -- NAME`
// runs one section.
import { runCrlBench } from './crl.bench';
import { runDashboardBench } from './dashboard.bench';
import { runFoundationBench } from './foundation.bench';
import { runImportBench } from './import.bench';
import { runPkcs11Bench } from './pkcs11.bench';

const sections: [string, () => Promise<unknown>][] = [
  ['foundation', runFoundationBench],
  ['pkcs11', runPkcs11Bench],
  ['crl', runCrlBench],
  ['dashboard', runDashboardBench],
  ['import', runImportBench],
];

const only = process.argv[2];
for (const [name, run] of sections) {
  if (only && only !== name) continue;
  await run();
}
