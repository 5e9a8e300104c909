import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp';
import { migrate, openDatabase, schemaVersion } from './database';
import { MIGRATIONS } from './migrations/index';
import type { Migration } from './migrations/types';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function freshDatabase() {
  const dir = tempDir();
  const db = openDatabase(join(dir.path, 'v.mzv'), { create: true });
  cleanups.push(() => {
    db.close();
    dir.cleanup();
  });
  return db;
}

const table = (version: number, name: string): Migration => ({
  version,
  name,
  up: (db) => db.exec(`CREATE TABLE ${name} (x)`),
});

describe('vault migrations', () => {
  it('bring a new file to the latest schema, once', () => {
    const db = freshDatabase();
    const latest = Math.max(...MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toBe(latest);
    expect(migrate(db)).toBe(latest);
    const applied = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version })).sort((a, b) => a.version - b.version),
    );
  });

  it('each leave a working schema: every migration applies on top of the ones before it', () => {
    const sorted = [...MIGRATIONS].sort((a, b) => a.version - b.version);
    for (let count = 1; count <= sorted.length; count += 1) {
      const db = freshDatabase();
      expect(migrate(db, sorted.slice(0, count))).toBe(sorted[count - 1].version);
      expect(db.pragma('foreign_key_check')).toEqual([]);
    }
  });

  it('still apply a migration numbered below one already applied', () => {
    const db = freshDatabase();
    migrate(db, [table(1, 'a'), table(30, 'c')]);
    expect(migrate(db, [table(1, 'a'), table(20, 'b'), table(30, 'c')])).toBe(30);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toEqual({
      name: 'b',
    });
  });

  it('take over a vault that knew only its user_version, without re-running what it had', () => {
    const db = freshDatabase();
    db.exec('CREATE TABLE a (x); CREATE TABLE b (x);');
    db.pragma('user_version = 2');
    expect(migrate(db, [table(1, 'a'), table(2, 'b'), table(3, 'c')])).toBe(3);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
    ]);
  });

  it('refuse a vault written by a newer MazeVault', () => {
    const db = freshDatabase();
    migrate(db, [table(1, 'a'), table(2, 'b')]);
    expect(() => migrate(db, [table(1, 'a')])).toThrow(/does not know \(2\)/);
    expect(schemaVersion(db)).toBe(2);
  });

  it('roll back a migration that fails, leaving no trace of it', () => {
    const db = freshDatabase();
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up: (d) => {
        d.exec('CREATE TABLE half (x)');
        throw new Error('boom');
      },
    };
    expect(() => migrate(db, [table(1, 'a'), broken])).toThrow('boom');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(schemaVersion(db)).toBe(1);
  });
});
