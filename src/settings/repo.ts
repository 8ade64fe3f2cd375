import { statement } from '../store/sql.js';
import type { Database } from '../store/store.js';

export function selectSettings(db: Database): { key: string; value: string }[] {
  return statement(db, 'SELECT key, value FROM settings ORDER BY key').all() as {
    key: string;
    value: string;
  }[];
}

/** Prepared once per connection: services read settings on hot paths (the working time). */
export function selectSetting(db: Database, key: string): string | undefined {
  return statement(db, 'SELECT value FROM settings WHERE key = ?').pluck().get(key) as
    | string
    | undefined;
}

export function upsertSetting(db: Database, key: string, value: string): void {
  statement(
    db,
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function deleteSetting(db: Database, key: string): void {
  statement(db, 'DELETE FROM settings WHERE key = ?').run(key);
}
