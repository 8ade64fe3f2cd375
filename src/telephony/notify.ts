import type { Session } from '../session.js';
import type { BlacklistEntry } from './blacklist.js';

/**
 * Tells the `--notify` user that a number was auto-blocked. Returns who was told (null: nobody
 * is set). The notifications feature (src/notifications, `notifyUser`) is not on main yet: until
 * it is, nobody is told, and the auto-block's history entry names who should have been.
 */
export function notifyOfAutoBlock(
  _session: Session,
  login: string | null,
  _entry: BlacklistEntry,
  _reason: string,
): string | null {
  if (login === null) return null;
  return null;
}
