// The import entry point: any file an officer is handed, detected from its bytes and decoded to a
// Bundle with private keys as plain PKCS#8. Every failure is a MazeVaultError whose code says
// what kind of problem it is (WRONG_PASSWORD, UNSUPPORTED, MALFORMED, TRUNCATED).
import { MazeVaultError } from '../../shared/errors';
import { type Bundle, emptyBundle } from './bundle';
import { parseDer } from './decode-asn1';
import { decodeJks } from './decode-jks';
import {
  checkPrivateKeyInfo,
  decryptPkcs8,
  decryptTraditionalPem,
  traditionalKind,
  traditionalToPkcs8,
} from './decode-keys';
import { pairKeysWithCertificates } from './decode-pairing';
import { type PemBlock, parsePem } from './decode-pem';
import { decodePkcs12 } from './decode-pkcs12';
import { decodePkcs7 } from './decode-pkcs7';
import { classifyDer, detectFormat } from './detect';

export interface DecodeSecrets {
  /** The file's password: PKCS#12, JKS/JCEKS store, encrypted PEM or PKCS#8. */
  password?: string;
  /** Per-alias key passwords for JKS/JCEKS entries whose password differs from the store's. */
  keyPasswords?: Record<string, string>;
}

/** Larger than any key store or bundle an officer handles; a CRL of a million entries is ~40 MiB. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export async function decode(bytes: Buffer, secrets: DecodeSecrets = {}): Promise<Bundle> {
  if (bytes.length === 0) throw new MazeVaultError('TRUNCATED', 'The file is empty.');
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new MazeVaultError(
      'UNSUPPORTED',
      `The file is ${bytes.length} bytes, above the ${MAX_INPUT_BYTES} MazeVault reads at once.`,
    );
  }

  const format = detectFormat(bytes);
  let bundle: Bundle;
  switch (format) {
    case 'jks':
    case 'jceks':
      return decodeJks(bytes, secrets);
    case 'bouncycastle':
      throw new MazeVaultError(
        'UNSUPPORTED',
        'This looks like a BouncyCastle BKS or UBER key store, which MazeVault does not read. ' +
          'Convert it to PKCS#12 with keytool -importkeystore -providerclass ' +
          'org.bouncycastle.jce.provider.BouncyCastleProvider.',
      );
    case 'pem':
      bundle = await decodePemText(bytes, secrets.password);
      break;
    case 'pkcs12':
      bundle = await decodePkcs12(bytes, secrets.password);
      break;
    case 'public-key':
      throw onlyPublicKey();
    case 'unknown':
      throw unknownFormat(bytes);
    default:
      bundle = emptyBundle(format);
      await decodeDerItem(bytes, format, bundle, secrets.password);
  }
  pairKeysWithCertificates(bundle);
  return bundle;
}

async function decodeDerItem(
  der: Buffer,
  kind: ReturnType<typeof classifyDer>,
  bundle: Bundle,
  password: string | undefined,
): Promise<void> {
  switch (kind) {
    case 'der-certificate':
      bundle.certificates.push({ der: Buffer.from(strictDer(der, 'certificate', bundle)) });
      return;
    case 'crl':
      bundle.crls.push(Buffer.from(strictDer(der, 'CRL', bundle)));
      return;
    case 'csr':
      bundle.csrs.push(Buffer.from(strictDer(der, 'certificate request', bundle)));
      return;
    case 'pkcs7':
      decodePkcs7(der, bundle);
      return;
    case 'pkcs8':
      bundle.privateKeys.push({ pkcs8: Buffer.from(checkPrivateKeyInfo(der)) });
      return;
    case 'pkcs8-encrypted':
      bundle.privateKeys.push({ pkcs8: Buffer.from(await decryptPkcs8(der, password)) });
      return;
    case 'pkcs1':
    case 'sec1': {
      const traditional = traditionalKind(der);
      if (!traditional) throw unknownFormat(der);
      bundle.privateKeys.push({ pkcs8: traditionalToPkcs8(der, traditional) });
      return;
    }
    case 'public-key':
      throw onlyPublicKey();
    default:
      throw unknownFormat(der);
  }
}

/** The element without trailing bytes; trailing bytes are noted, not fatal (tools append newlines). */
function strictDer(der: Buffer, what: string, bundle: Bundle): Buffer {
  const root = parseDer(der, true);
  if (root.end < der.length) {
    bundle.warnings.push(`${der.length - root.end} bytes after the ${what} were ignored.`);
  }
  return der.subarray(0, root.end);
}

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const IGNORED_LABELS = new Set([
  'EC PARAMETERS',
  'DSA PARAMETERS',
  'DH PARAMETERS',
  'X9.42 DH PARAMETERS',
]);
const PUBLIC_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY', 'DSA PUBLIC KEY']);
const TRADITIONAL_LABELS: Record<string, 'rsa' | 'ec' | 'dsa'> = {
  'RSA PRIVATE KEY': 'rsa',
  'EC PRIVATE KEY': 'ec',
  'DSA PRIVATE KEY': 'dsa',
};

