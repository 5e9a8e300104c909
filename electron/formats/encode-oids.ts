// Object identifiers the writers put into containers, named as the standards name them.

export const OID = {
  /** RFC 5652 §4, §5 */
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  encryptedData: '1.2.840.113549.1.7.6',
  /** RFC 8018 §A.2, §A.4, appendix B */
  pbkdf2: '1.2.840.113549.1.5.12',
  pbes2: '1.2.840.113549.1.5.13',
  hmacWithSHA1: '1.2.840.113549.2.7',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  /** RFC 8017 appendix A / NIST CSOR */
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  /** RFC 7292 appendix D */
  pbeWithSHAAnd3KeyTripleDESCBC: '1.2.840.113549.1.12.1.3',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  /** RFC 2985 §5.5.1, §5.5.2, and the certBag type of RFC 7292 §4.2.3 */
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  /** Oracle's attribute marking a PKCS#12 certificate as a Java trusted certificate entry. */
  oracleTrustedKeyUsage: '2.16.840.1.113894.746875.1.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
  /** Sun's proprietary key protectors of JKS and JCEKS. */
  sunJksKeyProtector: '1.3.6.1.4.1.42.2.17.1.1',
  sunPbeWithMD5AndTripleDES: '1.3.6.1.4.1.42.2.19.1',
} as const;
