import { NotFoundError, PermissionError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { type Listing, mapListing, type Paging } from '../listing.js';
import { checkMessageText, ruleOfCause } from '../outbox/service.js';
import { nowIso, type Session } from '../session.js';
import { checkDisplayText } from '../text.js';
import { getUser, mayUse } from '../users/service.js';
import {
  insertNotificationRow,
  markRead,
  type NotificationRow,
  pagedNotifications,
  selectNotificationRow,
  selectUnreadIds,
} from './repo.js';

/** A notice for an employee (`notify` rules, telephony's auto-block notices). */
export interface Notification {
  id: number;
  user: string;
  text: string;
  itemId: number | null;
  /** What sent it: `rule`, `trigger`, `system`, `user`, or a feature (`telephony`). */
  source: string;
  ruleId: number | null;
  createdAt: string;
  createdBy: string;
  read: boolean;
  readAt: string | null;
}

/** The longest notice kept. */
export const maxNotificationLength = 4000;

export interface NotifyUserOptions {
  /** Who gets it: a user's login (any case). */
  login: string;
  text: string;
  itemId?: number | null;
  /** What sent it; default the kind of the session's cause (`rule`, `system`, `user` …). */
  source?: string;
}

/**
 * Leaves a notification for a user, inside the command's write; records it in history. An
 * unknown login is not found (exit 4).
 */
export function notifyUser(session: Session, options: NotifyUserOptions): Notification {
  session.requireWrite('notifying a user');
  const login = getUser(session, options.login).login;
  const text = checkMessageText(options.text, 'a notification', maxNotificationLength);
  const source = checkDisplayText(options.source ?? session.actor.cause.kind, 'a source', {
    min: 1,
    max: 64,
  });
  const id = insertNotificationRow(session.db, {
    login,
    text,
    item_id: options.itemId ?? null,
    source,
    rule_id: ruleOfCause(session),
    created_at: nowIso(session),
    created_by: session.actor.login,
    operation_id: session.keepsOperations ? session.operation() : null,
  });
  recordChange(session, {
    action: 'created',
    entity: { type: 'notification', id },
    changes: { user: login, itemId: options.itemId ?? null, source },
  });
  return getNotification(session, id);
}

export function getNotification(session: Session, id: number): Notification {
  const row = selectNotificationRow(session.db, id);
  if (!row) throw new NotFoundError(`no notification with id ${id} (see crmctl notification list)`);
  return toNotification(row);
}

export interface ListNotificationsOptions extends Paging {
  /** Whose: default the acting user's; another user's needs users.manage. */
  login?: string;
  unread?: boolean;
}

/** A user's notifications, oldest first, read as they are printed. */
export function listNotifications(
  session: Session,
  options: ListNotificationsOptions = {},
): Listing<Notification> {
  const login = whoseNotifications(session, options.login);
  return mapListing(
    pagedNotifications(session.db, { login, unread: options.unread }, options),
    toNotification,
  );
}

export interface MarkReadResult {
  /** Marked read now. */
  marked: Notification[];
  /** Read already; left as they were. */
  alreadyRead: number[];
}

/**
 * Marks the acting user's notifications read: `ids`, or with none every unread one. Another
 * user's notification is refused (exit 6) unless the user holds users.manage.
 */
export function markNotificationsRead(session: Session, ids?: readonly number[]): MarkReadResult {
  session.requireWrite('marking notifications read');
  const login = session.actor.login;
  const wanted = ids ?? selectUnreadIds(session.db, login);
  const result: MarkReadResult = { marked: [], alreadyRead: [] };
  for (const id of wanted) {
    const notice = getNotification(session, id);
    whoseNotifications(session, notice.user);
    if (!markRead(session.db, id, nowIso(session))) {
      result.alreadyRead.push(id);
      continue;
    }
    recordChange(session, { action: 'read', entity: { type: 'notification', id } });
    result.marked.push(getNotification(session, id));
  }
  return result;
}

/** The login whose notifications the session may see: its own, or anyone's with users.manage. */
function whoseNotifications(session: Session, login: string | undefined): string {
  const own = session.actor.login;
  if (login === undefined || login.toLowerCase() === own.toLowerCase()) return own;
  const user = getUser(session, login).login;
  if (!mayUse(session, 'users.manage')) {
    throw new PermissionError(
      `permission denied: the notifications of "${user}" are theirs; "${own}" lacks users.manage to see them`,
      'users.manage',
    );
  }
  return user;
}

function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    user: row.login,
    text: row.text,
    itemId: row.item_id,
    source: row.source,
    ruleId: row.rule_id,
    createdAt: row.created_at,
    createdBy: row.created_by,
    read: row.read_at !== null,
    readAt: row.read_at,
  };
}
