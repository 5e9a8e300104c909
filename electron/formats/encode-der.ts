// A small DER writer for the export codecs. We build containers around certificates, CRLs and keys
// that are already signed or encoded, and they must be embedded byte for byte (X.690 §10); a schema
// library re-encodes what it parses, so the writers assemble tag-length-value triples themselves.

/** X.690 §8.1.3: definite length, short form below 128, long form above. */
function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function sequence(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

/** X.690 §11.6: the elements of a DER SET OF are sorted by their encodings. */
export function setOf(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat([...items].sort(Buffer.compare)));
}

export function integer(value: number | Buffer): Buffer {
  let bytes: Buffer;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('integer out of range');
    const digits: number[] = [];
    for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) digits.unshift(rest & 0xff);
    bytes = Buffer.from(digits.length === 0 ? [0] : digits);
  } else {
    bytes = value;
  }
  // X.690 §8.3.2: a positive value whose top bit is set needs a leading zero octet.
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function octetString(content: Buffer): Buffer {
  return tlv(0x04, content);
}

export function nullValue(): Buffer {
  return Buffer.from([0x05, 0x00]);
}

/** X.690 §8.19: dotted decimal to base-128 subidentifiers, the first two folded together. */
export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map((arc) => Number.parseInt(arc, 10));
  const subidentifiers = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
  const bytes: number[] = [];
  for (const subidentifier of subidentifiers) {
    const group: number[] = [subidentifier & 0x7f];
    for (let rest = Math.floor(subidentifier / 128); rest > 0; rest = Math.floor(rest / 128)) {
      group.unshift((rest & 0x7f) | 0x80);
    }
    bytes.push(...group);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** BMPString: UCS-2 big-endian (X.680 §41), as PKCS#9 friendlyName requires. */
export function bmpString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf16le');
  bytes.swap16();
  return tlv(0x1e, bytes);
}

/** Context-specific constructed tag [n], used for EXPLICIT tags and IMPLICIT SET/SEQUENCE OF. */
export function contextConstructed(tagNumber: number, ...items: Buffer[]): Buffer {
  return tlv(0xa0 | tagNumber, Buffer.concat(items));
}

/** Context-specific primitive tag [n], an IMPLICIT OCTET STRING and the like. */
export function contextPrimitive(tagNumber: number, content: Buffer): Buffer {
  return tlv(0x80 | tagNumber, content);
}

export function algorithmIdentifier(oid: string, parameters?: Buffer): Buffer {
  return parameters === undefined
    ? sequence(objectIdentifier(oid))
    : sequence(objectIdentifier(oid), parameters);
}
