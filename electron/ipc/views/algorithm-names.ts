// Key algorithm names as messages from the main process write them.
import type { KeyAlgorithm } from '../../../shared/algorithms';

export const ALGORITHM_NAMES: Record<KeyAlgorithm, string> = {
  'rsa-2048': 'RSA 2048',
  'rsa-3072': 'RSA 3072',
  'rsa-4096': 'RSA 4096',
  'ec-p256': 'EC P-256',
  'ec-p384': 'EC P-384',
  'ec-p521': 'EC P-521',
  ed25519: 'Ed25519',
};
