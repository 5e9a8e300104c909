// Password-based decryption by AlgorithmIdentifier: PBES2 (RFC 8018 §6.2) with PBKDF2 or scrypt,
// the PKCS#5 v1.5 PBES1 schemes (RFC 8018 §6.1) and the PKCS#12 PBE schemes (RFC 7292
// Appendix C). An algorithm we cannot run is UNSUPPORTED and named, before any password is
// tried, so the officer is never told "wrong password" for a cipher we lack.
import { MazeVaultError } from '../../shared/errors';
import {
  type Asn1Node,
  TAG,
  children,
  content,
  expect,
  is,
  readOctets,
  readOid,
  readSmallInt,
} from './decode-asn1';
import { type CipherSpec, decrypt } from './decode-ciphers';
import {
  type HashName,
  bmpPassword,
  pbkdf1,
  pbkdf2Async,
  pkcs12Kdf,
  scryptAsync,
} from './decode-pbe-kdf';

/** One password in the encodings the schemes need. */
export interface PasswordForms {
  /** UTF-8 bytes: PBES2 and PBES1 (what OpenSSL, Java and Windows feed PBKDF2). */
  utf8: Buffer;
  /** BMPString with terminator: the PKCS#12 KDF; empty passwords may also be zero-length. */
  bmp: Buffer;
}

export function passwordForms(password: string, emptyBmpIsZeroLength = false): PasswordForms {
  return {
    utf8: Buffer.from(password, 'utf8'),
    bmp: password === '' && emptyBmpIsZeroLength ? Buffer.alloc(0) : bmpPassword(password),
  };
}

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const SCRYPT = '1.3.6.1.4.1.11591.4.11';

const PRFS: Record<string, HashName> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
  '1.2.840.113549.2.12': 'sha512-224',
  '1.2.840.113549.2.13': 'sha512-256',
};

const PBES2_CIPHERS: Record<string, CipherSpec> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16, ivLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24, ivLength: 16 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32, ivLength: 16 },
  // RFC 3657 §2.1 (Camellia) and RFC 5794 §3 (ARIA): openssl pkcs8 -v2 camellia-256-cbc, aria-…
  '1.2.392.200011.61.1.1.1.2': { name: 'camellia-128-cbc', keyLength: 16, ivLength: 16 },
  '1.2.392.200011.61.1.1.1.3': { name: 'camellia-192-cbc', keyLength: 24, ivLength: 16 },
  '1.2.392.200011.61.1.1.1.4': { name: 'camellia-256-cbc', keyLength: 32, ivLength: 16 },
  '1.2.410.200046.1.1.2': { name: 'aria-128-cbc', keyLength: 16, ivLength: 16 },
  '1.2.410.200046.1.1.7': { name: 'aria-192-cbc', keyLength: 24, ivLength: 16 },
  '1.2.410.200046.1.1.12': { name: 'aria-256-cbc', keyLength: 32, ivLength: 16 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24, ivLength: 8 },
  '1.3.14.3.2.7': { name: 'des-cbc', keyLength: 8, ivLength: 8 },
  '1.2.840.113549.3.2': { name: 'rc2-cbc', keyLength: 16, ivLength: 8 },
};

const PBES1: Record<string, { hash: HashName | 'md2'; cipher: CipherSpec; name: string }> = {
  '1.2.840.113549.1.5.1': { hash: 'md2', cipher: des(), name: 'pbeWithMD2AndDES-CBC' },
  '1.2.840.113549.1.5.4': { hash: 'md2', cipher: rc2(64), name: 'pbeWithMD2AndRC2-CBC' },
  '1.2.840.113549.1.5.3': { hash: 'md5', cipher: des(), name: 'pbeWithMD5AndDES-CBC' },
  '1.2.840.113549.1.5.6': { hash: 'md5', cipher: rc2(64), name: 'pbeWithMD5AndRC2-CBC' },
  '1.2.840.113549.1.5.10': { hash: 'sha1', cipher: des(), name: 'pbeWithSHA1AndDES-CBC' },
  '1.2.840.113549.1.5.11': { hash: 'sha1', cipher: rc2(64), name: 'pbeWithSHA1AndRC2-CBC' },
};

const PKCS12_PBE: Record<string, { cipher: CipherSpec; name: string }> = {
  '1.2.840.113549.1.12.1.1': {
    cipher: { name: 'rc4', keyLength: 16, ivLength: 0 },
    name: 'pbeWithSHAAnd128BitRC4',
  },
  '1.2.840.113549.1.12.1.2': {
    cipher: { name: 'rc4', keyLength: 5, ivLength: 0 },
    name: 'pbeWithSHAAnd40BitRC4',
  },
  '1.2.840.113549.1.12.1.3': {
    cipher: { name: 'des-ede3-cbc', keyLength: 24, ivLength: 8 },
    name: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
  },
  '1.2.840.113549.1.12.1.4': {
    cipher: { name: 'des-ede-cbc', keyLength: 16, ivLength: 8 },
    name: 'pbeWithSHAAnd2-KeyTripleDES-CBC',
  },
  '1.2.840.113549.1.12.1.5': {
    cipher: { name: 'rc2-cbc', keyLength: 16, ivLength: 8, effectiveBits: 128 },
    name: 'pbeWithSHAAnd128BitRC2-CBC',
  },
  '1.2.840.113549.1.12.1.6': {
    cipher: { name: 'rc2-cbc', keyLength: 5, ivLength: 8, effectiveBits: 40 },
    name: 'pbeWithSHAAnd40BitRC2-CBC',
  },
};

