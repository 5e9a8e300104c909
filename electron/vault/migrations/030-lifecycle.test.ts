import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp';
import { migrate, openDatabase, schemaVersion, type VaultDatabase } from '../database';
import { initialSchema } from './001-initial';
import { MIGRATIONS } from './index';

let db: VaultDatabase | undefined;
let cleanup: (() => void) | undefined;
afterEach(() => {
  db?.close();
  cleanup?.();
});

function insertCertificate(
  target: VaultDatabase,
  id: string,
  notAfter: string,
  predecessor: string | null = null,
): void {
  target
    .prepare(
      `INSERT INTO certificates (id, subject, issuer, serial, not_before, not_after, is_ca, der, sha256, sha1, spki_sha256,
         source, created_at, predecessor_id, profile)
       VALUES (?, 'CN=x', 'CN=ca', ?, '2025-01-01T00:00:00.000Z', ?, 0, x'00', ?, 'sha1', 'spki', 'test', '2025-01-01T00:00:00.000Z', ?, 'tls-server')`,
    )
    .run(id, id, notAfter, `sha-${id}`, predecessor);
}

describe('migration 30 (renewal, rotation, revocation and CRLs)', () => {
  it('schedules the certificates a vault already held, and keeps the schedule by triggers afterwards', () => {
    const dir = tempDir();
    cleanup = dir.cleanup;
    db = openDatabase(join(dir.path, 'old.mzv'), { create: true });
    migrate(db, [initialSchema]);
    insertCertificate(db, 'cert_old', '2026-01-01T00:00:00.000Z');

    migrate(db, MIGRATIONS);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(30);
    expect(db.prepare('SELECT cert_id, due_at FROM rotation_schedule').all()).toEqual([
      { cert_id: 'cert_old', due_at: '2025-12-02T00:00:00.000Z' },
    ]);

    insertCertificate(db, 'cert_new', '2027-01-01T00:00:00.000Z', 'cert_old');
    expect(
      (db.prepare('SELECT cert_id FROM rotation_schedule').all() as { cert_id: string }[]).map(
        (r) => r.cert_id,
      ),
    ).toEqual(['cert_new']);
    db.prepare(
      "UPDATE certificates SET status = 'revoked', revoked_at = '2026-02-01T00:00:00.000Z' WHERE id = 'cert_new'",
    ).run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM rotation_schedule').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT cert_id FROM revocation_log').all()).toEqual([
      { cert_id: 'cert_new' },
    ]);
  });
});
