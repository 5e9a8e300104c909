// One loaded PKCS#11 module: its worker thread, one session per token and the user PINs of this
// app session (memory only). Tokens are found by serial number, never by slot id or label, and a
// lost device or session is recovered on the next operation by initialising the module again.
import { realpathSync } from 'node:fs';
import { MazeVaultError } from '../../../shared/errors';
import { CKF_SESSION, CKF_TOKEN, CKU } from './constants';
import { ckrOf, isConnectionLost, pinLocked, pinWarning, toMazeVaultError } from './errors';
import {
  summariseMechanism,
  summariseSlot,
  summariseToken,
  tokenName,
  type MechanismSummary,
  type RawMechanismInfo,
  type RawSlotInfo,
  type RawTokenInfo,
  type SlotSummary,
  type TokenSummary,
} from './token-info';
import { DEFAULT_CALL_TIMEOUT_MS, Pkcs11Worker } from './worker-client';

export interface ModuleInfo {
  cryptokiVersion: string;
  manufacturer: string;
  description: string;
  libraryVersion: string;
}

export interface ModuleOptions {
  /** Timeout of an ordinary call (find, sign, login). */
  timeoutMs?: number;
  /** Timeout of key generation and token initialisation, which take seconds on real HSMs. */
  slowTimeoutMs?: number;
}

/** What an operation gets while it holds a token's session. */
export interface TokenSession {
  token: TokenSummary;
  session: Buffer;
  slot: Buffer;
  /** The PIN for a context-specific login (CKA_ALWAYS_AUTHENTICATE keys); main process only. */
  contextPin(): string | undefined;
  run<T>(op: string, args: unknown[], slow?: boolean): Promise<T>;
}

interface OpenToken {
  slot: Buffer;
  session: Buffer;
  loggedIn: boolean;
}

/** Modules loaded in this process, by real path: a library is process-wide, load it once. */
const loaded = new Map<string, Pkcs11Module>();

export function loadedModule(modulePath: string): Pkcs11Module | undefined {
  return loaded.get(canonicalPath(modulePath));
}

function canonicalPath(modulePath: string): string {
  try {
    return realpathSync(modulePath);
  } catch {
    return modulePath;
  }
}

export class Pkcs11Module {
  private worker: Pkcs11Worker;
  private readonly tokens = new Map<string, OpenToken>();
  /** User PINs given in this app session, by token serial; never written, never logged. */
  private readonly pins = new Map<string, string>();
  private stale = false;
  /** Bumped whenever object handles may have become invalid (reconnect, login, logout). */
  generation = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly timeoutMs: number;
  private readonly slowTimeoutMs: number;

  private constructor(
    readonly path: string,
    readonly info: ModuleInfo,
    worker: Pkcs11Worker,
    options: ModuleOptions,
  ) {
    this.worker = worker;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.slowTimeoutMs = options.slowTimeoutMs ?? Math.max(this.timeoutMs, 180_000);
  }

