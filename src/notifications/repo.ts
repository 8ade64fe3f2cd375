import type { Listing, Paging } from '../listing.js';
import { pagedListing } from '../store/pages.js';
import { given, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

export interface NotificationRow {
  id: number;
  login: string;
  text: string;
  item_id: number | null;
  source: string;
  rule_id: number | null;
  created_at: string;
  created_by: string;
  read_at: string | null;
  operation_id: number | null;
}

export function insertNotificationRow(
  db: Database,
  row: Omit<NotificationRow, 'id' | 'read_at'>,
): number {
  return Number(
    statement(
      db,
      `INSERT INTO notifications (login, text, item_id, source, rule_id, created_at, created_by, operation_id)
       VALUES (@login, @text, @item_id, @source, @rule_id, @created_at, @created_by, @operation_id)`,
    ).run(row).lastInsertRowid,
  );
}

export function selectNotificationRow(db: Database, id: number): NotificationRow | undefined {
  return statement(db, 'SELECT * FROM notifications WHERE id = ?').get(id) as
    | NotificationRow
    | undefined;
}

export function selectUnreadIds(db: Database, login: string): number[] {
  return statement(
    db,
    'SELECT id FROM notifications WHERE login = ? AND read_at IS NULL ORDER BY id',
  )
    .pluck()
    .all(login) as number[];
}

/** Marks a notification read; false when it was read already. */
export function markRead(db: Database, id: number, at: string): boolean {
  return (
    statement(db, 'UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL').run(
      at,
      id,
    ).changes === 1
  );
}

export function pagedNotifications(
  db: Database,
  filter: { login: string; unread?: boolean },
  paging: Paging,
): Listing<NotificationRow> {
  const where = whereOf([
    given(filter.login, 'login = @login'),
    filter.unread ? ['read_at IS NULL', {}] : undefined,
  ]);
  return pagedListing<NotificationRow>(
    db,
    { table: 'notifications', where, orderBy: 'id' },
    paging,
  );
}