function des(): CipherSpec {
  return { name: 'des-cbc', keyLength: 8, ivLength: 8 };
}

function rc2(bits: number): CipherSpec {
  return { name: 'rc2-cbc', keyLength: 8, ivLength: 8, effectiveBits: bits };
}

/** Human name of a password-based encryption scheme, for messages and the inspector. */
export function pbeName(algorithm: Asn1Node): string {
  try {
    const [oidNode, params] = children(algorithm);
    const oid = readOid(expect(oidNode, TAG.OID, 'algorithm'));
    if (oid === PBES2 && params) {
      const [kdf, scheme] = children(params);
      const kdfOid = readOid(children(kdf!)[0]!);
      const cipherOid = readOid(children(scheme!)[0]!);
      const kdfName = kdfOid === SCRYPT ? 'scrypt' : kdfOid === PBKDF2 ? 'PBKDF2' : kdfOid;
      return `PBES2 (${kdfName}, ${PBES2_CIPHERS[cipherOid]?.name ?? cipherOid})`;
    }
    return PBES1[oid]?.name ?? PKCS12_PBE[oid]?.name ?? oid;
  } catch {
    return 'an unreadable algorithm';
  }
}

function unsupported(what: string): MazeVaultError {
  return new MazeVaultError(
    'UNSUPPORTED',
    `This file is encrypted with ${what}, which MazeVault cannot decrypt. Re-export it with ` +
      'PBES2 and AES-256-CBC (for example `openssl pkcs8 -topk8 -v2 aes-256-cbc`).',
  );
}

/** Checks that MazeVault can run the scheme, without deriving anything. Throws UNSUPPORTED. */
export function checkPbeSupported(algorithm: Asn1Node): void {
  const [oidNode, params] = children(expect(algorithm, TAG.SEQUENCE, 'an AlgorithmIdentifier'));
  const oid = readOid(expect(oidNode, TAG.OID, 'an algorithm OID'));
  if (oid === PBES2) {
    const [kdf, scheme] = children(expect(params, TAG.SEQUENCE, 'PBES2 parameters'));
    const kdfOid = readOid(children(expect(kdf, TAG.SEQUENCE, 'the PBES2 KDF'))[0]!);
    if (kdfOid !== PBKDF2 && kdfOid !== SCRYPT) unsupportedThrow(`the key derivation ${kdfOid}`);
    const cipherOid = readOid(children(expect(scheme, TAG.SEQUENCE, 'the PBES2 cipher'))[0]!);
    if (!PBES2_CIPHERS[cipherOid]) throw unsupported(`PBES2 with the cipher ${cipherOid}`);
    if (kdfOid === PBKDF2) prfOf(children(kdf!)[1]!);
    return;
  }
  const v15 = PBES1[oid];
  if (v15) {
    if (v15.hash === 'md2') throw unsupported(`${v15.name} (MD2 is broken and unavailable)`);
    return;
  }
  if (PKCS12_PBE[oid]) return;
  throw unsupported(`the algorithm ${oid}`);
}

function unsupportedThrow(what: string): never {
  throw unsupported(what);
}

function prfOf(params: Asn1Node): HashName {
  // PBKDF2-params: salt, iterationCount, keyLength OPTIONAL, prf DEFAULT hmacWithSHA1.
  const prf = children(params).find((node) => is(node, TAG.SEQUENCE));
  if (!prf) return 'sha1';
  const oid = readOid(children(prf)[0]!);
  const hash = PRFS[oid];
  if (!hash) throw unsupported(`PBKDF2 with the PRF ${oid}`);
  return hash;
}

/**
 * Decrypts `ciphertext` with the scheme named by `algorithm`. Returns undefined when the
 * padding does not check out (the password is wrong); throws UNSUPPORTED or MALFORMED.
 */
