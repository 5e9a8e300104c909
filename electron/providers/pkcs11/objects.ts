// Key and certificate objects on a token: generation templates, lookup by CKA_ID and public-key
// hash, discovery, destruction and writing a certificate next to its key. Every function runs
// inside a logged-in TokenSession (private objects are invisible before login).
import { randomBytes } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { keyFamily, rsaModulusBits, type KeyAlgorithm } from '../../../shared/algorithms';
import { MazeVaultError } from '../../../shared/errors';
import { algorithmOfSpki } from '../../keys/service';
import { CKA, CKC_X_509, CKK, CKM, CKO } from './constants';
import type { TokenSession } from './module';
import {
  checkGeneratedKey,
  EC_PARAMS,
  readBool,
  spkiFromAttributes,
  spkiFromCertificate,
  spkiSha256,
  type AttributeMap,
} from './public-key';

type Template = { type: number; value: number | boolean | string | Buffer }[];

const PUBLIC_ATTRIBUTES = [
  CKA.KEY_TYPE,
  CKA.MODULUS,
  CKA.PUBLIC_EXPONENT,
  CKA.EC_PARAMS,
  CKA.EC_POINT,
];
const PRIVATE_ATTRIBUTES = [
  ...PUBLIC_ATTRIBUTES,
  CKA.LABEL,
  CKA.SENSITIVE,
  CKA.EXTRACTABLE,
  CKA.NEVER_EXTRACTABLE,
  CKA.ALWAYS_SENSITIVE,
  CKA.ALWAYS_AUTHENTICATE,
  CKA.SIGN,
  CKA.DECRYPT,
  CKA.LOCAL,
];

export interface GeneratedTokenKey {
  ckaId: string;
  spki: Buffer;
}

/** A private key found on a token, with what the window needs to show and register it. */
export interface TokenKey {
  ckaId: string;
  label: string;
  algorithm: KeyAlgorithm | undefined;
  /** Why the key cannot be used here, when `algorithm` is undefined. */
  unsupportedReason?: string;
  spki: Buffer | undefined;
  spkiSha256: string | undefined;
  /** Where the public key was read from. */
  publicKeySource: 'public-key-object' | 'private-key-attributes' | 'certificate' | 'none';
  sensitive: boolean;
  extractable: boolean;
  neverExtractable: boolean;
  alwaysAuthenticate: boolean;
  canSign: boolean;
  certificates: Buffer[];
}

export interface PrivateKeyHandle {
  handle: Buffer;
  spki: Buffer;
  alwaysAuthenticate: boolean;
  keyType: number | undefined;
}

const hex = (bytes: Buffer | undefined): string => (bytes ?? Buffer.alloc(0)).toString('hex');

async function attributes(
  ts: TokenSession,
  object: Buffer,
  types: number[],
): Promise<AttributeMap> {
  const raw = await ts.run<Record<string, Buffer>>('attributes', [ts.session, object, types]);
  const out: AttributeMap = {};
  for (const [type, value] of Object.entries(raw)) out[Number(type)] = value;
  return out;
}

export function find(ts: TokenSession, template: Template): Promise<Buffer[]> {
  return ts.run<Buffer[]>('find', [ts.session, template]);
}

export async function labelExists(ts: TokenSession, label: string): Promise<boolean> {
  for (const cls of [CKO.PRIVATE_KEY, CKO.PUBLIC_KEY, CKO.CERTIFICATE]) {
    const found = await find(ts, [
      { type: CKA.CLASS, value: cls },
      { type: CKA.LABEL, value: label },
    ]);
    if (found.length > 0) return true;
  }
  return false;
}

/**
 * Generates a key pair as token objects: the private key sensitive, never extractable, private,
 * and allowed only what the usage says (sign, or decrypt/unwrap, or derive). The public key is read back
 * and checked against the request before anyone records it.
 */
