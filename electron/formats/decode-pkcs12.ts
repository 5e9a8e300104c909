// PKCS#12 (RFC 7292): the password-integrity, password-privacy profile every tool writes. The MAC
// is checked first, because it is the one reliable "wrong password" signal; a file without a MAC
// is still opened, with a warning. Empty passwords exist in two encodings (RFC 7292 B.1 says two
// zero bytes; some writers use no bytes at all) and both are tried.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { MazeVaultError } from '../../shared/errors';
import { type Bundle, emptyBundle } from './bundle';
import {
  type Asn1Node,
  TAG,
  children,
  content,
  encoded,
  expect,
  expectChildren,
  is,
  parseDer,
  readImplicitOctets,
  readOctets,
  readOid,
  readSmallInt,
} from './decode-asn1';
import { PasswordNeededError, wrongFilePassword } from './decode-errors';
import { checkPrivateKeyInfo } from './decode-keys';
import { type HashName, bmpPassword, pbkdf2Async, pkcs12Kdf } from './decode-pbe-kdf';
import { type PasswordForms, checkPbeSupported, decryptPbe, pbeName } from './decode-pbe';

const DATA = '1.2.840.113549.1.7.1';
const SIGNED_DATA = '1.2.840.113549.1.7.2';
const ENVELOPED_DATA = '1.2.840.113549.1.7.3';
const ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const PBMAC1 = '1.2.840.113549.1.5.14';

const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  cert: '1.2.840.113549.1.12.10.1.3',
  crl: '1.2.840.113549.1.12.10.1.4',
  secret: '1.2.840.113549.1.12.10.1.5',
  safeContents: '1.2.840.113549.1.12.10.1.6',
};
const X509_CERTIFICATE = '1.2.840.113549.1.9.22.1';
const X509_CRL = '1.2.840.113549.1.9.23.1';
const FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const LOCAL_KEY_ID = '1.2.840.113549.1.9.21';

const DIGESTS: Record<string, HashName> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.5': 'sha512-224',
  '2.16.840.1.101.3.4.2.6': 'sha512-256',
};
const HMACS: Record<string, HashName> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const MAX_NESTING = 8;

export async function decodePkcs12(der: Buffer, password: string | undefined): Promise<Bundle> {
  const bundle = emptyBundle('pkcs12');
  const root = parseDer(der, true);
  if (root.end < der.length) {
    bundle.warnings.push(`${der.length - root.end} bytes after the PKCS#12 data were ignored.`);
  }
  const [version, authSafe, macData] = expectChildren(root, TAG.SEQUENCE, 'a PKCS#12 PFX');
  const v = readSmallInt(expect(version, TAG.INTEGER, 'the PKCS#12 version'), 'version');
  if (v !== 3) {
    throw new MazeVaultError('UNSUPPORTED', `PKCS#12 version ${v} is not supported (only 3).`);
  }

  const [typeNode, explicit] = expectChildren(authSafe, TAG.SEQUENCE, 'the PKCS#12 authSafe');
  const type = readOid(expect(typeNode, TAG.OID, 'the authSafe content type'));
  if (type === SIGNED_DATA) {
    throw new MazeVaultError(
      'UNSUPPORTED',
      'This PKCS#12 uses public-key integrity mode (signed), which MazeVault does not read. ' +
        'Re-export it with a password.',
    );
  }
  if (type !== DATA) {
    throw new MazeVaultError('MALFORMED', `The PKCS#12 authSafe has type ${type}.`);
  }
  const authSafeBytes = readOctets(
    children(expect(explicit, 0, 'the authSafe data', 'context'))[0]!,
  );

  const candidates = bmpCandidates(password);
  let bmp: Buffer[];
  if (macData) {
    const matching = await checkMac(macData, authSafeBytes, password ?? '', candidates);
    if (!matching) {
      if (password === undefined) throw wrongFilePassword('PKCS#12 file', false);
      if (await passwordDecryptsContent(authSafeBytes, password, candidates)) {
        throw new MazeVaultError(
          'MALFORMED',
          'The integrity check (MAC) of this PKCS#12 fails although the password decrypts it: ' +
            'the file was altered or damaged after it was made. Get an intact copy.',
        );
      }
      throw wrongFilePassword('PKCS#12 file', true);
    }
    bmp = [matching];
  } else {
    bundle.warnings.push(
      'This PKCS#12 has no integrity MAC: nothing proves it was not altered since it was made.',
    );
    bmp = candidates;
  }

  const context: Context = { password: password ?? '', bmp, macChecked: !!macData, bundle };
  const contentInfos = expectChildren(
    parseDer(authSafeBytes),
    TAG.SEQUENCE,
    'the AuthenticatedSafe',
  );
  for (const info of contentInfos) await readContentInfo(info, context);
  return bundle;
}

