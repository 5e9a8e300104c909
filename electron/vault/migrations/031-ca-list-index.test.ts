import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { certificateListStatement } from '../../pki/dashboard';
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

describe('migration 31 (certificates by kind)', () => {
  it('lets the CA-only list and its count read an index range, on a vault made before it', () => {
    const dir = tempDir();
    cleanup = dir.cleanup;
    db = openDatabase(join(dir.path, 'old.mzv'), { create: true });
    migrate(db, [initialSchema]);
    migrate(db, MIGRATIONS);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(31);

    for (const isCa of [true, false]) {
      const statement = certificateListStatement({ isCa, pageSize: 1 });
      const { limit: _limit, offset: _offset, ...countParams } = statement.params;
      const plan = (sql: string, params: Record<string, unknown>) =>
        (db!.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[])
          .map((row) => row.detail)
          .join('\n');
      expect(plan(statement.list, statement.params)).toMatch(/certificates_ca_not_after/);
      expect(plan(statement.list, statement.params)).not.toMatch(/TEMP B-TREE/);
      expect(plan(statement.count, countParams)).toMatch(/USING COVERING INDEX certificates_ca_/);

      const valid = certificateListStatement({ isCa, status: 'valid', now: new Date() });
      const { limit: _l, offset: _o, ...validCount } = valid.params;
      expect(plan(valid.count, validCount)).toMatch(/USING COVERING INDEX certificates_ca_status/);
    }
  });
});
