// Certification path building (RFC 4158 in spirit): depth-first from the leaf towards the trust
// anchors, matching issuer to subject name and AKI to SKI, trying the likeliest issuer first and
// backtracking when a path fails. Bounded three ways so no pool of certificates can hang it:
// a certificate (by subject and key) appears once per path, paths have a maximum length, and
// the search has a budget of issuer candidates it may examine.
import type { ParsedCertificate } from './certificate';
import { formatName, nameKey } from './distinguished-name';

export const MAX_PATH_CERTIFICATES = 32;
export const CANDIDATE_BUDGET = 1024;
export const MAX_COMPLETE_PATHS = 64;

export interface PoolEntry {
  cert: ParsedCertificate;
  anchor: boolean;
}

export interface BuildOutcome {
  /** Complete paths, leaf first and anchor last, in the order they were found. */
  paths: ParsedCertificate[][];
  /** When no path was found: the longest partial path and why it stopped. */
  deadEnd?: { path: ParsedCertificate[]; reason: string };
}

function logicalId(cert: ParsedCertificate): string {
  return `${nameKey(cert.subject)}|${cert.spki.toString('hex')}`;
}

function plausibility(child: ParsedCertificate, entry: PoolEntry, at: Date): number {
  const aki = child.authorityKeyId?.keyIdentifier;
  const ski = entry.cert.subjectKeyId;
  let score = 0;
  if (entry.anchor) score += 4;
  if (entry.cert.notBefore <= at && at <= entry.cert.notAfter) score += 2;
  if (aki && ski && aki.equals(ski)) score += 1;
  return score;
}

function deadEndReason(current: ParsedCertificate, named: number, fresh: number): string {
  const issuer = formatName(current.issuer);
  const selfIssued = nameKey(current.issuer) === nameKey(current.subject);
  if (selfIssued && fresh === 0 && named <= 1) {
    return 'it is self-signed but is not one of the trust anchors given';
  }
  if (named === 0) {
    return `no certificate among the intermediates and trust anchors given has the issuer's name "${issuer}"`;
  }
  if (fresh === 0) return `its issuer "${issuer}" is already in the path, so the chain loops`;
  return `the certificates named "${issuer}" have a subjectKeyIdentifier different from its authorityKeyIdentifier, so none holds the key that signed it`;
}

/** Enumerates candidate paths, stopping once `accept` says a path is good or a limit is hit. */
export function buildPaths(
  leaf: ParsedCertificate,
  pool: PoolEntry[],
  at: Date,
  accept: (path: ParsedCertificate[]) => boolean,
): BuildOutcome {
  const bySubject = new Map<string, PoolEntry[]>();
  for (const entry of pool) {
    const key = nameKey(entry.cert.subject);
    bySubject.set(key, [...(bySubject.get(key) ?? []), entry]);
  }
  const anchorIds = new Set(pool.filter((e) => e.anchor).map((e) => e.cert.sha256));

  const paths: ParsedCertificate[][] = [];
  let budget = CANDIDATE_BUDGET;
  let longest: ParsedCertificate[] = [leaf];
  let longestReason = '';
  let done = false;

  const extend = (path: ParsedCertificate[], ids: Set<string>): void => {
    if (done) return;
    const current = path[path.length - 1];
    if (anchorIds.has(current.sha256)) {
      paths.push(path);
      if (accept(path) || paths.length >= MAX_COMPLETE_PATHS) done = true;
      return;
    }
    if (path.length >= MAX_PATH_CERTIFICATES) {
      if (path.length >= longest.length) {
        longest = path;
        longestReason = `the path grew past ${MAX_PATH_CERTIFICATES} certificates without reaching a trust anchor`;
      }
      return;
    }
    const aki = current.authorityKeyId?.keyIdentifier;
    const named = bySubject.get(nameKey(current.issuer)) ?? [];
    const fresh = named.filter((e) => !ids.has(logicalId(e.cert)));
    // §4.2.1.1: when both identifiers are present and differ, it is a different key.
    const candidates = fresh
      .filter((e) => !(aki && e.cert.subjectKeyId && !aki.equals(e.cert.subjectKeyId)))
      .sort((a, b) => plausibility(current, b, at) - plausibility(current, a, at));
    if (candidates.length === 0 && path.length >= longest.length) {
      longest = path;
      longestReason = deadEndReason(current, named.length, fresh.length);
    }
    for (const candidate of candidates) {
      if (done) return;
      budget -= 1;
      if (budget < 0) {
        done = true;
        longest = path;
        longestReason = `path building gave up after examining ${CANDIDATE_BUDGET} candidate issuers`;
        return;
      }
      const nextIds = new Set(ids);
      nextIds.add(logicalId(candidate.cert));
      extend([...path, candidate.cert], nextIds);
    }
  };

  extend([leaf], new Set([logicalId(leaf)]));
  return paths.length > 0
    ? { paths }
    : { paths, deadEnd: { path: longest, reason: longestReason } };
}
