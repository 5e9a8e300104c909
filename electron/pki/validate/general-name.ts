// GeneralName (RFC 5280 §4.2.1.6) decoded without loss: IP addresses and masks stay bytes and
// IA5 names stay exactly as encoded, because name constraints and peer matching compare them.
import { CONSTRUCTED, CONTEXT, DerError, children, decodeOid, readOnly, type DerNode } from './der';
import { formatName, parseName, type DistinguishedName } from './distinguished-name';

export type GeneralName =
  | { kind: 'dns'; value: string }
  | { kind: 'email'; value: string }
  | { kind: 'uri'; value: string }
  | { kind: 'ip'; bytes: Buffer }
  | { kind: 'directory'; name: DistinguishedName }
  | { kind: 'other'; tag: number; label: string };

const OTHER_LABELS: Record<number, string> = {
  0: 'otherName',
  3: 'x400Address',
  5: 'ediPartyName',
  8: 'registeredID',
};

export function decodeGeneralName(node: DerNode): GeneralName {
  if ((node.tag & 0xc0) !== CONTEXT) throw new DerError('a general name is not context tagged');
  const number = node.tag & 0x1f;
  const constructed = (node.tag & CONSTRUCTED) !== 0;
  switch (number) {
    case 1:
    case 2:
    case 6: {
      if (constructed) throw new DerError('a general name string is constructed');
      const value = node.value.toString('latin1');
      return number === 1
        ? { kind: 'email', value }
        : number === 2
          ? { kind: 'dns', value }
          : { kind: 'uri', value };
    }
    case 7:
      if (constructed) throw new DerError('an iPAddress is constructed');
      return { kind: 'ip', bytes: Buffer.from(node.value) };
    case 4: {
      // directoryName is EXPLICIT because Name is a CHOICE (RFC 5280 Appendix A.2).
      if (!constructed) throw new DerError('a directoryName is not constructed');
      const inner = children(node);
      if (inner.length !== 1) throw new DerError('a directoryName holds more than one name');
      return { kind: 'directory', name: parseName(inner[0]) };
    }
    case 8:
      decodeOid({ ...node, tag: 0x06 });
      return { kind: 'other', tag: number, label: 'registeredID' };
    default:
      if (!(number in OTHER_LABELS)) throw new DerError('a general name has an unknown tag');
      return { kind: 'other', tag: number, label: OTHER_LABELS[number] };
  }
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName. */
export function decodeGeneralNames(der: Buffer): GeneralName[] {
  const sequence = readOnly(der);
  if (sequence.tag !== 0x30) throw new DerError('general names are not a SEQUENCE');
  const names = children(sequence).map(decodeGeneralName);
  if (names.length === 0) throw new DerError('the list of general names is empty');
  return names;
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;

/**
 * RFC 5280 §4.2.1.6 with RFC 1034 preferred syntax: ASCII labels, no empty label, no trailing
 * dot. With `wildcard`, a leftmost label of exactly `*` is allowed (RFC 6125 §6.4.3); partial
 * wildcards such as `f*o` or `xn--*` are refused.
 */
export function isValidDnsName(name: string, options: { wildcard: boolean }): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  return labels.every((label, i) =>
    i === 0 && options.wildcard && label === '*' ? labels.length > 1 : LABEL.test(label),
  );
}

/** A mailbox (local@domain) as RFC 5280 §4.2.1.6 allows it in rfc822Name. */
export function isValidMailbox(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  return /^[\x21-\x7e]+$/.test(value) && isValidDnsName(value.slice(at + 1), { wildcard: false });
}

export function formatIp(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
    return groups.join(':');
  }
  return `0x${bytes.toString('hex')}`;
}

/** Shows bytes outside printable ASCII as \xNN, so a forged name cannot pass for a real one. */
function printable(value: string): string {
  return value.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

export function describeGeneralName(name: GeneralName): string {
  switch (name.kind) {
    case 'dns':
      return `DNS:${printable(name.value)}`;
    case 'email':
      return `email:${printable(name.value)}`;
    case 'uri':
      return `URI:${printable(name.value)}`;
    case 'ip':
      return `IP:${formatIp(name.bytes)}`;
    case 'directory':
      return `DirName:${formatName(name.name)}`;
    case 'other':
      return name.label;
  }
}
