import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp';
import { migrate, openDatabase, schemaVersion, type VaultDatabase } from '../database';
import { initialSchema } from './001-initial';
import { importedCrlsSchema } from './010-imported-crls';
import { MIGRATIONS } from './index';

let db: VaultDatabase | undefined;
let cleanup: (() => void) | undefined;
afterEach(() => {
  db?.close();
  cleanup?.();
});

function insertRoot(target: VaultDatabase, id: string, source: string): void {
  target
    .prepare(
      `INSERT INTO certificates (id, subject, issuer, serial, not_before, not_after, is_ca, der, sha256, sha1,
         spki_sha256, source, created_at)
       VALUES (?, 'CN=Root', 'CN=Root', ?, '2025-01-01T00:00:00.000Z', '2035-01-01T00:00:00.000Z', 1, x'00',
         ?, 'sha1', 'spki', ?, '2025-01-01T00:00:00.000Z')`,
    )
    .run(id, id, `sha-${id}`, source);
}

describe('migration 11 (trusted certificates)', () => {
  it('leaves every certificate of an older vault untrusted, imported roots included, and accepts only 0 or 1', () => {
    const dir = tempDir();
    cleanup = dir.cleanup;
    db = openDatabase(join(dir.path, 'old.mzv'), { create: true });
    migrate(db, [initialSchema, importedCrlsSchema]);
    insertRoot(db, 'cert_imported', 'import:bundle.p7b');
    insertRoot(db, 'cert_issued', 'issued');

    migrate(db, MIGRATIONS);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(31);
    expect(
      db.prepare('SELECT id, trusted FROM certificates ORDER BY id').all() as unknown[],
    ).toEqual([
      { id: 'cert_imported', trusted: 0 },
      { id: 'cert_issued', trusted: 0 },
    ]);
    expect(() =>
      db!.prepare("UPDATE certificates SET trusted = 2 WHERE id = 'cert_imported'").run(),
    ).toThrow(/CHECK constraint/);

    db.prepare("UPDATE certificates SET trusted = 1 WHERE id = 'cert_imported'").run();
    const plan = (
      db.prepare('EXPLAIN QUERY PLAN SELECT id FROM certificates WHERE trusted = 1').all() as {
        detail: string;
      }[]
    )
      .map((row) => row.detail)
      .join('\n');
    expect(plan).toMatch(/certificates_trusted/);
  });
});
