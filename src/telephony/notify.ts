import { NotFoundError } from '../errors.js';
import { notifyUser } from '../notifications/service.js';
import type { Session } from '../session.js';
import type { BlacklistEntry } from './blacklist.js';

/**
 * Tells the `--notify` user that a number was auto-blocked (from the system, in the call's unit
 * of work). Returns who was told; null when nobody is set, or the user no longer exists.
 */
export function notifyOfAutoBlock(
  session: Session,
  login: string | null,
  entry: BlacklistEntry,
  reason: string,
): string | null {
  if (login === null) return null;
  const until = entry.expiresAt === null ? 'permanently' : `until ${entry.expiresAt}`;
  try {
    return notifyUser(session, {
      login,
      text: `${entry.number} was auto-blocked ${until}: ${reason}`,
      itemId: null,
      source: 'telephony',
    }).user;
  } catch (error) {
    // A user removed since the setting was made: the call goes on; nobody is told.
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}
