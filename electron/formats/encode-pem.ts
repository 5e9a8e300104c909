// PEM armour (RFC 7468) for everything we write as text: certificates, chains, CSRs, CRLs,
// PKCS#7 bundles and PKCS#8 keys.

/** RFC 7468 §2 labels of what the writers produce. */
export type PemLabel =
  | 'CERTIFICATE'
  | 'CERTIFICATE REQUEST'
  | 'X509 CRL'
  | 'PKCS7'
  | 'PRIVATE KEY'
  | 'ENCRYPTED PRIVATE KEY';

/** RFC 7468 §2: base64 in lines of exactly 64 characters, LF line ends, a final LF. */
export function toPem(label: PemLabel, der: Buffer): string {
  const base64 = der.toString('base64');
  const lines: string[] = [];
  for (let offset = 0; offset < base64.length; offset += 64) {
    lines.push(base64.slice(offset, offset + 64));
  }
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Several blocks one after the other, as servers expect a chain file: leaf first. */
export function toPemBundle(label: PemLabel, ders: readonly Buffer[]): string {
  return ders.map((der) => toPem(label, der)).join('');
}
