// One vault session's services, built once and shared by the IPC router and the CLI, so neither
// re-implements the other.
import { ExportService } from './formats/export-service';
import { ImportService } from './formats/import-service';
import { KeyService } from './keys/service';
import { CertificateService } from './pki/certificates';
import { IssuanceService } from './pki/issuance';
import { createLifecycleServices, type LifecycleServices } from './pki/lifecycle-services';
import { Pkcs11Service } from './providers/pkcs11/service';
import { ProviderRegistry } from './providers/registry';
import { SoftwareKeyProvider } from './providers/software';
import type { Vault } from './vault/vault';

/** Revocation, CRLs, renewal, rotation, CA rollover and the dashboard come from LifecycleServices. */
export interface Services extends LifecycleServices {
  vault: Vault;
  providers: ProviderRegistry;
  keys: KeyService;
  certificates: CertificateService;
  issuance: IssuanceService;
  exports: ExportService;
  imports: ImportService;
  /** PKCS#11 profiles and tokens; registers the pkcs11 provider when a profile connects. */
  pkcs11: Pkcs11Service;
}

export function createServices(vault: Vault): Services {
  const providers = new ProviderRegistry();
  providers.register(new SoftwareKeyProvider(vault));
  const keys = new KeyService(vault, providers);
  const certificates = new CertificateService(vault);
  const issuance = new IssuanceService(vault, keys, certificates);
  const exports = new ExportService(vault, keys, certificates);
  const imports = new ImportService(vault, keys, certificates);
  const pkcs11 = new Pkcs11Service(vault, providers, keys, certificates);
  const lifecycle = createLifecycleServices(vault, keys, certificates, issuance);
  return { vault, providers, keys, certificates, issuance, exports, imports, pkcs11, ...lifecycle };
}
