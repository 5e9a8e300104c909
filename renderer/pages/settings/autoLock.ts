// The auto-lock field of the settings page: how the current setting reads and what is wrong with a
// typed number of minutes (the main process checks the same bounds again).

export const AUTO_LOCK_MAX_MINUTES = 24 * 60;

/** "locks after 10 minutes without activity", or "off" when the vault never locks itself. */
export function describeAutoLock(minutes: number | null): string {
  if (minutes === null) return 'auto-lock is off';
  const unit = minutes === 1 ? 'minute' : 'minutes';
  return `locks after ${minutes} ${unit} without activity`;
}

export function autoLockProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return 'Enter the idle time in minutes, or turn auto-lock off.';
  if (!/^\d+$/.test(trimmed)) return 'The idle time is a whole number of minutes, e.g. 10.';
  const minutes = Number(trimmed);
  if (minutes < 1 || minutes > AUTO_LOCK_MAX_MINUTES) {
    return `The idle time must be between 1 and ${AUTO_LOCK_MAX_MINUTES} minutes (24 hours).`;
  }
  return undefined;
}
