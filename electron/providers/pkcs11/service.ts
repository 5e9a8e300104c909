// The PKCS#11 service the IPC router and the CLI call: profiles, module checks, slots and tokens,
// login and logout, token initialisation, key discovery and certificates on the token. It owns
// the loaded modules and registers the pkcs11 KeyProvider when the first profile connects.
import { MazeVaultError } from '../../../shared/errors';
import type { KeyService } from '../../keys/service';
import type { KeyRecord } from '../../keys/records';
import type { CertificateService } from '../../pki/certificates';
import type { ProviderRegistry } from '../registry';
import type { Vault } from '../../vault/vault';
import { checkModulePath, type ModuleCheck } from './module-check';
import { Pkcs11Module } from './module';
import { listPrivateKeys, writeCertificate, type TokenKey } from './objects';
import { PRESETS, type ModulePreset, type PresetId } from './presets';
import {
  deleteProfile,
  forgetPin,
  getProfile,
  listProfiles,
  rememberedPin,
  rememberPin,
  saveProfile,
  type Pkcs11Profile,
} from './profiles';
import { asPkcs11Ref, Pkcs11KeyProvider, type Pkcs11Connections } from './provider';
import { type MechanismSummary, type SlotSummary, type TokenSummary } from './token-info';

/** A key found on a token, with the inventory key it is already recorded as (if any). */
export interface DiscoveredKey extends Omit<TokenKey, 'spki' | 'certificates'> {
  inventoryKeyId?: string;
  /** DER certificates stored with the same CKA_ID. */
  certificates: Buffer[];
}

/** Asked for a token's user PIN when a key operation finds the token logged out. */
export type PinSupplier = (request: {
  profile: string;
  tokenSerial: string;
}) => Promise<string | undefined>;

export class Pkcs11Service implements Pkcs11Connections {
  private readonly modules = new Map<string, Pkcs11Module>();
  private readonly provider: Pkcs11KeyProvider;
  private pinSupplier: PinSupplier | undefined;

  constructor(
    private readonly vault: Vault,
    private readonly providers: ProviderRegistry,
    private readonly keys: KeyService,
    private readonly certificates?: CertificateService,
  ) {
    // Logout on lock and on quit: the PINs go with the data key.
    vault.onLock(() => void this.logoutAll());
    // Registered from the start, so a token key recorded in an earlier session can sign as soon
    // as its token is reachable; the provider connects the key's profile on first use.
    this.provider = new Pkcs11KeyProvider(vault, this);
    this.providers.register(this.provider);
  }

  /**
   * Where a PIN comes from when a signature needs a token that is not logged in: the CLI asks
   * its --pin-file, MAZEVAULT_PKCS11_PIN or the terminal; the window asks the officer.
   */
  setPinSupplier(supplier: PinSupplier | undefined): void {
    this.pinSupplier = supplier;
  }

  /** Logs in to the key's token if needed: remembered PIN first, then the PIN supplier. */
  async ensureLoggedIn(profile: string, tokenSerial: string): Promise<void> {
    if (await this.isLoggedIn(profile, tokenSerial)) return;
    if (await this.loginWithRememberedPin(profile, tokenSerial)) return;
    const pin = await this.pinSupplier?.({ profile, tokenSerial });
    if (pin === undefined) {
      throw new MazeVaultError(
        'TOKEN_ERROR',
        `Token ${tokenSerial} is not logged in; log in with its user PIN first ` +
          '(CLI: --pin-file FILE or MAZEVAULT_PKCS11_PIN).',
      );
    }
    await this.login(profile, tokenSerial, pin);
  }

  presets(): ModulePreset[] {
    return Object.values(PRESETS);
  }

  listProfiles(): Pkcs11Profile[] {
    return listProfiles(this.vault);
  }

  /** Checks the module path, then saves the profile. */
  async saveProfile(input: {
    id?: string;
    name: string;
    preset: PresetId;
    modulePath: string;
    timeoutMs?: number;
  }): Promise<Pkcs11Profile> {
    this.vault.requireUnlocked();
    await checkModulePath(input.modulePath);
    return saveProfile(this.vault, input);
  }

  async deleteProfile(idOrName: string): Promise<void> {
    const profile = getProfile(this.vault, idOrName);
    await this.disconnect(profile.id);
    deleteProfile(this.vault, profile.id);
  }

  checkModule(path: string): Promise<ModuleCheck> {
    return checkModulePath(path);
  }

  /** Loads the profile's module (once) and makes the pkcs11 provider available to the key service. */
  async connect(idOrName: string): Promise<{ profileId: string; module: Pkcs11Module }> {
    const profile = getProfile(this.vault, idOrName);
    let module = this.modules.get(profile.id);
    if (!module) {
      module = await Pkcs11Module.open(profile.modulePath, { timeoutMs: profile.timeoutMs });
      this.modules.set(profile.id, module);
      this.vault.record({
        action: 'token.connect',
        subject: profile.id,
        outcome: 'success',
        details: {
          name: profile.name,
          modulePath: module.path,
          module: `${module.info.manufacturer} ${module.info.libraryVersion}`,
        },
      });
    }
    return { profileId: profile.id, module };
  }