export async function generateKeyPair(
  ts: TokenSession,
  request: {
    algorithm: KeyAlgorithm;
    label: string;
    usage: 'sign' | 'encrypt';
    offered: ReadonlySet<number>;
  },
): Promise<GeneratedTokenKey> {
  const { algorithm, label, usage } = request;
  if (await labelExists(ts, label)) {
    throw new MazeVaultError(
      'DUPLICATE',
      `Token ${ts.token.label} already holds an object labelled "${label}"; choose another label.`,
    );
  }
  const family = keyFamily(algorithm);
  const mechanism =
    family === 'rsa'
      ? CKM.RSA_PKCS_KEY_PAIR_GEN
      : family === 'ec'
        ? CKM.EC_KEY_PAIR_GEN
        : CKM.EC_EDWARDS_KEY_PAIR_GEN;
  if (!request.offered.has(mechanism)) {
    throw new MazeVaultError(
      'UNSUPPORTED',
      `Token ${ts.token.label} cannot generate ${algorithm} keys.`,
    );
  }
  // A random CKA_ID: labels can be edited by any tool, the id is what binds the key's objects.
  const id = randomBytes(16);
  const sign = usage === 'sign';
  // Every usage attribute is set, none left to the token's defaults (SoftHSM2 allows decrypt and
  // unwrap on any private key): a signing key signs and verifies only. An encryption key is RSA
  // decrypt/unwrap or EC key agreement (derive), never both sign and decrypt (SP 800-57 §5.2).
  const rsaTransport = !sign && family === 'rsa';
  const agreement = !sign && family === 'ec';
  const common: Template = [
    { type: CKA.TOKEN, value: true },
    { type: CKA.LABEL, value: label },
    { type: CKA.ID, value: id },
  ];
  const publicTemplate: Template = [
    ...common,
    { type: CKA.CLASS, value: CKO.PUBLIC_KEY },
    { type: CKA.PRIVATE, value: false },
    { type: CKA.VERIFY, value: sign },
    { type: CKA.VERIFY_RECOVER, value: false },
    { type: CKA.ENCRYPT, value: rsaTransport },
    { type: CKA.WRAP, value: rsaTransport },
    { type: CKA.DERIVE, value: false },
  ];
  const privateTemplate: Template = [
    ...common,
    { type: CKA.CLASS, value: CKO.PRIVATE_KEY },
    { type: CKA.PRIVATE, value: true },
    { type: CKA.SENSITIVE, value: true },
    { type: CKA.EXTRACTABLE, value: false },
    { type: CKA.SIGN, value: sign },
    { type: CKA.SIGN_RECOVER, value: false },
    { type: CKA.DECRYPT, value: rsaTransport },
    { type: CKA.UNWRAP, value: rsaTransport },
    { type: CKA.DERIVE, value: agreement },
  ];
  if (family === 'rsa') {
    publicTemplate.push(
      { type: CKA.MODULUS_BITS, value: rsaModulusBits(algorithm)! },
      { type: CKA.PUBLIC_EXPONENT, value: Buffer.from([0x01, 0x00, 0x01]) },
    );
  } else {
    publicTemplate.push({
      type: CKA.EC_PARAMS,
      value: EC_PARAMS[algorithm as keyof typeof EC_PARAMS],
    });
  }

  const pair = await ts.run<{ publicKey: Buffer; privateKey: Buffer }>(
    'generateKeyPair',
    [ts.session, { mechanism }, publicTemplate, privateTemplate],
    true,
  );
  try {
    const spki = spkiFromAttributes(await attributes(ts, pair.publicKey, PUBLIC_ATTRIBUTES));
    if (!spki) {
      throw new MazeVaultError('PROVIDER_ERROR', 'The token did not return the new public key.');
    }
    checkGeneratedKey(spki, algorithm);
    return { ckaId: hex(id), spki };
  } catch (error) {
    await destroyObjects(ts, [pair.privateKey, pair.publicKey]).catch(() => undefined);
    throw error;
  }
}

async function destroyObjects(ts: TokenSession, objects: Buffer[]): Promise<number> {
  for (const object of objects) await ts.run('call', ['C_DestroyObject', [ts.session, object]]);
  return objects.length;
}

