// DER for CRLs (RFC 5280 §5.1), written by hand rather than through an ASN.1 object model: a CRL
// of 100,000 entries is built entry by entry into small buffers, in chunks the caller can spread
// over several turns of the event loop.
import { MazeVaultError } from '../../shared/errors';
import { REVOCATION_REASON_CODES, type RevocationReason } from '../../shared/revocation-reasons';

/** X.690 §8.1.3 definite length. */
function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest & 0xff);
  return Buffer.from([0x80 | octets.length, ...octets]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthOctets(content.length), content]);
}

/** A SEQUENCE around parts already encoded, without concatenating them twice. */
export function sequenceOf(parts: readonly Buffer[], tag = 0x30): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  return Buffer.concat([Buffer.from([tag]), lengthOctets(length), ...parts]);
}

/** A non-negative INTEGER from its magnitude in hex (a serial as the inventory stores it). */
export function unsignedInteger(hex: string): Buffer {
  if (!/^[0-9a-f]+$/i.test(hex)) {
    throw new MazeVaultError(
      'RECORD_DAMAGED',
      `The serial number "${hex}" in the vault is not hexadecimal.`,
    );
  }
  let bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  bytes = bytes.subarray(start);
  // X.690 §8.3.2: a leading 1 bit would make it negative, so a zero octet goes in front.
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function integerOf(value: number): Buffer {
  return unsignedInteger(value.toString(16));
}

const two = (n: number) => String(n).padStart(2, '0');

function timeDigits(date: Date, fullYear: boolean): string {
  const year = date.getUTCFullYear();
  return (
    (fullYear ? String(year).padStart(4, '0') : two(year % 100)) +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    'Z'
  );
}

export function generalizedTime(date: Date): Buffer {
  return tlv(0x18, Buffer.from(timeDigits(date, true), 'ascii'));
}

/** RFC 5280 §5.1.2.4–5.1.2.6: UTCTime through 2049, GeneralizedTime from 2050. */
export function crlTime(date: Date): Buffer {
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(timeDigits(date, false), 'ascii'));
  return generalizedTime(date);
}

// OIDs in their DER form (X.690 §8.19), fixed so the hot loop encodes nothing twice.
const OID_REASON_CODE = Buffer.from('0603551d15', 'hex'); // 2.5.29.21
const OID_INVALIDITY_DATE = Buffer.from('0603551d18', 'hex'); // 2.5.29.24
const OID_CRL_NUMBER = Buffer.from('0603551d14', 'hex'); // 2.5.29.20
const OID_DELTA_CRL_INDICATOR = Buffer.from('0603551d1b', 'hex'); // 2.5.29.27
const OID_AUTHORITY_KEY_IDENTIFIER = Buffer.from('0603551d23', 'hex'); // 2.5.29.35
const BOOLEAN_TRUE = Buffer.from('0101ff', 'hex');

function extension(oid: Buffer, critical: boolean, value: Buffer): Buffer {
  return sequenceOf(critical ? [oid, BOOLEAN_TRUE, tlv(0x04, value)] : [oid, tlv(0x04, value)]);
}

/** Reason codes are the same few bytes for every entry with that reason; encode each once. */
const REASON_EXTENSIONS = new Map<RevocationReason, Buffer>(
  Object.entries(REVOCATION_REASON_CODES).map(([reason, code]) => [
    reason as RevocationReason,
    extension(OID_REASON_CODE, false, tlv(0x0a, Buffer.from([code]))),
  ]),
);

export interface CrlEntry {
  serialHex: string;
  revokedAt: Date;
  reason: RevocationReason | null;
  invalidityDate: Date | null;
}

/**
 * One revokedCertificates entry. RFC 5280 §5.3.1: the reasonCode SHOULD be absent rather than
 * "unspecified"; §5.3.2: the invalidity date is always a GeneralizedTime.
 */
export function encodeEntry(entry: CrlEntry): Buffer {
  const parts = [unsignedInteger(entry.serialHex), crlTime(entry.revokedAt)];
  const extensions: Buffer[] = [];
  if (entry.reason && entry.reason !== 'unspecified') {
    extensions.push(REASON_EXTENSIONS.get(entry.reason)!);
  }
  if (entry.invalidityDate) {
    extensions.push(extension(OID_INVALIDITY_DATE, false, generalizedTime(entry.invalidityDate)));
  }
  if (extensions.length) parts.push(sequenceOf(extensions));
  return sequenceOf(parts);
}

export interface CrlExtensionsInput {
  authorityKeyIdentifier: Buffer;
  crlNumber: number;
  /** Set for a delta CRL: the CRL number of its base (RFC 5280 §5.2.4, critical). */
  baseCrlNumber?: number;
}

/** crlExtensions, [0] EXPLICIT: AKI (§5.2.1), CRL number (§5.2.3), delta CRL indicator (§5.2.4). */
export function encodeCrlExtensions(input: CrlExtensionsInput): Buffer {
  const aki = sequenceOf([tlv(0x80, input.authorityKeyIdentifier)]);
  const extensions = [
    extension(OID_AUTHORITY_KEY_IDENTIFIER, false, aki),
    extension(OID_CRL_NUMBER, false, integerOf(input.crlNumber)),
  ];
  if (input.baseCrlNumber !== undefined) {
    extensions.push(extension(OID_DELTA_CRL_INDICATOR, true, integerOf(input.baseCrlNumber)));
  }
  return tlv(0xa0, sequenceOf(extensions));
}

export interface TbsCertListInput {
  signatureAlgorithm: Buffer;
  issuerName: Buffer;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Entries already encoded (encodeEntry), in any order. */
  entries: readonly Buffer[];
  extensions: Buffer;
}

/** TBSCertList, v2 because it carries extensions (RFC 5280 §5.1.2.1). */
export function encodeTbsCertList(input: TbsCertListInput): Buffer {
  const parts = [
    integerOf(1),
    input.signatureAlgorithm,
    input.issuerName,
    crlTime(input.thisUpdate),
    crlTime(input.nextUpdate),
  ];
  // §5.1.2.6: with no revoked certificates the list is absent, not empty.
  if (input.entries.length) parts.push(sequenceOf(input.entries));
  parts.push(input.extensions);
  return sequenceOf(parts);
}
