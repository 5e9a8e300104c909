// The checks of RFC 5280 §6.1 run over one candidate path, leaf first and anchor last, plus the
// profile rules this validator adds (each marked with where it comes from). Every check is
// reported, passing or not, so an officer can read the whole judgement.
//
// Policy decisions:
// - The trust anchor is a full certificate and is checked like a CA (validity, basicConstraints,
//   keyUsage, critical extensions, name constraints apply below it); only its own signature is
//   not relied on.
// - EKU on CA certificates: when a CA (anchor included) carries extKeyUsage, it must allow the
//   purpose or anyExtendedKeyUsage ("EKU chaining", as Windows, NSS and CABF BR §7.1.2.2 do).
// - A leaf may be a CA certificate (§4.2.1.9 note), so a sub-CA can be validated on its own,
//   but cA=TRUE and keyCertSign must then agree, as they must on every CA.
import { OID, type ParsedCertificate } from './certificate';
import type { ParsedCrl } from './crl';
import { formatName, isEmptyName, namesEqual } from './distinguished-name';
import { describeGeneralName, isValidDnsName, isValidMailbox } from './general-name';
import { checkNameConstraints, constrainedNames } from './name-constraints';
import { matchPeerName } from './peer-name';
import { checkRevocation } from './revocation';
import {
  describeScheme,
  loadPublicKey,
  verifySignature,
  type Outcome,
  type SignatureScheme,
} from './signature';
import type { KeyUsageName, PeerName, Purpose, RevocationRecords, ValidationCheck } from './types';

export const PURPOSE_OIDS: Record<Exclude<Purpose, 'any'>, string> = {
  'server-auth': '1.3.6.1.5.5.7.3.1',
  'client-auth': '1.3.6.1.5.5.7.3.2',
  'code-signing': '1.3.6.1.5.5.7.3.3',
  'email-protection': '1.3.6.1.5.5.7.3.4',
  'time-stamping': '1.3.6.1.5.5.7.3.8',
  'ocsp-signing': '1.3.6.1.5.5.7.3.9',
};

/** Extensions whose meaning this validator acts on (§4.2: unknown critical ones are refused). */
const UNDERSTOOD = new Set<string>([
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  OID.nameConstraints,
  OID.authorityKeyIdentifier,
  OID.extKeyUsage,
  OID.authorityInfoAccess,
  OID.crlDistributionPoints,
  // TODO(#3): no policy tree (§6.1.3 d-f); with initial-explicit-policy unset and no
  // policyConstraints accepted, the tree cannot make a path fail, so the extension is safe.
  OID.certificatePolicies,
]);

/** §4.2.1.1, §4.2.1.2, §4.2.2.1: these MUST be marked non-critical. */
const MUST_BE_NON_CRITICAL = [
  OID.authorityKeyIdentifier,
  OID.subjectKeyIdentifier,
  OID.authorityInfoAccess,
];

export interface PathContext {
  at: Date;
  purpose: Purpose;
  peerName?: PeerName;
  maxDepth?: number;
  requiredKeyUsage?: KeyUsageName[];
  crls?: ParsedCrl[];
  revocationRecords?: RevocationRecords;
  /** Where each trust anchor's trust comes from, by the anchor's SHA-256. */
  anchorSources?: Map<string, string>;
  signatureCache: Map<string, Outcome<SignatureScheme>>;
}

type Role = 'leaf' | 'intermediate' | 'anchor';

function isSelfIssued(cert: ParsedCertificate): boolean {
  return namesEqual(cert.issuer, cert.subject);
}

