import type { Listing, Paging } from '../listing.js';
import { pagedListing } from '../store/pages.js';
import { given, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

export interface CommunicationRow {
  id: number;
  channel: string;
  at: string;
  from_value: string;
  from_key: string | null;
  subject: string | null;
  message_id: string | null;
  in_reply_to: string | null;
  status: string;
  item_id: number | null;
  /** What it saved to the CRM or not, and why (a declined call: the registered part). */
  reason: string;
  /** The decision's action (`create-lead` …); null on entries logged before schema version 7. */
  decision: string | null;
  /** Why a call was declined (it never connected); null for everything that arrived. */
  declined_reason: string | null;
}

export function insertCommunication(db: Database, row: Omit<CommunicationRow, 'id'>): number {
  const result = statement(
    db,
    `INSERT INTO communications (channel, at, from_value, from_key, subject, message_id, in_reply_to, status, item_id, reason, decision, declined_reason)
       VALUES (@channel, @at, @from_value, @from_key, @subject, @message_id, @in_reply_to, @status, @item_id, @reason, @decision, @declined_reason)`,
  ).run(row);
  return Number(result.lastInsertRowid);
}

export function selectCommunication(db: Database, id: number): CommunicationRow | undefined {
  return statement(db, 'SELECT * FROM communications WHERE id = ?').get(id) as
    | CommunicationRow
    | undefined;
}

/**
 * The item a saved message belongs to, found by its Message-ID, while the item exists (one in
 * the recycle bin no longer takes replies).
 */
export function selectThreadItem(db: Database, messageId: string): number | undefined {
  const row = statement(
    db,
    `SELECT item_id FROM communications
     WHERE message_id = ? AND item_id IN (SELECT id FROM items) ORDER BY id DESC LIMIT 1`,
  ).get(messageId) as { item_id: number } | undefined;
  return row?.item_id;
}

export interface CommunicationFilter extends Paging {
  channel?: string;
  status?: string;
  since?: string;
}

function communicationWhere(filter: CommunicationFilter) {
  return whereOf([
    given(filter.channel, 'channel = @channel'),
    given(filter.status, 'status = @status'),
    given(filter.since, 'at >= @since'),
  ]);
}

/** The communication log in time order, one page read lazily. */
export function pagedCommunications(
  db: Database,
  filter: CommunicationFilter,
): Listing<CommunicationRow> {
  const where = communicationWhere(filter);
  return pagedListing(db, { table: 'communications', where, orderBy: 'at, id' }, filter);
}
