// `npm run bench`: every section prints its figures, with ratios against OpenSSL or the tool an
// officer would otherwise use, measured in this run on this machine.
import { runFoundationBench } from './foundation.bench';

const sections: [string, () => Promise<unknown>][] = [['foundation', runFoundationBench]];

const only = process.argv[2];
for (const [name, run] of sections) {
  if (only && only !== name) continue;
  await run();
}