  async listSlots(profile: string): Promise<SlotSummary[]> {
    return (await this.connect(profile)).module.slots();
  }

  async listTokens(profile: string): Promise<TokenSummary[]> {
    return (await this.connect(profile)).module.tokenList();
  }

  async mechanisms(profile: string, tokenSerial: string): Promise<MechanismSummary[]> {
    return (await this.connect(profile)).module.mechanisms(tokenSerial);
  }

  /**
   * A token's serial from its serial or label; a label shared by two tokens is refused, naming
   * each candidate as `howToName` writes it (the CLI: the option form that selects it).
   */
  async resolveTokenSerial(
    profile: string,
    token: { serial?: string; label?: string },
    howToName: (serial: string) => string = (serial) => serial,
  ): Promise<string> {
    const tokens = await this.listTokens(profile);
    if (token.serial) {
      if (!tokens.some((t) => t.serial === token.serial)) {
        throw new MazeVaultError(
          'TOKEN_ERROR',
          `No token with serial ${token.serial} is present; insert or reconnect it.`,
        );
      }
      return token.serial;
    }
    const usable = tokens.filter((t) => t.flags.tokenInitialized);
    const matches = token.label ? usable.filter((t) => t.label === token.label) : usable;
    if (matches.length === 1) return matches[0]!.serial;
    if (matches.length === 0) {
      throw new MazeVaultError(
        'TOKEN_ERROR',
        token.label
          ? `No initialised token labelled "${token.label}" is present.`
          : 'No initialised token is present.',
      );
    }
    throw new MazeVaultError(
      'INVALID_INPUT',
      `${matches.length} tokens match${token.label ? ` "${token.label}"` : ''}; name the token by its serial: ` +
        `${matches.map((t) => `${howToName(t.serial)} (${t.label})`).join(' or ')}.`,
    );
  }

  /**
   * Logs in with the user PIN, held in this process only. With `remember`, the PIN is also sealed
   * in the vault (AES-256-GCM under the data key) for later sessions.
   */
  async login(
    profile: string,
    tokenSerial: string,
    pin: string,
    options: { remember?: boolean } = {},
  ): Promise<TokenSummary> {
    this.vault.requireUnlocked();
    const { profileId, module } = await this.connect(profile);
    const subject = `pkcs11:${tokenSerial}`;
    try {
      const token = await module.login(tokenSerial, pin);
      if (options.remember) rememberPin(this.vault, profileId, tokenSerial, pin);
      this.vault.record({
        action: 'token.login',
        subject,
        outcome: 'success',
        details: { profile: profileId, label: token.label, remembered: options.remember === true },
      });
      return token;
    } catch (error) {
      const code = error instanceof MazeVaultError ? error.code : 'INTERNAL';
      this.vault.record({
        action: 'token.login',
        subject,
        outcome: 'failure',
        details: { profile: profileId, error: code },
      });
      throw error;
    }
  }

  /** Logs in with a PIN the officer asked MazeVault to remember; false when none is stored. */
  async loginWithRememberedPin(profile: string, tokenSerial: string): Promise<boolean> {
    const { profileId } = await this.connect(profile);
    const pin = rememberedPin(this.vault, profileId, tokenSerial);
    if (pin === undefined) return false;
    await this.login(profileId, tokenSerial, pin);
    return true;
  }

  forgetPin(profile: string, tokenSerial: string): void {
    const { id } = getProfile(this.vault, profile);
    forgetPin(this.vault, id, tokenSerial);
    this.vault.record({
      action: 'token.forget-pin',
      subject: `pkcs11:${tokenSerial}`,
      outcome: 'success',
      details: { profile: id },
    });
  }

  async isLoggedIn(profile: string, tokenSerial: string): Promise<boolean> {
    return (await this.connect(profile)).module.isLoggedIn(tokenSerial);
  }

  async logout(profile: string, tokenSerial: string): Promise<void> {
    const { profileId, module } = await this.connect(profile);
    await module.logout(tokenSerial);
    this.recordIfOpen({
      action: 'token.logout',
      subject: `pkcs11:${tokenSerial}`,
      outcome: 'success',
      details: { profile: profileId },
    });
  }

  async logoutAll(): Promise<void> {
    for (const module of this.modules.values()) await module.logoutAll().catch(() => undefined);
  }

