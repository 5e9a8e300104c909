// The PKCS#11 KeyProvider: keys generated and used on a token, never leaving it. A key is known
// by its profile, the token's serial, its CKA_ID and the SHA-256 of its SPKI, so a relabelled
// token or key, or a new module version, does not orphan it. Every token operation is audited
// with the token serial and the object id.
import { KEY_ALGORITHMS, type SignatureAlgorithm } from '../../../shared/algorithms';
import { MazeVaultError } from '../../../shared/errors';
import type { Vault } from '../../vault/vault';
import type { GeneratedKey, KeyProvider, KeySpec, ProviderRef } from '../provider';
import { MECHANISM_NAMES } from './constants';
import type { Pkcs11Module, TokenSession } from './module';
import { spkiSha256 } from './public-key';
import {
  destroyKeyObjects,
  findPrivateKey,
  generateKeyPair,
  type PrivateKeyHandle,
} from './objects';
import { ecdsaRawToDer, planSignature } from './signing';

/** What the key record stores for a token key. */
export interface Pkcs11Ref {
  profile: string;
  tokenSerial: string;
  ckaId: string;
  spkiSha256: string;
}

/** Where a new key goes: a profile (id or name) and a token by serial or, failing that, label. */
export interface Pkcs11Placement {
  profile: string;
  tokenSerial?: string;
  tokenLabel?: string;
}

/** What the provider needs from the PKCS#11 service: a connected module for a profile. */
export interface Pkcs11Connections {
  connect(profile: string): Promise<{ profileId: string; module: Pkcs11Module }>;
  resolveTokenSerial(
    profile: string,
    token: { serial?: string; label?: string },
    howToName?: (serial: string) => string,
  ): Promise<string>;
  ensureLoggedIn(profile: string, tokenSerial: string): Promise<void>;
}

export function asPkcs11Ref(ref: ProviderRef): Pkcs11Ref {
  const { profile, tokenSerial, ckaId, spkiSha256 } = ref;
  if (
    typeof profile !== 'string' ||
    typeof tokenSerial !== 'string' ||
    typeof ckaId !== 'string' ||
    typeof spkiSha256 !== 'string'
  ) {
    throw new MazeVaultError(
      'RECORD_DAMAGED',
      'The key record does not point at a token key (profile, serial, CKA_ID).',
    );
  }
  return { profile, tokenSerial, ckaId, spkiSha256 };
}

export function asPlacement(placement: Record<string, unknown> | undefined): Pkcs11Placement {
  const profile = placement?.profile;
  if (typeof profile !== 'string' || !profile) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      'Choose the PKCS#11 profile (and token) to keep the key on.',
    );
  }
  const serial = placement?.tokenSerial;
  const label = placement?.tokenLabel;
  return {
    profile,
    ...(typeof serial === 'string' && serial ? { tokenSerial: serial } : {}),
    ...(typeof label === 'string' && label ? { tokenLabel: label } : {}),
  };
}

const objectSubject = (serial: string, ckaId: string): string => `pkcs11:${serial}/${ckaId}`;

export class Pkcs11KeyProvider implements KeyProvider {
  readonly kind = 'pkcs11' as const;
  readonly capabilities = {
    extractable: false,
    importable: false,
    disable: false,
    algorithms: KEY_ALGORITHMS,
  };

  private readonly mechanisms = new Map<string, ReadonlySet<number>>();
  private readonly handles = new Map<string, { generation: number; key: PrivateKeyHandle }>();

  constructor(
    private readonly vault: Vault,
    private readonly connections: Pkcs11Connections,
  ) {}

  async generate(spec: KeySpec): Promise<GeneratedKey> {
    const placement = asPlacement(spec.placement);
    const { profileId, module } = await this.connections.connect(placement.profile);
    const serial = await this.connections.resolveTokenSerial(profileId, {
      ...(placement.tokenSerial ? { serial: placement.tokenSerial } : {}),
      ...(placement.tokenLabel ? { label: placement.tokenLabel } : {}),
    });
    try {
      const generated = await module.withToken(
        serial,
        `generate a ${spec.algorithm} key`,
        async (ts) =>
          generateKeyPair(ts, {
            algorithm: spec.algorithm,
            label: spec.label,
            usage: spec.usage,
            offered: await this.offered(module, ts),
          }),
      );
      const ref: Pkcs11Ref = {
        profile: profileId,
        tokenSerial: serial,
        ckaId: generated.ckaId,
        spkiSha256: spkiSha256(generated.spki),
      };
      this.vault.record({
        action: 'token.generate',
        subject: objectSubject(serial, generated.ckaId),
        outcome: 'success',
        details: {
          keyId: spec.keyId,
          algorithm: spec.algorithm,
          label: spec.label,
          usage: spec.usage,
          spkiSha256: ref.spkiSha256,
        },
      });
      return { ref: { ...ref }, publicKeySpki: generated.spki };
    } catch (error) {
      this.audit('token.generate', `pkcs11:${serial}`, error, {
        keyId: spec.keyId,
        algorithm: spec.algorithm,
        label: spec.label,
      });
      throw error;
    }
  }

