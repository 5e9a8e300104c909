// Distinguished names: decoding, the comparison RFC 5280 §7.1 asks for, and display.
// Comparison folds case and inner whitespace of string values (a subset of RFC 4518 string
// preparation), which is what chain building needs to match an issuer to its CA's subject.
import { DER_TAG, DerError, children, decodeOid, expectTag, type DerNode } from './der';

export interface NameAttribute {
  type: string;
  /** The decoded text for string types; null for any other ASN.1 type. */
  text: string | null;
  /** The value element as encoded, header included. */
  raw: Buffer;
}

export interface DistinguishedName {
  raw: Buffer;
  rdns: NameAttribute[][];
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.17': 'postalCode',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

export const OID_EMAIL_ADDRESS = '1.2.840.113549.1.9.1';

function decodeUtf16be(bytes: Buffer): string {
  const swapped = Buffer.from(bytes);
  if (swapped.length % 2 !== 0) throw new DerError('a BMPString has an odd number of bytes');
  return swapped.swap16().toString('utf16le');
}

function decodeUtf32be(bytes: Buffer): string {
  if (bytes.length % 4 !== 0) throw new DerError('a UniversalString is not a multiple of 4 bytes');
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) out += String.fromCodePoint(bytes.readUInt32BE(i));
  return out;
}

/** Text of a directory string, or null when the element is not one of the string types. */
export function decodeDirectoryString(node: DerNode): string | null {
  switch (node.tag) {
    case DER_TAG.UTF8_STRING:
      return node.value.toString('utf8');
    case DER_TAG.PRINTABLE_STRING:
    case DER_TAG.IA5_STRING:
    case DER_TAG.TELETEX_STRING:
    case 0x12: // NumericString
    case 0x1a: // VisibleString
      return node.value.toString('latin1');
    case DER_TAG.BMP_STRING:
      return decodeUtf16be(node.value);
    case DER_TAG.UNIVERSAL_STRING:
      return decodeUtf32be(node.value);
    default:
      return null;
  }
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName (RFC 5280 §4.1.2.4). */
export function parseName(node: DerNode): DistinguishedName {
  expectTag(node, DER_TAG.SEQUENCE, 'a distinguished name');
  const rdns = children(node).map((rdn) => {
    expectTag(rdn, DER_TAG.SET, 'a relative distinguished name');
    const attributes = children(rdn).map((atv) => {
      expectTag(atv, DER_TAG.SEQUENCE, 'a name attribute');
      const parts = children(atv);
      if (parts.length !== 2) throw new DerError('a name attribute is not a type and a value');
      return {
        type: decodeOid(parts[0]),
        text: decodeDirectoryString(parts[1]),
        raw: parts[1].raw,
      };
    });
    if (attributes.length === 0) throw new DerError('a relative distinguished name is empty');
    return attributes;
  });
  return { raw: node.raw, rdns };
}

function normalizeValue(attribute: NameAttribute): string {
  if (attribute.text === null) return `#${attribute.raw.toString('hex')}`;
  return attribute.text.trim().replace(/\s+/g, ' ').toLowerCase();
}

function rdnKey(rdn: NameAttribute[]): string {
  return rdn
    .map((a) => `${a.type}=${normalizeValue(a)}`)
    .sort()
    .join('+');
}

/** A key equal for two names exactly when RFC 5280 §7.1 would call them the same name. */
export function nameKey(name: DistinguishedName): string {
  return JSON.stringify(name.rdns.map(rdnKey));
}

export function namesEqual(a: DistinguishedName, b: DistinguishedName): boolean {
  return nameKey(a) === nameKey(b);
}

export function isEmptyName(name: DistinguishedName): boolean {
  return name.rdns.length === 0;
}

/** RFC 5280 §4.2.1.10: a directoryName is within a subtree when the base is a prefix of it. */
export function nameWithinSubtree(name: DistinguishedName, base: DistinguishedName): boolean {
  if (base.rdns.length > name.rdns.length) return false;
  return base.rdns.every((rdn, i) => rdnKey(rdn) === rdnKey(name.rdns[i]));
}

/** The emailAddress attributes of a subject, which name constraints on rfc822Name also cover. */
export function emailAddressesIn(name: DistinguishedName): string[] {
  return name.rdns
    .flat()
    .filter((a) => a.type === OID_EMAIL_ADDRESS && a.text !== null)
    .map((a) => a.text as string);
}

/** RFC 4514 §2.4: the specials, a leading space or '#', a trailing space and NUL are escaped. */
function escapeValue(text: string): string {
  return text
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ')
    .replace(/\0/g, '\\00');
}

/**
 * RFC 4514 text, most specific RDN first (`CN=Issuing CA,O=Example,C=CZ`): the form the rest of
 * MazeVault prints, so a name reads the same in `cert list` and in a validation report.
 */
export function formatName(name: DistinguishedName): string {
  if (isEmptyName(name)) return '(empty name)';
  return [...name.rdns]
    .reverse()
    .map((rdn) =>
      rdn
        .map((a) => {
          const label = SHORT_NAMES[a.type] ?? a.type;
          const value = a.text === null ? `#${a.raw.toString('hex')}` : escapeValue(a.text);
          return `${label}=${value}`;
        })
        .join('+'),
    )
    .join(',');
}
