// Private keys in every form officers meet, normalised to plain PKCS#8 PrivateKeyInfo (RFC 5208,
// RFC 5958): PKCS#8 itself, EncryptedPrivateKeyInfo, and OpenSSL's "traditional" forms: PKCS#1
// RSA (RFC 8017 §A.1.2), SEC1 EC (RFC 5915) and DSA, plain or "Proc-Type: 4,ENCRYPTED".
import { MazeVaultError } from '../../shared/errors';
import {
  DER_NULL,
  TAG,
  children,
  content,
  derOid,
  derSequence,
  derSmallInt,
  derTlv,
  encoded,
  expect,
  expectChildren,
  is,
  parseDer,
  readOctets,
  readOid,
  readSmallInt,
} from './decode-asn1';
import { type CipherSpec, decrypt } from './decode-ciphers';
import { wrongFilePassword } from './decode-errors';
import { evpBytesToKey } from './decode-pbe-kdf';
import { checkPbeSupported, decryptPbe, passwordForms } from './decode-pbe';

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const DSA = '1.2.840.10040.4.1';

/** Checks PrivateKeyInfo's outer shape and returns its DER. Throws MALFORMED. */
export function checkPrivateKeyInfo(der: Buffer): Buffer {
  const root = parseDer(der);
  const [version, algorithm, key] = expectChildren(root, TAG.SEQUENCE, 'a PKCS#8 PrivateKeyInfo');
  const v = readSmallInt(expect(version, TAG.INTEGER, 'the PKCS#8 version'), 'version');
  if (v > 1) throw new MazeVaultError('MALFORMED', `PKCS#8 version ${v} is not defined.`);
  readOid(expectChildren(algorithm, TAG.SEQUENCE, 'the key algorithm')[0]!);
  expect(key, TAG.OCTET_STRING, 'the private key');
  return encoded(root);
}

/** Decrypts an EncryptedPrivateKeyInfo (RFC 5958 §3). */
export async function decryptPkcs8(der: Buffer, password: string | undefined): Promise<Buffer> {
  const [algorithm, data] = expectChildren(
    parseDer(der),
    TAG.SEQUENCE,
    'an EncryptedPrivateKeyInfo',
  );
  expect(algorithm, TAG.SEQUENCE, 'the encryption algorithm');
  checkPbeSupported(algorithm!);
  if (password === undefined) throw wrongFilePassword('encrypted private key', false);

  const ciphertext = readOctets(expect(data, TAG.OCTET_STRING, 'the encrypted key'));
  const plain = await decryptPbe(algorithm!, ciphertext, passwordForms(password));
  const key = plain && tryPrivateKeyInfo(plain);
  if (!key) throw wrongFilePassword('encrypted private key', true);
  return key;
}

function tryPrivateKeyInfo(bytes: Buffer): Buffer | undefined {
  try {
    return checkPrivateKeyInfo(bytes);
  } catch {
    return undefined;
  }
}

export function pkcs1ToPkcs8(der: Buffer): Buffer {
  const fields = expectChildren(parseDer(der), TAG.SEQUENCE, 'an RSA private key');
  if (fields.length < 9 || !fields.every((f) => is(f, TAG.INTEGER))) {
    throw new MazeVaultError(
      'MALFORMED',
      'The RSA private key does not have the nine PKCS#1 fields.',
    );
  }
  return privateKeyInfo(derSequence(derOid(RSA_ENCRYPTION), DER_NULL), der);
}

export function sec1ToPkcs8(der: Buffer): Buffer {
  const fields = expectChildren(parseDer(der), TAG.SEQUENCE, 'an EC private key');
  expect(fields[1], TAG.OCTET_STRING, 'the EC private key value');
  const params = fields.find((f) => is(f, 0, 'context'));
  if (!params) {
    throw new MazeVaultError(
      'MALFORMED',
      'The EC private key does not say which curve it is on; export it with its parameters.',
    );
  }
  const curve = children(params)[0]!;
  return privateKeyInfo(derSequence(derOid(EC_PUBLIC_KEY), encoded(curve)), der);
}