interface Context {
  password: string;
  /** BMPString encodings still in the running (one once the MAC has chosen). */
  bmp: Buffer[];
  macChecked: boolean;
  bundle: Bundle;
}

/**
 * After a MAC mismatch: does the password still decrypt the first encrypted part? Then the
 * password is right and the file was altered, which must not be reported as a wrong password.
 */
async function passwordDecryptsContent(
  authSafe: Buffer,
  password: string,
  candidates: Buffer[],
): Promise<boolean> {
  try {
    for (const info of children(parseDer(authSafe))) {
      const [typeNode, explicit] = children(info);
      if (readOid(typeNode!) !== ENCRYPTED_DATA) continue;
      const [, encryptedContentInfo] = children(children(explicit!)[0]!);
      const [, algorithm, encryptedContent] = children(encryptedContentInfo!);
      const ciphertext = readImplicitOctets(encryptedContent!);
      for (const bmp of candidates) {
        const forms = { utf8: Buffer.from(password, 'utf8'), bmp };
        const plain = await decryptPbe(algorithm!, ciphertext, forms);
        if (plain && parsesAsSequence(plain)) return true;
      }
      return false;
    }
  } catch {
    return false;
  }
  return false;
}

function bmpCandidates(password: string | undefined): Buffer[] {
  if (password === undefined || password === '') return [bmpPassword(''), Buffer.alloc(0)];
  return [bmpPassword(password)];
}

async function checkMac(
  macData: Asn1Node,
  authSafe: Buffer,
  password: string,
  candidates: Buffer[],
): Promise<Buffer | undefined> {
  const [digestInfo, saltNode, iterationsNode] = expectChildren(
    macData,
    TAG.SEQUENCE,
    'the MacData',
  );
  const [algorithm, digestNode] = expectChildren(digestInfo, TAG.SEQUENCE, 'the MAC DigestInfo');
  const [oidNode, params] = expectChildren(algorithm, TAG.SEQUENCE, 'the MAC algorithm');
  const oid = readOid(expect(oidNode, TAG.OID, 'the MAC algorithm'));
  const expected = readOctets(expect(digestNode, TAG.OCTET_STRING, 'the MAC value'));
  const salt = readOctets(expect(saltNode, TAG.OCTET_STRING, 'the MAC salt'));
  const iterations = iterationsNode ? readSmallInt(iterationsNode, 'MAC iterations') : 1;

  if (oid === PBMAC1) {
    const mac = await pbmac1(params!, authSafe, password);
    return sameBytes(mac, expected) ? candidates[0] : undefined;
  }
  const hash = DIGESTS[oid];
  if (!hash) {
    throw new MazeVaultError(
      'UNSUPPORTED',
      `This PKCS#12 is protected by a MAC with the digest ${oid}, which MazeVault cannot check. ` +
        'Re-export it with an SHA-256 MAC.',
    );
  }
  const size = createHash(hash).digest().length;
  for (const candidate of candidates) {
    const key = await pkcs12Kdf(candidate, salt, iterations, 3, size, hash);
    const mac = createHmac(hash, key).update(authSafe).digest();
    if (sameBytes(mac, expected)) return candidate;
  }
  return undefined;
}

