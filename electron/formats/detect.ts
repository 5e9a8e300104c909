// Format detection from the bytes alone, never the file name: a ".jks" is often PKCS#12 (keytool's
// default since Java 9), a ".crt" may be PEM or DER, and a ".pem" may hold anything.
import { type FormatName } from './bundle';
import {
  type Asn1Node,
  TAG,
  children,
  content,
  encoded,
  is,
  readNode,
  readOid,
} from './decode-asn1';
import { looksLikePem } from './decode-pem';
import { traditionalKind } from './decode-keys';

/**
 * What a file is. Beyond the Bundle formats: a bare public key, a BouncyCastle BKS/UBER store
 * (recognised so the error can say so) and unknown. DSA "traditional" keys count as 'pkcs1':
 * both are OpenSSL's pre-PKCS#8 form.
 */
export type DetectedFormat = FormatName | 'public-key' | 'bouncycastle' | 'unknown';

const PKCS7_PREFIX = '1.2.840.113549.1.7.';

export function detectFormat(bytes: Buffer): DetectedFormat {
  if (bytes.length >= 4) {
    const magic = bytes.readUInt32BE(0);
    if (magic === 0xfeedfeed) return 'jks';
    if (magic === 0xcececece) return 'jceks';
    if ((magic === 1 || magic === 2) && looksLikeBouncyCastle(bytes)) return 'bouncycastle';
  }
  if (looksLikePem(bytes)) return 'pem';
  return classifyDer(bytes);
}

/** Classifies one DER/BER element by its structure. */
export function classifyDer(bytes: Buffer): DetectedFormat {
  let root: Asn1Node;
  let fields: Asn1Node[];
  try {
    root = readNode(bytes);
    if (!is(root, TAG.SEQUENCE)) return 'unknown';
    fields = children(root);
  } catch {
    return 'unknown';
  }
  try {
    return classifyFields(encoded(root), fields);
  } catch {
    return 'unknown';
  }
}

function classifyFields(der: Buffer, fields: Asn1Node[]): DetectedFormat {
  const [a, b, c] = fields;

  // PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData OPTIONAL } (RFC 7292 §4)
  if (is(a, TAG.INTEGER) && content(a!).equals(Buffer.from([3])) && is(b, TAG.SEQUENCE)) {
    const inner = children(b!);
    if (is(inner[0], TAG.OID) && readOid(inner[0]!).startsWith(PKCS7_PREFIX)) return 'pkcs12';
  }
  // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT } (RFC 5652 §3)
  if (is(a, TAG.OID) && readOid(a!).startsWith(PKCS7_PREFIX)) return 'pkcs7';

  // Certificate, CertificateList and CertificationRequest: SEQUENCE { tbs, algorithm, signature }.
  if (fields.length === 3 && is(a, TAG.SEQUENCE) && is(b, TAG.SEQUENCE) && is(c, TAG.BIT_STRING)) {
    return classifySigned(children(a!));
  }

  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }
  if (fields.length === 2 && is(a, TAG.SEQUENCE) && is(b, TAG.BIT_STRING)) return 'public-key';
  // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }
  if (fields.length === 2 && is(a, TAG.SEQUENCE) && is(b, TAG.OCTET_STRING)) {
    return 'pkcs8-encrypted';
  }
  // PrivateKeyInfo ::= SEQUENCE { version, privateKeyAlgorithm, privateKey OCTET STRING, ... }
  if (is(a, TAG.INTEGER) && is(b, TAG.SEQUENCE) && is(c, TAG.OCTET_STRING)) return 'pkcs8';
  // RSAPublicKey ::= SEQUENCE { modulus, publicExponent } (RFC 8017 §A.1.1)
  if (fields.length === 2 && is(a, TAG.INTEGER) && is(b, TAG.INTEGER)) return 'public-key';

  const traditional = traditionalKind(der);
  if (traditional === 'ec') return 'sec1';
  if (traditional) return 'pkcs1';
  return 'unknown';
}

function classifySigned(tbs: Asn1Node[]): DetectedFormat {
  // CertificationRequestInfo: version 0, subject Name, SPKI, [0] attributes (RFC 2986 §4.1).
  if (tbs.length === 4 && is(tbs[0], TAG.INTEGER) && is(tbs[3], 0, 'context')) return 'csr';

  // TBSCertList: version? , signature, issuer, thisUpdate Time, ... (RFC 5280 §5.1)
  const offset = is(tbs[0], TAG.INTEGER) ? 1 : 0;
  const time = tbs[offset + 2];
  if (is(time, TAG.UTC_TIME) || is(time, TAG.GENERALIZED_TIME)) return 'crl';

  // TBSCertificate: [0] version?, serial, signature, issuer, validity, subject, SPKI (§4.1)
  if (tbs.length >= 6) return 'der-certificate';
  return 'unknown';
}

/**
 * BKS and UBER (BouncyCastle) begin with a version (1 or 2), a salt length and a salt. We only
 * recognise them, to say what the file is instead of "unknown".
 */
function looksLikeBouncyCastle(bytes: Buffer): boolean {
  if (bytes.length < 12) return false;
  const saltLength = bytes.readUInt32BE(4);
  return saltLength > 0 && saltLength <= 64 && bytes.length > 8 + saltLength + 4;
}
