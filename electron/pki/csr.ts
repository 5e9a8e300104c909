// PKCS#10 certificate signing requests (RFC 2986): reading one an officer brings, checking its
// proof of possession, and building one for a key whose private half never leaves its store.
import { AsnConvert } from '@peculiar/asn1-schema';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import {
  Attribute,
  Extensions,
  id_ce_subjectAltName,
  Name,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
  type GeneralName,
} from '@peculiar/asn1-x509';
import { MazeVaultError } from '../../shared/errors';
import { formatDistinguishedName } from './names';
import { verifySignature } from './signature-algorithms';

const ID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';

export interface ParsedCsr {
  subject: Name;
  subjectText: string;
  /** SubjectPublicKeyInfo, DER. */
  spki: Buffer;
  /** subjectAltNames asked for in the extensionRequest attribute (RFC 2985 §5.4.2). */
  requestedSans: GeneralName[];
}

/** Accepts DER or PEM ("CERTIFICATE REQUEST" or the older "NEW CERTIFICATE REQUEST"). */
export function csrDer(bytes: Buffer): Buffer {
  const text = bytes.subarray(0, 64).toString('latin1');
  if (!text.includes('-----BEGIN')) return bytes;
  const match =
    /-----BEGIN (NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (NEW )?CERTIFICATE REQUEST-----/.exec(
      bytes.toString('latin1'),
    );
  if (!match) {
    throw new MazeVaultError(
      'MALFORMED',
      'The PEM file holds no CERTIFICATE REQUEST block; give a PKCS#10 CSR.',
    );
  }
  return Buffer.from(match[2]!.replace(/\s+/g, ''), 'base64');
}

/**
 * Reads a CSR and refuses it unless its signature verifies with the key it carries: that proves
 * the requester holds the private key (RFC 2986 §3, proof of possession).
 */
export function readVerifiedCsr(bytes: Buffer): ParsedCsr {
  const der = csrDer(bytes);
  let request: CertificationRequest;
  try {
    request = AsnConvert.parse(der, CertificationRequest);
  } catch {
    throw new MazeVaultError(
      'MALFORMED',
      'This is not a readable PKCS#10 certificate signing request.',
    );
  }
  const info = request.certificationRequestInfo;
  const spki = Buffer.from(AsnConvert.serialize(info.subjectPKInfo));
  const signed = Buffer.from(request.certificationRequestInfoRaw ?? AsnConvert.serialize(info));
  if (!verifySignature(spki, request.signatureAlgorithm, signed, Buffer.from(request.signature))) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      "The CSR's signature does not verify with its own public key: it was altered or made wrongly. " +
        'Ask the requester for a new CSR.',
    );
  }

  const requestedSans: GeneralName[] = [];
  for (const attribute of info.attributes) {
    if (attribute.type !== ID_EXTENSION_REQUEST) continue;
    for (const value of attribute.values) {
      for (const extension of AsnConvert.parse(value, Extensions)) {
        if (extension.extnID !== id_ce_subjectAltName) continue;
        requestedSans.push(...AsnConvert.parse(extension.extnValue.buffer, SubjectAlternativeName));
      }
    }
  }
  return {
    subject: info.subject,
    subjectText: formatDistinguishedName(info.subject),
    spki,
    requestedSans,
  };
}

/** The CertificationRequestInfo to sign for a new CSR, DER. */
export function buildCsrInfo(
  subject: Name,
  spki: Buffer,
  extensions: Extensions | undefined,
): Buffer {
  const attributes = new Attributes();
  if (extensions?.length) {
    attributes.push(
      new Attribute({ type: ID_EXTENSION_REQUEST, values: [AsnConvert.serialize(extensions)] }),
    );
  }
  const info = new CertificationRequestInfo({
    version: 0,
    subject,
    subjectPKInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
    attributes,
  });
  return Buffer.from(AsnConvert.serialize(info));
}
