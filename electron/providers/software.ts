// The software key provider: keys made with Node's native crypto, their PKCS#8 sealed into the
// vault with AES-256-GCM under the data key. Private key bytes never leave this file unsealed
// except through `exportPkcs8`, which the key service guards with the lifecycle and an audit.
import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import {
  EC_CURVES,
  KEY_ALGORITHMS,
  type KeyAlgorithm,
  type SignatureAlgorithm,
} from '../../shared/algorithms';
import { MazeVaultError } from '../../shared/errors';
import type { Vault } from '../vault/vault';
import type { GeneratedKey, KeyProvider, KeySpec, ProviderRef } from './provider';

const generateKeyPairAsync = promisify(generateKeyPair);
const signAsync = promisify(nodeSign);

interface SoftwareRef {
  keyId: string;
  secretId: number;
}

const SECRET_KIND = 'private-key';

function asSoftwareRef(ref: ProviderRef): SoftwareRef {
  if (typeof ref.keyId !== 'string' || typeof ref.secretId !== 'number') {
    throw new MazeVaultError(
      'RECORD_DAMAGED',
      'The key record does not point at a sealed private key.',
    );
  }
  return { keyId: ref.keyId, secretId: ref.secretId };
}

async function generatePrivateKey(algorithm: KeyAlgorithm): Promise<KeyObject> {
  if (algorithm.startsWith('rsa-')) {
    const { privateKey } = await generateKeyPairAsync('rsa', {
      modulusLength: Number(algorithm.slice(4)),
      publicExponent: 0x10001,
    });
    return privateKey;
  }
  if (algorithm === 'ed25519') {
    const { privateKey } = await generateKeyPairAsync('ed25519');
    return privateKey;
  }
  const curve = EC_CURVES[algorithm as keyof typeof EC_CURVES];
  const { privateKey } = await generateKeyPairAsync('ec', { namedCurve: curve.nodeName });
  return privateKey;
}

const HASH_OF: Record<SignatureAlgorithm, string | null> = {
  'rsa-pkcs1-sha256': 'sha256',
  'rsa-pkcs1-sha384': 'sha384',
  'rsa-pkcs1-sha512': 'sha512',
  'rsa-pss-sha256': 'sha256',
  'rsa-pss-sha384': 'sha384',
  'rsa-pss-sha512': 'sha512',
  'ecdsa-sha256': 'sha256',
  'ecdsa-sha384': 'sha384',
  'ecdsa-sha512': 'sha512',
  ed25519: null,
};

/** Signs with a Node KeyObject as X.509 expects; shared by every provider that holds a KeyObject. */
export async function signWithKeyObject(
  key: KeyObject,
  algorithm: SignatureAlgorithm,
  data: Uint8Array,
): Promise<Buffer> {
  const hash = HASH_OF[algorithm];
  if (algorithm.startsWith('rsa-pss-')) {
    // RFC 4055 §3.1 / CA/B Forum: salt length equals the hash length.
    const saltLength = { sha256: 32, sha384: 48, sha512: 64 }[hash as 'sha256'];
    return signAsync(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
  }
  if (algorithm.startsWith('ecdsa-')) return signAsync(hash, data, { key, dsaEncoding: 'der' });
  return signAsync(hash, data, key);
}

export class SoftwareKeyProvider implements KeyProvider {
  readonly kind = 'software' as const;
  readonly capabilities = {
    extractable: true,
    importable: true,
    disable: false,
    algorithms: KEY_ALGORITHMS,
  };

  constructor(private readonly vault: Vault) {}

  async generate(spec: KeySpec): Promise<GeneratedKey> {
    this.vault.requireUnlocked();
    const privateKey = await generatePrivateKey(spec.algorithm);
    return this.store(spec.keyId, privateKey);
  }

  /** Seals an existing private key (import, or a PKCS#8 from a backup). */
  importPkcs8(keyId: string, pkcs8: Buffer): GeneratedKey {
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    } catch {
      throw new MazeVaultError('MALFORMED', 'The private key is not a readable PKCS#8 structure.');
    }
    return this.store(keyId, privateKey);
  }

  async publicKey(ref: ProviderRef): Promise<Buffer> {
    return createPublicKey(this.privateKey(ref)).export({ format: 'der', type: 'spki' });
  }

  async sign(ref: ProviderRef, algorithm: SignatureAlgorithm, data: Uint8Array): Promise<Buffer> {
    return signWithKeyObject(this.privateKey(ref), algorithm, data);
  }

  async destroy(ref: ProviderRef): Promise<void> {
    this.vault.destroySecret(asSoftwareRef(ref).secretId);
  }

  /** The plain PKCS#8 for an export the key service has already authorised and audited. */
  exportPkcs8(ref: ProviderRef): Buffer {
    const { keyId, secretId } = asSoftwareRef(ref);
    return this.vault.openSecret(secretId, {
      ownerTable: 'keys',
      ownerId: keyId,
      kind: SECRET_KIND,
    });
  }

  private store(keyId: string, privateKey: KeyObject): GeneratedKey {
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    const secretId = this.vault.sealSecret('keys', keyId, SECRET_KIND, pkcs8);
    pkcs8.fill(0);
    const publicKeySpki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    return { ref: { keyId, secretId }, publicKeySpki };
  }

  private privateKey(ref: ProviderRef): KeyObject {
    const pkcs8 = this.exportPkcs8(ref);
    try {
      return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    } finally {
      pkcs8.fill(0);
    }
  }
}
