// A backup copy of a key the vault has retired must not come back as a new, Active key (NIST SP
// 800-57: Destroyed keys never return and Compromised keys are never used again).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services';
import { tempVault } from '../testing/temp';

let services: Services;
let dir: string;
let cleanup: () => void;
let keyFile: Buffer;

beforeEach(async () => {
  const made = await tempVault();
  services = createServices(made.vault);
  dir = made.dir;
  cleanup = made.cleanup;
  const path = join(dir, 'backup.key');
  execFileSync('openssl', [
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-out',
    path,
  ]);
  keyFile = readFileSync(path);
});
afterEach(() => cleanup());

async function importKey() {
  const result = await services.imports.import([{ name: 'backup.key', bytes: keyFile }], {
    mode: 'internal',
  });
  return result.entries.find((entry) => entry.kind === 'private-key')!;
}

describe('importing a key the vault has retired', () => {
  it.each(['compromised', 'destroyed'] as const)(
    'refuses a backup of a %s key, in the preview and in the import',
    async (state) => {
      const first = await importKey();
      expect(first.outcome).toBe('new');
      await services.keys.transition(first.id!, 'compromised', 'the backup tape was lost');
      if (state === 'destroyed') {
        await services.keys.transition(first.id!, 'destroyed', 'key ceremony closed');
      }

      const [preview] = await services.imports.preview([{ name: 'backup.key', bytes: keyFile }]);
      const previewText = JSON.stringify(preview);
      expect(previewText).toMatch(/a retired key is never imported again/);

      const again = await importKey();
      expect(again.outcome).toBe('failed');
      expect(again.error?.message).toMatch(
        new RegExp(`marked ${state === 'destroyed' ? 'Destroyed' : 'Compromised'} in this vault`),
      );
      const keys = services.keys.list({}).filter((key) => key.spkiSha256 === first.fingerprint);
      expect(keys.map((key) => key.state)).toEqual([state]);
    },
  );
});
