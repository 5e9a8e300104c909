// A small, bounded BER/DER reader. Every decoder reads through it, so every malformed or
// truncated input is reported the same way, with the byte offset where it went wrong.
// BER indefinite lengths (X.690 §8.1.3.6) are accepted because PKCS#7 and PKCS#12 files from
// Apple, Windows and Java use them; depth and element counts are capped so no input can recurse
// or loop without end.
import { MazeVaultError } from '../../shared/errors';

export const MAX_DEPTH = 48;
const MAX_CHILDREN = 200_000;

export type TagClass = 'universal' | 'application' | 'context' | 'private';

export interface Asn1Node {
  tagClass: TagClass;
  constructed: boolean;
  tagNumber: number;
  /** Offset of the identifier octet in the whole input. */
  offset: number;
  headerLength: number;
  /** Content length; for indefinite lengths, up to (not including) the end-of-contents octets. */
  length: number;
  indefinite: boolean;
  /** The whole input the node was read from. */
  input: Buffer;
  /** Offset just past the node, end-of-contents octets included. */
  end: number;
}

export const TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  ENUMERATED: 10,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  NUMERIC_STRING: 18,
  PRINTABLE_STRING: 19,
  TELETEX_STRING: 20,
  IA5_STRING: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  VISIBLE_STRING: 26,
  UNIVERSAL_STRING: 28,
  BMP_STRING: 30,
} as const;

function malformed(what: string, offset: number): MazeVaultError {
  return new MazeVaultError('MALFORMED', `The file is not valid ASN.1: ${what} at byte ${offset}.`);
}

function truncated(offset: number): MazeVaultError {
  return new MazeVaultError(
    'TRUNCATED',
    `The file ends too early: an element starting at byte ${offset} runs past the end. ` +
      'It was probably cut short while copying; get a complete copy.',
  );
}

/**
 * Reads the element starting at `offset`, not beyond `limit` (the parent's end). A length that
 * runs past the end of the whole input is TRUNCATED; one that only runs past its parent is
 * MALFORMED.
 */
export function readNode(input: Buffer, offset = 0, limit = input.length, depth = 0): Asn1Node {
  if (depth > MAX_DEPTH) throw malformed(`nesting deeper than ${MAX_DEPTH} levels`, offset);
  let pos = offset;
  if (pos >= limit) {
    throw pos >= input.length ? truncated(offset) : malformed('missing element', pos);
  }

  const first = input[pos++]!;
  const tagClass = (['universal', 'application', 'context', 'private'] as const)[first >> 6]!;
  const constructed = (first & 0x20) !== 0;
  let tagNumber = first & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    for (let i = 0; ; i++) {
      if (pos >= limit) throw pos >= input.length ? truncated(offset) : malformed('cut tag', pos);
      if (i >= 4) throw malformed('tag number too large', offset);
      const b = input[pos++]!;
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }

  if (pos >= limit) {
    throw pos >= input.length ? truncated(offset) : malformed('missing length', pos);
  }
  const lengthByte = input[pos++]!;
  let length = 0;
  let indefinite = false;
  if (lengthByte === 0x80) {
    if (!constructed) throw malformed('indefinite length on a primitive element', offset);
    indefinite = true;
  } else if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count > 4 || count === 0x7f) throw malformed('length field longer than 4 bytes', pos - 1);
    for (let i = 0; i < count; i++) {
      if (pos >= limit) {
        throw pos >= input.length ? truncated(offset) : malformed('cut length', pos);
      }
      length = length * 256 + input[pos++]!;
    }
  } else {
    length = lengthByte;
  }
  const headerLength = pos - offset;

  if (!indefinite) {
    const end = pos + length;
    if (end > limit) {
      if (end > input.length) throw truncated(offset);
      throw malformed(`element length ${length} runs past its enclosing element`, offset);
    }
    return {
      tagClass,
      constructed,
      tagNumber,
      offset,
      headerLength,
      length,
      indefinite,
      input,
      end,
    };
  }

  // Indefinite: walk the children until the end-of-contents octets 00 00.
  let cursor = pos;
  for (let count = 0; ; count++) {
    if (count > MAX_CHILDREN) throw malformed('too many elements', offset);
    if (cursor + 2 > limit) {
      throw cursor + 2 > input.length
        ? truncated(offset)
        : malformed('missing end-of-contents', cursor);
    }
    if (input[cursor] === 0 && input[cursor + 1] === 0) break;
    cursor = readNode(input, cursor, limit, depth + 1).end;
  }
  return {
    tagClass,
    constructed,
    tagNumber,
    offset,
    headerLength,
    length: cursor - pos,
    indefinite,
    input,
    end: cursor + 2,
  };
}

/** Parses a whole buffer as one element; trailing bytes are an error unless allowed. */
export function parseDer(input: Buffer, allowTrailing = false): Asn1Node {
  const node = readNode(input, 0, input.length, 0);
  if (!allowTrailing && node.end !== input.length) {
    throw malformed(`${input.length - node.end} unexpected bytes after the data`, node.end);
  }
  return node;
}

