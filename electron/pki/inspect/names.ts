// Distinguished names (RFC 5280 §4.1.2.4) as RFC 4514 strings, with every directory string type
// decoded by its own rules: UTF8String as UTF-8, BMPString as UTF-16BE, UniversalString as
// UTF-32BE, TeletexString as Latin-1 (what real CAs put there, not T.61), and the ASCII types
// checked against their alphabets. A value that breaks its type's rules is shown and flagged.
import {
  type Asn1Node,
  TAG,
  children,
  content,
  describeTag,
  encoded,
  readOid,
} from '../../formats/decode-asn1';
import { ATTRIBUTE_NAMES, RFC4514_KEYS } from './oids';

export interface DecodedString {
  value: string;
  /** The ASN.1 string type, e.g. UTF8String. */
  encoding: string;
  /** Set when the bytes break the rules of their type. */
  problem?: string;
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const STRING_TYPES: Record<number, string> = {
  [TAG.UTF8_STRING]: 'UTF8String',
  [TAG.PRINTABLE_STRING]: 'PrintableString',
  [TAG.TELETEX_STRING]: 'TeletexString',
  [TAG.IA5_STRING]: 'IA5String',
  [TAG.BMP_STRING]: 'BMPString',
  [TAG.UNIVERSAL_STRING]: 'UniversalString',
  [TAG.NUMERIC_STRING]: 'NumericString',
  [TAG.VISIBLE_STRING]: 'VisibleString',
};

/** Decodes any ASN.1 string; undefined for a node that is not a string type. */
export function decodeString(node: Asn1Node): DecodedString | undefined {
  const encoding = node.tagClass === 'universal' ? STRING_TYPES[node.tagNumber] : undefined;
  if (!encoding || node.constructed) return undefined;
  const bytes = content(node);

  switch (node.tagNumber) {
    case TAG.UTF8_STRING:
      try {
        return { value: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding };
      } catch {
        return { value: bytes.toString('utf8'), encoding, problem: 'invalid UTF-8 bytes' };
      }
    case TAG.BMP_STRING: {
      if (bytes.length % 2) {
        return { value: bytes.toString('hex'), encoding, problem: 'odd length' };
      }
      return { value: Buffer.from(bytes).swap16().toString('utf16le'), encoding };
    }
    case TAG.UNIVERSAL_STRING: {
      if (bytes.length % 4) {
        return { value: bytes.toString('hex'), encoding, problem: 'bad length' };
      }
      const points: number[] = [];
      for (let i = 0; i < bytes.length; i += 4) points.push(bytes.readUInt32BE(i));
      try {
        return { value: String.fromCodePoint(...points), encoding };
      } catch {
        return { value: bytes.toString('hex'), encoding, problem: 'invalid code point' };
      }
    }
    case TAG.TELETEX_STRING:
      return { value: bytes.toString('latin1'), encoding };
    default: {
      const value = bytes.toString('latin1');
      const ascii = bytes.every((b) => b < 0x80);
      if (!ascii) return { value, encoding, problem: 'bytes outside ASCII' };
      if (node.tagNumber === TAG.PRINTABLE_STRING && !PRINTABLE.test(value)) {
        return { value, encoding, problem: 'characters outside PrintableString' };
      }
      if (node.tagNumber === TAG.NUMERIC_STRING && !/^[0-9 ]*$/.test(value)) {
        return { value, encoding, problem: 'characters outside NumericString' };
      }
      return { value, encoding };
    }
  }
}

export interface NameAttribute {
  oid: string;
  /** RFC 4514 key (CN, O…) or a descriptive name (emailAddress), else the OID. */
  name: string;
  value: string;
  encoding: string;
  problem?: string;
}

export interface NameInfo {
  /** RFC 4514 string: RDNs last-to-first, multi-valued RDNs joined by "+". */
  rfc4514: string;
  /** RDNs in certificate order, each a list of attributes (more than one when multi-valued). */
  rdns: NameAttribute[][];
  /** DER of the Name, hex, for exact comparison. */
  hex: string;
}

export function readName(name: Asn1Node): NameInfo {
  const rdns = children(name).map((rdn) =>
    children(rdn).map((attribute): NameAttribute => {
      const [typeNode, valueNode] = children(attribute);
      const oid = readOid(typeNode!);
      const name = RFC4514_KEYS[oid] ?? ATTRIBUTE_NAMES[oid] ?? oid;
      const decoded = valueNode ? decodeString(valueNode) : undefined;
      if (decoded) return { oid, name, ...decoded };
      // RFC 4514 §2.4: a value that is not a string is written as # and its BER in hex.
      const hex = valueNode ? encoded(valueNode).toString('hex') : '';
      return {
        oid,
        name,
        value: `#${hex}`,
        encoding: valueNode ? describeTag(valueNode) : 'absent',
      };
    }),
  );
  const rfc4514 = [...rdns]
    .reverse()
    .map((rdn) => rdn.map(formatAttribute).join('+'))
    .join(',');
  return { rfc4514, rdns, hex: encoded(name).toString('hex') };
}

function formatAttribute(attribute: NameAttribute): string {
  const key = RFC4514_KEYS[attribute.oid] ?? attribute.oid;
  if (attribute.value.startsWith('#') && !STRING_NAMES.has(attribute.encoding)) {
    return `${key}=${attribute.value}`;
  }
  return `${key}=${escapeValue(attribute.value)}`;
}

const STRING_NAMES = new Set(Object.values(STRING_TYPES));

/** RFC 4514 §2.4 escaping. */
export function escapeValue(value: string): string {
  let out = value
    .replace(/[\\"+,;<>]/g, (c) => `\\${c}`)
    .split('\u0000')
    .join('\\00');
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}
