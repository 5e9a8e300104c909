// Distinguished names: the officer's "CN=…,O=…,C=…" string (RFC 4514) to an X.501 Name and back.
// RFC 4514 §2.1 writes the most specific RDN first, so the string is the RDNSequence reversed:
// "CN=Root,O=Acme,C=DE" is encoded C, O, CN, as OpenSSL prints it.
import {
  AttributeTypeAndValue,
  AttributeValue,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { MazeVaultError } from '../../shared/errors';

interface AttributeType {
  oid: string;
  short: string;
  /** RFC 5280 §4.1.2.4 and Appendix A: most attributes are UTF8String, a few are fixed. */
  encoding: 'utf8' | 'printable' | 'ia5';
  /** The upper bound in characters (RFC 5280 Appendix A, ub-…), where one is set. */
  maxLength?: number;
  /** The standard's name of that bound, for the message. */
  bound?: string;
}

const ATTRIBUTE_TYPES: readonly AttributeType[] = [
  { oid: '2.5.4.3', short: 'CN', encoding: 'utf8', maxLength: 64, bound: 'ub-common-name' },
  { oid: '2.5.4.6', short: 'C', encoding: 'printable' },
  {
    oid: '2.5.4.10',
    short: 'O',
    encoding: 'utf8',
    maxLength: 64,
    bound: 'ub-organization-name',
  },
  {
    oid: '2.5.4.11',
    short: 'OU',
    encoding: 'utf8',
    maxLength: 64,
    bound: 'ub-organizational-unit-name',
  },
  { oid: '2.5.4.7', short: 'L', encoding: 'utf8', maxLength: 128, bound: 'ub-locality-name' },
  { oid: '2.5.4.8', short: 'ST', encoding: 'utf8', maxLength: 128, bound: 'ub-state-name' },
  { oid: '2.5.4.9', short: 'STREET', encoding: 'utf8' },
  {
    oid: '2.5.4.17',
    short: 'postalCode',
    encoding: 'utf8',
    maxLength: 40,
    bound: 'ub-postal-code',
  },
  {
    oid: '2.5.4.5',
    short: 'serialNumber',
    encoding: 'printable',
    maxLength: 64,
    bound: 'ub-serial-number',
  },
  { oid: '2.5.4.4', short: 'SN', encoding: 'utf8' },
  { oid: '2.5.4.42', short: 'GN', encoding: 'utf8' },
  { oid: '2.5.4.12', short: 'title', encoding: 'utf8', maxLength: 64, bound: 'ub-title' },
  { oid: '2.5.4.46', short: 'dnQualifier', encoding: 'printable' },
  { oid: '2.5.4.97', short: 'organizationIdentifier', encoding: 'utf8' },
  { oid: '0.9.2342.19200300.100.1.25', short: 'DC', encoding: 'ia5' },
  { oid: '0.9.2342.19200300.100.1.1', short: 'UID', encoding: 'utf8' },
  {
    oid: '1.2.840.113549.1.9.1',
    short: 'emailAddress',
    encoding: 'ia5',
    maxLength: 255,
    bound: 'ub-emailaddress-length',
  },
];

const BY_NAME = new Map<string, AttributeType>();
for (const type of ATTRIBUTE_TYPES) BY_NAME.set(type.short.toLowerCase(), type);
BY_NAME.set('e', BY_NAME.get('emailaddress')!);
BY_NAME.set('s', BY_NAME.get('st')!);
BY_NAME.set('surname', BY_NAME.get('sn')!);
BY_NAME.set('givenname', BY_NAME.get('gn')!);
BY_NAME.set('commonname', BY_NAME.get('cn')!);
const BY_OID = new Map(ATTRIBUTE_TYPES.map((type) => [type.oid, type]));

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function invalid(dn: string, why: string): MazeVaultError {
  return new MazeVaultError(
    'INVALID_INPUT',
    `The name "${dn}" cannot be read: ${why}. Write it as CN=…,O=…,C=… and escape a literal comma as \\,.`,
  );
}

interface ParsedAttribute {
  type: string;
  value: string;
  /** RFC 4514 §2.4 "#" form: the value's BER/DER encoding, given in hex. */
  der?: Buffer;
}

/** Splits an RFC 4514 string into RDNs of attributes, honouring \-escapes and quoted values. */
function parseRfc4514(dn: string): ParsedAttribute[][] {
  const rdns: ParsedAttribute[][] = [];
  let current: ParsedAttribute[] = [];
  let i = 0;
  // Leading spaces go; trailing ones are dropped per value below, unless escaped ("\ ").
  const text = dn.replace(/^\s+/, '');
  if (!text.trim()) throw invalid(dn, 'it is empty');

  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw invalid(dn, `"${text.slice(i)}" has no "="`);
    const type = text.slice(i, eq).trim();
    if (!type) throw invalid(dn, 'an attribute has no type');
    i = eq + 1;

    const bytes: number[] = [];
    let trailingSpaces = 0;
    while (i < text.length && text[i] === ' ') i += 1;
    if (text[i] === '#') {
      // RFC 4514 §2.4 and §3: "#" then the hex of the value's encoding, for any attribute type.
      let end = i + 1;
      while (end < text.length && !',+;'.includes(text[end]!)) end += 1;
      const hex = text.slice(i + 1, end).trim();
      if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) {
        throw invalid(dn, `${type}=#${hex} is not an even number of hex digits after "#"`);
      }
      current.push({ type, value: '', der: Buffer.from(hex, 'hex') });
      i = end;
      const separator = text[i];
      i += 1;
      if (separator === '+') continue;
      rdns.push(current);
      current = [];
      while (i < text.length && text[i] === ' ') i += 1;
      continue;
    }
    if (text[i] === '"') {
      // RFC 2253 quoted values are still written by some tools; accept them on input.
      i += 1;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i += 1;
        bytes.push(...Buffer.from(text[i] ?? '', 'utf8'));
        i += 1;
      }
      if (text[i] !== '"') throw invalid(dn, 'a quoted value is not closed');
      i += 1;
      while (i < text.length && text[i] === ' ') i += 1;
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '+' && text[i] !== ';') {
        const char = text[i]!;
        if (char === '\\') {
          const next = text.slice(i + 1, i + 3);
          if (/^[0-9a-fA-F]{2}$/.test(next)) {
            bytes.push(Number.parseInt(next, 16));
            i += 3;
          } else if (i + 1 < text.length) {
            const escaped = String.fromCodePoint(text.codePointAt(i + 1)!);
            bytes.push(...Buffer.from(escaped, 'utf8'));
            i += 1 + escaped.length;
          } else {
            throw invalid(dn, 'it ends with a lone backslash');
          }
          trailingSpaces = 0;
          continue;
        }
        const codePoint = String.fromCodePoint(text.codePointAt(i)!);
        bytes.push(...Buffer.from(codePoint, 'utf8'));
        trailingSpaces = char === ' ' ? trailingSpaces + 1 : 0;
        i += codePoint.length;
      }
    }
    const value = Buffer.from(bytes.slice(0, bytes.length - trailingSpaces)).toString('utf8');
    if (!value) throw invalid(dn, `${type} has an empty value`);
    current.push({ type, value });

    const separator = text[i];
    i += 1;
    if (separator === '+') continue;
    rdns.push(current);
    current = [];
    while (i < text.length && text[i] === ' ') i += 1;
  }
  if (current.length) rdns.push(current);
  return rdns;
}

