// Extensions (RFC 5280 §4.2 and §5.2-5.3) in readable form. Each is decoded on its own, so one
// broken extension is shown as hex and flagged while the others still read; unknown extensions
// are shown as hex; critical ones are marked.
import {
  type Asn1Node,
  TAG,
  children,
  content,
  encoded,
  is,
  parseDer,
  readBigInt,
  readOctets,
  readOid,
  readSmallInt,
} from '../../formats/decode-asn1';
import { readGeneralName, readGeneralNames } from './general-names';
import { decodeString } from './names';
import { ACCESS_METHODS, CRL_REASONS, EKU_NAMES, EXTENSIONS } from './oids';
import { readTime } from './time';

export interface ExtensionInfo {
  oid: string;
  name: string;
  critical: boolean;
  /** Readable value for known extensions; absent for unknown ones. */
  value?: unknown;
  /** The extnValue OCTET STRING content, hex. */
  hex: string;
  /** Set when a known extension could not be decoded (then only hex is shown). */
  problem?: string;
}

export function readExtensions(list: Asn1Node, problems: string[]): ExtensionInfo[] {
  const seen = new Set<string>();
  return children(list).map((extension) => {
    const fields = children(extension);
    const oid = readOid(fields[0]!);
    const critical = is(fields[1], TAG.BOOLEAN) ? content(fields[1]!)[0] !== 0 : false;
    if (is(fields[1], TAG.BOOLEAN) && !critical) {
      problems.push(`${EXTENSIONS[oid] ?? oid}: critical FALSE encoded explicitly (not DER)`);
    }
    const valueNode = fields[fields.length - 1]!;
    const bytes = readOctets(valueNode);
    const info: ExtensionInfo = {
      oid,
      name: EXTENSIONS[oid] ?? oid,
      critical,
      hex: bytes.toString('hex'),
    };
    if (seen.has(oid)) problems.push(`${info.name} appears twice (RFC 5280 §4.2 forbids it)`);
    seen.add(oid);

    const reader = READERS[oid];
    if (reader) {
      try {
        info.value = reader(parseDer(bytes));
      } catch {
        info.problem = 'the value does not follow the extension syntax';
        problems.push(`${info.name}: ${info.problem}`);
      }
    } else if (critical) {
      problems.push(
        `unknown critical extension ${oid}: path validation must reject this certificate`,
      );
    }
    return info;
  });
}

const KEY_USAGE = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

function bitNames(node: Asn1Node, names: string[]): string[] {
  const bytes = content(node);
  const out: string[] = [];
  for (let bit = 0; bit < (bytes.length - 1) * 8; bit++) {
    if (bytes[1 + (bit >> 3)]! & (0x80 >> (bit & 7))) out.push(names[bit] ?? `bit ${bit}`);
  }
  return out;
}

function oidList(node: Asn1Node, names: Record<string, string>): string[] {
  return children(node).map((child) => names[readOid(child)] ?? readOid(child));
}

function distributionPoints(node: Asn1Node) {
  return children(node).map((point) => {
    const out: Record<string, unknown> = {};
    for (const field of children(point)) {
      if (field.tagNumber === 0) {
        const name = children(field)[0]!;
        out.distributionPoint =
          name.tagNumber === 0
            ? { fullName: readGeneralNames(name) }
            : { nameRelativeToCRLIssuer: encoded(name).toString('hex') };
      }
      if (field.tagNumber === 1) out.reasons = bitNames(field, REASON_FLAGS);
      if (field.tagNumber === 2) out.cRLIssuer = readGeneralNames(field);
    }
    return out;
  });
}

const REASON_FLAGS = [
  'unused',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
];

function accessDescriptions(node: Asn1Node) {
  return children(node).map((description) => {
    const [method, location] = children(description);
    const oid = readOid(method!);
    return { method: ACCESS_METHODS[oid] ?? oid, location: readGeneralName(location!) };
  });
}

function policies(node: Asn1Node) {
  return children(node).map((policy) => {
    const [idNode, qualifiers] = children(policy);
    const out: { policy: string; qualifiers: unknown[] } = {
      policy: readOid(idNode!),
      qualifiers: [],
    };
    for (const qualifier of qualifiers ? children(qualifiers) : []) {
      const [qid, value] = children(qualifier);
      const id = readOid(qid!);
      if (id === '1.3.6.1.5.5.7.2.1' && value) {
        out.qualifiers.push({
          cpsUri: decodeString(value)?.value ?? encoded(value).toString('hex'),
        });
      } else if (id === '1.3.6.1.5.5.7.2.2' && value) {
        out.qualifiers.push({ userNotice: userNotice(value) });
      } else {
        out.qualifiers.push({ id, hex: value ? encoded(value).toString('hex') : '' });
      }
    }
    return out;
  });
}

function userNotice(node: Asn1Node) {
  const out: Record<string, unknown> = {};
  for (const field of children(node)) {
    if (is(field, TAG.SEQUENCE)) {
      const [organization, numbers] = children(field);
      out.noticeRef = {
        organization: decodeString(organization!)?.value,
        numbers: numbers ? children(numbers).map((n) => readBigInt(n).toString()) : [],
      };
    } else {
      const text = decodeString(field);
      out.explicitText = text?.value ?? encoded(field).toString('hex');
      if (text) out.explicitTextEncoding = text.encoding;
    }
  }
  return out;
}