  /**
   * Initialises a token: everything on it is erased. Refused unless `confirm` is exactly true,
   * so no caller can erase a token by forgetting a flag.
   */
  async initToken(
    profile: string,
    target: { serial?: string; slotId?: string },
    init: { soPin: string; label: string; userPin: string; confirm: boolean },
  ): Promise<TokenSummary> {
    this.vault.requireUnlocked();
    if (init.confirm !== true) {
      throw new MazeVaultError(
        'CONFIRMATION_REQUIRED',
        'Initialising a token erases every key and certificate on it; confirm to go ahead.',
      );
    }
    const label = init.label.trim();
    if (!label || Buffer.byteLength(label) > 32) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        'A token label is 1 to 32 bytes (PKCS#11 CK_TOKEN_INFO.label).',
      );
    }
    const { profileId, module } = await this.connect(profile);
    const subject = target.serial ? `pkcs11:${target.serial}` : `pkcs11:slot/${target.slotId}`;
    try {
      const token = await module.initToken(target, {
        soPin: init.soPin,
        label,
        userPin: init.userPin,
      });
      this.vault.record({
        action: 'token.init',
        subject: `pkcs11:${token.serial}`,
        outcome: 'success',
        details: { profile: profileId, label, previous: subject },
      });
      return token;
    } catch (error) {
      const code = error instanceof MazeVaultError ? error.code : 'INTERNAL';
      this.vault.record({
        action: 'token.init',
        subject,
        outcome: 'failure',
        details: { profile: profileId, error: code },
      });
      throw error;
    }
  }

  /** The private keys on a token (after login), marked with their inventory key when recorded. */
  async discoverKeys(profile: string, tokenSerial: string): Promise<DiscoveredKey[]> {
    const { profileId, module } = await this.connect(profile);
    const found = await module.withToken(tokenSerial, 'list its keys', (ts) => listPrivateKeys(ts));
    const recorded = this.keys.list({ provider: 'pkcs11', limit: 10_000 });
    this.vault.record({
      action: 'token.discover',
      subject: `pkcs11:${tokenSerial}`,
      outcome: 'success',
      details: { profile: profileId, keys: found.length },
    });
    return found.map(({ spki: _spki, ...key }) => {
      const match = recorded.find((record) => {
        const ref = record.providerRef;
        return (
          ref.tokenSerial === tokenSerial &&
          ref.ckaId === key.ckaId &&
          record.spkiSha256 === key.spkiSha256
        );
      });
      return { ...key, ...(match ? { inventoryKeyId: match.id } : {}) };
    });
  }

  /**
   * Adds keys found on the token to the inventory (all usable ones, or those with the CKA_IDs
   * given). Keys already recorded are skipped. Returns the new records.
   */
  async importKeys(profile: string, tokenSerial: string, ckaIds?: string[]): Promise<KeyRecord[]> {
    this.vault.requireUnlocked();
    const { profileId, module } = await this.connect(profile);
    const found = await module.withToken(tokenSerial, 'list its keys', (ts) => listPrivateKeys(ts));
    const recorded = this.keys.list({ provider: 'pkcs11', limit: 10_000 });
    const added: KeyRecord[] = [];
    for (const key of found) {
      if (ckaIds && !ckaIds.includes(key.ckaId)) continue;
      if (!key.algorithm || !key.spki || !key.canSign) continue;
      const known = recorded.some(
        (r) =>
          r.providerRef.tokenSerial === tokenSerial &&
          r.providerRef.ckaId === key.ckaId &&
          r.spkiSha256 === key.spkiSha256,
      );
      if (known) continue;
      const record = this.keys.registerExternalKey({
        label: key.label || `token key ${key.ckaId}`,
        algorithm: key.algorithm,
        purpose: 'general',
        provider: 'pkcs11',
        providerRef: {
          profile: profileId,
          tokenSerial,
          ckaId: key.ckaId,
          spkiSha256: key.spkiSha256!,
        },
        publicKey: key.spki,
        details: {
          tokenSerial,
          ckaId: key.ckaId,
          sensitive: key.sensitive,
          extractable: key.extractable,
          publicKeySource: key.publicKeySource,
          certificates: key.certificates.length,
        },
      });
      added.push(record);
      for (const der of key.certificates) {
        this.certificates?.insert(der, {
          source: `pkcs11:${tokenSerial}/${key.ckaId}`,
          keyId: record.id,
        });
      }
    }
    return added;
  }

  /** Writes an issued certificate to the token next to its key (same CKA_ID and label). */
  async writeCertificate(keyId: string, der: Buffer): Promise<void> {
    const key = this.keys.get(keyId);
    if (key.provider !== 'pkcs11') {
      throw new MazeVaultError('INVALID_INPUT', `Key "${key.label}" is not on a token.`);
    }
    const ref = asPkcs11Ref(key.providerRef);
    const { module } = await this.connect(ref.profile);
    const subject = `pkcs11:${ref.tokenSerial}/${ref.ckaId}`;
    await module.withToken(ref.tokenSerial, 'store the certificate', (ts) =>
      writeCertificate(ts, ref.ckaId, key.label, der),
    );
    this.vault.record({
      action: 'token.write-certificate',
      subject,
      outcome: 'success',
      details: { keyId, bytes: der.length },
    });
  }

  /** Logs out and unloads every module (on quit). */
  async close(): Promise<void> {
    for (const id of [...this.modules.keys()]) await this.disconnect(id);
  }

  private async disconnect(profileId: string): Promise<void> {
    const module = this.modules.get(profileId);
    if (!module) return;
    this.modules.delete(profileId);
    // Another profile may use the same module file; it stays loaded for that one.
    if (![...this.modules.values()].includes(module)) await module.close();
  }

  private recordIfOpen(event: Parameters<Vault['record']>[0]): void {
    if (this.vault.db.open) this.vault.record(event);
  }
}
