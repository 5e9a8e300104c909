// The audit trail: the newest events first, and a walk of the whole hash chain.
import type { HandlerGroup } from '../handler';

type AuditChannels = 'audit:list' | 'audit:verify';

export const auditHandlers: HandlerGroup<AuditChannels> = {
  'audit:list': (options, { app }) => {
    const { vault } = app.unlockedServices();
    const events = vault.audit.list(options).map((event) => ({
      seq: event.seq,
      time: event.time,
      actor: event.actor,
      action: event.action,
      subject: event.subject,
      outcome: event.outcome,
      details: event.details,
      prevHash: event.prevHash,
      hash: event.hash,
    }));
    return { events, total: vault.audit.count() };
  },

  'audit:verify': (_request, { app }) => {
    const result = app.unlockedServices().vault.audit.verify();
    return {
      ok: result.ok,
      events: result.events,
      macChecked: result.macChecked,
      macSkipped: result.macSkipped,
      firstBroken: result.firstBroken ?? null,
    };
  },
};
