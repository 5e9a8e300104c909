// PKCS#11 profiles, slots, tokens and token keys as the window sees them. Nothing here carries a
// PIN or a provider reference: a token is named by its serial, a key by its CKA_ID and SPKI hash.
import type {
  ModuleInfoDto,
  SlotDto,
  TokenDto,
  TokenKeyDto,
  TokenPreset,
  TokenPresetId,
  TokenProfile,
} from '../../../shared/bridge/tokens-dto';
import type { TOKEN_PRESET_IDS } from '../../../shared/bridge/tokens-dto';
import type { ModuleInfo } from '../../providers/pkcs11/module';
import type { ModulePreset, PresetId } from '../../providers/pkcs11/presets';
import type { Pkcs11Profile } from '../../providers/pkcs11/profiles';
import type { DiscoveredKey } from '../../providers/pkcs11/service';
import type { SlotSummary, TokenSummary } from '../../providers/pkcs11/token-info';

// The contract mirrors the presets; a new preset must be added to both (compile time).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const presetIdsMatch: Same<(typeof TOKEN_PRESET_IDS)[number], PresetId> = true;
void presetIdsMatch;

const seconds = (ms: number): number => Math.max(1, Math.round(ms / 1000));

export function toPresetDto(
  preset: ModulePreset,
  platform: NodeJS.Platform,
  suggestedPath: string | undefined,
): TokenPreset {
  return {
    id: preset.id satisfies TokenPresetId,
    name: preset.name,
    paths: preset.paths[platform] ?? [],
    suggestedPath: suggestedPath ?? null,
    quirks: preset.quirks,
    pinHint: preset.pinHint,
    timeoutSeconds: seconds(preset.timeoutMs),
  };
}

export function toProfileDto(profile: Pkcs11Profile): TokenProfile {
  return {
    id: profile.id,
    name: profile.name,
    preset: profile.preset,
    modulePath: profile.modulePath,
    timeoutSeconds: seconds(profile.timeoutMs),
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
  };
}

export function toModuleInfoDto(path: string, info: ModuleInfo): ModuleInfoDto {
  return { path, ...info };
}

export function toTokenDto(token: TokenSummary, loggedIn: boolean): TokenDto {
  return { ...token, flags: { ...token.flags }, loggedIn };
}

export function toSlotDto(slot: SlotSummary, loggedIn: (serial: string) => boolean): SlotDto {
  return {
    slotId: slot.slotId,
    description: slot.description,
    manufacturer: slot.manufacturer,
    tokenPresent: slot.tokenPresent,
    removableDevice: slot.removableDevice,
    hardwareSlot: slot.hardwareSlot,
    token: slot.token ? toTokenDto(slot.token, loggedIn(slot.token.serial)) : null,
  };
}

export function toTokenKeyDto(key: DiscoveredKey): TokenKeyDto {
  return {
    ckaId: key.ckaId,
    label: key.label,
    algorithm: key.algorithm ?? null,
    unsupportedReason: key.unsupportedReason ?? null,
    spkiSha256: key.spkiSha256 ?? null,
    publicKeySource: key.publicKeySource,
    sensitive: key.sensitive,
    extractable: key.extractable,
    neverExtractable: key.neverExtractable,
    alwaysAuthenticate: key.alwaysAuthenticate,
    canSign: key.canSign,
    certificates: key.certificates.length,
    inventoryKeyId: key.inventoryKeyId ?? null,
  };
}
