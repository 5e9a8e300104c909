import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp';
import { migrate, openDatabase, type VaultDatabase } from '../database';
import { initialSchema } from './001-initial';
import { MIGRATIONS } from './index';

let db: VaultDatabase | undefined;
let cleanup: (() => void) | undefined;
afterEach(() => {
  db?.close();
  cleanup?.();
});

describe('migration 2 (audit events by subject)', () => {
  it('adds an index that the by-subject audit query uses, on a vault made before it', () => {
    const dir = tempDir();
    cleanup = dir.cleanup;
    db = openDatabase(join(dir.path, 'old.mzv'), { create: true });
    migrate(db, [initialSchema]);
    migrate(db, MIGRATIONS);

    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT * FROM audit_events WHERE subject IN ('a', 'b') ORDER BY seq DESC LIMIT 10",
      )
      .all() as { detail: string }[];
    expect(plan.map((row) => row.detail).join('\n')).toMatch(/audit_events_subject/);
  });
});