function attributeType(
  name: string,
  dn: string,
): { oid: string; encoding: AttributeType['encoding'] } {
  if (/^\d+(\.\d+)+$/.test(name)) {
    return { oid: name, encoding: BY_OID.get(name)?.encoding ?? 'utf8' };
  }
  const known = BY_NAME.get(name.toLowerCase());
  if (!known) throw invalid(dn, `"${name}" is not an attribute type we know; use its OID instead`);
  return known;
}

function attributeValue(
  value: string,
  type: { oid: string; encoding: AttributeType['encoding'] },
  dn: string,
): AttributeValue {
  if (type.encoding === 'printable') {
    if (!PRINTABLE.test(value)) {
      throw invalid(dn, `"${value}" must use PrintableString characters only`);
    }
    if (type.oid === '2.5.4.6' && !/^[A-Z]{2}$/.test(value)) {
      throw invalid(dn, `C must be a two-letter ISO 3166 country code, not "${value}"`);
    }
    return new AttributeValue({ printableString: value });
  }
  if (type.encoding === 'ia5') {
    if ([...value].some((char) => char.charCodeAt(0) > 0x7f)) {
      throw invalid(dn, `"${value}" must be ASCII`);
    }
    return new AttributeValue({ ia5String: value });
  }
  return new AttributeValue({ utf8String: value });
}

/**
 * The "#hex" form: one complete DER element. For the attribute types we know (all strings) it
 * must be one of their string types, and it then obeys the same rules as the text form.
 */
