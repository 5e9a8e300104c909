// One vault session's services, built once and shared by the IPC router and the CLI, so neither
// re-implements the other.
import { KeyService } from './keys/service';
import { ProviderRegistry } from './providers/registry';
import { SoftwareKeyProvider } from './providers/software';
import type { Vault } from './vault/vault';

export interface Services {
  vault: Vault;
  providers: ProviderRegistry;
  keys: KeyService;
}

export function createServices(vault: Vault): Services {
  const providers = new ProviderRegistry();
  providers.register(new SoftwareKeyProvider(vault));
  const keys = new KeyService(vault, providers);
  return { vault, providers, keys };
}
