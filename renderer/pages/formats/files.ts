// Files the officer names for import, inspect and validate: a path (picked in the system dialog or
// typed) or a file dropped on the window, whose bytes the main process reads instead.
import type { FileSource } from '../../../shared/bridge/formats-dto';

export interface ChosenFile {
  /** Stable key for lists; the path, or the dropped file's name and a counter. */
  key: string;
  name: string;
  source: FileSource;
}

let dropped = 0;

export function fromPath(path: string): ChosenFile {
  const trimmed = path.trim();
  return {
    key: `path:${trimmed}`,
    name: trimmed.split(/[\\/]/).at(-1) ?? trimmed,
    source: { kind: 'path', path: trimmed },
  };
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  const CHUNK = 0x8000;
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    text += String.fromCharCode(...bytes.subarray(offset, offset + CHUNK));
  }
  return btoa(text);
}

export async function fromDroppedFile(file: File): Promise<ChosenFile> {
  dropped += 1;
  const bytes = new Uint8Array(await file.arrayBuffer());
  return {
    key: `drop:${dropped}:${file.name}`,
    name: file.name,
    source: { kind: 'bytes', name: file.name || 'dropped file', base64: toBase64(bytes) },
  };
}

/** What the detector found, in words. */
export const DETECTED_FORMAT_LABELS: Record<string, string> = {
  pem: 'PEM text',
  'der-certificate': 'DER certificate',
  pkcs8: 'PKCS#8 private key',
  'pkcs8-encrypted': 'Encrypted PKCS#8 private key',
  pkcs1: 'Traditional (PKCS#1/DSA) private key',
  sec1: 'Traditional EC (SEC 1) private key',
  pkcs12: 'PKCS#12 key store',
  pkcs7: 'PKCS#7 bundle',
  csr: 'Certificate request (PKCS#10)',
  crl: 'Certificate revocation list',
  jks: 'Java KeyStore (JKS)',
  jceks: 'Java JCEKS key store',
  'public-key': 'Public key',
  bouncycastle: 'BouncyCastle key store',
  unknown: 'Not recognised',
};

/** "a1b2c3d4…" of a long hex fingerprint, for tables. */
export function shortHex(hex: string): string {
  const plain = hex.replace(/:/g, '').toUpperCase();
  return plain.length > 16 ? `${plain.slice(0, 16)}…` : plain;
}
