// Slot, token and mechanism descriptions as the window and the CLI show them: padded PKCS#11
// strings trimmed, flag words decoded (PKCS#11 v2.40 §3.2 CK_SLOT_INFO, CK_TOKEN_INFO).
import { endianness } from 'node:os';
import { CKF_MECHANISM, CKF_SLOT, CKF_TOKEN, MECHANISM_NAMES } from './constants';

interface Version {
  major: number;
  minor: number;
}

export interface RawSlotInfo {
  slotDescription: string;
  manufacturerID: string;
  flags: number;
  hardwareVersion: Version;
  firmwareVersion: Version;
}

export interface RawTokenInfo {
  label: string;
  manufacturerID: string;
  model: string;
  serialNumber: string;
  flags: number;
  minPinLen: number;
  maxPinLen: number;
  hardwareVersion: Version;
  firmwareVersion: Version;
}

export interface RawMechanismInfo {
  type: number;
  minKeySize: number;
  maxKeySize: number;
  flags: number;
}

export interface TokenFlags {
  loginRequired: boolean;
  tokenInitialized: boolean;
  userPinInitialized: boolean;
  writeProtected: boolean;
  protectedAuthenticationPath: boolean;
  rng: boolean;
  userPinCountLow: boolean;
  userPinFinalTry: boolean;
  userPinLocked: boolean;
  userPinToBeChanged: boolean;
  soPinCountLow: boolean;
  soPinFinalTry: boolean;
  soPinLocked: boolean;
  soPinToBeChanged: boolean;
  /** The flag word as the token reported it, for support. */
  raw: number;
}

export interface TokenSummary {
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  hardwareVersion: string;
  firmwareVersion: string;
  minPinLength: number;
  maxPinLength: number;
  flags: TokenFlags;
}

export interface SlotSummary {
  /** The slot id as hex; only valid while the module stays loaded. Tokens are known by serial. */
  slotId: string;
  description: string;
  manufacturer: string;
  tokenPresent: boolean;
  removableDevice: boolean;
  hardwareSlot: boolean;
  token?: TokenSummary;
}

export interface MechanismSummary {
  type: number;
  name: string;
  minKeySize: number;
  maxKeySize: number;
  sign: boolean;
  verify: boolean;
  generateKeyPair: boolean;
  hardware: boolean;
}

const version = (v: Version): string => `${v.major}.${v.minor}`;
const trimmed = (s: string): string => s.replace(/[\s\0]+$/, '').trim();

export function decodeTokenFlags(flags: number): TokenFlags {
  const has = (bit: number): boolean => (flags & bit) !== 0;
  return {
    loginRequired: has(CKF_TOKEN.LOGIN_REQUIRED),
    tokenInitialized: has(CKF_TOKEN.TOKEN_INITIALIZED),
    userPinInitialized: has(CKF_TOKEN.USER_PIN_INITIALIZED),
    writeProtected: has(CKF_TOKEN.WRITE_PROTECTED),
    protectedAuthenticationPath: has(CKF_TOKEN.PROTECTED_AUTHENTICATION_PATH),
    rng: has(CKF_TOKEN.RNG),
    userPinCountLow: has(CKF_TOKEN.USER_PIN_COUNT_LOW),
    userPinFinalTry: has(CKF_TOKEN.USER_PIN_FINAL_TRY),
    userPinLocked: has(CKF_TOKEN.USER_PIN_LOCKED),
    userPinToBeChanged: has(CKF_TOKEN.USER_PIN_TO_BE_CHANGED),
    soPinCountLow: has(CKF_TOKEN.SO_PIN_COUNT_LOW),
    soPinFinalTry: has(CKF_TOKEN.SO_PIN_FINAL_TRY),
    soPinLocked: has(CKF_TOKEN.SO_PIN_LOCKED),
    soPinToBeChanged: has(CKF_TOKEN.SO_PIN_TO_BE_CHANGED),
    raw: flags,
  };
}

export function summariseToken(info: RawTokenInfo): TokenSummary {
  return {
    label: trimmed(info.label),
    manufacturer: trimmed(info.manufacturerID),
    model: trimmed(info.model),
    serial: trimmed(info.serialNumber),
    hardwareVersion: version(info.hardwareVersion),
    firmwareVersion: version(info.firmwareVersion),
    minPinLength: info.minPinLen,
    maxPinLength: info.maxPinLen,
    flags: decodeTokenFlags(info.flags),
  };
}

export function summariseSlot(slot: Buffer, info: RawSlotInfo, token?: RawTokenInfo): SlotSummary {
  return {
    slotId: slot.toString('hex'),
    description: trimmed(info.slotDescription),
    manufacturer: trimmed(info.manufacturerID),
    tokenPresent: (info.flags & CKF_SLOT.TOKEN_PRESENT) !== 0,
    removableDevice: (info.flags & CKF_SLOT.REMOVABLE_DEVICE) !== 0,
    hardwareSlot: (info.flags & CKF_SLOT.HW_SLOT) !== 0,
    ...(token ? { token: summariseToken(token) } : {}),
  };
}

export function summariseMechanism(info: RawMechanismInfo): MechanismSummary {
  return {
    type: info.type,
    name: MECHANISM_NAMES[info.type] ?? `0x${info.type.toString(16).padStart(8, '0')}`,
    minKeySize: info.minKeySize,
    maxKeySize: info.maxKeySize,
    sign: (info.flags & CKF_MECHANISM.SIGN) !== 0,
    verify: (info.flags & CKF_MECHANISM.VERIFY) !== 0,
    generateKeyPair: (info.flags & CKF_MECHANISM.GENERATE_KEY_PAIR) !== 0,
    hardware: (info.flags & CKF_MECHANISM.HW) !== 0,
  };
}

/** How messages name a token: its label and, because labels change, its serial. */
export function tokenName(token: { label: string; serial: string }): string {
  return `"${token.label}" (serial ${token.serial})`;
}

/**
 * The CK_SLOT_ID behind a slot id as we pass it around (the hex of the native CK_ULONG bytes that
 * pkcs11js hands out, so little-endian on x86 and ARM), as softhsm2-util and pkcs11-tool print it.
 */
export function slotNumber(slotIdHex: string): bigint {
  const bytes = Buffer.from(slotIdHex, 'hex');
  const ordered = endianness() === 'LE' ? Buffer.from(bytes).reverse() : bytes;
  return ordered.length ? BigInt(`0x${ordered.toString('hex')}`) : 0n;
}

/** "782934532 (0x2eaaa204)": decimal as softhsm2-util shows it, hex as pkcs11-tool does. */
export function slotNumberText(slotIdHex: string): string {
  const number = slotNumber(slotIdHex);
  return `${number} (0x${number.toString(16)})`;
}
