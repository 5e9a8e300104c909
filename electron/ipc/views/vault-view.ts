// The vault's status for the window: which file, locked or not, and how its key is protected.
import type { VaultStatus } from '../../../shared/contract';
import type { Vault } from '../../vault/vault';

export function toVaultStatus(vault: Vault | undefined): VaultStatus {
  if (!vault) {
    return { state: 'none', path: null, testOnlyKdf: false, autoLockMinutes: null, kdf: null };
  }
  const kdf = vault.kdfParameters();
  return {
    state: vault.isUnlocked ? 'unlocked' : 'locked',
    path: vault.path,
    testOnlyKdf: vault.isTestOnlyKdf,
    autoLockMinutes: vault.autoLockMinutes(),
    kdf: { name: 'scrypt', N: kdf.N, r: kdf.r, p: kdf.p },
  };
}
