// A strict DER reader for the parts of certificates and CRLs that path validation must see
// byte for byte: the signed TBS bytes, names, general names and IP masks. X.690 §10 (DER):
// definite lengths only, minimal length octets, so a certificate has one reading and no more.

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

export interface DerNode {
  /** Identifier octet: class bits, constructed bit and tag number (low tag numbers only). */
  tag: number;
  /** The whole element, header included. */
  raw: Buffer;
  /** The content octets. */
  value: Buffer;
}

export const CONSTRUCTED = 0x20;
export const CONTEXT = 0x80;

export const DER_TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Reads one element at `offset`; throws DerError on anything that is not strict DER. */
export function readNode(input: Buffer, offset = 0): DerNode {
  if (offset + 2 > input.length) throw new DerError('the data ends inside an element header');
  const tag = input[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used in certificates');
  const lengthByte = input[offset + 1];
  let headerLength = 2;
  let length = lengthByte;
  if (lengthByte === 0x80) throw new DerError('indefinite lengths are not allowed in DER');
  if (lengthByte > 0x80) {
    const octets = lengthByte & 0x7f;
    if (octets > 4) throw new DerError('an element is longer than this reader accepts');
    if (offset + 2 + octets > input.length) throw new DerError('the data ends inside a length');
    length = 0;
    for (let i = 0; i < octets; i += 1) length = length * 256 + input[offset + 2 + i];
    if (input[offset + 2] === 0 || length < 0x80) {
      throw new DerError('a length is not in its shortest form, as DER requires');
    }
    headerLength += octets;
  }
  const end = offset + headerLength + length;
  if (end > input.length) throw new DerError('an element claims more bytes than the data has');
  return {
    tag,
    raw: input.subarray(offset, end),
    value: input.subarray(offset + headerLength, end),
  };
}

/** Reads a whole buffer as exactly one element, refusing trailing bytes. */
export function readOnly(input: Buffer): DerNode {
  const node = readNode(input, 0);
  if (node.raw.length !== input.length) throw new DerError('there are bytes after the element');
  return node;
}

/** The children of a constructed element, in order. */
export function children(node: DerNode): DerNode[] {
  if ((node.tag & CONSTRUCTED) === 0) throw new DerError('expected a constructed element');
  const out: DerNode[] = [];
  let offset = 0;
  while (offset < node.value.length) {
    const child = readNode(node.value, offset);
    out.push(child);
    offset += child.raw.length;
  }
  return out;
}

export function expectTag(node: DerNode, tag: number, what: string): DerNode {
  if (node.tag !== tag) throw new DerError(`${what} has an unexpected ASN.1 type`);
  return node;
}

/** X.690 §8.19: dotted form of an OBJECT IDENTIFIER. */
export function decodeOid(node: DerNode): string {
  expectTag(node, DER_TAG.OID, 'an object identifier');
  const bytes = node.value;
  if (bytes.length === 0) throw new DerError('an object identifier is empty');
  const arcs: number[] = [];
  let value = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    if (value === 0 && bytes[i] === 0x80) throw new DerError('an OID arc is not minimal');
    value = value * 128 + (bytes[i] & 0x7f);
    if ((bytes[i] & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    } else if (i === bytes.length - 1) {
      throw new DerError('an object identifier ends in the middle of an arc');
    }
  }
  const first = arcs[0] < 40 ? 0 : arcs[0] < 80 ? 1 : 2;
  return [first, arcs[0] - first * 40, ...arcs.slice(1)].join('.');
}

export function decodeBoolean(node: DerNode): boolean {
  expectTag(node, DER_TAG.BOOLEAN, 'a boolean');
  if (node.value.length !== 1) throw new DerError('a boolean is not one byte long');
  if (node.value[0] !== 0 && node.value[0] !== 0xff) {
    throw new DerError('a boolean is neither 00 nor FF, as DER requires');
  }
  return node.value[0] === 0xff;
}

/** Small non-negative INTEGERs (versions, path lengths); larger values are refused. */
export function decodeSmallInteger(node: DerNode, tag: number = DER_TAG.INTEGER): number {
  expectTag(node, tag, 'an integer');
  const bytes = node.value;
  if (bytes.length === 0) throw new DerError('an integer is empty');
  if (bytes.length > 1 && bytes[0] === 0 && (bytes[1] & 0x80) === 0) {
    throw new DerError('an integer is not in its shortest form');
  }
  if (bytes[0] & 0x80) throw new DerError('a negative number appears where only positive fit');
  if (bytes.length > 6) throw new DerError('an integer is too large');
  return bytes.reduce((acc, b) => acc * 256 + b, 0);
}

/** BIT STRING content: the unused-bit count and the bytes. */
export function decodeBitString(node: DerNode): { unusedBits: number; bytes: Buffer } {
  expectTag(node, DER_TAG.BIT_STRING, 'a bit string');
  if (node.value.length === 0) throw new DerError('a bit string is empty');
  const unusedBits = node.value[0];
  if (unusedBits > 7) throw new DerError('a bit string has more than 7 unused bits');
  return { unusedBits, bytes: node.value.subarray(1) };
}

/** RFC 5280 §4.1.2.5: UTCTime (years 1950–2049) and GeneralizedTime, both in Zulu seconds. */
export function decodeTime(node: DerNode): Date {
  const text = node.value.toString('latin1');
  let match: RegExpExecArray | null;
  let year: number;
  if (node.tag === DER_TAG.UTC_TIME) {
    match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (!match) throw new DerError(`the UTCTime "${text}" is not in the form YYMMDDHHMMSSZ`);
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (node.tag === DER_TAG.GENERALIZED_TIME) {
    match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (!match) {
      throw new DerError(`the GeneralizedTime "${text}" is not in the form YYYYMMDDHHMMSSZ`);
    }
    year = Number(match[1]);
  } else {
    throw new DerError('a time is neither UTCTime nor GeneralizedTime');
  }
  const [mo, d, h, mi, s] = match.slice(2).map(Number);
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new DerError(`the time "${text}" is not a real calendar time`);
  }
  return date;
}
