// Throw-away directories and vaults for tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Vault } from '../vault/vault';

export const TEST_PASSPHRASE = 'correct horse battery staple';

export function tempDir(prefix = 'mazevault-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A new vault with cheap KDF parameters, unlocked, in its own temp directory. */
export async function tempVault(
  name = 'test.mzv',
): Promise<{ vault: Vault; dir: string; path: string; cleanup: () => void }> {
  const dir = tempDir();
  const path = join(dir.path, name);
  const vault = await Vault.create(path, TEST_PASSPHRASE, {
    kdfCost: 'test-only',
    actor: 'test-officer',
  });
  return {
    vault,
    dir: dir.path,
    path,
    cleanup: () => {
      vault.close();
      dir.cleanup();
    },
  };
}