  /** Loads a module (or returns the one already loaded from that path). */
  static async open(modulePath: string, options: ModuleOptions = {}): Promise<Pkcs11Module> {
    const path = canonicalPath(modulePath);
    const existing = loaded.get(path);
    if (existing) return existing;
    const worker = new Pkcs11Worker(options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
    const raw = await loadInto(worker, path);
    const module = new Pkcs11Module(path, describeModule(raw), worker, options);
    loaded.set(path, module);
    return module;
  }

  async slots(): Promise<SlotSummary[]> {
    return this.exclusive(async () => {
      await this.ensureConnected();
      const slots = await this.run<Buffer[]>('call', ['C_GetSlotList', [false]]);
      const out: SlotSummary[] = [];
      for (const slot of slots) {
        const info = await this.run<RawSlotInfo>('call', ['C_GetSlotInfo', [slot]]);
        let token: RawTokenInfo | undefined;
        if (info.flags & 0x1) {
          token = await this.run<RawTokenInfo>('call', ['C_GetTokenInfo', [slot]]).catch(
            () => undefined,
          );
        }
        out.push(summariseSlot(slot, info, token));
      }
      return out;
    });
  }

  /** The tokens present, by serial; an uninitialised token has an empty serial on some modules. */
  async tokenList(): Promise<TokenSummary[]> {
    const slots = await this.slots();
    return slots.flatMap((slot) => (slot.token ? [slot.token] : []));
  }

  async mechanisms(serial: string): Promise<MechanismSummary[]> {
    return this.exclusive(async () => {
      await this.ensureConnected();
      const { slot, token } = await this.findToken(serial);
      try {
        const list = await this.run<RawMechanismInfo[]>('mechanisms', [slot]);
        return list.map(summariseMechanism);
      } catch (error) {
        throw this.failure(error, 'list its mechanisms', tokenName(token));
      }
    });
  }

  isLoggedIn(serial: string): boolean {
    return this.pins.has(serial);
  }

  /**
   * Logs in with the user PIN and keeps it in memory for this session (to recover after a lost
   * connection and for context-specific logins). A wrong PIN says what the token's flags say.
   */
  async login(serial: string, pin: string): Promise<TokenSummary> {
    return this.exclusive(async () => {
      await this.ensureConnected();
      const { slot, token } = await this.findToken(serial);
      const name = tokenName(token);
      if (token.flags.userPinLocked) throw pinLocked(name);
      const open = await this.openSession(serial, slot, token);
      // Log out first: a token that is already logged in would accept any PIN with
      // CKR_USER_ALREADY_LOGGED_IN, and this PIN must be checked by the token itself.
      this.pins.delete(serial);
      this.generation += 1;
      open.loggedIn = false;
      await this.run('call', ['C_Logout', [open.session]]).catch(() => undefined);
      try {
        await this.run('login', [open.session, CKU.USER, pin]);
      } catch (error) {
        if (ckrOf(error) === 'CKR_PIN_INCORRECT') {
          const after = await this.tokenInfo(slot).catch(() => undefined);
          if (after && after.flags & CKF_TOKEN.USER_PIN_LOCKED) throw pinLocked(name);
          throw new MazeVaultError(
            'WRONG_PIN',
            `Wrong PIN for token ${name}.${pinWarning(after?.flags)}`,
          );
        }
        throw this.failure(error, 'log in', name);
      }
      open.loggedIn = true;
      this.pins.set(serial, pin);
      this.generation += 1;
      return token;
    });
  }

  async logout(serial: string): Promise<void> {
    await this.exclusive(async () => {
      this.pins.delete(serial);
      this.generation += 1;
      const open = this.tokens.get(serial);
      if (!open) return;
      this.tokens.delete(serial);
      if (!this.worker.usable || this.stale) return;
      // Closing the token's last session logs the user out (PKCS#11 v2.40 §5.6 C_CloseSession).
      await this.run('call', ['C_Logout', [open.session]]).catch(() => undefined);
      await this.run('call', ['C_CloseSession', [open.session]]).catch(() => undefined);
    });
  }

  async logoutAll(): Promise<void> {
    for (const serial of [...new Set([...this.tokens.keys(), ...this.pins.keys()])]) {
      await this.logout(serial);
    }
  }

  /**
   * Initialises a token: erases everything on it, sets its label, SO PIN and user PIN. The slot
   * is named by the serial of the token in it, or by slot id for a blank token without serial.
   */
  async initToken(
    target: { serial?: string; slotId?: string },
    init: { soPin: string; label: string; userPin: string },
  ): Promise<TokenSummary> {
    return this.exclusive(async () => {
      await this.ensureConnected();
      let slot: Buffer;
      if (target.serial) {
        slot = (await this.findToken(target.serial)).slot;
        this.tokens.delete(target.serial);
        this.pins.delete(target.serial);
      } else if (target.slotId) {
        slot = Buffer.from(target.slotId, 'hex');
      } else {
        throw new MazeVaultError(
          'INVALID_INPUT',
          'Name the token (serial) or the slot to initialise.',
        );
      }
      try {
        await this.run('initToken', [slot, init.soPin, init.label, init.userPin], true);
      } catch (error) {
        throw this.failure(
          error,
          'initialise the token',
          target.serial ?? `in slot ${target.slotId}`,
        );
      }
      // SoftHSM and others move a freshly initialised token to a new slot: find it again.
      const tokens = await this.tokensByLabel(init.label);
      const fresh = tokens.at(-1);
      if (!fresh) {
        throw new MazeVaultError('TOKEN_ERROR', 'The token was initialised but is not visible.');
      }
      return fresh;
    });
  }

  /**
   * Runs `work` with a session on the token with that serial, logged in if a PIN is held.
   * Operations on one module are serialised: PKCS#11 sessions are not for concurrent use.
   */
  async withToken<T>(
    serial: string,
    what: string,
    work: (session: TokenSession) => Promise<T>,
  ): Promise<T> {
    return this.exclusive(async () => {
      await this.ensureConnected();
      const { slot, token } = await this.findToken(serial);
      const name = tokenName(token);
      const open = await this.openSession(serial, slot, token);
      const pin = this.pins.get(serial);
      if (pin !== undefined && !open.loggedIn) {
        try {
          await this.run('login', [open.session, CKU.USER, pin]);
        } catch (error) {
          if (ckrOf(error) !== 'CKR_USER_ALREADY_LOGGED_IN') {
            if (ckrOf(error) === 'CKR_PIN_INCORRECT' || ckrOf(error) === 'CKR_PIN_LOCKED') {
              this.pins.delete(serial);
            }
            throw this.failure(error, what, name);
          }
        }
        open.loggedIn = true;
      }
      if (pin === undefined && token.flags.loginRequired) {
        throw new MazeVaultError(
          'TOKEN_ERROR',
          `Token ${name} needs the user PIN: log in, then ${what}.`,
        );
      }
      const session: TokenSession = {
        token,
        session: open.session,
        slot,
        contextPin: () => this.pins.get(serial),
        run: <R>(op: string, args: unknown[], slow = false) => this.run<R>(op, args, slow),
      };
      try {
        return await work(session);
      } catch (error) {
        throw this.failure(error, what, name);
      }
    });
  }

  /** Logs out everywhere, finalises the module and stops its thread. */
  async close(): Promise<void> {
    await this.logoutAll().catch(() => undefined);
    loaded.delete(this.path);
    if (this.worker.usable) {
      await this.worker.run('finalize', [], this.timeoutMs).catch(() => undefined);
    }
    this.worker.close();
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private run<T>(op: string, args: unknown[], slow = false): Promise<T> {
    return this.worker.run<T>(op, args, slow ? this.slowTimeoutMs : this.timeoutMs);
  }

  /** Starts a new thread after a timeout, or initialises the module again after a lost device. */
  private async ensureConnected(): Promise<void> {
    if (!this.worker.usable || this.stale) this.generation += 1;
    if (!this.worker.usable) {
      this.worker.close();
      this.worker = new Pkcs11Worker(this.timeoutMs);
      this.tokens.clear();
      await loadInto(this.worker, this.path);
      this.stale = false;
      return;
    }
    if (this.stale) {
      this.tokens.clear();
      await this.run('reinitialize', []);
      this.stale = false;
    }
  }

  private async findToken(serial: string): Promise<{ slot: Buffer; token: TokenSummary }> {
    const known = this.tokens.get(serial);
    if (known) {
      try {
        const info = await this.tokenInfo(known.slot);
        const token = summariseToken(info);
        if (token.serial === serial) return { slot: known.slot, token };
      } catch (error) {
        if (!isConnectionLost(error)) {
          throw this.failure(error, 'read the token', `serial ${serial}`);
        }
      }
      this.tokens.delete(serial);
    }
    const slots = await this.run<Buffer[]>('call', ['C_GetSlotList', [true]]);
    for (const slot of slots) {
      const info = await this.tokenInfo(slot).catch(() => undefined);
      if (info && summariseToken(info).serial === serial) {
        return { slot, token: summariseToken(info) };
      }
    }
    // Modules rescan their slots only when initialised again: do that before the next attempt.
    this.stale = true;
    throw new MazeVaultError(
      'TOKEN_ERROR',
      `No token with serial ${serial} is present in ${this.path}: insert or reconnect it, ` +
        'or check the connection profile.',
    );
  }

  private async tokensByLabel(label: string): Promise<TokenSummary[]> {
    const slots = await this.run<Buffer[]>('call', ['C_GetSlotList', [true]]);
    const out: TokenSummary[] = [];
    for (const slot of slots) {
      const info = await this.tokenInfo(slot).catch(() => undefined);
      if (info && summariseToken(info).label === label.trim()) out.push(summariseToken(info));
    }
    return out;
  }

  private tokenInfo(slot: Buffer): Promise<RawTokenInfo> {
    return this.run<RawTokenInfo>('call', ['C_GetTokenInfo', [slot]]);
  }

  private async openSession(serial: string, slot: Buffer, token: TokenSummary): Promise<OpenToken> {
    const known = this.tokens.get(serial);
    if (known) return known;
    try {
      const session = await this.run<Buffer>('call', [
        'C_OpenSession',
        [slot, CKF_SESSION.SERIAL | CKF_SESSION.RW],
      ]);
      const open = { slot, session, loggedIn: false };
      this.tokens.set(serial, open);
      return open;
    } catch (error) {
      throw this.failure(error, 'open a session', tokenName(token));
    }
  }

  /** Maps an error and, when the device or session is gone, marks the module for recovery. */
  private failure(error: unknown, what: string, name: string): MazeVaultError {
    if (isConnectionLost(error)) {
      this.stale = true;
      for (const open of this.tokens.values()) open.loggedIn = false;
    }
    return toMazeVaultError(error, what, name);
  }
}

interface RawModuleInfo {
  cryptokiVersion: { major: number; minor: number };
  manufacturerID: string;
  libraryDescription: string;
  libraryVersion: { major: number; minor: number };
}

function describeModule(raw: RawModuleInfo): ModuleInfo {
  return {
    cryptokiVersion: `${raw.cryptokiVersion.major}.${raw.cryptokiVersion.minor}`,
    manufacturer: raw.manufacturerID.trim(),
    description: raw.libraryDescription.trim(),
    libraryVersion: `${raw.libraryVersion.major}.${raw.libraryVersion.minor}`,
  };
}

/** Loads the library in the thread, with the officer-facing message when it is not a module. */
async function loadInto(worker: Pkcs11Worker, path: string): Promise<RawModuleInfo> {
  try {
    return await worker.run<RawModuleInfo>('load', [path]);
  } catch (error) {
    worker.close();
    throw describeLoadFailure(error, path);
  }
}

export function describeLoadFailure(error: unknown, path: string): MazeVaultError {
  if (error instanceof MazeVaultError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/C_GetFunctionList/.test(message)) {
    return new MazeVaultError(
      'PROVIDER_ERROR',
      `${path} is a shared library but not a PKCS#11 module (it has no C_GetFunctionList); ` +
        "choose the vendor's PKCS#11 library.",
    );
  }
  if (/No such file|cannot open shared object/.test(message)) {
    return new MazeVaultError(
      'PROVIDER_ERROR',
      `${path} could not be loaded: it or a library it needs is missing. Install the vendor's ` +
        'client software or correct the path.',
    );
  }
  if (/CKR_/.test(message)) {
    return new MazeVaultError(
      'PROVIDER_ERROR',
      `The PKCS#11 module ${path} loaded but refused to start (${message.slice(0, 60)}); ` +
        "check its configuration file and the vendor's client service.",
    );
  }
  return new MazeVaultError(
    'PROVIDER_ERROR',
    `${path} is not a loadable shared library for this computer (wrong format or architecture).`,
  );
}
