// Key generation, import, signing and lifecycle, with NIST SP 800-57 enforced here in the main
// process: whatever the window shows, a forbidden operation or transition is refused and audited.
import { createHash, createPublicKey, randomUUID } from 'node:crypto';
import {
  KEY_ALGORITHMS,
  signatureFitsKey,
  type KeyAlgorithm,
  type SignatureAlgorithm,
} from '../../shared/algorithms';
import {
  DEFAULT_CRYPTOPERIOD_DAYS,
  KEY_PURPOSES,
  type KeyPurpose,
} from '../../shared/cryptoperiods';
import { MazeVaultError } from '../../shared/errors';
import { asKeyId } from '../../shared/ids';
import {
  allowedTransitions,
  isOperationAllowed,
  isTransitionAllowed,
  KEY_STATES,
  STATE_LABELS,
  type KeyOperation,
  type KeyState,
} from '../../shared/lifecycle';
import type { ProviderKind, ProviderRef } from '../providers/provider';
import type { ProviderRegistry } from '../providers/registry';
import type { SoftwareKeyProvider } from '../providers/software';
import type { Vault } from '../vault/vault';
import { ALTERED_FILE, newestAttestedEvent } from '../audit/attested';
import {
  countKeys,
  findKey,
  getKey,
  insertKey,
  listKeys,
  type KeyFilter,
  type KeyRecord,
} from './records';
import { isControlCharacter } from '../pki/names';

export interface GenerateKeyRequest {
  algorithm: KeyAlgorithm;
  label: string;
  purpose?: KeyPurpose;
  provider?: ProviderKind;
  owner?: string;
  /** Keys are Active at once unless the ceremony wants them Pre-active until activation. */
  activate?: boolean;
  cryptoperiodDays?: number;
  /** Provider-specific placement (e.g. which token); passed through to the provider. */
  providerOptions?: Record<string, unknown>;
}

export interface RegisterKeyRequest {
  label: string;
  algorithm: KeyAlgorithm;
  purpose: KeyPurpose;
  provider: ProviderKind;
  providerRef: ProviderRef;
  publicKey: Buffer;
  owner?: string;
  state?: KeyState;
  cryptoperiodDays?: number;
  details?: Record<string, unknown>;
}

export function spkiFingerprint(spki: Buffer): string {
  return createHash('sha256').update(spki).digest('hex');
}

/** Works out our algorithm name from an SPKI, or says which key type is not usable for signing. */
export function algorithmOfSpki(spki: Buffer): KeyAlgorithm {
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const name = `rsa-${details.modulusLength}` as KeyAlgorithm;
    if (KEY_ALGORITHMS.includes(name)) return name;
    throw new MazeVaultError(
      'UNSUPPORTED',
      `RSA keys of ${details.modulusLength} bits are not supported; use 2048, 3072 or 4096.`,
    );
  }
  if (key.asymmetricKeyType === 'ec') {
    const byCurve: Record<string, KeyAlgorithm> = {
      prime256v1: 'ec-p256',
      secp384r1: 'ec-p384',
      secp521r1: 'ec-p521',
    };
    const name = byCurve[details.namedCurve ?? ''];
    if (name) return name;
    throw new MazeVaultError(
      'UNSUPPORTED',
      `EC curve ${details.namedCurve} is not supported; use P-256, P-384 or P-521.`,
    );
  }
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  throw new MazeVaultError(
    'UNSUPPORTED',
    `${key.asymmetricKeyType} keys can be inspected but not used for signing here.`,
  );
}

export class KeyService {
  constructor(
    private readonly vault: Vault,
    private readonly providers: ProviderRegistry,
  ) {}