async function certificatesWithId(ts: TokenSession, id: Buffer): Promise<Buffer[]> {
  const handles = await find(ts, [
    { type: CKA.CLASS, value: CKO.CERTIFICATE },
    { type: CKA.ID, value: id },
  ]);
  const out: Buffer[] = [];
  for (const handle of handles) {
    const value = (await attributes(ts, handle, [CKA.VALUE]))[CKA.VALUE];
    if (value?.length) out.push(value);
  }
  return out;
}

/** The SPKI of a private key: its public key object, then its own attributes, then a certificate. */
async function publicKeyOfPrivate(
  ts: TokenSession,
  id: Buffer,
  privateAttributes: AttributeMap,
): Promise<{
  spki: Buffer | undefined;
  source: TokenKey['publicKeySource'];
  certificates: Buffer[];
}> {
  const certificates = await certificatesWithId(ts, id);
  const publics = await find(ts, [
    { type: CKA.CLASS, value: CKO.PUBLIC_KEY },
    { type: CKA.ID, value: id },
  ]);
  for (const handle of publics) {
    const spki = spkiFromAttributes(await attributes(ts, handle, PUBLIC_ATTRIBUTES));
    if (spki) return { spki, source: 'public-key-object', certificates };
  }
  const own = spkiFromAttributes(privateAttributes);
  if (own) return { spki: own, source: 'private-key-attributes', certificates };
  if (certificates[0]) {
    return { spki: spkiFromCertificate(certificates[0]), source: 'certificate', certificates };
  }
  return { spki: undefined, source: 'none', certificates };
}

async function describePrivateKey(ts: TokenSession, handle: Buffer, id: Buffer): Promise<TokenKey> {
  const attrs = await attributes(ts, handle, PRIVATE_ATTRIBUTES);
  const { spki, source, certificates } = await publicKeyOfPrivate(ts, id, attrs);
  let algorithm: KeyAlgorithm | undefined;
  let unsupportedReason: string | undefined;
  if (spki) {
    try {
      algorithm = algorithmOfSpki(spki);
    } catch (error) {
      unsupportedReason = error instanceof MazeVaultError ? error.message : 'unknown key type';
    }
  } else {
    unsupportedReason = 'The token exposes neither a public key nor a certificate for this key.';
  }
  return {
    ckaId: hex(id),
    label: (attrs[CKA.LABEL] ?? Buffer.alloc(0)).toString('utf8'),
    algorithm,
    ...(unsupportedReason ? { unsupportedReason } : {}),
    spki,
    spkiSha256: spki ? spkiSha256(spki) : undefined,
    publicKeySource: source,
    sensitive: readBool(attrs[CKA.SENSITIVE]) ?? true,
    extractable: readBool(attrs[CKA.EXTRACTABLE]) ?? false,
    neverExtractable: readBool(attrs[CKA.NEVER_EXTRACTABLE]) ?? false,
    alwaysAuthenticate: readBool(attrs[CKA.ALWAYS_AUTHENTICATE]) ?? false,
    canSign: readBool(attrs[CKA.SIGN]) ?? false,
    certificates,
  };
}

/** Every private key on the token, described (discovery for the inventory). */
export async function listPrivateKeys(ts: TokenSession): Promise<TokenKey[]> {
  const handles = await find(ts, [{ type: CKA.CLASS, value: CKO.PRIVATE_KEY }]);
  const out: TokenKey[] = [];
  for (const handle of handles) {
    const id = (await attributes(ts, handle, [CKA.ID]))[CKA.ID] ?? Buffer.alloc(0);
    out.push(await describePrivateKey(ts, handle, id));
  }
  return out;
}

/**
 * Finds the private key with that CKA_ID whose public key hashes to `expectedSpkiSha256`. Two
 * keys may share an id (tools differ), so the hash decides; a key whose public key changed is
 * not the recorded key and is refused.
 */
