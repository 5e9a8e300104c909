// Rotation on a schedule while the app is open (issue #5): the vault keeps how often to run (or
// off), the window's session starts and stops the timer, and each run's outcome is kept so the
// Rotation page can show when it last ran and what it did. Cron covers the times the app is closed
// (`mazevault rotate --due`); both go through RotationService.rotate.
import {
  MAX_SCHEDULE_MINUTES,
  MIN_SCHEDULE_MINUTES,
} from '../../shared/bridge/lifecycle-constants';
import { MazeVaultError } from '../../shared/errors';
import type { Vault } from '../vault/vault';
import type { RotationRun, RotationService } from './rotation';

const EVERY_SETTING = 'rotation.schedule.every-minutes';
const LAST_RUN_SETTING = 'rotation.schedule.last-run';

export interface ScheduledRunSummary {
  at: string;
  rotated: number;
  skipped: number;
  failed: number;
  /** Set when the run as a whole failed; the audit trail and the log hold the details. */
  error?: string;
}

export interface RotationScheduleSettings {
  /** Minutes between runs while the app is open and the vault unlocked; null: off. */
  everyMinutes: number | null;
  lastRun: ScheduledRunSummary | null;
}

export class RotationSchedule {
  private stopTimer: (() => void) | undefined;

  constructor(
    private readonly vault: Vault,
    private readonly rotation: RotationService,
    /** True while another operation holds the vault's write transaction. */
    private readonly isBusy: () => boolean = () => false,
  ) {}

  settings(): RotationScheduleSettings {
    const every = Number(this.vault.getSetting(EVERY_SETTING));
    const last = this.vault.getSetting(LAST_RUN_SETTING);
    return {
      everyMinutes: Number.isInteger(every) && every > 0 ? every : null,
      lastRun: last ? (JSON.parse(last) as ScheduledRunSummary) : null,
    };
  }

  /** Turns the schedule on (every N minutes) or off (null), audited, and restarts the timer. */
  configure(everyMinutes: number | null): RotationScheduleSettings {
    if (
      everyMinutes !== null &&
      (!Number.isInteger(everyMinutes) ||
        everyMinutes < MIN_SCHEDULE_MINUTES ||
        everyMinutes > MAX_SCHEDULE_MINUTES)
    ) {
      throw new MazeVaultError(
        'INVALID_INPUT',
        `Scheduled rotation runs every ${MIN_SCHEDULE_MINUTES} to ${MAX_SCHEDULE_MINUTES} ` +
          'minutes (a week), or is off.',
      );
    }
    this.vault.requireUnlocked();
    this.vault.transaction(() => {
      this.vault.setSetting(EVERY_SETTING, everyMinutes === null ? 'off' : String(everyMinutes));
      this.vault.record({
        action: 'rotation.schedule',
        subject: 'vault',
        outcome: 'success',
        details: { everyMinutes },
      });
    });
    this.start();
    return this.settings();
  }

  /** Starts the timer the vault's setting asks for (none when off); safe to call again. */
  start(): void {
    this.stop();
    const { everyMinutes } = this.settings();
    if (everyMinutes === null) return;
    this.stopTimer = this.rotation.schedule(
      everyMinutes * 60_000,
      (run) => this.remember(summaryOf(run)),
      (error) =>
        this.remember({
          at: new Date().toISOString(),
          rotated: 0,
          skipped: 0,
          failed: 0,
          error:
            error instanceof MazeVaultError
              ? error.message
              : 'The run failed unexpectedly; see the log.',
        }),
      this.isBusy,
    );
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }

  private remember(summary: ScheduledRunSummary): void {
    if (!this.vault.db.open) return;
    this.vault.setSetting(LAST_RUN_SETTING, JSON.stringify(summary));
  }
}

function summaryOf(run: RotationRun): ScheduledRunSummary {
  return { at: run.at, rotated: run.rotated, skipped: run.skipped, failed: run.failed };
}