/** RFC 9579 PBMAC1: PBKDF2 over the UTF-8 password, then HMAC. */
async function pbmac1(params: Asn1Node, data: Buffer, password: string): Promise<Buffer> {
  const [kdf, scheme] = expectChildren(params, TAG.SEQUENCE, 'PBMAC1 parameters');
  const [kdfOid, kdfParams] = expectChildren(kdf, TAG.SEQUENCE, 'the PBMAC1 KDF');
  if (readOid(kdfOid!) !== '1.2.840.113549.1.5.12') {
    throw new MazeVaultError('UNSUPPORTED', 'This PKCS#12 MAC uses a KDF other than PBKDF2.');
  }
  const fields = expectChildren(kdfParams, TAG.SEQUENCE, 'PBKDF2 parameters');
  const salt = readOctets(expect(fields[0], TAG.OCTET_STRING, 'the PBKDF2 salt'));
  const iterations = readSmallInt(
    expect(fields[1], TAG.INTEGER, 'PBKDF2 iterations'),
    'iterations',
  );
  const length = is(fields[2], TAG.INTEGER) ? readSmallInt(fields[2]!, 'key length') : 32;
  const prfNode = fields.find((f) => is(f, TAG.SEQUENCE));
  const prf = prfNode ? HMACS[readOid(children(prfNode)[0]!)] : 'sha1';
  const macOid = readOid(expectChildren(scheme, TAG.SEQUENCE, 'the PBMAC1 MAC')[0]!);
  const mac = HMACS[macOid];
  if (!prf || !mac || length < 1 || length > 64) {
    throw new MazeVaultError(
      'UNSUPPORTED',
      `This PKCS#12 MAC uses an unsupported HMAC (${macOid}).`,
    );
  }
  const key = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, length, prf);
  return createHmac(mac, key).update(data).digest();
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readContentInfo(info: Asn1Node, context: Context): Promise<void> {
  const [typeNode, explicit] = expectChildren(info, TAG.SEQUENCE, 'a PKCS#12 ContentInfo');
  const type = readOid(expect(typeNode, TAG.OID, 'a content type'));
  const body = children(expect(explicit, 0, 'the content', 'context'))[0]!;

  if (type === DATA) return readSafeContents(readOctets(body), context, 0);
  if (type === ENVELOPED_DATA) {
    throw new MazeVaultError(
      'UNSUPPORTED',
      'Part of this PKCS#12 is encrypted to a certificate (public-key privacy mode), which ' +
        'MazeVault does not read. Re-export it with password encryption.',
    );
  }
  if (type !== ENCRYPTED_DATA) {
    throw new MazeVaultError('MALFORMED', `A PKCS#12 content has the unknown type ${type}.`);
  }

  // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo } (RFC 5652 §8)
  const [, encryptedContentInfo] = expectChildren(body, TAG.SEQUENCE, 'EncryptedData');
  const [, algorithm, encryptedContent] = expectChildren(
    encryptedContentInfo,
    TAG.SEQUENCE,
    'EncryptedContentInfo',
  );
  expect(algorithm, TAG.SEQUENCE, 'the content encryption algorithm');
  if (!encryptedContent) return;
  const ciphertext = readImplicitOctets(
    expect(encryptedContent, 0, 'the encrypted content', 'context'),
  );
  noteLegacy(algorithm!, context.bundle);
  const plain = await decryptWithCandidates(algorithm!, ciphertext, context);
  await readSafeContents(plain, context, 0);
}

function noteLegacy(algorithm: Asn1Node, bundle: Bundle): void {
  const name = pbeName(algorithm);
  if (/RC2|RC4|DES-CBC|TripleDES|MD5/.test(name) && !name.startsWith('PBES2 (PBKDF2, aes')) {
    const warning = `Part of this file is protected with ${name}, a legacy scheme; re-export it with AES.`;
    if (!bundle.warnings.includes(warning)) bundle.warnings.push(warning);
  }
}

async function decryptWithCandidates(
  algorithm: Asn1Node,
  ciphertext: Buffer,
  context: Context,
): Promise<Buffer> {
  checkPbeSupported(algorithm);
  for (const bmp of context.bmp) {
    const forms: PasswordForms = { utf8: Buffer.from(context.password, 'utf8'), bmp };
    const plain = await decryptPbe(algorithm, ciphertext, forms);
    if (plain && parsesAsSequence(plain)) {
      context.bmp = [bmp];
      return plain;
    }
  }
  if (context.macChecked) {
    throw new PasswordNeededError(
      { kind: 'file' },
      true,
      "The password checks this PKCS#12 file's integrity but does not decrypt its contents; " +
        'the contents were encrypted with another password. Give that password.',
    );
  }
  throw wrongFilePassword('PKCS#12 file', true);
}

