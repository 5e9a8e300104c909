import { describe, expect, it } from 'vitest';
import {
  KEY_STATES,
  allowedOperations,
  isOperationAllowed,
  isTransitionAllowed,
  allowedTransitions,
} from './lifecycle';

describe('the NIST SP 800-57 lifecycle table', () => {
  it('lets only an active key sign or encrypt', () => {
    const signers = KEY_STATES.filter((state) => isOperationAllowed(state, 'sign'));
    const encrypters = KEY_STATES.filter((state) => isOperationAllowed(state, 'encrypt'));
    expect(signers).toEqual(['active']);
    expect(encrypters).toEqual(['active']);
  });

  it('allows nothing on a destroyed key and no way out of Destroyed', () => {
    expect(allowedOperations('destroyed')).toEqual([]);
    expect(allowedTransitions('destroyed')).toEqual([]);
  });

  it('never returns to Pre-active and never leaves Compromised except to Destroyed', () => {
    for (const state of KEY_STATES) expect(isTransitionAllowed(state, 'pre-active')).toBe(false);
    expect(allowedTransitions('compromised')).toEqual(['destroyed']);
    expect(isTransitionAllowed('deactivated', 'active')).toBe(false);
  });

  it('keeps verification for investigation on a compromised key', () => {
    expect(allowedOperations('compromised')).toEqual(['verify', 'revoke', 'replace']);
    expect(allowedOperations('suspended')).toEqual(['verify', 'decrypt']);
    expect(allowedOperations('pre-active')).toEqual(['backup']);
  });
});