  async generate(request: GenerateKeyRequest): Promise<KeyRecord> {
    const label = request.label.trim();
    if (!label) throw new MazeVaultError('INVALID_INPUT', 'A key needs a label.');
    if ([...label].some(isControlCharacter)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'A key label must not hold control characters (newline, tab, escape…).',
      );
    }
    if (!KEY_ALGORITHMS.includes(request.algorithm)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `Unknown key algorithm ${request.algorithm}; use one of ${KEY_ALGORITHMS.join(', ')}.`,
      );
    }
    const purpose = request.purpose ?? 'general';
    if (!KEY_PURPOSES.includes(purpose)) {
      throw new MazeVaultError('INVALID_INPUT', `Unknown key purpose ${purpose}.`);
    }
    this.vault.requireUnlocked();

    const provider = this.providers.get(request.provider ?? 'software');
    const keyId = `key_${randomUUID()}`;
    const generated = await provider.generate({
      keyId,
      algorithm: request.algorithm,
      label,
      usage: 'sign',
      ...(request.providerOptions ? { placement: request.providerOptions } : {}),
    });

    try {
      return this.vault.transaction(() => {
        const record = this.newRecord(keyId, {
          label,
          algorithm: request.algorithm,
          purpose,
          provider: provider.kind,
          providerRef: generated.ref,
          publicKey: generated.publicKeySpki,
          owner: request.owner,
          state: request.activate === false ? 'pre-active' : 'active',
          cryptoperiodDays: request.cryptoperiodDays,
        });
        insertKey(this.vault.db, record, secretIdOfRef(generated.ref));
        this.vault.record({
          action: 'key.generate',
          subject: keyId,
          outcome: 'success',
          details: {
            label,
            algorithm: record.algorithm,
            provider: record.provider,
            purpose,
            state: record.state,
            spkiSha256: record.spkiSha256,
          },
        });
        return record;
      });
    } catch (error) {
      await provider.destroy(generated.ref).catch(() => undefined);
      throw error;
    }
  }

  /** Seals an imported private key into the vault as a software key. */
  importSoftwareKey(
    pkcs8: Buffer,
    meta: { label: string; purpose?: KeyPurpose; source: string; owner?: string },
  ): KeyRecord {
    const provider = this.providers.get('software') as SoftwareKeyProvider;
    const keyId = `key_${randomUUID()}`;
    return this.vault.transaction(() => {
      const generated = provider.importPkcs8(keyId, pkcs8);
      const record = this.newRecord(keyId, {
        label: meta.label,
        algorithm: algorithmOfSpki(generated.publicKeySpki),
        purpose: meta.purpose ?? 'general',
        provider: 'software',
        providerRef: generated.ref,
        publicKey: generated.publicKeySpki,
        owner: meta.owner,
        state: 'active',
      });
      insertKey(this.vault.db, record, secretIdOfRef(generated.ref));
      this.vault.record({
        action: 'key.import',
        subject: keyId,
        outcome: 'success',
        details: {
          label: record.label,
          algorithm: record.algorithm,
          source: meta.source,
          state: record.state,
          spkiSha256: record.spkiSha256,
        },
      });
      return record;
    });
  }

  /** Records a key that already exists in an external store (HSM discovery, KMS). */
  registerExternalKey(request: RegisterKeyRequest): KeyRecord {
    const keyId = `key_${randomUUID()}`;
    return this.vault.transaction(() => {
      const record = this.newRecord(keyId, { ...request, state: request.state ?? 'active' });
      insertKey(this.vault.db, record, null);
      this.vault.record({
        action: 'key.register',
        subject: keyId,
        outcome: 'success',
        details: {
          label: record.label,
          algorithm: record.algorithm,
          provider: record.provider,
          spkiSha256: record.spkiSha256,
          ...request.details,
          state: record.state,
        },
      });
      return record;
    });
  }

  get(id: string): KeyRecord {
    return getKey(this.vault.db, id);
  }

  find(id: string): KeyRecord | undefined {
    return findKey(this.vault.db, id);
  }

  list(filter?: KeyFilter): KeyRecord[] {
    return listKeys(this.vault.db, filter);
  }

  count(filter?: KeyFilter): number {
    return countKeys(this.vault.db, filter);
  }

  /** Where a new key in the same store as `key` should go (same token, same key ring). */
  placementOf(key: KeyRecord): Record<string, unknown> | undefined {
    return this.providers.get(key.provider).placementOf?.(key.providerRef);
  }

  /**
   * Refuses, and audits the refusal, when the key's state forbids the operation. Returns the key
   * for the caller to use.
   */
  assertOperation(id: string, operation: KeyOperation, context: string): KeyRecord {
    const key = this.get(id);
    this.assertStateAttested(key, operation, context);
    if (!isOperationAllowed(key.state, operation)) {
      this.vault.record({
        action: `key.${operation}`,
        subject: id,
        outcome: 'refused',
        details: { state: key.state, context },
      });
      throw new MazeVaultError(
        'FORBIDDEN_BY_LIFECYCLE',
        `Key "${key.label}" is ${STATE_LABELS[key.state]}: it may not ${operation} (NIST SP 800-57). ` +
          (key.state === 'pre-active' ? 'Activate it first.' : 'Use an active key.'),
      );
    }
    return key;
  }

  /**
   * The key's state is a column anyone who can write the vault file can edit; what counts is the
   * state its newest attested (MACed) creation or state-change event left it in. A row that
   * differs, e.g. a Compromised key set back to Active, is refused and the refusal audited.
   */
  private assertStateAttested(key: KeyRecord, operation: string, context: string): void {
    const attested = attestedKeyState(this.vault, key.id);
    if (attested === key.state) return;
    this.vault.record({
      action: `key.${operation}`,
      subject: key.id,
      outcome: 'refused',
      details: { state: key.state, attestedState: attested ?? null, context },
    });
    const history = attested
      ? `the audit trail's last state change left it ${STATE_LABELS[attested]}`
      : 'the audit trail holds no record of how it got there';
    throw new MazeVaultError(
      'VAULT_DAMAGED',
      `Key "${key.label}" (${key.id}) is ${STATE_LABELS[key.state]} in the vault file, but ` +
        `${history}: ${ALTERED_FILE}`,
    );
  }

  /**
   * Checks that the key may sign and that its store can sign now (a token present and logged in,
   * or its PIN at hand), before work that would be left half done if the signature failed.
   */
  async prepareToSign(id: string, context: string): Promise<KeyRecord> {
    const key = this.assertOperation(id, 'sign', context);
    this.vault.requireUnlocked();
    await this.providers.get(key.provider).prepareToSign?.(key.providerRef);
    return key;
  }

  /** Signs with a key after the lifecycle check; `context` says what is being signed, for the audit. */
  async sign(
    id: string,
    algorithm: SignatureAlgorithm,
    data: Uint8Array,
    context: string,
  ): Promise<Buffer> {
    const key = this.assertOperation(id, 'sign', context);
    if (!signatureFitsKey(algorithm, key.algorithm)) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `A ${key.algorithm} key cannot make ${algorithm} signatures.`,
      );
    }
    this.vault.requireUnlocked();
    const signature = await this.providers.get(key.provider).sign(key.providerRef, algorithm, data);
    this.vault.record({
      action: 'key.sign',
      subject: id,
      outcome: 'success',
      details: { algorithm, context },
    });
    return signature;
  }

  /**
   * The plain PKCS#8 of a software key, for an export the officer confirmed. Audited with the
   * format and destination the caller names.
   */
  exportPrivateKey(id: string, audit: { format: string; destination: string }): Buffer {
    const key = this.assertOperation(id, 'backup', `export as ${audit.format}`);
    const provider = this.providers.get(key.provider);
    if (!provider.capabilities.extractable || key.provider !== 'software') {
      throw new MazeVaultError(
        'UNSUPPORTED',
        `Key "${key.label}" lives in ${key.provider} and cannot leave it; export the certificate only.`,
      );
    }
    const pkcs8 = (provider as SoftwareKeyProvider).exportPkcs8(key.providerRef);
    this.vault.record({ action: 'key.export', subject: id, outcome: 'success', details: audit });
    return pkcs8;
  }

  /** Moves a key to another NIST SP 800-57 state. Destroyed removes the material for good. */
  async transition(id: string, to: KeyState, reason: string): Promise<KeyRecord> {
    const key = this.get(id);
    const why = reason.trim();
    if (!why) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'A state change needs a reason for the audit trail.',
      );
    }
    this.assertStateAttested(key, 'state-change', `to ${to}`);
    if (!isTransitionAllowed(key.state, to)) {
      this.vault.record({
        action: 'key.state-change',
        subject: id,
        outcome: 'refused',
        details: { from: key.state, to, reason: why },
      });
      const options = allowedTransitions(key.state).map((s) => STATE_LABELS[s]);
      throw new MazeVaultError(
        'FORBIDDEN_TRANSITION',
        `Key "${key.label}" cannot go from ${STATE_LABELS[key.state]} to ${STATE_LABELS[to]}` +
          (options.length ? `; allowed: ${options.join(', ')}.` : '; it is final.'),
      );
    }
    this.vault.requireUnlocked();
    if (to === 'destroyed') await this.providers.get(key.provider).destroy(key.providerRef);

    const now = new Date().toISOString();
    this.vault.transaction(() => {
      this.vault.db
        .prepare(
          `UPDATE keys SET state = @to, state_reason = @why, state_changed_at = @now,
             activation_date = CASE WHEN @to = 'active' AND activation_date IS NULL THEN @now ELSE activation_date END,
             deactivation_date = CASE WHEN @to IN ('deactivated', 'compromised', 'destroyed') AND deactivation_date IS NULL
               THEN @now ELSE deactivation_date END,
             secret_id = CASE WHEN @to = 'destroyed' THEN NULL ELSE secret_id END
           WHERE id = @id`,
        )
        .run({ to, why, now, id });
      this.vault.record({
        action: 'key.state-change',
        subject: id,
        outcome: 'success',
        details: { from: key.state, to, reason: why },
      });
    });
    return this.get(id);
  }

  private newRecord(
    id: string,
    fields: {
      label: string;
      algorithm: KeyAlgorithm;
      purpose: KeyPurpose;
      provider: ProviderKind;
      providerRef: ProviderRef;
      publicKey: Buffer;
      owner?: string;
      state: KeyState;
      cryptoperiodDays?: number;
    },
  ): KeyRecord {
    const now = new Date().toISOString();
    return {
      id: asKeyId(id),
      label: fields.label,
      algorithm: fields.algorithm,
      purpose: fields.purpose,
      provider: fields.provider,
      providerRef: fields.providerRef,
      owner: fields.owner ?? this.vault.actor,
      state: fields.state,
      stateReason: null,
      stateChangedAt: now,
      createdAt: now,
      activationDate: fields.state === 'active' ? now : null,
      deactivationDate: null,
      cryptoperiodDays: fields.cryptoperiodDays ?? DEFAULT_CRYPTOPERIOD_DAYS[fields.purpose],
      publicKey: fields.publicKey,
      spkiSha256: spkiFingerprint(fields.publicKey),
    };
  }
}

function secretIdOfRef(ref: ProviderRef): number | null {
  return typeof ref.secretId === 'number' ? ref.secretId : null;
}

const KEY_STATE_ACTIONS = ['key.generate', 'key.import', 'key.register', 'key.state-change'];

/**
 * The state a key's newest attested creation or state change left it in; undefined when the trail
 * has no such event. Imports and registrations before they recorded a state made keys Active.
 */
export function attestedKeyState(vault: Vault, keyId: string): KeyState | undefined {
  const event = newestAttestedEvent(vault, keyId, KEY_STATE_ACTIONS);
  if (!event) return undefined;
  const state = event.action === 'key.state-change' ? event.details.to : event.details.state;
  if (typeof state === 'string') {
    return (KEY_STATES as readonly string[]).includes(state) ? (state as KeyState) : undefined;
  }
  return event.action === 'key.generate' ? undefined : 'active';
}