export async function findPrivateKey(
  ts: TokenSession,
  ckaId: string,
  expectedSpkiSha256: string,
): Promise<PrivateKeyHandle> {
  const id = Buffer.from(ckaId, 'hex');
  const handles = await find(ts, [
    { type: CKA.CLASS, value: CKO.PRIVATE_KEY },
    { type: CKA.ID, value: id },
  ]);
  for (const handle of handles) {
    const key = await describePrivateKey(ts, handle, id);
    if (key.spki && key.spkiSha256 === expectedSpkiSha256) {
      const keyType = key.algorithm
        ? { rsa: CKK.RSA, ec: CKK.EC, ed25519: CKK.EC_EDWARDS }[keyFamily(key.algorithm)]
        : undefined;
      return { handle, spki: key.spki, alwaysAuthenticate: key.alwaysAuthenticate, keyType };
    }
  }
  throw new MazeVaultError(
    'NOT_FOUND',
    handles.length === 0
      ? `Token ${ts.token.label} (serial ${ts.token.serial}) holds no private key with id ${ckaId}; ` +
          'it was deleted or the wrong token is connected.'
      : `The key with id ${ckaId} on token ${ts.token.label} is not the key MazeVault recorded ` +
          '(its public key differs); it will not be used.',
  );
}

/** Destroys the key's private and public objects (C_DestroyObject); certificates stay. */
export async function destroyKeyObjects(
  ts: TokenSession,
  ckaId: string,
  expectedSpkiSha256: string,
): Promise<number> {
  const { handle } = await findPrivateKey(ts, ckaId, expectedSpkiSha256);
  const publics = await find(ts, [
    { type: CKA.CLASS, value: CKO.PUBLIC_KEY },
    { type: CKA.ID, value: Buffer.from(ckaId, 'hex') },
  ]);
  const matching: Buffer[] = [];
  for (const object of publics) {
    const spki = spkiFromAttributes(await attributes(ts, object, PUBLIC_ATTRIBUTES));
    if (spki && spkiSha256(spki) === expectedSpkiSha256) matching.push(object);
  }
  return destroyObjects(ts, [handle, ...matching]);
}

/** Stores an X.509 certificate as a public token object with the key's CKA_ID and label. */
export async function writeCertificate(
  ts: TokenSession,
  ckaId: string,
  label: string,
  der: Buffer,
): Promise<void> {
  let certificate: Certificate;
  try {
    certificate = AsnConvert.parse(der, Certificate);
  } catch {
    throw new MazeVaultError(
      'MALFORMED',
      'The certificate to write is not a DER X.509 certificate.',
    );
  }
  const tbs = certificate.tbsCertificate;
  const serial = Buffer.from(tbs.serialNumber);
  const existing = await certificatesWithId(ts, Buffer.from(ckaId, 'hex'));
  if (existing.some((value) => value.equals(der))) return;
  await ts.run('createObject', [
    ts.session,
    [
      { type: CKA.CLASS, value: CKO.CERTIFICATE },
      { type: CKA.CERTIFICATE_TYPE, value: CKC_X_509 },
      { type: CKA.TOKEN, value: true },
      { type: CKA.PRIVATE, value: false },
      { type: CKA.LABEL, value: label },
      { type: CKA.ID, value: Buffer.from(ckaId, 'hex') },
      { type: CKA.SUBJECT, value: Buffer.from(AsnConvert.serialize(tbs.subject)) },
      { type: CKA.ISSUER, value: Buffer.from(AsnConvert.serialize(tbs.issuer)) },
      // PKCS#11 v2.40 §4.6.3: CKA_SERIAL_NUMBER is the DER encoding of the serial INTEGER.
      { type: CKA.SERIAL_NUMBER, value: derInteger(serial) },
      { type: CKA.VALUE, value: der },
    ],
  ]);
}

function derInteger(content: Buffer): Buffer {
  const length = content.length;
  const header = length < 0x80 ? Buffer.from([0x02, length]) : Buffer.from([0x02, 0x81, length]);
  return Buffer.concat([header, content]);
}
