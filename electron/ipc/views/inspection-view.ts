// The inspector's model for the window: every field of a certificate, CSR or CRL as text an
// officer reads, with unusual or undecodable fields flagged (and shown as hex), extensions with
// critical ones marked and unknown ones as hex, fingerprints, and the bounded ASN.1 tree.
import type {
  Asn1NodeDto,
  FileInspectionDto,
  InspectedExtension,
  InspectedField,
  InspectedObject,
} from '../../../shared/bridge/formats-dto';
import {
  type AlgorithmInfo,
  type Asn1TreeNode,
  type CertificateInspection,
  type CrlInspection,
  type CsrInspection,
  type ExtensionInfo,
  type FileInspection,
  type NameInfo,
  type PublicKeyInfo,
  type SerialInfo,
  type TimeInfo,
  type Undecodable,
  isUndecodable,
} from '../../pki/inspect';

/** The CRL entries listed in the window; a CRL of 100,000 entries would only slow it down. */
export const MAX_REVOKED_SHOWN = 500;

type Maybe<T> = T | Undecodable;

/** A field read by `show`, or its hex and the reason it could not be decoded. */
function field<T>(
  name: string,
  value: Maybe<T> | undefined,
  show: (value: T) => string,
  flag?: (value: T) => string | undefined,
): InspectedField {
  if (value === undefined) return { name, value: '(absent)' };
  if (isUndecodable(value)) {
    return {
      name,
      value: value.hex ? `hex ${value.hex}` : '(missing)',
      problem: `Cannot be decoded: ${value.problem}`,
    };
  }
  const problem = flag?.(value);
  return { name, value: show(value), ...(problem ? { problem } : {}) };
}

function nameText(name: NameInfo): string {
  const attributes = name.rdns
    .map((rdn) =>
      rdn
        .map((attribute) => `${attribute.name} (${attribute.encoding}): ${attribute.value}`)
        .join(' + '),
    )
    .join('\n');
  return name.rfc4514 ? `${name.rfc4514}\n${attributes}` : '(empty name)';
}

function nameProblem(name: NameInfo): string | undefined {
  const problems = name.rdns.flat().flatMap((a) => (a.problem ? [`${a.name}: ${a.problem}`] : []));
  return problems.length ? problems.join('; ') : undefined;
}

function serialProblem(serial: SerialInfo): string | undefined {
  const problems = [
    serial.negative ? 'negative (RFC 5280 §4.1.2.2 requires a positive serial)' : '',
    serial.zero ? 'zero (RFC 5280 §4.1.2.2 requires a positive serial)' : '',
    serial.tooLong ? `${serial.octets} octets, above the 20 RFC 5280 allows` : '',
  ].filter(Boolean);
  return problems.length ? problems.join('; ') : undefined;
}

function algorithmText(algorithm: AlgorithmInfo): string {
  const lines = [`${algorithm.name} (${algorithm.oid})`];
  if (algorithm.pss) {
    const pss = algorithm.pss;
    lines.push(
      `PSS: hash ${pss.hash}, MGF1 with ${pss.maskGenHash}, salt ${pss.saltLength} bytes, ` +
        `trailer ${pss.trailerField}`,
    );
  }
  if (algorithm.parametersHex) lines.push(`Parameters: ${algorithm.parametersHex}`);
  return lines.join('\n');
}

function timeText(time: TimeInfo): string {
  return `${time.iso ?? time.raw} (${time.encoding} ${time.raw})`;
}

function publicKeyText(key: PublicKeyInfo): string {
  const lines = [
    [key.type, key.bits ? `${key.bits} bits` : '', key.curve ?? ''].filter(Boolean).join(', '),
  ];
  if (key.explicitCurve) lines.push('Curve given by explicit parameters');
  if (key.publicExponent) lines.push(`Public exponent: ${key.publicExponent}`);
  if (key.pss) lines.push(`PSS restricted to hash ${key.pss.hash}`);
  lines.push(`SPKI SHA-256: ${key.spkiSha256}`);
  return lines.join('\n');
}

function publicKeyProblem(key: PublicKeyInfo): string | undefined {
  const problems = [...key.problems];
  if (key.explicitCurve && !key.curve) problems.push('explicit curve parameters of no named curve');
  return problems.length ? problems.join('; ') : undefined;
}

const LABELS: Record<string, string> = {
  ca: 'CA',
  pathLenConstraint: 'Path length',
  keyIdentifier: 'Key identifier',
  authorityCertIssuer: 'Authority certificate issuer',
  authorityCertSerialNumber: 'Authority certificate serial',
  distributionPoint: 'Distribution point',
  fullName: 'Full name',
  cRLIssuer: 'CRL issuer',
};