export async function decryptPbe(
  algorithm: Asn1Node,
  ciphertext: Buffer,
  password: PasswordForms,
): Promise<Buffer | undefined> {
  checkPbeSupported(algorithm);
  const [oidNode, params] = children(algorithm);
  const oid = readOid(oidNode!);

  if (oid === PBES2) {
    const [kdf, scheme] = children(params!);
    const [cipherOidNode, ivNode] = children(scheme!);
    const cipher = { ...PBES2_CIPHERS[readOid(cipherOidNode!)]! };
    const iv = cipherIv(cipher, ivNode);
    const key = await deriveForPbes2(kdf!, password.utf8, cipher);
    if (iv.length !== cipher.ivLength) {
      throw new MazeVaultError('MALFORMED', `The IV of ${cipher.name} has the wrong length.`);
    }
    return decrypt(cipher, key, iv, ciphertext);
  }

  const [saltNode, iterationsNode] = children(expect(params, TAG.SEQUENCE, 'PBE parameters'));
  const salt = readOctets(expect(saltNode, TAG.OCTET_STRING, 'the PBE salt'));
  const iterations = readSmallInt(
    expect(iterationsNode, TAG.INTEGER, 'the iteration count'),
    'iterations',
  );

  const v15 = PBES1[oid];
  if (v15) {
    const derived = await pbkdf1(password.utf8, salt, iterations, v15.hash as HashName);
    return decrypt(v15.cipher, derived.subarray(0, 8), derived.subarray(8, 16), ciphertext);
  }

  const p12 = PKCS12_PBE[oid]!;
  const key = await pkcs12Kdf(password.bmp, salt, iterations, 1, p12.cipher.keyLength, 'sha1');
  const iv =
    p12.cipher.ivLength > 0
      ? await pkcs12Kdf(password.bmp, salt, iterations, 2, p12.cipher.ivLength, 'sha1')
      : Buffer.alloc(0);
  // Two-key 3DES is 3DES with K3 = K1.
  const fullKey =
    p12.cipher.name === 'des-ede-cbc' ? Buffer.concat([key, key.subarray(0, 8)]) : key;
  const spec: CipherSpec =
    p12.cipher.name === 'des-ede-cbc' ? { ...p12.cipher, name: 'des-ede3-cbc' } : p12.cipher;
  return decrypt(spec, fullKey, iv, ciphertext);
}

function cipherIv(cipher: CipherSpec, ivNode: Asn1Node | undefined): Buffer {
  if (cipher.name !== 'rc2-cbc') {
    return readOctets(expect(ivNode, TAG.OCTET_STRING, 'the cipher IV'));
  }

  // RFC 8018 §B.2.3: RC2-CBC-Parameter ::= SEQUENCE { rc2ParameterVersion INTEGER OPTIONAL, iv }.
  const parts = children(expect(ivNode, TAG.SEQUENCE, 'RC2 parameters'));
  const ivPart = parts[parts.length - 1];
  if (parts.length === 2) {
    const version = readSmallInt(parts[0]!, 'RC2 version');
    const table: Record<number, number> = { 160: 40, 120: 64, 58: 128 };
    cipher.effectiveBits = version >= 256 ? version : table[version];
    if (cipher.effectiveBits === undefined) {
      throw unsupported(`RC2 with parameter version ${version}`);
    }
  } else {
    cipher.effectiveBits = 32;
  }
  return readOctets(expect(ivPart, TAG.OCTET_STRING, 'the RC2 IV'));
}

async function deriveForPbes2(
  kdf: Asn1Node,
  password: Buffer,
  cipher: CipherSpec,
): Promise<Buffer> {
  const [kdfOidNode, paramsNode] = children(kdf);
  const kdfOid = readOid(kdfOidNode!);
  const params = children(expect(paramsNode, TAG.SEQUENCE, 'KDF parameters'));
  const salt = readOctets(expect(params[0], TAG.OCTET_STRING, 'the KDF salt'));
  const explicitLength = params.find((node, index) => index >= 2 && is(node, TAG.INTEGER));

  if (kdfOid === SCRYPT) {
    // RFC 7914 §7.1: salt, costParameter, blockSize, parallelizationParameter, keyLength OPTIONAL.
    const [cost, blockSize, parallel] = [1, 2, 3].map((i) =>
      readSmallInt(expect(params[i], TAG.INTEGER, 'a scrypt parameter'), 'scrypt parameter'),
    );
    const length = params[4] ? readSmallInt(params[4], 'key length') : cipher.keyLength;
    checkKeyLength(length, cipher);
    return scryptAsync(password, salt, cost!, blockSize!, parallel!, length);
  }

  const iterations = readSmallInt(
    expect(params[1], TAG.INTEGER, 'the PBKDF2 iteration count'),
    'iterations',
  );
  const length = explicitLength ? readSmallInt(explicitLength, 'key length') : cipher.keyLength;
  checkKeyLength(length, cipher);
  return pbkdf2Async(password, salt, iterations, length, prfOf(paramsNode!));
}

function checkKeyLength(length: number, cipher: CipherSpec): void {
  // RC2 alone takes a variable key; for the others the key length is fixed by the cipher.
  if (cipher.name === 'rc2-cbc' ? length < 1 || length > 128 : length !== cipher.keyLength) {
    throw new MazeVaultError('MALFORMED', `The key length ${length} does not fit ${cipher.name}.`);
  }
  if (cipher.name === 'rc2-cbc') cipher.keyLength = length;
}

/** Content bytes of an OCTET STRING-like node, used by callers that unwrap encrypted content. */
export function octets(node: Asn1Node): Buffer {
  return node.constructed ? readOctets(node) : content(node);
}
