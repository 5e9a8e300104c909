// The certificate lifecycle services of one vault session, built on the foundation's key,
// certificate and issuance services: revocation, CRLs, renewal, rotation, CA rollover, the
// dashboard, issuance templates and batch issuance. Built once in electron/services.ts and
// shared by the IPC router and the CLI.
import type { KeyService } from '../keys/service';
import type { Vault } from '../vault/vault';
import { BatchService } from './batch';
import type { CertificateService } from './certificates';
import { CrlService } from './crl';
import { DashboardService } from './dashboard';
import type { IssuanceService } from './issuance';
import { RenewalService } from './renewal';
import { RevocationService } from './revocation';
import { RolloverService } from './rollover';
import { RotationService } from './rotation';
import { TemplateService } from './templates';

export interface LifecycleServices {
  revocation: RevocationService;
  crls: CrlService;
  renewal: RenewalService;
  rotation: RotationService;
  rollover: RolloverService;
  dashboard: DashboardService;
  templates: TemplateService;
  batch: BatchService;
}

export function createLifecycleServices(
  vault: Vault,
  keys: KeyService,
  certificates: CertificateService,
  issuance: IssuanceService,
): LifecycleServices {
  const revocation = new RevocationService(vault, keys, certificates);
  const crls = new CrlService(vault, keys, certificates);
  issuance.useCrlDistributionPoints((issuerCertId) => crls.distributionPoint(issuerCertId));
  const renewal = new RenewalService(vault, keys, certificates, issuance, crls, revocation);
  const rotation = new RotationService(vault, renewal);
  const rollover = new RolloverService(vault, keys, certificates, issuance, crls, renewal);
  const dashboard = new DashboardService(vault);
  const templates = new TemplateService(vault, issuance, crls);
  const batch = new BatchService(vault, templates);
  return { revocation, crls, renewal, rotation, rollover, dashboard, templates, batch };
}