function stamp(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

function cachedSignature(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  cache: PathContext['signatureCache'],
): Outcome<SignatureScheme> {
  const key = `${cert.sha256}/${issuer.sha256}`;
  let outcome = cache.get(key);
  if (!outcome) {
    outcome = verifySignature(cert.signatureAlgorithm, issuer.spki, cert.tbs, cert.signature);
    cache.set(key, outcome);
  }
  return outcome;
}

/** A check with the index in the path of the certificate it concerns (leaf 0). */
export interface PositionedCheck extends ValidationCheck {
  position: number;
}

/** Runs every check on `path` (leaf first, anchor last) and returns them in report order. */
export function checkPath(path: ParsedCertificate[], ctx: PathContext): PositionedCheck[] {
  const checks: PositionedCheck[] = [];
  const last = path.length - 1;
  const maxPathLengthAt = pathLengthBudgets(path);

  path.forEach((cert, i) => {
    const role: Role = i === 0 ? 'leaf' : i === last ? 'anchor' : 'intermediate';
    const issuer = i === last ? cert : path[i + 1];
    const add = (check: string, ok: boolean, detail: string, unknown = false): void => {
      const status = !ok ? 'fail' : unknown ? 'unknown' : 'ok';
      checks.push({ check, certificate: cert.subjectText, ok, status, detail, position: i });
    };
    const isCa = role !== 'leaf' || (path.length === 1 && cert.basicConstraints?.ca === true);

    checkStructure(cert, isCa, add);
    checkExtensions(cert, add);
    // The last certificate of a complete path is an anchor, a leaf trusted directly included.
    checkSignature(cert, issuer, i === last ? 'anchor' : role, ctx, add);
    add(
      'validity',
      cert.notBefore <= ctx.at && ctx.at <= cert.notAfter,
      cert.notAfter < ctx.at
        ? `expired on ${stamp(cert.notAfter)} (checked at ${stamp(ctx.at)})`
        : cert.notBefore > ctx.at
          ? `not valid before ${stamp(cert.notBefore)} (checked at ${stamp(ctx.at)})`
          : `valid from ${stamp(cert.notBefore)} to ${stamp(cert.notAfter)}`,
    );
    if (role === 'leaf') checkLeafConstraints(cert, ctx, add);
    else checkCaConstraints(cert, role, maxPathLengthAt[i], add);
    checkExtendedKeyUsage(cert, role, ctx.purpose, add);
    // §6.1.1(d): an anchor is a name and a key, trusted as given; an anchor that is not self-issued
    // (an issuing CA the officer trusts directly) has no issuer in the path to match.
    checkKeyIdentifiers(cert, i === last && !isSelfIssued(cert) ? undefined : issuer, isCa, add);
    checkSubjectAltName(cert, add);
    if (role === 'leaf' || (role === 'intermediate' && !isSelfIssued(cert))) {
      checkConstrainedBy(cert, path.slice(i + 1), add);
    }
    // The anchor (also a leaf validated on its own) is trusted as given: no CRL speaks for it.
    if (i !== last) {
      const revocation = checkRevocation(cert, issuer, ctx.crls, ctx.at, ctx.revocationRecords);
      add(
        'revocation',
        revocation.status !== 'fail',
        revocation.detail,
        revocation.status === 'unknown',
      );
    } else {
      const source = ctx.anchorSources?.get(cert.sha256);
      add(
        'trust-anchor',
        true,
        source ? `a trust anchor: ${source}` : 'is one of the trust anchors given',
      );
    }
  });

  const leaf = path[0];
  if (ctx.maxDepth !== undefined) {
    const counted = path.slice(1, last).filter((c) => !isSelfIssued(c)).length;
    checks.push({
      check: 'max-depth',
      certificate: leaf.subjectText,
      position: 0,
      ok: counted <= ctx.maxDepth,
      status: counted <= ctx.maxDepth ? 'ok' : 'fail',
      detail: `${counted} intermediate CA certificate(s) in the path; at most ${ctx.maxDepth} allowed`,
    });
  }
  if (ctx.peerName) {
    const mismatch = matchPeerName(ctx.peerName, leaf.subjectAltName);
    checks.push({
      check: 'peer-name',
      certificate: leaf.subjectText,
      position: 0,
      ok: mismatch === null,
      status: mismatch === null ? 'ok' : 'fail',
      detail:
        mismatch === null
          ? `issued for ${ctx.peerName.kind} ${ctx.peerName.value}`
          : `not issued for ${ctx.peerName.kind} ${ctx.peerName.value}: ${mismatch}`,
    });
  }
  return checks;
}

/**
 * §6.1.4 (l)-(m): for each CA position, the number of non-self-issued CA certificates that may
 * still follow it. The anchor's own pathLenConstraint bounds the path below it.
 */
function pathLengthBudgets(path: ParsedCertificate[]): (number | undefined)[] {
  const budgets: (number | undefined)[] = new Array(path.length).fill(undefined);
  let remaining = Number.POSITIVE_INFINITY;
  for (let i = path.length - 1; i >= 1; i -= 1) {
    const cert = path[i];
    const isAnchor = i === path.length - 1;
    if (!isAnchor && !isSelfIssued(cert)) {
      budgets[i] = remaining;
      remaining -= 1;
    }
    const pathLen = cert.basicConstraints?.pathLen;
    if (pathLen !== undefined) remaining = Math.min(remaining, pathLen);
  }
  return budgets;
}

type Add = (check: string, ok: boolean, detail: string) => void;

function checkStructure(cert: ParsedCertificate, isCa: boolean, add: Add): void {
  // CABF BR §7.1.1 and §4.1.2.1: extensions exist only in v3, and everything we check is one.
  add(
    'version',
    cert.version === 3,
    cert.version === 3 ? 'X.509 v3' : `X.509 v${cert.version}; only v3 certificates are accepted`,
  );

  // §4.1.2.2: a positive integer of at most 20 octets.
  const serial = cert.serial;
  const negative = (serial[0] & 0x80) !== 0;
  const zero = serial.every((b) => b === 0);
  add(
    'serial-number',
    !negative && !zero && serial.length <= 21 && (serial.length < 21 || serial[0] === 0),
    negative
      ? 'the serial number is negative; RFC 5280 §4.1.2.2 requires a positive integer'
      : zero
        ? 'the serial number is zero; RFC 5280 §4.1.2.2 requires a positive integer'
        : serial.length > 20 && !(serial.length === 21 && serial[0] === 0)
          ? `the serial number is ${serial.length} octets long; at most 20 are allowed`
          : `serial ${serial.toString('hex')}`,
  );

  // §4.1.2.4: the issuer must be non-empty; §4.1.2.6: so must a CA's subject.
  const emptyIssuer = isEmptyName(cert.issuer);
  const emptyCaSubject = isCa && isEmptyName(cert.subject);
  add(
    'names',
    !emptyIssuer && !emptyCaSubject,
    emptyIssuer
      ? 'the issuer name is empty, which RFC 5280 §4.1.2.4 forbids'
      : emptyCaSubject
        ? 'a CA certificate has an empty subject, which RFC 5280 §4.1.2.6 forbids'
        : `issued by ${formatName(cert.issuer)}`,
  );

  const key = loadPublicKey(cert.spki);
  add(
    'public-key',
    key.ok,
    key.ok
      ? `${key.value.asymmetricKeyType} key accepted`
      : `its public key is refused: ${key.reason}`,
  );
}

function checkExtensions(cert: ParsedCertificate, add: Add): void {
  const problems: string[] = [];
  if (cert.duplicateExtensions.length > 0) {
    problems.push(
      `it repeats the ${cert.duplicateExtensions.join(', ')} extension, which RFC 5280 §4.2 forbids`,
    );
  }
  for (const bad of cert.malformedExtensions) {
    problems.push(`its ${bad.name} extension is malformed (${bad.reason})`);
  }
  for (const ext of cert.extensions) {
    if (ext.critical && !UNDERSTOOD.has(ext.oid)) {
      problems.push(
        `it has the critical extension ${ext.name} that this validator does not process`,
      );
    }
    if (
      ext.critical &&
      MUST_BE_NON_CRITICAL.includes(ext.oid as (typeof MUST_BE_NON_CRITICAL)[number])
    ) {
      problems.push(`its ${ext.name} extension is marked critical, which RFC 5280 forbids`);
    }
  }
  add(
    'extensions',
    problems.length === 0,
    problems.length === 0
      ? `${cert.extensions.length} extension(s), all acceptable`
      : problems.join('; '),
  );
}

function checkSignature(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  role: Role,
  ctx: PathContext,
  add: Add,
): void {
  // §4.1.1.2: signatureAlgorithm MUST be the same as the signature field in the TBS.
  const same = cert.signatureAlgorithm.equals(cert.tbsSignatureAlgorithm);
  add(
    'signature-algorithm-match',
    same,
    same
      ? 'outer and inner signature algorithms agree'
      : 'the outer signature algorithm differs from the one inside the signed part (RFC 5280 §4.1.1.2)',
  );
  if (role === 'anchor') {
    add('signature', true, 'not relied on: a trust anchor is trusted as given');
    return;
  }
  const outcome = cachedSignature(cert, issuer, ctx.signatureCache);
  add(
    'signature',
    outcome.ok,
    outcome.ok
      ? `${describeScheme(outcome.value)} signature by "${issuer.subjectText}" verifies`
      : `its signature by "${issuer.subjectText}" is not acceptable: ${outcome.reason}`,
  );
}

function checkLeafConstraints(cert: ParsedCertificate, ctx: PathContext, add: Add): void {
  const bc = cert.basicConstraints;
  // §4.2.1.9 note: the last certificate may be a CA; its pathLenConstraint does not apply.
  add(
    'basic-constraints',
    true,
    bc?.ca
      ? 'a CA certificate at the end of the path (its pathLenConstraint does not apply)'
      : 'an end-entity certificate',
  );

  const ku = cert.keyUsage;
  const problems: string[] = [];
  // §4.2.1.3 and §4.2.1.9 tie keyCertSign and cA together; either without the other is refused.
  if (ku?.has('keyCertSign') && !bc?.ca) problems.push('it asserts keyCertSign without being a CA');
  if (ku && bc?.ca && !ku.has('keyCertSign')) {
    problems.push('it says cA=TRUE but its keyUsage lacks keyCertSign, which is inconsistent');
  }
  const missing = (ctx.requiredKeyUsage ?? []).filter((bit) => ku && !ku.has(bit));
  if (missing.length > 0) problems.push(`its keyUsage lacks ${missing.join(', ')}`);
  add(
    'key-usage',
    problems.length === 0,
    problems.length === 0 ? describeKeyUsage(ku) : problems.join('; '),
  );

  // §4.2.1.10: name constraints MUST be used only in CA certificates.
  if (cert.nameConstraints || cert.extensions.some((e) => e.oid === OID.nameConstraints)) {
    add(
      'name-constraints-placement',
      false,
      'an end-entity certificate carries nameConstraints, which only CAs may',
    );
  }
}

function describeKeyUsage(ku: Set<KeyUsageName> | undefined): string {
  return ku ? `keyUsage: ${[...ku].join(', ') || 'none'}` : 'no keyUsage extension (any usage)';
}

function checkCaConstraints(
  cert: ParsedCertificate,
  role: Role,
  budget: number | undefined,
  add: Add,
): void {
  const bc = cert.basicConstraints;
  const critical = cert.extensions.find((e) => e.oid === OID.basicConstraints)?.critical === true;
  // §6.1.4 (k) needs cA=TRUE; §4.2.1.9 says CAs MUST mark the extension critical.
  add(
    'basic-constraints',
    bc?.ca === true && critical,
    !bc
      ? `the ${role === 'anchor' ? 'trust anchor' : 'intermediate'} has no basicConstraints, so it is not a CA`
      : !bc.ca
        ? 'basicConstraints says cA=FALSE, so it cannot issue certificates'
        : !critical
          ? 'basicConstraints is not marked critical, as RFC 5280 §4.2.1.9 requires for CAs'
          : `CA${bc.pathLen === undefined ? '' : `, pathLenConstraint ${bc.pathLen}`}`,
  );
  if (budget !== undefined) {
    add(
      'path-length',
      budget > 0,
      budget > 0
        ? `within the path length allowed above it`
        : 'a CA above it limits the path length (pathLenConstraint), and this CA exceeds it',
    );
  }
  // §6.1.4 (n): a CA key that signs certificates must assert keyCertSign.
  const ku = cert.keyUsage;
  add(
    'key-usage',
    !ku || ku.has('keyCertSign'),
    ku && !ku.has('keyCertSign')
      ? 'its keyUsage lacks keyCertSign, so it may not sign certificates'
      : describeKeyUsage(ku),
  );
}

function checkExtendedKeyUsage(
  cert: ParsedCertificate,
  role: Role,
  purpose: Purpose,
  add: Add,
): void {
  const eku = cert.extKeyUsage;
  if (!eku || purpose === 'any') {
    add(
      'extended-key-usage',
      true,
      eku ? `extKeyUsage: ${eku.join(', ')}` : 'no extKeyUsage (no restriction)',
    );
    return;
  }
  const wanted = PURPOSE_OIDS[purpose];
  const ok = eku.includes(wanted) || eku.includes(OID.anyExtendedKeyUsage);
  add(
    'extended-key-usage',
    ok,
    ok
      ? `allows ${purpose}`
      : `its extKeyUsage (${eku.join(', ')}) does not allow ${purpose}${role === 'leaf' ? '' : ', so it may not issue for that purpose'}`,
  );
}

function checkKeyIdentifiers(
  cert: ParsedCertificate,
  issuer: ParsedCertificate | undefined,
  isCa: boolean,
  add: Add,
): void {
  const aki = cert.authorityKeyId;
  const problems: string[] = [];
  // §4.2.1.1: keyIdentifier MUST be present except in self-signed certificates. The anchor is
  // its own issuer here, so a self-issued anchor counts as self-signed.
  const selfSigned = issuer !== undefined && isSelfIssued(cert) && cert.spki.equals(issuer.spki);
  if (!aki?.keyIdentifier && !selfSigned) {
    problems.push(
      'it has no authorityKeyIdentifier keyIdentifier, which RFC 5280 §4.2.1.1 requires',
    );
  }
  // CABF BR §7.1.2.1-2: a CA's AKI carries only keyIdentifier.
  if (aki && isCa && (aki.hasIssuer || aki.hasSerial)) {
    problems.push(
      'its authorityKeyIdentifier names the issuer by name and serial, which CA certificates must not',
    );
  }
  if (aki && isCa && !aki.keyIdentifier) {
    problems.push('its authorityKeyIdentifier has no keyIdentifier');
  }
  if (
    aki?.keyIdentifier &&
    issuer?.subjectKeyId &&
    !aki.keyIdentifier.equals(issuer.subjectKeyId)
  ) {
    problems.push(
      `its authorityKeyIdentifier does not match the subjectKeyIdentifier of "${issuer.subjectText}"`,
    );
  }
  add(
    'authority-key-identifier',
    problems.length === 0,
    problems.length === 0
      ? aki?.keyIdentifier
        ? `keyIdentifier ${aki.keyIdentifier.toString('hex')}`
        : 'not needed: self-signed'
      : problems.join('; '),
  );

  // §4.2.1.2: CA certificates MUST carry a subjectKeyIdentifier.
  if (isCa) {
    add(
      'subject-key-identifier',
      cert.subjectKeyId !== undefined,
      cert.subjectKeyId
        ? `keyIdentifier ${cert.subjectKeyId.toString('hex')}`
        : 'the CA certificate has no subjectKeyIdentifier, which RFC 5280 §4.2.1.2 requires',
    );
  }
}

function checkSubjectAltName(cert: ParsedCertificate, add: Add): void {
  const ext = cert.extensions.find((e) => e.oid === OID.subjectAltName);
  const san = cert.subjectAltName;
  const problems: string[] = [];
  if (isEmptyName(cert.subject)) {
    // §4.2.1.6: with an empty subject, the SAN MUST be present and critical.
    if (!ext) problems.push('the subject is empty and there is no subjectAltName');
    else if (!ext.critical) {
      problems.push('the subject is empty, so subjectAltName must be critical');
    }
  } else if (ext?.critical) {
    // CABF BR §7.1.2.7.12: critical only when the subject is empty.
    problems.push('subjectAltName is critical although the subject is not empty');
  }
  for (const name of san ?? []) {
    const bad =
      (name.kind === 'dns' && !isValidDnsName(name.value, { wildcard: true })) ||
      (name.kind === 'ip' && name.bytes.length !== 4 && name.bytes.length !== 16) ||
      (name.kind === 'email' && !isValidMailbox(name.value));
    if (bad) problems.push(`the name ${describeGeneralName(name)} is malformed`);
  }
  if (!ext && problems.length === 0) return;
  add(
    'subject-alternative-name',
    problems.length === 0,
    problems.length === 0 ? (san ?? []).map(describeGeneralName).join(', ') : problems.join('; '),
  );
}

/** §6.1.3 (b)-(c) against every CA above `cert` in the path. */
function checkConstrainedBy(cert: ParsedCertificate, above: ParsedCertificate[], add: Add): void {
  const names = constrainedNames(cert.subject, cert.subjectAltName);
  const constraining = above.filter((ca) => ca.nameConstraints);
  for (const ca of constraining) {
    const violation = checkNameConstraints(names, ca.nameConstraints!);
    if (violation) {
      add('name-constraints', false, `${violation}, set by "${ca.subjectText}"`);
      return;
    }
  }
  add(
    'name-constraints',
    true,
    constraining.length === 0
      ? 'no CA above it constrains names'
      : `within the name constraints of ${constraining.map((c) => `"${c.subjectText}"`).join(', ')}`,
  );
}
