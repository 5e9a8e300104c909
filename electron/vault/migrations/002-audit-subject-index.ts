import type { Migration } from './types';

// Ceremony transcripts and a key's or certificate's history read the audit trail by subject; the
// index keeps that a lookup however long the trail grows (a CA vault gathers events for decades).
export const auditSubjectIndex: Migration = {
  version: 2,
  name: 'audit events by subject',
  up: (db) => {
    db.exec('CREATE INDEX IF NOT EXISTS audit_events_subject ON audit_events (subject, seq)');
  },
};
