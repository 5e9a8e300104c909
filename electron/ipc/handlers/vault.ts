// Application status, the file dialog, and the vault session: create, open, unlock, lock,
// change passphrase, auto-lock, raise the KDF cost.
import type { HandlerGroup } from '../handler';
import { toVaultStatus } from '../views/vault-view';

type VaultChannels =
  | 'app:status'
  | 'dialog:choose-path'
  | 'vault:create'
  | 'vault:open'
  | 'vault:unlock'
  | 'vault:lock'
  | 'vault:change-passphrase'
  | 'vault:set-auto-lock'
  | 'vault:raise-kdf-cost';

export const vaultHandlers: HandlerGroup<VaultChannels> = {
  'app:status': (_request, { app }) => ({
    version: app.options.version,
    platform: app.options.platform ?? process.platform,
    defaultDirectory: app.options.defaultDirectory,
    vault: toVaultStatus(app.vault),
  }),

  'dialog:choose-path': async (request, { app }) => {
    const choose = app.options.choosePath;
    return { path: choose ? await choose(request) : null };
  },

  'vault:create': async ({ path, passphrase }, { app }) =>
    toVaultStatus(await app.createVault(path, passphrase)),

  'vault:open': ({ path }, { app }) => toVaultStatus(app.openVault(path)),

  'vault:unlock': async ({ passphrase }, { app }) => {
    // Even an unlocked vault checks the passphrase again: the answer must never say "unlocked"
    // to a wrong passphrase.
    const vault = app.requireVault();
    await vault.unlock(passphrase);
    return toVaultStatus(vault);
  },

  'vault:lock': (_request, { app }) => {
    const vault = app.requireVault();
    vault.lock('manual');
    return toVaultStatus(vault);
  },

  'vault:change-passphrase': async ({ current, next }, { app }) => {
    const vault = app.requireVault();
    await vault.changePassphrase(current, next);
    return toVaultStatus(vault);
  },

  'vault:set-auto-lock': ({ minutes }, { app }) => {
    const vault = app.requireVault();
    vault.requireUnlocked();
    vault.setAutoLockMinutes(minutes);
    return toVaultStatus(vault);
  },

  'vault:raise-kdf-cost': async ({ passphrase, N, r, p }, { app }) => {
    // Only from an unlocked session: re-wrapping would otherwise unlock the vault on the side.
    const vault = app.requireVault();
    vault.requireUnlocked();
    await vault.raiseKdfCost(passphrase, { N, r, p });
    return toVaultStatus(vault);
  },
};