function parsesAsSequence(bytes: Buffer): boolean {
  try {
    return is(parseDer(bytes), TAG.SEQUENCE);
  } catch {
    return false;
  }
}

async function readSafeContents(der: Buffer, context: Context, depth: number): Promise<void> {
  if (depth > MAX_NESTING) {
    throw new MazeVaultError('MALFORMED', 'PKCS#12 bags are nested too deep.');
  }
  for (const bag of expectChildren(parseDer(der), TAG.SEQUENCE, 'SafeContents')) {
    await readBag(bag, context, depth);
  }
}

async function readBag(bag: Asn1Node, context: Context, depth: number): Promise<void> {
  const [idNode, explicit, attributes] = expectChildren(bag, TAG.SEQUENCE, 'a SafeBag');
  const id = readOid(expect(idNode, TAG.OID, 'the bag type'));
  const value = children(expect(explicit, 0, 'the bag value', 'context'))[0]!;
  const { friendlyName, localKeyId } = readAttributes(attributes);
  const { bundle } = context;

  switch (id) {
    case BAG.key:
      bundle.privateKeys.push({
        pkcs8: Buffer.from(checkPrivateKeyInfo(encoded(value))),
        friendlyName,
        localKeyId,
      });
      return;
    case BAG.shroudedKey: {
      const [algorithm, data] = expectChildren(value, TAG.SEQUENCE, 'an EncryptedPrivateKeyInfo');
      noteLegacy(algorithm!, bundle);
      const ciphertext = readOctets(expect(data, TAG.OCTET_STRING, 'the encrypted key'));
      const plain = await decryptWithCandidates(algorithm!, ciphertext, context);
      bundle.privateKeys.push({
        pkcs8: Buffer.from(checkPrivateKeyInfo(plain)),
        friendlyName,
        localKeyId,
      });
      return;
    }
    case BAG.cert: {
      const [typeNode, certExplicit] = expectChildren(value, TAG.SEQUENCE, 'a CertBag');
      if (readOid(typeNode!) !== X509_CERTIFICATE) {
        bundle.warnings.push('A certificate that is not X.509 (SDSI) was skipped.');
        return;
      }
      const der = readOctets(children(expect(certExplicit, 0, 'the certificate', 'context'))[0]!);
      bundle.certificates.push({
        der: Buffer.from(der),
        friendlyName,
        localKeyId,
        alias: friendlyName,
      });
      return;
    }
    case BAG.crl: {
      const [typeNode, crlExplicit] = expectChildren(value, TAG.SEQUENCE, 'a CRLBag');
      if (readOid(typeNode!) !== X509_CRL) return;
      bundle.crls.push(
        Buffer.from(readOctets(children(expect(crlExplicit, 0, 'the CRL', 'context'))[0]!)),
      );
      return;
    }
    case BAG.safeContents:
      return readSafeContents(encoded(value), context, depth + 1);
    case BAG.secret:
      bundle.warnings.push(
        `A secret-key entry${friendlyName ? ` "${friendlyName}"` : ''} was skipped: MazeVault ` +
          'imports certificates and private keys only.',
      );
      return;
    default:
      bundle.warnings.push(`A PKCS#12 bag of unknown type ${id} was skipped.`);
  }
}

function readAttributes(attributes: Asn1Node | undefined): {
  friendlyName?: string;
  localKeyId?: string;
} {
  const out: { friendlyName?: string; localKeyId?: string } = {};
  if (!attributes || !is(attributes, TAG.SET)) return out;
  for (const attribute of children(attributes)) {
    const [typeNode, values] = children(attribute);
    if (!typeNode || !values || !is(values, TAG.SET)) continue;
    const type = readOid(typeNode);
    const first = children(values)[0];
    if (!first) continue;
    if (type === FRIENDLY_NAME && is(first, TAG.BMP_STRING)) {
      out.friendlyName = decodeBmp(content(first));
    }
    if (type === LOCAL_KEY_ID && is(first, TAG.OCTET_STRING)) {
      out.localKeyId = readOctets(first).toString('hex');
    }
  }
  return out;
}

/** BMPString is UTF-16BE (X.690 §8.23.8); surrogate pairs carry characters beyond the BMP. */
export function decodeBmp(bytes: Buffer): string {
  const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
  return Buffer.from(even).swap16().toString('utf16le');
}
