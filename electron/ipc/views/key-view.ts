// A key record as the window sees it: metadata, the public key and what its state allows. The
// provider reference (where the private key lives) stays in the main process.
import { createPublicKey } from 'node:crypto';
import type { KeyDto } from '../../../shared/contract';
import {
  allowedOperations,
  allowedTransitions,
  hasKeyMaterial,
  STATE_LABELS,
} from '../../../shared/lifecycle';
import type { PROVIDER_KINDS } from '../../../shared/dto';
import type { KeyRecord } from '../../keys/records';
import type { ProviderKind } from '../../providers/provider';

// The contract mirrors the provider kinds; a new provider must be added to both (compile time).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const providerKindsMatch: Same<(typeof PROVIDER_KINDS)[number], ProviderKind> = true;
void providerKindsMatch;

const DAY_MS = 86_400_000;

export function publicKeyPemOf(spki: Buffer): string {
  return createPublicKey({ key: spki, format: 'der', type: 'spki' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
}

export function toKeyDto(key: KeyRecord): KeyDto {
  // NIST SP 800-57 Part 1 §5.3: the originator-usage period runs from activation.
  const start = Date.parse(key.activationDate ?? key.createdAt);
  return {
    id: key.id,
    label: key.label,
    algorithm: key.algorithm,
    purpose: key.purpose,
    provider: key.provider,
    owner: key.owner,
    state: key.state,
    stateLabel: STATE_LABELS[key.state],
    stateReason: key.stateReason,
    stateChangedAt: key.stateChangedAt,
    createdAt: key.createdAt,
    activationDate: key.activationDate,
    deactivationDate: key.deactivationDate,
    cryptoperiodDays: key.cryptoperiodDays,
    cryptoperiodEnds: new Date(start + key.cryptoperiodDays * DAY_MS).toISOString(),
    publicKeyPem: publicKeyPemOf(key.publicKey),
    spkiSha256: key.spkiSha256,
    allowedOperations: [...allowedOperations(key.state)],
    allowedTransitions: [...allowedTransitions(key.state)],
    hasMaterial: hasKeyMaterial(key.state),
  };
}