function encodedAttributeValue(
  der: Buffer,
  type: { oid: string; encoding: AttributeType['encoding'] },
  dn: string,
): AttributeValue {
  const shown = `#${der.toString('hex')}`;
  let value: AttributeValue;
  try {
    value = AsnConvert.parse(der, AttributeValue);
  } catch {
    throw invalid(dn, `${shown} is not a DER encoding`);
  }
  if (!Buffer.from(AsnConvert.serialize(value)).equals(der)) {
    throw invalid(dn, `${shown} is not exactly one DER value (bytes are missing or left over)`);
  }
  if (!BY_OID.has(type.oid)) return value;
  if (value.anyValue) {
    const name = BY_OID.get(type.oid)!.short;
    throw invalid(dn, `${name}=${shown} is not a string; ${name} takes a DirectoryString`);
  }
  if (type.encoding === 'printable' && value.printableString === undefined) {
    throw invalid(dn, `${shown} must be a PrintableString (tag 13)`);
  }
  if (type.encoding === 'ia5' && value.ia5String === undefined) {
    throw invalid(dn, `${shown} must be an IA5String (tag 16)`);
  }
  if (type.encoding !== 'utf8') attributeValue(value.toString(), type, dn);
  return value;
}

/** RFC 5280 Appendix A upper bounds (ub-common-name and the like), in characters. */
/** C0 and C1 control characters and DEL: never part of a name people can read. */
export function isControlCharacter(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** The text with each control character shown as RFC 4514's \XX, for messages and listings. */
export function escapeControlCharacters(text: string): string {
  return [...text]
    .map((char) =>
      isControlCharacter(char)
        ? `\\${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(2, '0')}`
        : char,
    )
    .join('');
}

function checkUpperBound(value: AttributeValue, oid: string, dn: string): void {
  const known = BY_OID.get(oid);
  if (!value.anyValue && [...value.toString()].some(isControlCharacter)) {
    // A NUL ends a name early for C clients (the null-prefix certificates of CVE-2009-2408); a
    // newline or escape forges lines in logs and terminals.
    throw new MazeVaultError(
      'INVALID_INPUT',
      `The ${known?.short ?? oid} in "${escapeControlCharacters(dn)}" holds a control character ` +
        '(NUL, newline, escape…), which a certificate name must not carry; remove it.',
    );
  }
  if (!known?.maxLength || value.anyValue) return;
  const length = [...value.toString()].length;
  if (length > known.maxLength) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      `The ${known.short} in "${dn}" is ${length} characters long; RFC 5280 (Appendix A, ${known.bound}) ` +
        `allows at most ${known.maxLength}.` +
        (known.short === 'CN'
          ? ' Shorten it, and put a longer host name in a subjectAltName (DNS:…), where clients look.'
          : ' Shorten it.'),
    );
  }
}

/** Refuses a name with a value past its RFC 5280 upper bound (a CSR's subject, say). */
export function checkNameBounds(name: Name): void {
  const text = formatDistinguishedName(name);
  for (const rdn of name) {
    for (const attribute of rdn) checkUpperBound(attribute.value, attribute.type, text);
  }
}

/** Parses "CN=…,O=…,C=…" into an X.501 Name (RDNSequence in encoding order). */
export function parseDistinguishedName(dn: string): Name {
  const rdns = parseRfc4514(dn).map(
    (attributes) =>
      new RelativeDistinguishedName(
        attributes.map((attribute) => {
          const type = attributeType(attribute.type, dn);
          const value = attribute.der
            ? encodedAttributeValue(attribute.der, type, dn)
            : attributeValue(attribute.value, type, dn);
          checkUpperBound(value, type.oid, dn);
          return new AttributeTypeAndValue({ type: type.oid, value });
        }),
      ),
  );
  return new Name(rdns.reverse());
}

/** RFC 4514 §2.4: escape the characters that would otherwise end or start a value. */
function escapeValue(value: string): string {
  let escaped = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  escaped = escaped.replace(/^[ #]/, (c) => `\\${c}`).replace(/ $/, '\\ ');
  return escaped.replace(/\0/g, '\\00');
}

/** Formats an X.501 Name as RFC 4514 text, most specific RDN first. */
export function formatDistinguishedName(name: Name): string {
  return [...name]
    .reverse()
    .map((rdn) =>
      [...rdn]
        .map((attribute) => {
          const type = BY_OID.get(attribute.type)?.short ?? attribute.type;
          const value = attribute.value.anyValue
            ? `#${Buffer.from(attribute.value.anyValue).toString('hex')}`
            : escapeValue(attribute.value.toString());
          return `${type}=${value}`;
        })
        .join('+'),
    )
    .join(',');
}

/** The value of the first common name, for labels ("CN=Acme Root,O=Acme" → "Acme Root"). */
export function commonNameOf(name: Name): string | undefined {
  for (const rdn of [...name].reverse()) {
    for (const attribute of rdn) {
      if (attribute.type === '2.5.4.3') return attribute.value.toString();
    }
  }
  return undefined;
}
