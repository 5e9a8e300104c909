// The dashboard: keys by NIST SP 800-57 state, certificates by how soon they expire.
import { KEY_STATES, type KeyState } from '../../../shared/lifecycle';
import type { HandlerGroup } from '../handler';
import { toCertificateSummary } from '../views/certificate-view';

const DAY_MS = 86_400_000;
// TODO(#2): count in SQL once the inventories grow past this; the list APIs cap at 10,000 rows.
const INVENTORY_LIMIT = 10_000;

export const dashboardHandlers: HandlerGroup<'dashboard:summary'> = {
  'dashboard:summary': (_request, { app }) => {
    const services = app.unlockedServices();
    const now = new Date();

    const byState = Object.fromEntries(KEY_STATES.map((state) => [state, 0])) as Record<
      KeyState,
      number
    >;
    const keys = services.keys.list({ limit: INVENTORY_LIMIT });
    for (const key of keys) byState[key.state] += 1;

    const certificates = services.certificates.list({ limit: INVENTORY_LIMIT });
    const expiring = services.certificates
      .list({
        status: 'valid',
        notExpiredAt: now.toISOString(),
        expiringBefore: new Date(now.getTime() + 90 * DAY_MS).toISOString(),
        limit: INVENTORY_LIMIT,
      })
      .map((record) => toCertificateSummary(record, now))
      .filter((summary) => summary.status === 'valid');

    return {
      keys: { total: keys.length, byState },
      certificates: {
        total: certificates.length,
        ca: certificates.filter((record) => record.isCa).length,
        expired: certificates.filter((record) => Date.parse(record.notAfter) < now.getTime())
          .length,
        expiringWithin30Days: expiring.filter(
          (summary) => Date.parse(summary.notAfter) < now.getTime() + 30 * DAY_MS,
        ),
        expiringWithin90Days: expiring,
      },
      audit: { events: services.vault.audit.count() },
    };
  },
};
