import type { Session } from '../session.js';
import { selectSetting } from './repo.js';

const settingsRead = 'settings-read';

/**
 * What `read` read of the store's settings, kept for the rest of this write: a replay of many
 * calls in one unit of work reads the same few settings for each. Within the write nobody else
 * changes them (BEGIN IMMEDIATE), and every setter calls `forgetSettingsRead` before it writes.
 * Outside a write, each call reads the store.
 */
export function keptForThisWrite<T>(session: Session, key: string, read: () => T): T {
  if (!session.writing) return read();
  const kept = session.scratch(settingsRead, () => new Map<string, unknown>());
  if (kept.has(key)) return kept.get(key) as T;
  const value = read();
  kept.set(key, value);
  return value;
}

/** Forgets the settings kept in this write: call it before changing any. */
export function forgetSettingsRead(session: Session): void {
  if (session.writing) session.scratch(settingsRead, () => new Map<string, unknown>()).clear();
}

/** A setting's stored text (undefined: not set), kept for the rest of the write. */
export function storedSetting(session: Session, key: string): string | undefined {
  return keptForThisWrite(session, `setting ${key}`, () => selectSetting(session.db, key));
}
