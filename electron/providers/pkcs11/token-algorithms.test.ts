import { describe, expect, it } from 'vitest';
import { CKM } from './constants';
import { algorithmsOffered } from './token-algorithms';
import type { MechanismSummary } from './token-info';

function mechanism(
  type: number,
  range: [number, number],
  use: { sign?: boolean; generateKeyPair?: boolean },
): MechanismSummary {
  return {
    type,
    name: `0x${type.toString(16)}`,
    minKeySize: range[0],
    maxKeySize: range[1],
    sign: use.sign ?? false,
    verify: use.sign ?? false,
    generateKeyPair: use.generateKeyPair ?? false,
    hardware: false,
  };
}

describe('the key algorithms a token offers', () => {
  it('offers RSA sizes within the generation range when the token can sign with them', () => {
    const offered = algorithmsOffered([
      mechanism(CKM.RSA_PKCS_KEY_PAIR_GEN, [1024, 3072], { generateKeyPair: true }),
      mechanism(CKM.RSA_PKCS, [1024, 4096], { sign: true }),
    ]);
    expect(offered).toEqual(['rsa-2048', 'rsa-3072']);
  });

  it('offers no EC curve without an ECDSA signing mechanism', () => {
    const offered = algorithmsOffered([
      mechanism(CKM.EC_KEY_PAIR_GEN, [256, 521], { generateKeyPair: true }),
    ]);
    expect(offered).toEqual([]);
  });

  it('offers the curves of the range and Ed25519 only with EdDSA key generation', () => {
    const offered = algorithmsOffered([
      mechanism(CKM.EC_KEY_PAIR_GEN, [256, 384], { generateKeyPair: true }),
      mechanism(CKM.ECDSA, [256, 384], { sign: true }),
      mechanism(CKM.EDDSA, [256, 456], { sign: true }),
    ]);
    expect(offered).toEqual(['ec-p256', 'ec-p384']);
  });

  it('trusts a mechanism whose module reports no key size range', () => {
    const offered = algorithmsOffered([
      mechanism(CKM.EC_EDWARDS_KEY_PAIR_GEN, [0, 0], { generateKeyPair: true }),
      mechanism(CKM.EDDSA, [0, 0], { sign: true }),
    ]);
    expect(offered).toEqual(['ed25519']);
  });
});
