// Certification path validation (RFC 5280 §6): build candidate paths from the leaf to a trust
// anchor, check each with every §6.1 rule, and report the first path that passes, or the most
// plausible one that failed, with every check and the first failure in an officer's words.
import { buildPaths, type PoolEntry } from './build';
import { parseCertificate, toDer, type ParsedCertificate } from './certificate';
import { parseCrl, type ParsedCrl } from './crl';
import { DerError } from './der';
import { checkPath, type PathContext, type PositionedCheck } from './path-checks';
import type { TrustAnchor, ValidationCheck, ValidationInput, ValidationResult } from './types';

export type * from './types';

function reasonOf(error: unknown): string {
  return error instanceof DerError ? error.message : 'its encoding could not be read';
}

function roleWord(position: number, length: number): string {
  if (position === 0) return 'end-entity certificate';
  return position === length - 1 ? 'trust anchor' : 'intermediate certificate';
}

function sentence(check: ValidationCheck, role: string): string {
  const detail = check.detail.replace(/\.$/, '');
  return `The ${role} "${check.certificate}" failed the ${check.check} check: ${detail}.`;
}

function strip(checks: PositionedCheck[]): ValidationCheck[] {
  return checks.map(({ check, certificate, ok, status, detail }) => ({
    check,
    certificate,
    ok,
    status,
    detail,
  }));
}

/** One line per check that could not be done, for a verdict that must not read as plain Valid. */
function warningsOf(checks: ValidationCheck[]): string[] {
  return checks
    .filter((check) => check.status === 'unknown')
    .map((check) => `${check.check} was not checked for "${check.certificate}": ${check.detail}`);
}

function isTrustAnchor(value: Buffer | TrustAnchor): value is TrustAnchor {
  return !Buffer.isBuffer(value);
}

function chainOf(path: ParsedCertificate[]): ValidationResult['chain'] {
  return path.map((c) => ({ subject: c.subjectText, sha256: c.sha256 }));
}

/**
 * Validates `input.leaf` at `input.at` against the trust anchors, building the path from the
 * intermediates. Never throws for bad certificates: every problem becomes a failed check.
 */
export function validatePath(input: ValidationInput): ValidationResult {
  const inputChecks: ValidationCheck[] = [];

  let leaf: ParsedCertificate;
  try {
    leaf = parseCertificate(toDer(input.leaf));
  } catch (error) {
    const check: ValidationCheck = {
      check: 'parse',
      certificate: '(end-entity certificate)',
      ok: false,
      status: 'fail',
      detail: `the certificate cannot be read: ${reasonOf(error)}`,
    };
    return {
      valid: false,
      chain: [],
      checks: [check],
      firstFailure: `The end-entity certificate cannot be read: ${reasonOf(error)}; check that it is a DER or PEM X.509 certificate.`,
      warnings: [],
    };
  }

  const pool = new Map<string, PoolEntry>();
  const anchorSources = new Map<string, string>();
  const addToPool = (items: (Buffer | TrustAnchor)[], anchor: boolean, label: string): void => {
    items.forEach((item, index) => {
      try {
        const cert = parseCertificate(toDer(isTrustAnchor(item) ? item.der : item));
        if (anchor || !pool.has(cert.sha256)) pool.set(cert.sha256, { cert, anchor });
        // The first source named wins: the vault's own trust before a file's.
        if (isTrustAnchor(item) && !anchorSources.has(cert.sha256)) {
          anchorSources.set(cert.sha256, item.source);
        }
      } catch (error) {
        inputChecks.push({
          check: 'parse',
          certificate: `(${label} #${index + 1})`,
          ok: true,
          status: 'ok',
          detail: `set aside, it cannot be read: ${reasonOf(error)}`,
        });
      }
    });
  };
  addToPool(input.intermediates, false, 'intermediate');
  addToPool(input.trustAnchors, true, 'trust anchor');

  let crls: ParsedCrl[] | undefined;
  if (input.crls) {
    crls = [];
    input.crls.forEach((buffer, index) => {
      try {
        crls!.push(parseCrl(toDer(buffer)));
      } catch (error) {
        inputChecks.push({
          check: 'crl',
          certificate: `(CRL #${index + 1})`,
          ok: false,
          status: 'fail',
          detail: `the CRL cannot be read, so revocation cannot be confirmed: ${reasonOf(error)}`,
        });
      }
    });
  }

  const ctx: PathContext = {
    at: input.at,
    purpose: input.purpose ?? 'any',
    peerName: input.peerName,
    maxDepth: input.maxDepth,
    requiredKeyUsage: input.requiredKeyUsage,
    crls,
    revocationRecords: input.revocationRecords,
    anchorSources,
    signatureCache: new Map(),
  };
  const inputOk = inputChecks.every((c) => c.ok);
  const judged: { path: ParsedCertificate[]; checks: PositionedCheck[] }[] = [];
  const outcome = buildPaths(leaf, [...pool.values()], input.at, (path) => {
    const checks = checkPath(path, ctx);
    judged.push({ path, checks });
    return inputOk && checks.every((c) => c.ok);
  });

  if (!outcome.deadEnd) {
    const best = judged.find((j) => j.checks.every((c) => c.ok)) ?? judged[0];
    const checks = [...inputChecks, ...strip(best.checks)];
    const failed = inputChecks.find((c) => !c.ok);
    const failedCheck = best.checks.find((c) => !c.ok);
    const firstFailure = failed
      ? `${failed.detail.charAt(0).toUpperCase()}${failed.detail.slice(1)}; supply a readable CRL.`
      : failedCheck
        ? sentence(failedCheck, roleWord(failedCheck.position, best.path.length))
        : undefined;
    const anchor = best.path[best.path.length - 1];
    return {
      valid: firstFailure === undefined,
      chain: chainOf(best.path),
      checks,
      firstFailure,
      anchor: {
        subject: anchor.subjectText,
        sha256: anchor.sha256,
        source: anchorSources.get(anchor.sha256) ?? 'one of the trust anchors given',
      },
      warnings: warningsOf(checks),
    };
  }

  const { path, reason } = outcome.deadEnd;
  const last = path[path.length - 1];
  const check: ValidationCheck = {
    check: 'chain-building',
    certificate: last.subjectText,
    ok: false,
    status: 'fail',
    detail: reason,
  };
  const role = path.length === 1 ? 'end-entity certificate' : 'intermediate certificate';
  return {
    valid: false,
    chain: chainOf(path),
    checks: [...inputChecks, check],
    warnings: [],
    firstFailure: `No path to a trust anchor: for the ${role} "${last.subjectText}", ${reason}. Supply the missing CA certificate or trust its root.`,
  };
}
