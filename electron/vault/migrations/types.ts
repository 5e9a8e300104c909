import type Database from 'better-sqlite3';

export interface Migration {
  /** Applied in ascending order; the file's PRAGMA user_version is the highest applied. */
  version: number;
  name: string;
  up: (db: Database.Database) => void;
}
