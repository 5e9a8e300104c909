// The core dashboard summary: keys by NIST SP 800-57 state, certificates by how soon they expire.
// Every figure is an indexed SQL count of the lifecycle dashboard service, so it stays fast with
// 100,000 certificates; the window's dashboard uses lifecycle:dashboard, which has more figures.
import type { HandlerGroup } from '../handler';
import { toCertificateSummary } from '../views/certificate-view';

/** The expiring lists carry the soonest this many certificates; the counts are complete. */
const EXPIRING_LIST_LIMIT = 100;

export const dashboardHandlers: HandlerGroup<'dashboard:summary'> = {
  'dashboard:summary': (_request, { app }) => {
    const services = app.unlockedServices();
    const now = new Date();
    const summary = services.dashboard.summary({ now });
    const counts = summary.certificatesByStatus;

    const expiring = (days: number) =>
      services.dashboard
        .listCertificates({
          status: 'expiring',
          expiringWithinDays: days,
          sortBy: 'notAfter',
          sortDirection: 'asc',
          pageSize: EXPIRING_LIST_LIMIT,
          now,
        })
        .rows.map((row) => toCertificateSummary(services.certificates.get(row.id), now));

    return {
      keys: {
        total: Object.values(summary.keysByState).reduce((sum, n) => sum + n, 0),
        byState: summary.keysByState,
      },
      certificates: {
        total: counts.valid + counts.expired + counts.revoked,
        ca: services.dashboard.listCertificates({ isCa: true, pageSize: 1, now }).total,
        expired: counts.expired,
        expiringWithin30Days: expiring(30),
        expiringWithin90Days: expiring(90),
      },
      audit: { events: services.vault.audit.count() },
    };
  },
};
