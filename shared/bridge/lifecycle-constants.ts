// The fixed lists of the lifecycle bridge (issue #5) without zod, so the window may import them
// as values; shared/bridge/lifecycle-dto.ts builds its schemas from the same lists.

export const KEY_POLICIES = ['regenerate', 'reuse'] as const;
export type KeyPolicyName = (typeof KEY_POLICIES)[number];

/** Mirror the electron/pki/dashboard.ts lists; electron/ipc/handlers/lifecycle.ts checks they agree. */
export const CERTIFICATE_LIST_STATUSES = [
  'valid',
  'expired',
  'revoked',
  'expiring',
  'due',
] as const;
export const CERTIFICATE_SORT_FIELDS = ['notAfter', 'notBefore', 'subject', 'createdAt'] as const;
export const KEY_SORT_FIELDS = ['createdAt', 'label', 'cryptoperiodEnd'] as const;

/** A page of a list holds at most this many rows; the grids offer smaller pages. */
export const MAX_LIST_PAGE_SIZE = 500;
/** "Expiring soon" on the dashboard and in the list's "expiring" filter. */
export const EXPIRING_WITHIN_DAYS = 30;
/** The most certificates of each kind a compromise plan lists; the counts are always complete. */
export const COMPROMISE_PLAN_LIST_LIMIT = 200;

/** Scheduled rotation while the app is open: every 5 minutes to once a week, or off. */
export const MIN_SCHEDULE_MINUTES = 5;
export const MAX_SCHEDULE_MINUTES = 7 * 24 * 60;
