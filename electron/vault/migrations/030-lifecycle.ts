import type { Migration } from './types';

// The certificate lifecycle: rotation policies and the rotation schedule they produce, the
// revocation log that delta CRLs read, the CRLs each CA issued with its CRL policy and monotonic
// CRL number, issuance templates, and the indexes the dashboard's lists need.
//
// The schedule is kept by triggers, so a certificate inserted by any service (issuance, import)
// is scheduled, and a revoked or superseded one leaves the schedule, without each service knowing.
export const lifecycleSchema: Migration = {
  version: 30,
  name: 'renewal, rotation, revocation and CRLs',
  up: (db) => {
    db.exec(`
      -- Rotation policy per certificate, per profile, and the vault default (scope 'vault', target '*').
      -- The most specific row wins whole: a certificate row with no interval means "expiry only".
      CREATE TABLE rotation_policies (
        scope TEXT NOT NULL CHECK (scope IN ('certificate', 'profile', 'vault')),
        target TEXT NOT NULL,
        interval_days INTEGER CHECK (interval_days IS NULL OR interval_days > 0),
        lead_days INTEGER NOT NULL CHECK (lead_days >= 0),
        key_policy TEXT NOT NULL DEFAULT 'regenerate' CHECK (key_policy IN ('regenerate', 'reuse')),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (scope, target)
      );
      INSERT INTO rotation_policies (scope, target, interval_days, lead_days, key_policy, updated_at)
      VALUES ('vault', '*', NULL, 30, 'regenerate', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

      -- When each valid, not yet superseded certificate falls due: the earlier of notAfter and
      -- notBefore + interval, minus the lead time. Rows exist only for certificates still to rotate.
      CREATE TABLE rotation_schedule (
        cert_id TEXT PRIMARY KEY REFERENCES certificates (id) ON DELETE CASCADE,
        due_at TEXT NOT NULL,
        policy_scope TEXT NOT NULL
      );
      CREATE INDEX rotation_schedule_due ON rotation_schedule (due_at);

      CREATE VIEW rotation_terms AS
        SELECT c.id AS cert_id,
          CASE WHEN pc.scope IS NOT NULL THEN pc.interval_days
               WHEN pp.scope IS NOT NULL THEN pp.interval_days ELSE pv.interval_days END AS interval_days,
          CASE WHEN pc.scope IS NOT NULL THEN pc.lead_days
               WHEN pp.scope IS NOT NULL THEN pp.lead_days ELSE pv.lead_days END AS lead_days,
          CASE WHEN pc.scope IS NOT NULL THEN pc.key_policy
               WHEN pp.scope IS NOT NULL THEN pp.key_policy ELSE pv.key_policy END AS key_policy,
          COALESCE(pc.scope, pp.scope, pv.scope) AS policy_scope,
          c.not_before, c.not_after
        FROM certificates c
        LEFT JOIN rotation_policies pc ON pc.scope = 'certificate' AND pc.target = c.id
        LEFT JOIN rotation_policies pp ON pp.scope = 'profile' AND pp.target = c.profile
        JOIN rotation_policies pv ON pv.scope = 'vault' AND pv.target = '*';

      CREATE INDEX certificates_predecessor ON certificates (predecessor_id);
      CREATE INDEX certificates_status_not_before ON certificates (status, not_before);
      CREATE INDEX certificates_status_subject ON certificates (status, subject);
      CREATE INDEX certificates_status_created ON certificates (status, created_at);
      CREATE INDEX certificates_created ON certificates (created_at);
      CREATE INDEX certificates_not_before ON certificates (not_before);
      CREATE INDEX certificates_issuer_status ON certificates (issuer_cert_id, status, not_after);
      CREATE INDEX certificates_profile_status ON certificates (profile, status, not_after);
      CREATE INDEX keys_created ON keys (created_at);
      CREATE INDEX keys_state_created ON keys (state, created_at);
      -- NIST SP 800-57 cryptoperiod end, counted from activation (or creation when never activated).
      CREATE INDEX keys_cryptoperiod_end ON keys
        (state, (julianday(COALESCE(activation_date, created_at)) + cryptoperiod_days));
      CREATE INDEX keys_cryptoperiod_order ON keys
        ((julianday(COALESCE(activation_date, created_at)) + cryptoperiod_days));

      CREATE TRIGGER certificates_schedule_rotation AFTER INSERT ON certificates
      WHEN NEW.status = 'valid'
      BEGIN
        DELETE FROM rotation_schedule WHERE cert_id = NEW.predecessor_id;
        INSERT OR REPLACE INTO rotation_schedule (cert_id, due_at, policy_scope)
          SELECT t.cert_id,
            strftime('%Y-%m-%dT%H:%M:%fZ', min(julianday(t.not_after),
              COALESCE(julianday(t.not_before) + t.interval_days, julianday(t.not_after))) - t.lead_days),
            t.policy_scope
          FROM rotation_terms t WHERE t.cert_id = NEW.id;
      END;

      CREATE TRIGGER certificates_superseded AFTER UPDATE OF predecessor_id ON certificates
      WHEN NEW.predecessor_id IS NOT NULL
      BEGIN
        DELETE FROM rotation_schedule WHERE cert_id = NEW.predecessor_id;
      END;

      -- Every revocation in the order it was recorded: a delta CRL carries what was recorded after
      -- its base CRL was built (RFC 5280 §5.2.4), whatever revocation time the officer gave.
      CREATE TABLE revocation_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        cert_id TEXT NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
        issuer_cert_id TEXT,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX revocation_log_issuer ON revocation_log (issuer_cert_id, seq);

      CREATE TRIGGER certificates_revoked AFTER UPDATE OF status ON certificates
      WHEN NEW.status = 'revoked' AND OLD.status <> 'revoked'
      BEGIN
        DELETE FROM rotation_schedule WHERE cert_id = NEW.id;
        INSERT INTO revocation_log (cert_id, issuer_cert_id, recorded_at)
          VALUES (NEW.id, NEW.issuer_cert_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
      END;

      -- Each CA's CRL policy and its CRL number, which only ever grows (RFC 5280 §5.2.3); complete
      -- and delta CRLs share the sequence.
      CREATE TABLE crl_policies (
        issuer_cert_id TEXT PRIMARY KEY REFERENCES certificates (id),
        next_update_hours INTEGER NOT NULL CHECK (next_update_hours > 0),
        delta_next_update_hours INTEGER CHECK (delta_next_update_hours IS NULL OR delta_next_update_hours > 0),
        distribution_point TEXT,
        last_crl_number INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE issued_crls (
        id TEXT PRIMARY KEY,
        issuer_cert_id TEXT NOT NULL REFERENCES certificates (id),
        crl_number INTEGER NOT NULL,
        base_crl_number INTEGER,
        this_update TEXT NOT NULL,
        next_update TEXT NOT NULL,
        entries INTEGER NOT NULL,
        revocation_seq INTEGER NOT NULL,
        der BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (issuer_cert_id, crl_number)
      );
      CREATE INDEX issued_crls_next_update ON issued_crls (next_update);

      CREATE TABLE issuance_templates (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);

    // Certificates stored before this migration join the schedule too.
    db.exec(`
      INSERT INTO rotation_schedule (cert_id, due_at, policy_scope)
        SELECT t.cert_id,
          strftime('%Y-%m-%dT%H:%M:%fZ', min(julianday(t.not_after),
            COALESCE(julianday(t.not_before) + t.interval_days, julianday(t.not_after))) - t.lead_days),
          t.policy_scope
        FROM rotation_terms t JOIN certificates c ON c.id = t.cert_id
        WHERE c.status = 'valid'
          AND NOT EXISTS (SELECT 1 FROM certificates s WHERE s.predecessor_id = c.id);
    `);
  },
};
