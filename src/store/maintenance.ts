import { chmodSync, existsSync } from 'node:fs';
import { ConflictError } from '../errors.js';
import { latestVersion } from './migrations.js';
import type { Store } from './store.js';

export interface StoreCheck {
  ok: boolean;
  path: string;
  schemaVersion: number;
  integrity: string[];
  foreignKeyViolations: { table: string; rowid: number | null; parent: string }[];
}

/** `PRAGMA integrity_check` and `PRAGMA foreign_key_check`. */
export function checkStore(store: Store): StoreCheck {
  const integrity = store.db.pragma('integrity_check') as { integrity_check: string }[];
  const violations = store.db.pragma('foreign_key_check') as {
    table: string;
    rowid: number | null;
    parent: string;
  }[];
  const messages = integrity.map((row) => row.integrity_check);
  return {
    ok: messages.length === 1 && messages[0] === 'ok' && violations.length === 0,
    path: store.path,
    schemaVersion: store.db.pragma('user_version', { simple: true }) as number,
    integrity: messages,
    foreignKeyViolations: violations.map((v) => ({
      table: v.table,
      rowid: v.rowid,
      parent: v.parent,
    })),
  };
}

export interface BackupResult {
  path: string;
  totalPages: number;
}

/** Copies the store with SQLite's online backup API (never a file copy), readable by its owner only. */
export async function backupStore(
  store: Store,
  destination: string,
  overwrite: boolean,
): Promise<BackupResult> {
  if (existsSync(destination) && !overwrite) {
    throw new ConflictError(
      `${destination} exists: choose another file or add --force to replace it`,
    );
  }
  const { totalPages } = await store.db.backup(destination);
  chmodSync(destination, 0o600);
  return { path: destination, totalPages };
}

export { latestVersion };
