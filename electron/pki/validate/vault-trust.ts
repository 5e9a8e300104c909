// What the vault brings to a path validation: its own self-signed CAs and the certificates an
// officer marked trusted as trust anchors (never a certificate merely imported), its other CAs
// as intermediates, its own revocation records for the CAs it runs, and every CRL it holds.
// Shared by `mazevault validate` and the window's validator so both judge a certificate alike.
import { ImportedCrlStore } from '../../formats/import-crls';
import type { Services } from '../../services';
import {
  alteredTrustMessage,
  retiredAnchorMessage,
  type RetiredAnchor,
  TrustAnchorStore,
  trustHint,
  type AlteredTrust,
  vaultRevocationRecords,
  type VaultAnchor,
} from './trust-anchors';
import type { TrustAnchor } from './types';
import { validatePath, type Purpose, type ValidationResult } from './validate';

export interface VaultTrust {
  anchors: VaultAnchor[];
  /** Rows that claim trust without an attested decision: never anchors, reported when met. */
  altered: AlteredTrust[];
  /** Roots the vault revoked or whose key it marked compromised: never anchors, reported when met. */
  retired: RetiredAnchor[];
  intermediates: Buffer[];
  crls: Buffer[];
}

export function vaultTrust(services: Services): VaultTrust {
  const store = new TrustAnchorStore(services.vault);
  const anchors = store.anchors();
  const anchorIds = new Set(anchors.map((anchor) => anchor.id));
  const rows = services.vault.db
    .prepare('SELECT id, der FROM certificates WHERE is_ca = 1')
    .all() as { id: string; der: Buffer }[];
  return {
    anchors,
    altered: store.altered(),
    retired: store.retired(),
    intermediates: rows.filter((row) => !anchorIds.has(row.id)).map((row) => row.der),
    crls: [...new ImportedCrlStore(services.vault).allDer(), ...services.crls.currentCrls()],
  };
}

export interface VaultValidationRequest {
  leaf: Buffer;
  /** Certificates that came with the leaf (the rest of a PEM chain): possible intermediates. */
  carried?: Buffer[];
  /** Extra anchors the officer trusts for this validation only, with where they come from. */
  trusted?: TrustAnchor[];
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
    revocationRecords: vaultRevocationRecords(services.vault),
    at: request.at,
    purpose: request.purpose,
  });
  return {
    result: withRetiredAnchors(
      withAlteredTrust(withTrustHint(services, result), trust.altered),
      trust.retired,
    ),
    trust,
  };
}

/**
 * A path that meets a certificate whose trust mark the audit trail does not back says so: the
 * officer must learn the file was edited, not just that the path found no anchor.
 */
function withAlteredTrust(result: ValidationResult, altered: AlteredTrust[]): ValidationResult {
  const onPath = altered.filter((row) => result.chain.some((link) => link.sha256 === row.sha256));
  if (onPath.length === 0) return result;
  const messages = onPath.map((row) => alteredTrustMessage(row));
  const checks = onPath.map((row, index) => ({
    check: 'trust-anchor',
    certificate: row.subject,
    ok: result.valid,
    status: result.valid ? ('unknown' as const) : ('fail' as const),
    detail: messages[index],
  }));
  if (result.valid) {
    return {
      ...result,
      checks: [...result.checks, ...checks],
      warnings: [...result.warnings, ...messages],
    };
  }
  return {
    ...result,
    checks: [...result.checks, ...checks],
    firstFailure: `${messages.join(' ')} ${result.firstFailure ?? ''}`.trim(),
  };
}

/** A path that ends at a root the vault retired says why it is not trusted any more. */
function withRetiredAnchors(result: ValidationResult, retired: RetiredAnchor[]): ValidationResult {
  const onPath = retired.filter((row) => result.chain.some((link) => link.sha256 === row.sha256));
  if (onPath.length === 0) return result;
  const messages = onPath.map(retiredAnchorMessage);
  return {
    ...result,
    valid: false,
    checks: [
      ...result.checks,
      ...onPath.map((row, index) => ({
        check: 'trust-anchor',
        certificate: row.subject,
        ok: false,
        status: 'fail' as const,
        detail: messages[index]!,
      })),
    ],
    firstFailure: messages.join(' '),
  };
}

/** A path that stops at a root the vault holds but nobody trusted says how to trust it. */
function withTrustHint(services: Services, result: ValidationResult): ValidationResult {
  const last = result.chain[result.chain.length - 1];
  if (result.valid || !last || !result.checks.some((c) => c.check === 'chain-building')) {
    return result;
  }
  const untrusted = new TrustAnchorStore(services.vault).untrustedBySha256(last.sha256);
  if (!untrusted) return result;
  const hint =
    ` "${untrusted.subject}" is in the vault (${untrusted.id}) but is not trusted for ` +
    `validation: importing a certificate does not make it a trust anchor; ${trustHint(untrusted.id)}.`;
  return {
    ...result,
    firstFailure: `${result.firstFailure ?? 'No path to a trust anchor.'}${hint}`,
  };
}