export function contentStart(node: Asn1Node): number {
  return node.offset + node.headerLength;
}

export function content(node: Asn1Node): Buffer {
  const start = contentStart(node);
  return node.input.subarray(start, start + node.length);
}

/** The element's bytes as they appear in the input, header included. */
export function encoded(node: Asn1Node): Buffer {
  return node.input.subarray(node.offset, node.end);
}

export function children(node: Asn1Node, depth = 0): Asn1Node[] {
  if (!node.constructed) throw malformed('expected a constructed element', node.offset);
  const out: Asn1Node[] = [];
  const limit = contentStart(node) + node.length;
  let cursor = contentStart(node);
  while (cursor < limit) {
    if (out.length >= MAX_CHILDREN) throw malformed('too many elements', node.offset);
    const child = readNode(node.input, cursor, limit, depth + 1);
    out.push(child);
    cursor = child.end;
  }
  return out;
}

export function is(
  node: Asn1Node | undefined,
  tagNumber: number,
  tagClass: TagClass = 'universal',
) {
  return node !== undefined && node.tagNumber === tagNumber && node.tagClass === tagClass;
}

export function describeTag(node: Asn1Node): string {
  if (node.tagClass === 'universal') {
    const name = Object.entries(TAG).find(([, n]) => n === node.tagNumber)?.[0];
    return name ?? `UNIVERSAL ${node.tagNumber}`;
  }
  return `[${node.tagClass === 'context' ? '' : node.tagClass.toUpperCase() + ' '}${node.tagNumber}]`;
}

/** Checks the tag and returns the node, or says what was expected where. */
export function expect(
  node: Asn1Node | undefined,
  tagNumber: number,
  what: string,
  tagClass: TagClass = 'universal',
): Asn1Node {
  if (node === undefined) {
    throw new MazeVaultError('MALFORMED', `The file is not valid ASN.1: ${what} is missing.`);
  }
  if (!is(node, tagNumber, tagClass)) {
    throw malformed(`expected ${what} but found ${describeTag(node)}`, node.offset);
  }
  return node;
}

/** Children of a constructed element with the expected tag. */
export function expectChildren(
  node: Asn1Node | undefined,
  tagNumber: number,
  what: string,
  tagClass: TagClass = 'universal',
): Asn1Node[] {
  return children(expect(node, tagNumber, what, tagClass));
}

export function readOid(node: Asn1Node): string {
  expect(node, TAG.OID, 'an object identifier');
  const bytes = content(node);
  if (bytes.length === 0 || bytes.length > 256) {
    throw malformed('bad object identifier', node.offset);
  }
  const arcs: bigint[] = [];
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    value = (value << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    } else if (i === bytes.length - 1) {
      throw malformed('object identifier ends mid-arc', node.offset);
    }
  }
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** INTEGER as a bigint (two's complement). */
export function readBigInt(node: Asn1Node): bigint {
  const bytes = content(expect(node, TAG.INTEGER, 'an INTEGER'));
  if (bytes.length === 0) throw malformed('empty INTEGER', node.offset);
  let value = BigInt('0x' + bytes.toString('hex'));
  if (bytes[0]! & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

/** A small non-negative INTEGER (versions, iteration counts, key lengths). */
export function readSmallInt(node: Asn1Node, what: string): number {
  const value = readBigInt(node);
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw malformed(`${what} out of range`, node.offset);
  }
  return Number(value);
}

/** The bytes of an OCTET STRING, joining the pieces of a BER constructed one. */
export function readOctets(node: Asn1Node, depth = 0): Buffer {
  expect(node, TAG.OCTET_STRING, 'an OCTET STRING');
  if (!node.constructed) return content(node);
  if (depth > MAX_DEPTH) throw malformed('nesting too deep', node.offset);
  return Buffer.concat(children(node).map((piece) => readOctets(piece, depth + 1)));
}

/** Content of an element with an IMPLICIT tag that stands for OCTET STRING. */
export function readImplicitOctets(node: Asn1Node): Buffer {
  if (!node.constructed) return content(node);
  return Buffer.concat(children(node).map((piece) => readOctets(piece)));
}

// ---- DER writing: just enough to rebuild PKCS#8 from traditional key forms ----

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function derTlv(identifier: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([identifier]), derLength(body.length), body]);
}

export function derSequence(...items: Buffer[]): Buffer {
  return derTlv(0x30, Buffer.concat(items));
}

export function derOid(oid: string): Buffer {
  const arcs = oid.split('.').map((a) => BigInt(a));
  const values = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  const bytes: number[] = [];
  for (const value of values) {
    const chunk: number[] = [Number(value & 0x7fn)];
    for (let v = value >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    bytes.push(...chunk);
  }
  return derTlv(0x06, Buffer.from(bytes));
}

export function derSmallInt(value: number): Buffer {
  return derTlv(0x02, Buffer.from([value]));
}

export const DER_NULL = Buffer.from([0x05, 0x00]);
