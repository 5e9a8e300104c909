// The window's session in the main process: which vault is open, its services, and how events
// reach the window. Opening or creating a vault switches the session; the vault's lock events are
// forwarded to the window so it can return to the unlock screen.
import { MazeVaultError } from '../../shared/errors';
import type { EventName, EventPayload } from '../../shared/contract';
import { RotationSchedule } from '../pki/rotation-schedule';
import { createServices as defaultCreateServices, type Services } from '../services';
import { Vault, type VaultOptions } from '../vault/vault';

export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface ChoosePathRequest {
  purpose: 'vault-create' | 'vault-open' | 'export' | 'transcript';
  suggestedName?: string;
}

/** The open dialog for files to import, inspect or validate (issue #3). */
export interface ChooseFilesRequest {
  purpose: 'import' | 'inspect' | 'validate';
  multiple: boolean;
}

/** Operator-facing log lines; never a secret (the router only passes codes and channel names). */
export interface IpcLogger {
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface AppContextOptions {
  /** Sends an event to the window (webContents.send under Electron, SSE in the e2e harness). */
  emit: EmitEvent;
  /** Where the window suggests vault files and exports by default. */
  defaultDirectory: string;
  version: string;
  platform?: string;
  /** Who acts, for the audit trail; defaults to the operating-system user. */
  actor?: string;
  /** `'test-only'` for throw-away vaults in tests and the e2e harness; the real KDF otherwise. */
  kdfCost?: VaultOptions['kdfCost'];
  /** The system file dialog; without it `dialog:choose-path` answers null (type a path). */
  choosePath?: (request: ChoosePathRequest) => Promise<string | null>;
  /** The system open dialog; without it `dialog:choose-files` answers no paths (type them). */
  chooseFiles?: (request: ChooseFilesRequest) => Promise<string[]>;
  log?: IpcLogger;
  /** Seam for tests: the services built over a vault. */
  createServices?: (vault: Vault) => Services;
}

export const stderrLogger: IpcLogger = {
  warn: (message) => process.stderr.write(`[ipc] ${message}\n`),
  error: (message, error) => {
    // The stack helps the operator; it goes to the log only, never to the window.
    const detail = error instanceof Error ? `\n${error.stack ?? error.message}` : '';
    process.stderr.write(`[ipc] ${message}${detail}\n`);
  },
};

export class AppContext {
  readonly emit: EmitEvent;
  readonly log: IpcLogger;
  private current:
    | { vault: Vault; services: Services; schedule: RotationSchedule; unsubscribe: () => void }
    | undefined;
  /**
   * The channel holding the vault's write transaction across awaits (an import), if any: the
   * router refuses other writes meanwhile, and scheduled rotation skips its turn.
   */
  exclusiveChannel: string | null = null;

  constructor(readonly options: AppContextOptions) {
    this.emit = options.emit;
    this.log = options.log ?? stderrLogger;
  }

  get vault(): Vault | undefined {
    return this.current?.vault;
  }

  /** Creates a vault file and makes it this window's session, unlocked. */
  async createVault(path: string, passphrase: string): Promise<Vault> {
    const vault = await Vault.create(path, passphrase, this.vaultOptions());
    this.switchTo(vault);
    return vault;
  }

  /** Opens a vault file, locked, and makes it this window's session. */
  openVault(path: string): Vault {
    const vault = Vault.open(path, this.vaultOptions());
    this.switchTo(vault);
    return vault;
  }

  /** The open vault, locked or not. */
  requireVault(): Vault {
    if (!this.current) {
      throw new MazeVaultError(
        'VAULT_NOT_FOUND',
        'No vault is open; create a vault or open one first.',
      );
    }
    return this.current.vault;
  }

  /**
   * The services of the open vault, which must be unlocked: a locked vault shows the window
   * nothing but its unlock screen. Each call counts as activity for the idle timer.
   */
  unlockedServices(): Services {
    const vault = this.requireVault();
    vault.requireUnlocked();
    return this.current!.services;
  }

  /** Scheduled rotation for the open vault (issue #5). */
  rotationSchedule(): RotationSchedule {
    this.requireVault();
    return this.current!.schedule;
  }

  /** Locks and closes the vault (on quit or when the window goes away). */
  close(): void {
    const current = this.current;
    this.current = undefined;
    if (!current) return;
    // Log out of every token and unload the PKCS#11 modules; the worker finishes on its own.
    current.services.pkcs11.close().catch((error: unknown) => {
      this.log.error('closing the PKCS#11 modules failed', error);
    });
    current.schedule.stop();
    current.vault.close();
    current.unsubscribe();
  }

  private switchTo(vault: Vault): void {
    this.close();
    const services = (this.options.createServices ?? defaultCreateServices)(vault);
    const unsubscribe = vault.onLock((reason) => {
      this.emit('vault-locked', { reason, path: vault.path });
    });
    const schedule = new RotationSchedule(
      vault,
      services.rotation,
      () => this.exclusiveChannel !== null,
    );
    this.current = { vault, services, schedule, unsubscribe };
    // The setting lives in the vault, readable while locked; runs wait for an unlock.
    schedule.start();
  }

  private vaultOptions(): VaultOptions {
    return {
      ...(this.options.actor ? { actor: this.options.actor } : {}),
      ...(this.options.kdfCost ? { kdfCost: this.options.kdfCost } : {}),
    };
  }
}
