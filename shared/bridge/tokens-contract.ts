// The bridge channels for PKCS#11 tokens (issue #4), with their request and response schemas.
// PINs are request fields only: typed in the window, held in the main process, never answered.
import { z } from 'zod';
import { KEY_ALGORITHMS } from '../algorithms';
import type { ChannelSpec } from '../contract';
import { filePath, id } from '../dto';
import type { TokenChannel } from './tokens-names';
import {
  ckaId,
  discoveredKeys,
  mechanismDto,
  moduleInfo,
  slotDto,
  slotId,
  tokenDto,
  tokenKeyDto,
  tokenPreset,
  tokenPresetId,
  tokenProfile,
  tokenSerial,
} from './tokens-dto';

const empty = z.strictObject({}).default({});
/** PKCS#11 leaves PIN length to the token; 255 covers every module we know (SoftHSM's maximum). */
const pin = z.string().min(1).max(255);
const onToken = z.strictObject({ profileId: id, tokenSerial });

export const TOKEN_CONTRACT = {
  'tokens:presets': {
    request: empty,
    response: z.strictObject({ presets: z.array(tokenPreset) }),
  },
  'tokens:profiles': {
    request: empty,
    response: z.strictObject({ profiles: z.array(tokenProfile) }),
  },
  /** Loads the module once to check it: exists, is a PKCS#11 library, initialises. */
  'tokens:check-module': {
    request: z.strictObject({ modulePath: filePath }),
    response: moduleInfo,
    long: true,
    progressMessage: 'Checking the PKCS#11 module',
  },
  /** Checks the module path, then saves the profile (a new one without `id`). */
  'tokens:save-profile': {
    request: z.strictObject({
      id: id.optional(),
      name: z.string().trim().min(1).max(100),
      preset: tokenPresetId,
      modulePath: filePath,
      timeoutSeconds: z.number().int().min(1).max(600).optional(),
    }),
    response: tokenProfile,
    long: true,
    progressMessage: 'Checking the PKCS#11 module and saving the profile',
  },
  'tokens:delete-profile': {
    request: z.strictObject({ profileId: id }),
    response: z.strictObject({ profiles: z.array(tokenProfile) }),
  },
  'tokens:slots': {
    request: z.strictObject({ profileId: id }),
    response: z.strictObject({ module: moduleInfo, slots: z.array(slotDto) }),
  },
  /** The token's mechanisms, and the key algorithms it can generate and sign with. */
  'tokens:mechanisms': {
    request: onToken,
    response: z.strictObject({
      mechanisms: z.array(mechanismDto),
      algorithms: z.array(z.enum(KEY_ALGORITHMS)),
    }),
  },
  /** The PIN stays in the main process; with `remember` it is also sealed in the vault. */
  'tokens:login': {
    request: z.strictObject({
      profileId: id,
      tokenSerial,
      pin,
      remember: z.boolean().default(false),
    }),
    response: tokenDto,
  },
  /** Logs out and, with `forget`, erases a remembered PIN too. */
  'tokens:logout': {
    request: z.strictObject({ profileId: id, tokenSerial, forget: z.boolean().default(false) }),
    response: tokenDto,
  },
  /** The private keys on the token (after login: private objects are invisible before). */
  'tokens:objects': {
    request: onToken,
    response: z.strictObject({ keys: z.array(tokenKeyDto) }),
  },
  /** Adds the token's usable keys (all, or those CKA_IDs) to the inventory, with certificates. */
  'tokens:discover-keys': {
    request: z.strictObject({
      profileId: id,
      tokenSerial,
      ckaIds: z.array(ckaId).max(1000).optional(),
    }),
    response: discoveredKeys,
    long: true,
    progressMessage: 'Adding the token keys to the inventory',
  },
  /** Erases the token and sets label, SO PIN and user PIN; refused without `confirmed: true`. */
  'tokens:initialize': {
    request: z
      .strictObject({
        profileId: id,
        tokenSerial: tokenSerial.optional(),
        slotId: slotId.optional(),
        label: z.string().trim().min(1).max(32),
        soPin: pin,
        userPin: pin,
        confirmed: z.boolean().default(false),
      })
      .refine((request) => Boolean(request.tokenSerial) !== Boolean(request.slotId), {
        message: 'name the token by serial or the blank slot by id, one of the two',
      }),
    response: tokenDto,
    long: true,
    progressMessage: 'Initialising the token',
  },
} as const satisfies Record<TokenChannel, ChannelSpec>;
