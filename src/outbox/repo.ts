import type { Listing, Paging } from '../listing.js';
import { pagedListing } from '../store/pages.js';
import { given, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

export interface OutboxRow {
  id: number;
  channel: 'sms' | 'email';
  recipient: string;
  subject: string | null;
  text: string;
  item_id: number | null;
  rule_id: number | null;
  created_at: string;
  created_by: string;
  operation_id: number | null;
}

export function insertOutboxRow(db: Database, row: Omit<OutboxRow, 'id'>): number {
  return Number(
    statement(
      db,
      `INSERT INTO outbox (channel, recipient, subject, text, item_id, rule_id, created_at, created_by, operation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      row.channel,
      row.recipient,
      row.subject,
      row.text,
      row.item_id,
      row.rule_id,
      row.created_at,
      row.created_by,
      row.operation_id,
    ).lastInsertRowid,
  );
}

export function selectOutboxRow(db: Database, id: number): OutboxRow | undefined {
  return statement(db, 'SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
}

export interface OutboxFilter {
  itemId?: number;
  channel?: string;
  since?: string;
}

export function pagedOutbox(
  db: Database,
  filter: OutboxFilter,
  paging: Paging,
): Listing<OutboxRow> {
  const where = whereOf([
    given(filter.itemId, 'item_id = @itemId'),
    given(filter.channel, 'channel = @channel'),
    given(filter.since, 'created_at >= @since'),
  ]);
  return pagedListing<OutboxRow>(db, { table: 'outbox', where, orderBy: 'id' }, paging);
}

export function deleteRowsOfItems(db: Database, itemIds: readonly number[]): number {
  return db
    .prepare('DELETE FROM outbox WHERE item_id IN (SELECT value FROM json_each(?))')
    .run(JSON.stringify(itemIds)).changes;
}
