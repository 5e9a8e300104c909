// Which key algorithms a token can both generate and sign with, read from its mechanism list
// (PKCS#11 v2.40 §5.5 C_GetMechanismInfo), so the window offers only what the token can do.
import {
  defaultSignatureAlgorithm,
  KEY_ALGORITHMS,
  keyFamily,
  rsaModulusBits,
  type KeyAlgorithm,
} from '../../../shared/algorithms';
import { CKM } from './constants';
import { mechanismsFor } from './signing';
import type { MechanismSummary } from './token-info';

/** Key sizes in bits as CK_MECHANISM_INFO counts them for EC and EdDSA keys. */
const CURVE_BITS: Partial<Record<KeyAlgorithm, number>> = {
  'ec-p256': 256,
  'ec-p384': 384,
  'ec-p521': 521,
  ed25519: 256,
};

const GENERATION: Record<ReturnType<typeof keyFamily>, number> = {
  rsa: CKM.RSA_PKCS_KEY_PAIR_GEN,
  ec: CKM.EC_KEY_PAIR_GEN,
  ed25519: CKM.EC_EDWARDS_KEY_PAIR_GEN,
};

/** A size range of 0..0 means the module did not say; trust the mechanism then. */
function fits(mechanism: MechanismSummary, bits: number | undefined): boolean {
  if (bits === undefined) return true;
  if (mechanism.minKeySize === 0 && mechanism.maxKeySize === 0) return true;
  return bits >= mechanism.minKeySize && bits <= mechanism.maxKeySize;
}

export function algorithmsOffered(mechanisms: readonly MechanismSummary[]): KeyAlgorithm[] {
  const byType = new Map(mechanisms.map((mechanism) => [mechanism.type, mechanism]));
  return KEY_ALGORITHMS.filter((algorithm) => {
    const bits = rsaModulusBits(algorithm) ?? CURVE_BITS[algorithm];
    const generate = byType.get(GENERATION[keyFamily(algorithm)]);
    if (!generate || !generate.generateKeyPair || !fits(generate, bits)) return false;
    return mechanismsFor(defaultSignatureAlgorithm(algorithm)).some((type) => {
      const sign = byType.get(type);
      return sign !== undefined && sign.sign && fits(sign, bits);
    });
  });
}
