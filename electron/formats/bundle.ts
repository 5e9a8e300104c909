// What every codec decodes to and encodes from. Private keys travel as plain PKCS#8 DER inside
// the main process only; they never cross to the window and are sealed before they are stored.

export const FORMAT_NAMES = [
  'pem',
  'der-certificate',
  'pkcs8',
  'pkcs8-encrypted',
  'pkcs1',
  'sec1',
  'pkcs12',
  'pkcs7',
  'csr',
  'crl',
  'jks',
  'jceks',
] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export interface BundleCertificate {
  der: Buffer;
  friendlyName?: string;
  /** Hex of the PKCS#12 localKeyId attribute, when present. */
  localKeyId?: string;
  /** JKS/JCEKS alias or PKCS#12 friendly name under which the keystore held it. */
  alias?: string;
}

export interface BundlePrivateKey {
  /** Unencrypted PKCS#8 PrivateKeyInfo, DER. */
  pkcs8: Buffer;
  friendlyName?: string;
  localKeyId?: string;
  alias?: string;
  /** Certificates of this key, leaf first, when the container pairs them (PKCS#12, JKS). */
  chain?: Buffer[];
}

export interface Bundle {
  format: FormatName;
  certificates: BundleCertificate[];
  privateKeys: BundlePrivateKey[];
  crls: Buffer[];
  csrs: Buffer[];
  /** Things the officer should know that did not stop decoding (no MAC, legacy cipher…). */
  warnings: string[];
}

export function emptyBundle(format: FormatName): Bundle {
  return { format, certificates: [], privateKeys: [], crls: [], csrs: [], warnings: [] };
}
