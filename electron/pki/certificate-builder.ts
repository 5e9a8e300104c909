// Builds the TBSCertificate and assembles a signed certificate around a signature made elsewhere
// (the KeyProvider seam), so the bytes that were signed are the bytes that are shipped.
import { randomBytes } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  Extensions,
  Name,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Time,
  Validity,
  Version,
  type Extension,
} from '@peculiar/asn1-x509';

/**
 * RFC 5280 §4.1.2.2: positive, at most 20 octets; CA/B Forum BR 7.1 wants 64+ bits of CSPRNG
 * output. 16 random octets with the top bit cleared (so DER needs no sign octet) and never zero.
 */
export function newSerialNumber(): Buffer {
  for (;;) {
    const serial = randomBytes(16);
    serial[0]! &= 0x7f;
    // A leading zero octet would be dropped by DER's minimal encoding; keep all 16 octets.
    if (serial[0] === 0) serial[0] = 0x01 + (serial[1]! % 0x7f);
    if (serial.some((octet) => octet !== 0)) return serial;
  }
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, UTC. */
export function certificateTime(date: Date): Time {
  const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return seconds.getUTCFullYear() >= 2050
    ? new Time({ generalTime: seconds })
    : new Time({ utcTime: seconds });
}

export interface TbsFields {
  serial: Buffer;
  signature: AlgorithmIdentifier;
  issuer: Name;
  subject: Name;
  notBefore: Date;
  notAfter: Date;
  spki: Buffer;
  extensions: Extension[];
}

export function buildTbsCertificate(fields: TbsFields): Buffer {
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: fields.serial.buffer.slice(
      fields.serial.byteOffset,
      fields.serial.byteOffset + fields.serial.byteLength,
    ) as ArrayBuffer,
    signature: fields.signature,
    issuer: fields.issuer,
    validity: new Validity(),
    subject: fields.subject,
    subjectPublicKeyInfo: AsnConvert.parse(fields.spki, SubjectPublicKeyInfo),
    extensions: new Extensions(fields.extensions),
  });
  tbs.validity.notBefore = certificateTime(fields.notBefore);
  tbs.validity.notAfter = certificateTime(fields.notAfter);
  return Buffer.from(AsnConvert.serialize(tbs));
}

/** X.690 §8.1.3 definite length. */
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest & 0xff);
  return Buffer.from([0x80 | octets.length, ...octets]);
}

function derTlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

/**
 * RFC 5280 §4.1 (Certificate) and RFC 2986 §4.2 (CertificationRequest) share one shape:
 * SEQUENCE { signed DER, AlgorithmIdentifier, BIT STRING signature }.
 */
export function assembleSigned(signedDer: Buffer, algorithmDer: Buffer, signature: Buffer): Buffer {
  const bitString = derTlv(0x03, Buffer.concat([Buffer.from([0]), signature]));
  return derTlv(0x30, Buffer.concat([signedDer, algorithmDer, bitString]));
}
