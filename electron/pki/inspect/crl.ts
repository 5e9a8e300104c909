// Everything in an X.509 CRL (RFC 5280 §5.1), as plain JSON. Large CRLs are listed in full up to
// a bound, so a CRL of a million entries does not build a gigantic object for the window.
import { MazeVaultError } from '../../../shared/errors';
import { type Asn1Node, TAG, children, is, parseDer, readBigInt } from '../../formats/decode-asn1';
import { type AlgorithmInfo, readAlgorithm, sameAlgorithm } from './algorithm';
import { type SerialInfo, fingerprints, readSerial, type Fingerprints } from './certificate';
import { type ExtensionInfo, readExtensions } from './extensions';
import { type Undecodable, attempt } from './field';
import { type NameInfo, readName } from './names';
import { type TimeInfo, readTime } from './time';

export interface RevokedEntry {
  serial: SerialInfo | Undecodable;
  revocationDate: TimeInfo | Undecodable;
  extensions: ExtensionInfo[];
}

export interface CrlInspection {
  kind: 'crl';
  version: number | Undecodable;
  signatureAlgorithm: AlgorithmInfo | Undecodable;
  issuer: NameInfo | Undecodable;
  thisUpdate: TimeInfo | Undecodable;
  nextUpdate?: TimeInfo;
  revokedCount: number;
  /** The first MAX_LISTED entries. */
  revoked: RevokedEntry[];
  extensions: ExtensionInfo[] | Undecodable;
  fingerprints: Fingerprints;
  problems: string[];
}

export const MAX_LISTED = 100_000;

export function inspectCrl(der: Buffer): CrlInspection {
  const root = parseDer(der, true);
  const [tbsNode, outerAlgorithm] = children(root);
  if (!is(tbsNode, TAG.SEQUENCE)) {
    throw new MazeVaultError('MALFORMED', 'This is not a CRL: it has no TBSCertList.');
  }
  const problems: string[] = [];
  const tbs = children(tbsNode!);
  const hasVersion = is(tbs[0], TAG.INTEGER);
  const [innerAlgorithm, issuerNode, thisUpdateNode, ...rest] = hasVersion ? tbs.slice(1) : tbs;

  const version = hasVersion
    ? attempt('version', tbs[0], problems, (n) => Number(readBigInt(n)) + 1)
    : 1;
  if (typeof version === 'number' && version !== 1 && version !== 2) {
    problems.push(`version ${version} is not defined (only v1 and v2)`);
  }
  if (outerAlgorithm && innerAlgorithm && !sameAlgorithm(outerAlgorithm, innerAlgorithm)) {
    problems.push('the outer signature algorithm differs from the one inside the TBSCertList');
  }

  const out: CrlInspection = {
    kind: 'crl',
    version,
    signatureAlgorithm: attempt('signature algorithm', outerAlgorithm, problems, readAlgorithm),
    issuer: attempt('issuer', issuerNode, problems, readName),
    thisUpdate: attempt('thisUpdate', thisUpdateNode, problems, readTime),
    revokedCount: 0,
    revoked: [],
    extensions: [],
    fingerprints: fingerprints(der.subarray(0, root.end)),
    problems,
  };
  if (!('undecodable' in out.thisUpdate) && out.thisUpdate.problem) {
    problems.push(`thisUpdate: ${out.thisUpdate.problem}`);
  }

  for (const field of rest) {
    if (is(field, TAG.UTC_TIME) || is(field, TAG.GENERALIZED_TIME)) {
      out.nextUpdate = readTime(field);
      if (out.nextUpdate.problem) problems.push(`nextUpdate: ${out.nextUpdate.problem}`);
    } else if (is(field, TAG.SEQUENCE)) {
      attempt('revokedCertificates', field, problems, (node) => readRevoked(node, out, problems));
    } else if (is(field, 0, 'context')) {
      out.extensions = attempt('extensions', field, problems, (n) =>
        readExtensions(children(n)[0]!, problems),
      );
    }
  }
  if (!out.nextUpdate) problems.push('no nextUpdate (RFC 5280 §5.1.2.5 requires it)');
  return out;
}

function readRevoked(list: Asn1Node, out: CrlInspection, problems: string[]): void {
  for (const entry of children(list)) {
    out.revokedCount++;
    if (out.revoked.length >= MAX_LISTED) continue;
    const [serialNode, dateNode, extensionsNode] = children(entry);
    const entryProblems: string[] = [];
    out.revoked.push({
      serial: attempt('revoked serial', serialNode, entryProblems, readSerial),
      revocationDate: attempt('revocationDate', dateNode, entryProblems, readTime),
      extensions: extensionsNode ? readExtensions(extensionsNode, entryProblems) : [],
    });
    for (const problem of entryProblems) problems.push(`entry ${out.revokedCount}: ${problem}`);
  }
}
