// What the window sees of PKCS#11 modules, slots, tokens and token objects (issue #4). No schema
// here has a field for a PIN: PINs travel window → main in requests only and never come back.
import { z } from 'zod';
import { KEY_ALGORITHMS } from '../algorithms';
import { filePath, id, isoTime, keyDto, sha256Hex } from '../dto';

/** Mirrors PRESET_IDS in electron/providers/pkcs11/presets.ts (checked in the handlers). */
export const TOKEN_PRESET_IDS = [
  'softhsm2',
  'luna',
  'nshield',
  'utimaco',
  'cloudhsm',
  'yubihsm2',
  'opensc',
  'custom',
] as const;
export const tokenPresetId = z.enum(TOKEN_PRESET_IDS);
export type TokenPresetId = z.infer<typeof tokenPresetId>;

/** PKCS#11 CK_TOKEN_INFO.serialNumber: 16 characters, a little more for odd modules. */
export const tokenSerial = z.string().trim().min(1).max(64);
/** A slot id as hex, valid while the module stays loaded. */
export const slotId = z.string().regex(/^[0-9a-f]{1,32}$/, 'a slot id in lowercase hex');
/** CKA_ID in lowercase hex. */
export const ckaId = z.string().regex(/^([0-9a-f]{2}){0,128}$/, 'a CKA_ID in lowercase hex');

export const tokenPreset = z.strictObject({
  id: tokenPresetId,
  name: z.string(),
  /** The usual module paths on this computer's platform, in the order they are tried. */
  paths: z.array(filePath),
  /** The first usual path that exists here; null when none does. */
  suggestedPath: filePath.nullable(),
  quirks: z.array(z.string()),
  pinHint: z.string(),
  timeoutSeconds: z.number().int().positive(),
});
export type TokenPreset = z.infer<typeof tokenPreset>;

export const tokenProfile = z.strictObject({
  id,
  name: z.string(),
  preset: tokenPresetId,
  modulePath: filePath,
  timeoutSeconds: z.number().int().positive(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type TokenProfile = z.infer<typeof tokenProfile>;

export const moduleInfo = z.strictObject({
  path: filePath,
  cryptokiVersion: z.string(),
  manufacturer: z.string(),
  description: z.string(),
  libraryVersion: z.string(),
});
export type ModuleInfoDto = z.infer<typeof moduleInfo>;

export const tokenFlags = z.strictObject({
  loginRequired: z.boolean(),
  tokenInitialized: z.boolean(),
  userPinInitialized: z.boolean(),
  writeProtected: z.boolean(),
  protectedAuthenticationPath: z.boolean(),
  rng: z.boolean(),
  userPinCountLow: z.boolean(),
  userPinFinalTry: z.boolean(),
  userPinLocked: z.boolean(),
  userPinToBeChanged: z.boolean(),
  soPinCountLow: z.boolean(),
  soPinFinalTry: z.boolean(),
  soPinLocked: z.boolean(),
  soPinToBeChanged: z.boolean(),
  raw: z.number().int().nonnegative(),
});
export type TokenFlagsDto = z.infer<typeof tokenFlags>;

export const tokenDto = z.strictObject({
  label: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  serial: z.string(),
  hardwareVersion: z.string(),
  firmwareVersion: z.string(),
  minPinLength: z.number().int().nonnegative(),
  maxPinLength: z.number().int().nonnegative(),
  flags: tokenFlags,
  /** This window's session holds the user PIN for the token. */
  loggedIn: z.boolean(),
});
export type TokenDto = z.infer<typeof tokenDto>;

export const slotDto = z.strictObject({
  slotId,
  description: z.string(),
  manufacturer: z.string(),
  tokenPresent: z.boolean(),
  removableDevice: z.boolean(),
  hardwareSlot: z.boolean(),
  token: tokenDto.nullable(),
});
export type SlotDto = z.infer<typeof slotDto>;

export const mechanismDto = z.strictObject({
  type: z.number().int().nonnegative(),
  name: z.string(),
  minKeySize: z.number().int().nonnegative(),
  maxKeySize: z.number().int().nonnegative(),
  sign: z.boolean(),
  verify: z.boolean(),
  generateKeyPair: z.boolean(),
  hardware: z.boolean(),
});
export type MechanismDto = z.infer<typeof mechanismDto>;

/** A private key on the token, as discovery describes it (never its value: it has none to give). */
export const tokenKeyDto = z.strictObject({
  ckaId,
  label: z.string(),
  algorithm: z.enum(KEY_ALGORITHMS).nullable(),
  unsupportedReason: z.string().nullable(),
  spkiSha256: sha256Hex.nullable(),
  publicKeySource: z.enum(['public-key-object', 'private-key-attributes', 'certificate', 'none']),
  sensitive: z.boolean(),
  extractable: z.boolean(),
  neverExtractable: z.boolean(),
  alwaysAuthenticate: z.boolean(),
  canSign: z.boolean(),
  certificates: z.number().int().nonnegative(),
  /** The inventory key this token key is recorded as; null when it is not in the vault yet. */
  inventoryKeyId: id.nullable(),
});
export type TokenKeyDto = z.infer<typeof tokenKeyDto>;

export const discoveredKeys = z.strictObject({ added: z.array(keyDto) });
