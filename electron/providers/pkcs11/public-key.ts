// SubjectPublicKeyInfo from what a token stores: the public key object's attributes, the private
// key's own attributes (RSA CKA_MODULUS/CKA_PUBLIC_EXPONENT; EC CKA_EC_POINT where the token keeps
// it), or a certificate next to the key. The SPKI's SHA-256 then identifies the key.
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import type { KeyAlgorithm } from '../../../shared/algorithms';
import { EC_CURVES } from '../../../shared/algorithms';
import { MazeVaultError } from '../../../shared/errors';
import { CKA, CKK } from './constants';

export type AttributeMap = Partial<Record<number, Buffer>>;

/** DER of the OIDs tokens put in CKA_EC_PARAMS (RFC 5480 §2.1.1 namedCurve; RFC 8410 §3). */
export const EC_PARAMS: Record<'ec-p256' | 'ec-p384' | 'ec-p521' | 'ed25519', Buffer> = {
  'ec-p256': Buffer.from('06082a8648ce3d030107', 'hex'),
  'ec-p384': Buffer.from('06052b81040022', 'hex'),
  'ec-p521': Buffer.from('06052b81040023', 'hex'),
  ed25519: Buffer.from('06032b6570', 'hex'),
};

/** PKCS#11 v3.0 §2.3.10 also allows the curve name as a PrintableString for Edwards curves. */
const ED25519_PRINTABLE = Buffer.concat([Buffer.from([0x13, 12]), Buffer.from('edwards25519')]);

const FIELD_BYTES: Record<'ec-p256' | 'ec-p384' | 'ec-p521', number> = {
  'ec-p256': 32,
  'ec-p384': 48,
  'ec-p521': 66,
};

export function spkiSha256(spki: Buffer): string {
  return createHash('sha256').update(spki).digest('hex');
}

/** Reads a CK_ULONG attribute (native byte order; every platform we ship is little-endian). */
export function readUlong(value: Buffer | undefined): number | undefined {
  if (!value || value.length === 0) return undefined;
  return value.length >= 8 ? Number(value.readBigUInt64LE(0)) : value.readUInt32LE(0);
}

export function readBool(value: Buffer | undefined): boolean | undefined {
  return value && value.length > 0 ? value[0] !== 0 : undefined;
}

function curveOfParams(params: Buffer): KeyAlgorithm | undefined {
  for (const [algorithm, der] of Object.entries(EC_PARAMS)) {
    if (der.equals(params)) return algorithm as KeyAlgorithm;
  }
  if (params.equals(ED25519_PRINTABLE)) return 'ed25519';
  return undefined;
}

/**
 * CKA_EC_POINT is a DER OCTET STRING around the point (PKCS#11 v2.40 §2.3.3); some tokens return
 * the bare point. The length tells them apart.
 */
function unwrapEcPoint(point: Buffer, rawLength: number): Buffer {
  if (point.length === rawLength) return point;
  if (point[0] !== 0x04) throw malformed('its EC point is not an OCTET STRING');
  let offset = 2;
  let length = point[1]!;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = point.readUIntBE(2, count);
    offset = 2 + count;
  }
  const inner = point.subarray(offset, offset + length);
  if (inner.length !== rawLength) {
    throw malformed('its EC point has the wrong length for its curve');
  }
  return inner;
}

function malformed(why: string): MazeVaultError {
  return new MazeVaultError('MALFORMED', `The key on the token cannot be read: ${why}.`);
}

const b64url = (bytes: Buffer): string => bytes.toString('base64url');

function stripZeros(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  return bytes.subarray(start);
}

/**
 * The SPKI of a key from its attributes (public or private key object), or undefined when the
 * token does not expose enough of them.
 */
export function spkiFromAttributes(attributes: AttributeMap): Buffer | undefined {
  const keyType = readUlong(attributes[CKA.KEY_TYPE]);
  if (keyType === CKK.RSA) {
    const modulus = attributes[CKA.MODULUS];
    const exponent = attributes[CKA.PUBLIC_EXPONENT];
    if (!modulus?.length || !exponent?.length) return undefined;
    const jwk = { kty: 'RSA', n: b64url(stripZeros(modulus)), e: b64url(stripZeros(exponent)) };
    return createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'der', type: 'spki' });
  }
  if (keyType === CKK.EC || keyType === CKK.EC_EDWARDS) {
    const params = attributes[CKA.EC_PARAMS];
    const point = attributes[CKA.EC_POINT];
    if (!params?.length || !point?.length) return undefined;
    const algorithm = curveOfParams(params);
    if (!algorithm) {
      throw new MazeVaultError(
        'UNSUPPORTED',
        'The key on the token uses a curve MazeVault does not support.',
      );
    }
    if (algorithm === 'ed25519') {
      const raw = unwrapEcPoint(point, 32);
      return createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) },
        format: 'jwk',
      }).export({
        format: 'der',
        type: 'spki',
      });
    }
    const size = FIELD_BYTES[algorithm as keyof typeof FIELD_BYTES];
    const raw = unwrapEcPoint(point, 1 + 2 * size);
    if (raw[0] !== 0x04) throw malformed('its EC point is compressed');
    const crv = { 'ec-p256': 'P-256', 'ec-p384': 'P-384', 'ec-p521': 'P-521' }[
      algorithm as 'ec-p256'
    ];
    const jwk = {
      kty: 'EC',
      crv,
      x: b64url(raw.subarray(1, 1 + size)),
      y: b64url(raw.subarray(1 + size)),
    };
    return createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'der', type: 'spki' });
  }
  return undefined;
}

export function spkiFromCertificate(der: Buffer): Buffer {
  try {
    return new X509Certificate(der).publicKey.export({ format: 'der', type: 'spki' });
  } catch {
    throw malformed('the certificate next to it is not a readable X.509 certificate');
  }
}

/**
 * Checks a freshly generated public key against what was asked for: modulus length and exponent
 * 65537 for RSA, the curve for EC (the token could have ignored part of the template).
 */
export function checkGeneratedKey(spki: Buffer, algorithm: KeyAlgorithm): void {
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails ?? {};
  let fits: boolean;
  if (algorithm.startsWith('rsa-')) {
    fits =
      key.asymmetricKeyType === 'rsa' &&
      details.modulusLength === Number(algorithm.slice(4)) &&
      details.publicExponent === 65537n;
  } else if (algorithm === 'ed25519') {
    fits = key.asymmetricKeyType === 'ed25519';
  } else {
    const curve = EC_CURVES[algorithm as keyof typeof EC_CURVES];
    fits = key.asymmetricKeyType === 'ec' && details.namedCurve === curve.nodeName;
  }
  if (!fits) {
    throw new MazeVaultError(
      'PROVIDER_ERROR',
      `The token made a key that is not the ${algorithm} key asked for; it was removed again. ` +
        'Check the token firmware and its policy.',
    );
  }
}
