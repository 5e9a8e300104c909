// GeneralName (RFC 5280 §4.2.1.6) in readable form: each choice with its own decoding, IP
// addresses with their netmask when used in name constraints, unknown forms as hex.
import { type Asn1Node, children, content, encoded, readOid } from '../../formats/decode-asn1';
import { decodeString, readName } from './names';

export interface GeneralNameInfo {
  type:
    | 'otherName'
    | 'rfc822Name'
    | 'dNSName'
    | 'x400Address'
    | 'directoryName'
    | 'ediPartyName'
    | 'uniformResourceIdentifier'
    | 'iPAddress'
    | 'registeredID'
    | 'unknown';
  value: string;
  problem?: string;
}

const TYPES: GeneralNameInfo['type'][] = [
  'otherName',
  'rfc822Name',
  'dNSName',
  'x400Address',
  'directoryName',
  'ediPartyName',
  'uniformResourceIdentifier',
  'iPAddress',
  'registeredID',
];

const UPN = '1.3.6.1.4.1.311.20.2.3';

export function readGeneralName(node: Asn1Node): GeneralNameInfo {
  const type = node.tagClass === 'context' ? (TYPES[node.tagNumber] ?? 'unknown') : 'unknown';
  switch (type) {
    case 'rfc822Name':
    case 'dNSName':
    case 'uniformResourceIdentifier': {
      const bytes = content(node);
      const value = bytes.toString('latin1');
      const ascii = /^[\x20-\x7e]*$/.test(value);
      return ascii ? { type, value } : { type, value, problem: 'bytes outside IA5String' };
    }
    case 'iPAddress':
      return { type, value: formatIp(content(node)) };
    case 'directoryName':
      return { type, value: readName(children(node)[0]!).rfc4514 };
    case 'registeredID':
      // [8] IMPLICIT OBJECT IDENTIFIER: re-read the content as an OID.
      return { type, value: readOid({ ...node, tagClass: 'universal', tagNumber: 6 }) };
    case 'otherName': {
      const [typeNode, valueNode] = children(node);
      const oid = readOid(typeNode!);
      const inner = valueNode ? children(valueNode)[0] : undefined;
      const text = inner ? decodeString(inner)?.value : undefined;
      const label = oid === UPN ? 'UPN' : oid;
      return { type, value: `${label}:${text ?? (inner ? encoded(inner).toString('hex') : '')}` };
    }
    default:
      return { type, value: encoded(node).toString('hex') };
  }
}

export function readGeneralNames(node: Asn1Node): GeneralNameInfo[] {
  return children(node).map(readGeneralName);
}

/** 4 or 16 bytes are an address; 8 or 32 are address and mask (name constraints, §4.2.1.10). */
export function formatIp(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length === 16) return ipv6(bytes);
  if (bytes.length === 8) {
    return `${[...bytes.subarray(0, 4)].join('.')}/${maskBits(bytes.subarray(4))}`;
  }
  if (bytes.length === 32) return `${ipv6(bytes.subarray(0, 16))}/${maskBits(bytes.subarray(16))}`;
  return `invalid address ${bytes.toString('hex')}`;
}

function ipv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':');
}

function maskBits(mask: Buffer): string {
  const bits = [...mask].map((b) => b.toString(2).padStart(8, '0')).join('');
  return /^1*0*$/.test(bits)
    ? String(bits.indexOf('0') < 0 ? bits.length : bits.indexOf('0'))
    : `mask ${mask.toString('hex')} (not contiguous)`;
}
