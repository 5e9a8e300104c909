// The providers a vault session can use, by kind. The software provider is always present; HSM
// and cloud providers register themselves when the officer configures them.
import { MazeVaultError } from '../../shared/errors';
import type { KeyProvider, ProviderKind } from './provider';

export class ProviderRegistry {
  private readonly providers = new Map<ProviderKind, KeyProvider>();

  register(provider: KeyProvider): void {
    this.providers.set(provider.kind, provider);
  }

  get(kind: ProviderKind): KeyProvider {
    const provider = this.providers.get(kind);
    if (!provider) {
      throw new MazeVaultError(
        'PROVIDER_ERROR',
        `No ${kind} key store is configured in this session; connect it before using its keys.`,
      );
    }
    return provider;
  }

  has(kind: ProviderKind): boolean {
    return this.providers.has(kind);
  }

  kinds(): ProviderKind[] {
    return [...this.providers.keys()];
  }
}