export function dsaToPkcs8(der: Buffer): Buffer {
  const fields = expectChildren(parseDer(der), TAG.SEQUENCE, 'a DSA private key');
  if (fields.length !== 6 || !fields.every((f) => is(f, TAG.INTEGER))) {
    throw new MazeVaultError('MALFORMED', 'The DSA private key does not have its six fields.');
  }
  const [, p, q, g, , x] = fields;
  const params = derSequence(encoded(p!), encoded(q!), encoded(g!));
  return privateKeyInfo(derSequence(derOid(DSA), params), encoded(x!));
}

function privateKeyInfo(algorithm: Buffer, key: Buffer): Buffer {
  return derSequence(derSmallInt(0), algorithm, derTlv(0x04, key));
}

/** Which traditional form a DER key is, from its shape. */
export function traditionalKind(der: Buffer): 'rsa' | 'ec' | 'dsa' | undefined {
  try {
    const fields = children(parseDer(der));
    if (fields.length >= 9 && fields.every((f) => is(f, TAG.INTEGER))) return 'rsa';
    if (fields.length === 6 && fields.every((f) => is(f, TAG.INTEGER))) return 'dsa';
    if (is(fields[0], TAG.INTEGER) && content(fields[0]!).equals(Buffer.from([1]))) {
      if (is(fields[1], TAG.OCTET_STRING)) return 'ec';
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export function traditionalToPkcs8(der: Buffer, kind: 'rsa' | 'ec' | 'dsa'): Buffer {
  if (kind === 'rsa') return pkcs1ToPkcs8(der);
  if (kind === 'ec') return sec1ToPkcs8(der);
  return dsaToPkcs8(der);
}

const PEM_CIPHERS: Record<string, CipherSpec> = {
  'AES-128-CBC': { name: 'aes-128-cbc', keyLength: 16, ivLength: 16 },
  'AES-192-CBC': { name: 'aes-192-cbc', keyLength: 24, ivLength: 16 },
  'AES-256-CBC': { name: 'aes-256-cbc', keyLength: 32, ivLength: 16 },
  'CAMELLIA-128-CBC': { name: 'camellia-128-cbc', keyLength: 16, ivLength: 16 },
  'CAMELLIA-192-CBC': { name: 'camellia-192-cbc', keyLength: 24, ivLength: 16 },
  'CAMELLIA-256-CBC': { name: 'camellia-256-cbc', keyLength: 32, ivLength: 16 },
  'ARIA-128-CBC': { name: 'aria-128-cbc', keyLength: 16, ivLength: 16 },
  'ARIA-192-CBC': { name: 'aria-192-cbc', keyLength: 24, ivLength: 16 },
  'ARIA-256-CBC': { name: 'aria-256-cbc', keyLength: 32, ivLength: 16 },
  'DES-EDE3-CBC': { name: 'des-ede3-cbc', keyLength: 24, ivLength: 8 },
  'DES-CBC': { name: 'des-cbc', keyLength: 8, ivLength: 8 },
};

/** Decrypts an OpenSSL "Proc-Type: 4,ENCRYPTED" PEM body (RFC 1421 §4.6.1.3 headers). */
export function decryptTraditionalPem(
  body: Buffer,
  dekInfo: string | undefined,
  password: string | undefined,
): Buffer {
  const [cipherName = '', ivHex = ''] = (dekInfo ?? '').split(',').map((s) => s.trim());
  const cipher = PEM_CIPHERS[cipherName.toUpperCase()];
  if (!cipher) {
    throw new MazeVaultError(
      'UNSUPPORTED',
      `This PEM key is encrypted with "${cipherName || 'an unnamed cipher'}", which MazeVault ` +
        'cannot decrypt. Convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`.',
    );
  }
  const iv = Buffer.from(ivHex, 'hex');
  if (iv.length !== cipher.ivLength || !/^[0-9a-fA-F]+$/.test(ivHex)) {
    throw new MazeVaultError('MALFORMED', 'The DEK-Info header of this PEM key has a bad IV.');
  }
  if (password === undefined) throw wrongFilePassword('encrypted PEM key', false);

  const key = evpBytesToKey(Buffer.from(password, 'utf8'), iv.subarray(0, 8), cipher.keyLength);
  const plain = decrypt(cipher, key, iv, body);
  if (!plain || !traditionalKind(plain)) throw wrongFilePassword('encrypted PEM key', true);
  return plain;
}