  placementOf(ref: ProviderRef): Record<string, unknown> {
    const { profile, tokenSerial } = asPkcs11Ref(ref);
    return { profile, tokenSerial };
  }

  async publicKey(ref: ProviderRef): Promise<Buffer> {
    const key = asPkcs11Ref(ref);
    const { module } = await this.connections.connect(key.profile);
    await this.connections.ensureLoggedIn(key.profile, key.tokenSerial);
    return module.withToken(key.tokenSerial, 'read the public key', async (ts) => {
      const found = await findPrivateKey(ts, key.ckaId, key.spkiSha256);
      return found.spki;
    });
  }

  async prepareToSign(ref: ProviderRef): Promise<void> {
    const key = asPkcs11Ref(ref);
    await this.connections.connect(key.profile);
    await this.connections.ensureLoggedIn(key.profile, key.tokenSerial);
  }

  async sign(ref: ProviderRef, algorithm: SignatureAlgorithm, data: Uint8Array): Promise<Buffer> {
    const key = asPkcs11Ref(ref);
    const subject = objectSubject(key.tokenSerial, key.ckaId);
    const { module } = await this.connections.connect(key.profile);
    await this.connections.ensureLoggedIn(key.profile, key.tokenSerial);
    try {
      const { signature, mechanism } = await module.withToken(
        key.tokenSerial,
        `sign with key ${key.ckaId}`,
        async (ts) => {
          const plan = planSignature(algorithm, data, await this.offered(module, ts));
          const handle = await this.privateKey(module, ts, key);
          const contextPin = handle.alwaysAuthenticate ? ts.contextPin() : undefined;
          if (handle.alwaysAuthenticate && contextPin === undefined) {
            throw new MazeVaultError(
              'TOKEN_ERROR',
              'This key asks for the PIN before each signature; log in again.',
            );
          }
          try {
            const raw = await ts.run<Buffer>('sign', [
              ts.session,
              plan.mechanism,
              handle.handle,
              plan.input,
              contextPin,
            ]);
            return {
              signature: plan.ecdsaRaw ? ecdsaRawToDer(raw) : raw,
              mechanism: plan.mechanism.mechanism,
            };
          } catch (error) {
            this.handles.delete(handleKey(key));
            throw error;
          }
        },
      );
      this.vault.record({
        action: 'token.sign',
        subject,
        outcome: 'success',
        details: {
          algorithm,
          mechanism: MECHANISM_NAMES[mechanism] ?? mechanism,
          profile: key.profile,
        },
      });
      return signature;
    } catch (error) {
      this.audit('token.sign', subject, error, { algorithm, profile: key.profile });
      throw error;
    }
  }

  async destroy(ref: ProviderRef): Promise<void> {
    const key = asPkcs11Ref(ref);
    const subject = objectSubject(key.tokenSerial, key.ckaId);
    const { module } = await this.connections.connect(key.profile);
    await this.connections.ensureLoggedIn(key.profile, key.tokenSerial);
    try {
      const removed = await module.withToken(key.tokenSerial, `destroy key ${key.ckaId}`, (ts) =>
        destroyKeyObjects(ts, key.ckaId, key.spkiSha256),
      );
      this.handles.delete(handleKey(key));
      this.vault.record({
        action: 'token.destroy',
        subject,
        outcome: 'success',
        details: { objects: removed, profile: key.profile },
      });
    } catch (error) {
      this.audit('token.destroy', subject, error, { profile: key.profile });
      throw error;
    }
  }

  /** The token's mechanisms, read once per token: signing picks from them. */
  private async offered(module: Pkcs11Module, ts: TokenSession): Promise<ReadonlySet<number>> {
    const cacheKey = `${module.path}|${ts.token.serial}`;
    let offered = this.mechanisms.get(cacheKey);
    if (!offered) {
      const list = await ts.run<{ type: number }[]>('mechanisms', [ts.slot]);
      offered = new Set(list.map((m) => m.type));
      this.mechanisms.set(cacheKey, offered);
    }
    return offered;
  }

  /** The key's handle, looked up and checked by public-key hash once per login. */
  private async privateKey(
    module: Pkcs11Module,
    ts: TokenSession,
    key: Pkcs11Ref,
  ): Promise<PrivateKeyHandle> {
    const cached = this.handles.get(handleKey(key));
    if (cached && cached.generation === module.generation) return cached.key;
    const found = await findPrivateKey(ts, key.ckaId, key.spkiSha256);
    this.handles.set(handleKey(key), { generation: module.generation, key: found });
    return found;
  }

  private audit(
    action: string,
    subject: string,
    error: unknown,
    details: Record<string, unknown>,
  ): void {
    const code = error instanceof MazeVaultError ? error.code : 'INTERNAL';
    try {
      this.vault.record({
        action,
        subject,
        outcome: 'failure',
        details: { ...details, error: code },
      });
    } catch {
      // A locked or closed vault cannot take the event; the caller still gets the first error.
    }
  }
}

const handleKey = (key: Pkcs11Ref): string =>
  `${key.profile}|${key.tokenSerial}|${key.ckaId}|${key.spkiSha256}`;
