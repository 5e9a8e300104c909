// One vault session's services, built once and shared by the IPC router and the CLI, so neither
// re-implements the other.
import { ExportService } from './formats/export-service';
import { KeyService } from './keys/service';
import { CertificateService } from './pki/certificates';
import { IssuanceService } from './pki/issuance';
import { ProviderRegistry } from './providers/registry';
import { SoftwareKeyProvider } from './providers/software';
import type { Vault } from './vault/vault';

export interface Services {
  vault: Vault;
  providers: ProviderRegistry;
  keys: KeyService;
  certificates: CertificateService;
  issuance: IssuanceService;
  exports: ExportService;
}

export function createServices(vault: Vault): Services {
  const providers = new ProviderRegistry();
  providers.register(new SoftwareKeyProvider(vault));
  const keys = new KeyService(vault, providers);
  const certificates = new CertificateService(vault);
  const issuance = new IssuanceService(vault, keys, certificates);
  const exports = new ExportService(vault, keys, certificates);
  return { vault, providers, keys, certificates, issuance, exports };
}
