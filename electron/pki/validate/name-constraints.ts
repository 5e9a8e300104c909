// Name constraints, RFC 5280 §4.2.1.10 and §6.1.3 (b)-(c): a CA's permitted and excluded
// subtrees apply to every later certificate in the path (self-issued intermediates excepted,
// the leaf always), so checking each constraining CA in turn gives the intersection of them all.
import { DerError, children, decodeSmallInteger, readOnly } from './der';
import {
  emailAddressesIn,
  isEmptyName,
  nameWithinSubtree,
  type DistinguishedName,
} from './distinguished-name';
import {
  decodeGeneralName,
  describeGeneralName,
  isValidDnsName,
  isValidMailbox,
  type GeneralName,
} from './general-name';

export interface NameConstraints {
  permitted: GeneralName[];
  excluded: GeneralName[];
}

function decodeSubtrees(node: ReturnType<typeof readOnly>): GeneralName[] {
  const subtrees = children(node).map((subtree) => {
    if (subtree.tag !== 0x30) throw new DerError('a general subtree is not a SEQUENCE');
    const [base, ...rest] = children(subtree);
    if (!base) throw new DerError('a general subtree has no base name');
    for (const bound of rest) {
      // §4.2.1.10: minimum MUST be zero and maximum MUST be absent.
      if (bound.tag !== 0x80 || decodeSmallInteger(bound, 0x80) !== 0) {
        throw new DerError('a general subtree sets minimum or maximum, which RFC 5280 forbids');
      }
    }
    return decodeGeneralName(base);
  });
  if (subtrees.length === 0) throw new DerError('a list of subtrees is present but empty');
  return subtrees;
}

function validConstraintBase(name: GeneralName): boolean {
  switch (name.kind) {
    case 'dns':
      // A leading dot (subdomains only) is common practice; wildcards are not constraints.
      return (
        name.value === '' || isValidDnsName(name.value.replace(/^\./, ''), { wildcard: false })
      );
    case 'ip':
      return (name.bytes.length === 8 || name.bytes.length === 32) && isContiguousMask(name.bytes);
    case 'email':
      return name.value.includes('@')
        ? isValidMailbox(name.value)
        : isValidDnsName(name.value.replace(/^\./, ''), { wildcard: false });
    default:
      return true;
  }
}

function isContiguousMask(bytes: Buffer): boolean {
  const mask = bytes.subarray(bytes.length / 2);
  const bits = [...mask].map((b) => b.toString(2).padStart(8, '0')).join('');
  return /^1*0*$/.test(bits);
}

/** NameConstraints ::= SEQUENCE { permittedSubtrees [0], excludedSubtrees [1] }. */
export function decodeNameConstraints(der: Buffer): NameConstraints {
  const sequence = readOnly(der);
  if (sequence.tag !== 0x30) throw new DerError('name constraints are not a SEQUENCE');
  const result: NameConstraints = { permitted: [], excluded: [] };
  const parts = children(sequence);
  // §4.2.1.10: either permittedSubtrees or excludedSubtrees MUST be present.
  if (parts.length === 0) throw new DerError('name constraints name no subtrees at all');
  for (const part of parts) {
    if (part.tag === 0xa0) result.permitted = decodeSubtrees(part);
    else if (part.tag === 0xa1) result.excluded = decodeSubtrees(part);
    else throw new DerError('name constraints hold an unknown field');
  }
  for (const base of [...result.permitted, ...result.excluded]) {
    if (!validConstraintBase(base)) {
      throw new DerError(`the constraint ${describeGeneralName(base)} is not well formed`);
    }
  }
  return result;
}

function dnsWithin(name: string, base: string): boolean {
  const n = name.toLowerCase();
  const b = base.toLowerCase();
  if (b === '') return true;
  if (b.startsWith('.')) return n.endsWith(b);
  return n === b || n.endsWith(`.${b}`);
}

function emailWithin(mailbox: string, base: string): boolean {
  const at = mailbox.lastIndexOf('@');
  const host = mailbox.slice(at + 1).toLowerCase();
  if (base.includes('@')) {
    const baseAt = base.lastIndexOf('@');
    return (
      mailbox.slice(0, at) === base.slice(0, baseAt) &&
      host === base.slice(baseAt + 1).toLowerCase()
    );
  }
  const b = base.toLowerCase();
  return b.startsWith('.') ? host.endsWith(b) : host === b;
}

function ipWithin(address: Buffer, base: Buffer): boolean {
  const half = base.length / 2;
  if (address.length !== half) return false;
  for (let i = 0; i < half; i += 1) {
    if ((address[i] & base[half + i]) !== (base[i] & base[half + i])) return false;
  }
  return true;
}

/**
 * Whether `name` falls inside the subtree `base`; null when both are of a form this validator
 * does not compare (URI, otherName and the like), which the caller must treat as unprocessable.
 */
function within(name: GeneralName, base: GeneralName): boolean | null {
  if (name.kind !== base.kind) return false;
  if (name.kind === 'dns' && base.kind === 'dns') return dnsWithin(name.value, base.value);
  if (name.kind === 'email' && base.kind === 'email') return emailWithin(name.value, base.value);
  if (name.kind === 'ip' && base.kind === 'ip') return ipWithin(name.bytes, base.bytes);
  if (name.kind === 'directory' && base.kind === 'directory') {
    return nameWithinSubtree(name.name, base.name);
  }
  return null;
}

/** A name a constraint cannot judge because it is malformed never counts as permitted. */
function wellFormed(name: GeneralName): boolean {
  if (name.kind === 'dns') return isValidDnsName(name.value, { wildcard: true });
  if (name.kind === 'ip') return name.bytes.length === 4 || name.bytes.length === 16;
  if (name.kind === 'email') return isValidMailbox(name.value);
  return true;
}

/** The names of a certificate that constraints apply to: SAN entries, subject and its emails. */
export function constrainedNames(
  subject: DistinguishedName,
  subjectAltName: GeneralName[] | undefined,
): GeneralName[] {
  const names: GeneralName[] = [...(subjectAltName ?? [])];
  if (!isEmptyName(subject)) {
    names.push({ kind: 'directory', name: subject });
    // §4.2.1.10: rfc822Name constraints also bind emailAddress attributes of the subject.
    for (const email of emailAddressesIn(subject)) names.push({ kind: 'email', value: email });
  }
  return names;
}

/** Returns null when every name is acceptable, else a sentence naming the offending name. */
export function checkNameConstraints(
  names: GeneralName[],
  constraints: NameConstraints,
): string | null {
  for (const name of names) {
    const label = describeGeneralName(name);
    const permittedOfKind = constraints.permitted.filter((b) => b.kind === name.kind);
    const excludedOfKind = constraints.excluded.filter((b) => b.kind === name.kind);
    if (permittedOfKind.length + excludedOfKind.length === 0) continue;
    if (!wellFormed(name)) return `${label} is malformed, so it cannot be inside the constraints`;

    for (const base of excludedOfKind) {
      const hit = within(name, base);
      if (hit === null) {
        return `${label} is of a form whose constraints this validator cannot check`;
      }
      if (hit) return `${label} is inside the excluded subtree ${describeGeneralName(base)}`;
    }
    if (permittedOfKind.length > 0) {
      const results = permittedOfKind.map((base) => within(name, base));
      if (results.includes(null)) {
        return `${label} is of a form whose constraints this validator cannot check`;
      }
      if (!results.includes(true)) {
        const allowed = permittedOfKind.map(describeGeneralName).join(', ');
        return `${label} is outside the permitted subtrees (${allowed})`;
      }
    }
  }
  return null;
}