function subtrees(node: Asn1Node) {
  return children(node).map((subtree) => {
    const [base, ...bounds] = children(subtree);
    const out: Record<string, unknown> = { base: readGeneralName(base!) };
    for (const bound of bounds) {
      const value = BigInt('0x' + (content(bound).toString('hex') || '0')).toString();
      out[bound.tagNumber === 0 ? 'minimum' : 'maximum'] = value;
    }
    return out;
  });
}

function implicitInteger(node: Asn1Node): string {
  const bytes = content(node);
  if (bytes.length === 0) throw new Error('empty integer');
  let value = BigInt('0x' + bytes.toString('hex'));
  if (bytes[0]! & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value.toString();
}

/** SCT list (RFC 6962 §3.3): a TLS-encoded list; shown as a count and the raw hex. */
function sctList(node: Asn1Node) {
  const bytes = readOctets(node);
  let count = 0;
  if (bytes.length >= 2 && bytes.readUInt16BE(0) === bytes.length - 2) {
    for (let offset = 2; offset + 2 <= bytes.length; count++) {
      offset += 2 + bytes.readUInt16BE(offset);
      if (offset > bytes.length) return { count: undefined, problem: 'SCT list lengths overrun' };
    }
  } else {
    return { count: undefined, problem: 'SCT list length does not match' };
  }
  return { count };
}

const READERS: Record<string, (node: Asn1Node) => unknown> = {
  '2.5.29.19': (node) => {
    const fields = children(node);
    const ca = is(fields[0], TAG.BOOLEAN) ? content(fields[0]!)[0] !== 0 : false;
    const pathNode = fields.find((f) => is(f, TAG.INTEGER));
    return { ca, pathLenConstraint: pathNode ? readBigInt(pathNode).toString() : undefined };
  },
  '2.5.29.15': (node) => bitNames(node, KEY_USAGE),
  '2.5.29.37': (node) => oidList(node, EKU_NAMES),
  '2.5.29.14': (node) => readOctets(node).toString('hex'),
  '2.5.29.35': (node) => {
    const out: Record<string, unknown> = {};
    for (const field of children(node)) {
      if (field.tagNumber === 0) out.keyIdentifier = content(field).toString('hex');
      if (field.tagNumber === 1) out.authorityCertIssuer = readGeneralNames(field);
      if (field.tagNumber === 2) out.authorityCertSerialNumber = content(field).toString('hex');
    }
    return out;
  },
  '2.5.29.17': readGeneralNames,
  '2.5.29.18': readGeneralNames,
  '2.5.29.29': readGeneralNames,
  '2.5.29.31': distributionPoints,
  '2.5.29.46': distributionPoints,
  '1.3.6.1.5.5.7.1.1': accessDescriptions,
  '1.3.6.1.5.5.7.1.11': accessDescriptions,
  '2.5.29.32': policies,
  '2.5.29.33': (node) =>
    children(node).map((mapping) => {
      const [issuer, subject] = children(mapping);
      return { issuerDomainPolicy: readOid(issuer!), subjectDomainPolicy: readOid(subject!) };
    }),
  '2.5.29.30': (node) => {
    const out: Record<string, unknown> = {};
    for (const field of children(node)) {
      out[field.tagNumber === 0 ? 'permitted' : 'excluded'] = subtrees(field);
    }
    return out;
  },
  '2.5.29.36': (node) => {
    const out: Record<string, unknown> = {};
    for (const field of children(node)) {
      out[field.tagNumber === 0 ? 'requireExplicitPolicy' : 'inhibitPolicyMapping'] =
        implicitInteger(field);
    }
    return out;
  },
  '2.5.29.54': (node) => readBigInt(node).toString(),
  '2.5.29.20': (node) => readBigInt(node).toString(),
  '2.5.29.27': (node) => readBigInt(node).toString(),
  '2.5.29.21': (node) =>
    CRL_REASONS[readSmallInt({ ...node, tagNumber: TAG.INTEGER }, 'reason')] ?? 'unknown reason',
  '2.5.29.24': (node) => readTime(node),
  '2.5.29.28': (node) => {
    const out: Record<string, unknown> = {};
    const flags = [
      'distributionPoint',
      'onlyContainsUserCerts',
      'onlyContainsCACerts',
      'onlySomeReasons',
      'indirectCRL',
      'onlyContainsAttributeCerts',
    ];
    for (const field of children(node)) {
      const name = flags[field.tagNumber] ?? `[${field.tagNumber}]`;
      if (field.tagNumber === 0) {
        const inner = children(field)[0]!;
        out[name] =
          inner.tagNumber === 0
            ? { fullName: readGeneralNames(inner) }
            : { nameRelativeToCRLIssuer: encoded(inner).toString('hex') };
      } else if (field.tagNumber === 3) out[name] = bitNames(field, REASON_FLAGS);
      else out[name] = content(field)[0] !== 0;
    }
    return out;
  },
  '1.3.6.1.5.5.7.1.24': (node) => children(node).map((n) => readBigInt(n).toString()),
  '1.3.6.1.5.5.7.48.1.5': () => true,
  '1.3.6.1.4.1.11129.2.4.3': () => true,
  '1.3.6.1.4.1.11129.2.4.2': sctList,
};
