// What the vault brings to a path validation: its self-signed CAs as trust anchors, its other CAs
// as intermediates, and every CRL it holds (issued here or imported). Shared by
// `mazevault validate` and the window's validator so both judge a certificate the same way.
import { ImportedCrlStore } from '../../formats/import-crls';
import type { Services } from '../../services';
import { validatePath, type Purpose, type ValidationResult } from './validate';

export interface VaultTrust {
  anchors: Buffer[];
  intermediates: Buffer[];
  crls: Buffer[];
}

export function vaultTrust(services: Services): VaultTrust {
  const rows = services.vault.db
    .prepare('SELECT der, subject, issuer FROM certificates WHERE is_ca = 1')
    .all() as { der: Buffer; subject: string; issuer: string }[];
  return {
    anchors: rows.filter((row) => row.subject === row.issuer).map((row) => row.der),
    intermediates: rows.filter((row) => row.subject !== row.issuer).map((row) => row.der),
    crls: [...new ImportedCrlStore(services.vault).allDer(), ...services.crls.currentCrls()],
  };
}

export interface VaultValidationRequest {
  leaf: Buffer;
  /** Certificates that came with the leaf (the rest of a PEM chain): possible intermediates. */
  carried?: Buffer[];
  /** Extra anchors the officer trusts for this validation only. */
  trusted?: Buffer[];
  at: Date;
  purpose: Purpose;
}

export function validateWithVault(
  services: Services,
  request: VaultValidationRequest,
): { result: ValidationResult; trust: VaultTrust } {
  const trust = vaultTrust(services);
  const result = validatePath({
    leaf: request.leaf,
    intermediates: [...(request.carried ?? []), ...trust.intermediates],
    trustAnchors: [...trust.anchors, ...(request.trusted ?? [])],
    ...(trust.crls.length > 0 ? { crls: trust.crls } : {}),
    at: request.at,
    purpose: request.purpose,
  });
  return { result, trust };
}