function isPrimitive(value: unknown): value is string | number | boolean | bigint {
  return ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

/** A decoded extension value, whatever its shape, as indented lines. */
export function valueLines(value: unknown, indent = ''): string[] {
  if (value === undefined || value === null) return [];
  if (isPrimitive(value)) return [`${indent}${String(value)}`];
  if (Array.isArray(value)) {
    return value.flatMap((item) => valueLines(item, indent));
  }
  if (isNamed(value)) {
    const problem = value.problem ? ` (${value.problem})` : '';
    return [`${indent}${value.type}: ${value.value}${problem}`];
  }
  if (isTime(value)) return [`${indent}${timeText(value)}`];
  const object = value as Record<string, unknown>;
  return Object.entries(object).flatMap(([key, item]) => {
    if (item === undefined) return [];
    const label = LABELS[key] ?? key;
    if (isPrimitive(item)) return [`${indent}${label}: ${String(item)}`];
    return [`${indent}${label}:`, ...valueLines(item, `${indent}  `)];
  });
}

function isNamed(value: unknown): value is { type: string; value: string; problem?: string } {
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  return (
    keys.includes('type') &&
    keys.includes('value') &&
    keys.every((key) => ['type', 'value', 'problem'].includes(key))
  );
}

function isTime(value: unknown): value is TimeInfo {
  return typeof value === 'object' && value !== null && 'raw' in value && 'encoding' in value;
}

function extensionView(extension: ExtensionInfo): InspectedExtension {
  const known = extension.value !== undefined;
  return {
    oid: extension.oid,
    name: extension.name,
    critical: extension.critical,
    known,
    lines: known ? valueLines(extension.value) : [],
    hex: extension.hex,
    ...(extension.problem ? { problem: extension.problem } : {}),
  };
}

function extensionsView(extensions: Maybe<ExtensionInfo[]> | undefined): {
  list: InspectedExtension[];
  field?: InspectedField;
} {
  if (extensions === undefined) return { list: [] };
  if (isUndecodable(extensions)) {
    return { list: [], field: field('Extensions', extensions, () => '') };
  }
  return { list: extensions.map(extensionView) };
}

function titleOf(name: Maybe<NameInfo> | undefined, fallback: string): string {
  if (name === undefined || isUndecodable(name)) return fallback;
  return name.rfc4514 || '(empty name)';
}

export function asn1View(node: Asn1TreeNode): Asn1NodeDto {
  return {
    tag: node.tag,
    offset: node.offset,
    headerLength: node.headerLength,
    length: node.length,
    constructed: node.constructed,
    ...(node.indefinite ? { indefinite: true } : {}),
    ...(node.preview !== undefined ? { preview: node.preview } : {}),
    ...(node.truncated ? { truncated: node.truncated } : {}),
    ...(node.children ? { children: node.children.map(asn1View) } : {}),
  };
}

export function certificateView(
  cert: CertificateInspection,
  asn1: Asn1NodeDto | null,
  alias?: string,
): InspectedObject {
  const extensions = extensionsView(cert.extensions);
  const fields: InspectedField[] = [
    field('Version', cert.version, (v: number) => `v${v}`),
    field(
      'Serial number',
      cert.serial,
      (s: SerialInfo) => `${s.hex} (${s.decimal})`,
      serialProblem,
    ),
    field('Signature algorithm', cert.signatureAlgorithm, algorithmText, (a) =>
      a.weak ? 'a weak signature algorithm (MD5 or SHA-1 based)' : undefined,
    ),
    field('Issuer', cert.issuer, nameText, nameProblem),
    field('Subject', cert.subject, nameText, nameProblem),
    field(
      'Not before',
      cert.validity,
      (v: { notBefore: TimeInfo }) => timeText(v.notBefore),
      (v) => v.notBefore.problem,
    ),
    field(
      'Not after',
      cert.validity,
      (v: { notAfter: TimeInfo }) => timeText(v.notAfter),
      (v) => v.notAfter.problem,
    ),
    field('Public key', cert.publicKey, publicKeyText, publicKeyProblem),
    ...(cert.issuerUniqueId ? [{ name: 'Issuer unique ID', value: cert.issuerUniqueId }] : []),
    ...(cert.subjectUniqueId ? [{ name: 'Subject unique ID', value: cert.subjectUniqueId }] : []),
    { name: 'Self-issued', value: cert.selfIssued ? 'Yes' : 'No' },
    ...(extensions.field ? [extensions.field] : []),
    { name: 'Signature', value: cert.signatureHex || '(none)' },
  ];
  return {
    kind: 'certificate',
    title: titleOf(cert.subject, '(certificate with an unreadable subject)'),
    ...(alias ? { alias } : {}),
    fields,
    extensions: extensions.list,
    fingerprints: cert.fingerprints ?? null,
    problems: cert.problems ?? [],
    revoked: [],
    revokedCount: 0,
    asn1,
  };
}

export function csrView(csr: CsrInspection, asn1: Asn1NodeDto | null): InspectedObject {
  const fields: InspectedField[] = [
    field('Version', csr.version, (v: number) => `v${v}`),
    field('Subject', csr.subject, nameText, nameProblem),
    field('Public key', csr.publicKey, publicKeyText, publicKeyProblem),
    field('Signature algorithm', csr.signatureAlgorithm, algorithmText, (a) =>
      a.weak ? 'a weak signature algorithm (MD5 or SHA-1 based)' : undefined,
    ),
    csr.signatureValid
      ? { name: 'Signature', value: "verifies with the request's own public key" }
      : csr.signatureUnchecked
        ? {
            name: 'Signature',
            value: 'could not be checked',
            problem: `${csr.signatureUnchecked}; MazeVault does not sign such requests`,
          }
        : {
            name: 'Signature',
            value: 'does not verify',
            problem: 'the request was altered or damaged after it was signed; do not sign it',
          },
    ...(csr.attributes ?? []).map((attribute) => ({
      name: `Attribute ${attribute.name}`,
      value: attribute.values.join('\n') || '(empty)',
    })),
  ];
  return {
    kind: 'csr',
    title: titleOf(csr.subject, '(request with an unreadable subject)'),
    fields,
    extensions: (csr.requestedExtensions ?? []).map(extensionView),
    fingerprints: null,
    problems: csr.problems ?? [],
    revoked: [],
    revokedCount: 0,
    asn1,
  };
}

export function crlView(crl: CrlInspection, asn1: Asn1NodeDto | null): InspectedObject {
  const extensions = extensionsView(crl.extensions);
  const fields: InspectedField[] = [
    field('Version', crl.version, (v: number) => `v${v}`),
    field('Signature algorithm', crl.signatureAlgorithm, algorithmText, (a) =>
      a.weak ? 'a weak signature algorithm (MD5 or SHA-1 based)' : undefined,
    ),
    field('Issuer', crl.issuer, nameText, nameProblem),
    field('This update', crl.thisUpdate, timeText, (t) => t.problem),
    crl.nextUpdate
      ? field('Next update', crl.nextUpdate, timeText, (t) => t.problem)
      : { name: 'Next update', value: '(none)', problem: 'RFC 5280 §5.1.2.5 requires it' },
    { name: 'Revoked certificates', value: String(crl.revokedCount ?? 0) },
    ...(extensions.field ? [extensions.field] : []),
  ];
  const revoked = (crl.revoked ?? []).slice(0, MAX_REVOKED_SHOWN).map((entry) => ({
    serial: isUndecodable(entry.serial) ? `hex ${entry.serial.hex}` : entry.serial.hex,
    date: isUndecodable(entry.revocationDate)
      ? `hex ${entry.revocationDate.hex}`
      : (entry.revocationDate.iso ?? entry.revocationDate.raw),
    details: entry.extensions.flatMap((extension) => {
      const view = extensionView(extension);
      const lines = view.known ? view.lines : [`hex ${view.hex}`];
      return lines.map((line) => `${view.name}: ${line}`);
    }),
  }));
  return {
    kind: 'crl',
    title: titleOf(crl.issuer, '(CRL with an unreadable issuer)'),
    fields,
    extensions: extensions.list,
    fingerprints: crl.fingerprints ?? null,
    problems: crl.problems ?? [],
    revoked,
    revokedCount: crl.revokedCount ?? 0,
    asn1,
  };
}

/** DER of each object of the file, in inspectFile's order, for the ASN.1 trees. */
export interface ObjectTrees {
  certificates: (Asn1NodeDto | null)[];
  crls: (Asn1NodeDto | null)[];
  csrs: (Asn1NodeDto | null)[];
}

export function fileInspectionView(
  name: string,
  inspection: FileInspection,
  trees: ObjectTrees,
): FileInspectionDto {
  const objects: InspectedObject[] = [
    ...inspection.certificates.map((cert, index) =>
      certificateView(cert, trees.certificates[index] ?? null, cert.alias ?? cert.friendlyName),
    ),
    ...inspection.csrs.map((csr, index) => csrView(csr, trees.csrs[index] ?? null)),
    ...inspection.crls.map((crl, index) => crlView(crl, trees.crls[index] ?? null)),
  ];
  const { error } = inspection;
  return {
    name,
    format: inspection.format,
    objects,
    privateKeys: inspection.privateKeys.map((key) => ({
      type: key.type,
      ...(key.bits !== undefined ? { bits: key.bits } : {}),
      ...(key.curve !== undefined ? { curve: key.curve } : {}),
      ...(key.alias !== undefined || key.friendlyName !== undefined
        ? { alias: (key.alias ?? key.friendlyName)! }
        : {}),
      ...(key.publicKeySha256 !== undefined ? { publicKeySha256: key.publicKeySha256 } : {}),
      ...(key.chainSha256[0] !== undefined ? { pairedWith: key.chainSha256[0] } : {}),
    })),
    publicKeys: inspection.publicKeys.map(
      (key) => publicKeyText(key).split('\n')[0]! + ` (SPKI SHA-256 ${key.spkiSha256})`,
    ),
    warnings: inspection.warnings,
    ...(error
      ? {
          error: {
            code: error.code,
            message: error.message,
            ...(error.passwordTarget ? { passwordTarget: error.passwordTarget } : {}),
          },
        }
      : {}),
  };
}