async function decodePemText(bytes: Buffer, password: string | undefined): Promise<Bundle> {
  const bundle = emptyBundle('pem');
  let publicKeys = 0;
  let parameters = 0;
  const damaged: MazeVaultError[] = [];

  for (const block of parsePem(bytes)) {
    if (PUBLIC_LABELS.has(block.label)) {
      publicKeys++;
      continue;
    }
    if (IGNORED_LABELS.has(block.label)) {
      parameters++;
      continue;
    }
    try {
      await decodePemBlock(block, bundle, password);
    } catch (error) {
      // A damaged block among good ones (text pasted around a certificate) is skipped and
      // reported; passwords and unsupported algorithms still stop the import.
      const located = locate(error, block);
      if (!isDamage(located)) throw located;
      damaged.push(located);
      bundle.warnings.push(`Skipped: ${located.message}`);
    }
  }

  const empty =
    bundle.certificates.length +
      bundle.privateKeys.length +
      bundle.crls.length +
      bundle.csrs.length ===
    0;
  if (empty && damaged.length > 0) throw damaged[0];
  if (empty && publicKeys > 0) throw onlyPublicKey();
  if (empty && parameters > 0) {
    throw new MazeVaultError(
      'UNSUPPORTED',
      'This file holds only algorithm parameters, no key or certificate: nothing to import.',
    );
  }
  if (publicKeys > 0) bundle.warnings.push(`${publicKeys} bare public keys were skipped.`);
  return bundle;
}

async function decodePemBlock(block: PemBlock, bundle: Bundle, password: string | undefined) {
  const { label, der } = block;
  if (CERTIFICATE_LABELS.has(label)) {
    // OpenSSL's TRUSTED CERTIFICATE appends trust settings after the certificate.
    const cert = label === 'TRUSTED CERTIFICATE' ? der.subarray(0, parseDer(der, true).end) : der;
    if (classifyDer(cert) !== 'der-certificate') throw notWhatItSays(label);
    return decodeDerItem(cert, 'der-certificate', bundle, password);
  }
  if (label === 'CERTIFICATE REQUEST' || label === 'NEW CERTIFICATE REQUEST') {
    return decodeDerItem(der, 'csr', bundle, password);
  }
  if (label === 'X509 CRL') return decodeDerItem(der, 'crl', bundle, password);
  if (label === 'PKCS7' || label === 'CMS') return decodeDerItem(der, 'pkcs7', bundle, password);
  if (label === 'PRIVATE KEY') return decodeDerItem(der, 'pkcs8', bundle, password);
  if (label === 'ENCRYPTED PRIVATE KEY') {
    return decodeDerItem(der, 'pkcs8-encrypted', bundle, password);
  }

  const traditional = TRADITIONAL_LABELS[label];
  if (traditional) {
    const encrypted = /ENCRYPTED/i.test(block.headers['Proc-Type'] ?? '');
    const plain = encrypted ? decryptTraditionalPem(der, block.headers['DEK-Info'], password) : der;
    if (traditionalKind(plain) !== traditional) throw notWhatItSays(label);
    bundle.privateKeys.push({ pkcs8: traditionalToPkcs8(plain, traditional) });
    return undefined;
  }
  bundle.warnings.push(`A PEM block "${label}" was skipped: MazeVault does not import it.`);
  return undefined;
}

function isDamage(error: unknown): error is MazeVaultError {
  return (
    error instanceof MazeVaultError && (error.code === 'MALFORMED' || error.code === 'TRUNCATED')
  );
}

function notWhatItSays(label: string): MazeVaultError {
  return new MazeVaultError('MALFORMED', `The content does not match its label "${label}".`);
}

/** Adds which PEM block failed to MALFORMED and TRUNCATED messages (offsets are inside it). */
function locate(error: unknown, block: PemBlock): unknown {
  if (!(error instanceof MazeVaultError)) return error;
  if (error.code !== 'MALFORMED' && error.code !== 'TRUNCATED') return error;
  return new MazeVaultError(
    error.code,
    `In the PEM block "${block.label}" at byte ${block.offset} (offsets within its decoded ` +
      `content): ${error.message}`,
    { cause: error },
  );
}

function onlyPublicKey(): MazeVaultError {
  return new MazeVaultError(
    'UNSUPPORTED',
    'This file holds only a public key, which MazeVault does not import on its own. Import the ' +
      'certificate that carries it, or inspect the file instead.',
  );
}

/** Explains an unknown file as precisely as possible: its ASN.1 error if it has one. */
function unknownFormat(bytes: Buffer): MazeVaultError {
  if (bytes[0] === 0x30) parseDer(bytes);
  const text = bytes.subarray(0, 64).toString('latin1');
  const printable = [...text].every(
    (c) => c === '\t' || c === '\n' || c === '\r' || (c >= ' ' && c <= '~'),
  );
  return new MazeVaultError(
    'MALFORMED',
    printable
      ? 'The file is text without any PEM block ("-----BEGIN …-----"): it holds no certificate or key.'
      : `The file is not a certificate, key, CRL, CSR, PKCS#7, PKCS#12 or Java key store (it ` +
          `starts with bytes ${bytes.subarray(0, 4).toString('hex')}).`,
  );
}
