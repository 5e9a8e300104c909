// The KeyProvider seam: issuance calls `sign` and never asks where the key lives, so a root CA in
// an HSM, in a cloud KMS and in the local vault go through the same code.
import type { KeyAlgorithm, SignatureAlgorithm } from '../../shared/algorithms';

export type ProviderKind = 'software' | 'pkcs11' | 'aws-kms' | 'azure-kv' | 'gcp-kms';

/** Where a provider keeps a key; stored as JSON on the key record. Opaque to everyone else. */
export type ProviderRef = Record<string, unknown>;

export interface KeySpec {
  /** The id the key will have in the vault; providers bind it into what they store. */
  keyId: string;
  algorithm: KeyAlgorithm;
  label: string;
  /** What the key may do on its store, for stores that enforce usage (HSM attributes, KMS usage). */
  usage: 'sign' | 'encrypt';
  /** Provider-specific placement chosen by the officer (which token, which KMS key ring…). */
  placement?: Record<string, unknown>;
}

export interface GeneratedKey {
  ref: ProviderRef;
  /** SubjectPublicKeyInfo, DER. */
  publicKeySpki: Buffer;
}

export interface ProviderCapabilities {
  /** The private key can leave the store (software keys; never HSM or KMS keys). */
  extractable: boolean;
  /** Existing private keys can be imported into the store. */
  importable: boolean;
  /** The store can disable a key without destroying it. */
  disable: boolean;
  algorithms: readonly KeyAlgorithm[];
}

export interface KeyProvider {
  readonly kind: ProviderKind;
  readonly capabilities: ProviderCapabilities;
  generate(spec: KeySpec): Promise<GeneratedKey>;
  publicKey(ref: ProviderRef): Promise<Buffer>;
  /**
   * Signs `data` (the whole message, e.g. a DER TBSCertificate; the provider hashes as the
   * algorithm requires). Returns the signature as X.509 carries it: ECDSA as DER Ecdsa-Sig-Value.
   */
  sign(ref: ProviderRef, algorithm: SignatureAlgorithm, data: Uint8Array): Promise<Buffer>;
  /**
   * Where a successor of this key belongs (same token, same key ring), for renewals that make a
   * new key in the store the old one lived in. Stores with a single place need not implement it.
   */
  placementOf?(ref: ProviderRef): Record<string, unknown>;
  /**
   * Makes sure a `sign` now would not stop for lack of a session (a token's login, a PIN), so work
   * that must not be left half done can check first. Stores that need nothing need not implement it.
   */
  prepareToSign?(ref: ProviderRef): Promise<void>;
  /** Removes the key material from the store. Metadata stays with the caller. */
  destroy(ref: ProviderRef): Promise<void>;
}
