// Handlers for PKCS#11 tokens (issue #4): profiles, slots, mechanisms, login, objects, discovery
// and initialisation, all through the Pkcs11Service. PINs arrive in requests, stay in the main
// process (or sealed in the vault when the officer asks to remember one) and are never answered.
import { existsSync } from 'node:fs';
import type { TokenChannel } from '../../../shared/bridge/tokens-names';
import { MazeVaultError } from '../../../shared/errors';
import { suggestedModulePath } from '../../providers/pkcs11/presets';
import { algorithmsOffered } from '../../providers/pkcs11/token-algorithms';
import type { Services } from '../../services';
import type { HandlerGroup } from '../handler';
import { toKeyDto } from '../views/key-view';
import {
  toModuleInfoDto,
  toPresetDto,
  toProfileDto,
  toSlotDto,
  toTokenDto,
  toTokenKeyDto,
} from '../views/token-view';

/** The token with that serial as the module reports it now, with this session's login state. */
async function currentToken(services: Services, profileId: string, serial: string) {
  const { module } = await services.pkcs11.connect(profileId);
  const token = (await module.tokenList()).find((candidate) => candidate.serial === serial);
  if (!token) {
    throw new MazeVaultError(
      'TOKEN_ERROR',
      `No token with serial ${serial} is present; insert or reconnect it.`,
    );
  }
  return toTokenDto(token, module.isLoggedIn(serial));
}

export const tokensHandlers: HandlerGroup<TokenChannel> = {
  'tokens:presets': (_request, { app }) => {
    const { pkcs11 } = app.unlockedServices();
    const platform = process.platform;
    return {
      presets: pkcs11
        .presets()
        .map((preset) =>
          toPresetDto(preset, platform, suggestedModulePath(preset.id, existsSync, platform)),
        ),
    };
  },

  'tokens:profiles': (_request, { app }) => ({
    profiles: app.unlockedServices().pkcs11.listProfiles().map(toProfileDto),
  }),

  'tokens:check-module': async ({ modulePath }, { app }) => {
    const check = await app.unlockedServices().pkcs11.checkModule(modulePath);
    return toModuleInfoDto(check.path, check.info);
  },

  'tokens:save-profile': async (request, { app }) => {
    const profile = await app.unlockedServices().pkcs11.saveProfile({
      ...(request.id ? { id: request.id } : {}),
      name: request.name,
      preset: request.preset,
      modulePath: request.modulePath,
      ...(request.timeoutSeconds ? { timeoutMs: request.timeoutSeconds * 1000 } : {}),
    });
    return toProfileDto(profile);
  },

  'tokens:delete-profile': async ({ profileId }, { app }) => {
    const { pkcs11 } = app.unlockedServices();
    await pkcs11.deleteProfile(profileId);
    return { profiles: pkcs11.listProfiles().map(toProfileDto) };
  },

  'tokens:slots': async ({ profileId }, { app }) => {
    const { module } = await app.unlockedServices().pkcs11.connect(profileId);
    const slots = await module.slots();
    return {
      module: toModuleInfoDto(module.path, module.info),
      slots: slots.map((slot) => toSlotDto(slot, (serial) => module.isLoggedIn(serial))),
    };
  },

  'tokens:mechanisms': async ({ profileId, tokenSerial }, { app }) => {
    const mechanisms = await app.unlockedServices().pkcs11.mechanisms(profileId, tokenSerial);
    return { mechanisms, algorithms: algorithmsOffered(mechanisms) };
  },

  'tokens:login': async ({ profileId, tokenSerial, pin, remember }, { app }) => {
    const services = app.unlockedServices();
    await services.pkcs11.login(profileId, tokenSerial, pin, { remember });
    return currentToken(services, profileId, tokenSerial);
  },

  'tokens:logout': async ({ profileId, tokenSerial, forget }, { app }) => {
    const services = app.unlockedServices();
    await services.pkcs11.logout(profileId, tokenSerial);
    if (forget) services.pkcs11.forgetPin(profileId, tokenSerial);
    return currentToken(services, profileId, tokenSerial);
  },

  'tokens:objects': async ({ profileId, tokenSerial }, { app }) => {
    const keys = await app.unlockedServices().pkcs11.discoverKeys(profileId, tokenSerial);
    return { keys: keys.map(toTokenKeyDto) };
  },

  'tokens:discover-keys': async ({ profileId, tokenSerial, ckaIds }, { app, progress }) => {
    progress('Reading the keys on the token');
    const added = await app.unlockedServices().pkcs11.importKeys(profileId, tokenSerial, ckaIds);
    return { added: added.map(toKeyDto) };
  },

  'tokens:initialize': async (request, { app }) => {
    const services = app.unlockedServices();
    const token = await services.pkcs11.initToken(
      request.profileId,
      request.tokenSerial ? { serial: request.tokenSerial } : { slotId: request.slotId! },
      {
        soPin: request.soPin,
        label: request.label,
        userPin: request.userPin,
        confirm: request.confirmed,
      },
    );
    return toTokenDto(token, false);
  },
};
