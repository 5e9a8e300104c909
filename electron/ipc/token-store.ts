// "HSM token" as the key store of a ceremony or an issuance: the window names a profile and a
// token by serial; this checks that the token is present, logged in (or has a remembered PIN) and
// can make the chosen key, and turns the choice into the pkcs11 provider's placement.
import type { KeyAlgorithm } from '../../shared/algorithms';
import { MazeVaultError } from '../../shared/errors';
import { algorithmsOffered } from '../providers/pkcs11/token-algorithms';
import type { Services } from '../services';
import { ALGORITHM_NAMES } from './views/algorithm-names';

export interface TokenChoice {
  profileId: string;
  tokenSerial: string;
}

export async function tokenPlacement(
  services: Services,
  token: TokenChoice | undefined,
  algorithm: KeyAlgorithm,
): Promise<{ profile: string; tokenSerial: string }> {
  if (!token) {
    throw new MazeVaultError(
      'INVALID_INPUT',
      'Choose the connection profile and the token to keep the key on.',
    );
  }
  const { pkcs11 } = services;
  const serial = await pkcs11.resolveTokenSerial(token.profileId, { serial: token.tokenSerial });

  const offered = algorithmsOffered(await pkcs11.mechanisms(token.profileId, serial));
  if (!offered.includes(algorithm)) {
    throw new MazeVaultError(
      'UNSUPPORTED',
      `Token ${serial} cannot generate and sign with ${ALGORITHM_NAMES[algorithm]} keys; ` +
        (offered.length
          ? `choose one of ${offered.map((a) => ALGORITHM_NAMES[a]).join(', ')}.`
          : 'it offers no key pair generation MazeVault can use.'),
    );
  }

  const loggedIn =
    (await pkcs11.isLoggedIn(token.profileId, serial)) ||
    (await pkcs11.loginWithRememberedPin(token.profileId, serial));
  if (!loggedIn) {
    throw new MazeVaultError(
      'TOKEN_ERROR',
      `Token ${serial} is not logged in; enter its user PIN (in the key step or on the Tokens ` +
        'page), then try again.',
    );
  }
  return { profile: token.profileId, tokenSerial: serial };
}
