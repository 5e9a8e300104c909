// NIST SP 800-57 Part 1 Rev. 5 §5.3: key states, the transitions between them and what each state
// allows. This table is the single source: the window greys out from it, the main process enforces it.

export const KEY_STATES = [
  'pre-active',
  'active',
  'suspended',
  'deactivated',
  'compromised',
  'destroyed',
] as const;
export type KeyState = (typeof KEY_STATES)[number];

export const KEY_OPERATIONS = [
  'sign',
  'verify',
  'encrypt',
  'decrypt',
  'backup',
  'revoke',
  'replace',
] as const;
export type KeyOperation = (typeof KEY_OPERATIONS)[number];

export const STATE_LABELS: Record<KeyState, string> = {
  'pre-active': 'Pre-active',
  active: 'Active',
  suspended: 'Suspended',
  deactivated: 'Deactivated',
  compromised: 'Compromised',
  destroyed: 'Destroyed',
};

/**
 * Operations allowed in each state. `backup` covers every copy of the private key out of its
 * store (PKCS#12, PKCS#8): a pre-active key may be backed up before use (§5.3.1), and an active
 * one may be exported for deployment.
 */
const ALLOWED_OPERATIONS: Record<KeyState, readonly KeyOperation[]> = {
  'pre-active': ['backup'],
  active: ['sign', 'verify', 'encrypt', 'decrypt', 'backup'],
  suspended: ['verify', 'decrypt'],
  deactivated: ['verify', 'decrypt'],
  compromised: ['verify', 'revoke', 'replace'],
  destroyed: [],
};

/**
 * Allowed transitions (§5.3, figure 3). Suspension is a pause within the active phase, so
 * Suspended → Active is a return to the same phase, not to an earlier one.
 */
const ALLOWED_TRANSITIONS: Record<KeyState, readonly KeyState[]> = {
  'pre-active': ['active', 'compromised', 'destroyed'],
  active: ['suspended', 'deactivated', 'compromised'],
  suspended: ['active', 'deactivated', 'compromised'],
  deactivated: ['compromised', 'destroyed'],
  compromised: ['destroyed'],
  destroyed: [],
};

export function allowedOperations(state: KeyState): readonly KeyOperation[] {
  return ALLOWED_OPERATIONS[state];
}

export function isOperationAllowed(state: KeyState, operation: KeyOperation): boolean {
  return ALLOWED_OPERATIONS[state].includes(operation);
}

export function allowedTransitions(state: KeyState): readonly KeyState[] {
  return ALLOWED_TRANSITIONS[state];
}

export function isTransitionAllowed(from: KeyState, to: KeyState): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** Whether the key's material still exists (Destroyed keeps only the metadata). */
export function hasKeyMaterial(state: KeyState): boolean {
  return state !== 'destroyed';
}
