import type { Listing, Paging } from '../listing.js';
import { pagedListing } from '../store/pages.js';
import { type Condition, given, likePattern, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

export type BlacklistSource = 'manual' | 'auto';

export interface BlacklistRow {
  id: number;
  number: string;
  raw: string;
  comment: string;
  source: BlacklistSource;
  created_at: string;
  created_by: string;
  expires_at: string | null;
  operation_id: number | null;
  line: number | null;
}

export type NewBlacklistRow = Omit<BlacklistRow, 'id'>;

const entryColumns =
  'id, number, raw, comment, source, created_at, created_by, expires_at, operation_id, line';

/** Inserts unless the number is listed already; returns whether it was added. */
export function insertBlacklistEntry(db: Database, row: NewBlacklistRow): boolean {
  return (
    statement(
      db,
      `INSERT INTO blacklist (number, raw, comment, source, created_at, created_by, expires_at, operation_id, line)
       VALUES (@number, @raw, @comment, @source, @created_at, @created_by, @expires_at, @operation_id, @line)
       ON CONFLICT (number) DO NOTHING`,
    ).run(row).changes === 1
  );
}

export function selectBlacklistEntry(db: Database, number: string): BlacklistRow | undefined {
  return statement(db, 'SELECT * FROM blacklist WHERE number = ?').get(number) as
    | BlacklistRow
    | undefined;
}

export function updateBlacklistComment(db: Database, id: number, comment: string): void {
  statement(db, 'UPDATE blacklist SET comment = ? WHERE id = ?').run(comment, id);
}

export function recordBlacklistCommentChange(
  db: Database,
  operationId: number,
  id: number,
  oldComment: string,
): void {
  statement(
    db,
    `INSERT INTO blacklist_comment_changes (operation_id, entry_id, old_comment) VALUES (?, ?, ?)
     ON CONFLICT DO NOTHING`,
  ).run(operationId, id, oldComment);
}

/** Takes an entry off the list, kept whole under `removalId` so that undo can put it back. */
export function deleteBlacklistEntry(
  db: Database,
  removalId: () => number,
  number: string,
): BlacklistRow | undefined {
  const row = statement(db, 'DELETE FROM blacklist WHERE number = ? RETURNING *').get(number) as
    | BlacklistRow
    | undefined;
  if (row) keepRemoved(db, removalId(), row);
  return row;
}

function keepRemoved(db: Database, removalId: number, row: BlacklistRow): void {
  statement(
    db,
    `INSERT INTO blacklist_removals (removal_id, ${entryColumns})
     VALUES (@removal_id, @id, @number, @raw, @comment, @source, @created_at, @created_by, @expires_at, @operation_id, @line)`,
  ).run({ ...row, removal_id: removalId });
}

/** Entries whose expiry is at or before `at`, taken off and kept under `removalId`. */
export function deleteExpiredEntries(
  db: Database,
  removalId: () => number,
  at: string,
): BlacklistRow[] {
  const rows = statement(
    db,
    'DELETE FROM blacklist WHERE expires_at IS NOT NULL AND expires_at <= ? RETURNING *',
  ).all(at) as BlacklistRow[];
  if (rows.length > 0) {
    const id = removalId();
    for (const row of rows) keepRemoved(db, id, row);
  }
  return rows;
}

export interface BlacklistFilter extends Paging {
  numberContains?: string;
  number?: string;
  commentContains?: string;
  source?: BlacklistSource;
  since?: string;
  until?: string;
  addedBy?: string;
}

function blacklistWhere(filter: BlacklistFilter) {
  const byNumber: Condition | undefined =
    filter.numberContains === undefined
      ? undefined
      : [
          `(number LIKE @numberContains ESCAPE '\\' OR number = @number)`,
          { numberContains: likePattern(filter.numberContains), number: filter.number ?? null },
        ];
  return whereOf([
    byNumber,
    given(
      filter.commentContains ? likePattern(filter.commentContains) : undefined,
      `comment LIKE @commentContains ESCAPE '\\'`,
    ),
    given(filter.source, 'source = @source'),
    given(filter.since, 'created_at >= @since'),
    given(filter.until, 'created_at < @until'),
    given(filter.addedBy, 'created_by = @addedBy COLLATE NOCASE'),
  ]);
}

/** The entries matching a filter in id order, read a page at a time as they are consumed. */
export function pagedBlacklist(db: Database, filter: BlacklistFilter): Listing<BlacklistRow> {
  return pagedListing(
    db,
    { table: 'blacklist', where: blacklistWhere(filter), orderBy: 'id' },
    filter,
  );
}

// Undo (src/telephony/undo.ts).

export function deleteEntriesAddedBy(db: Database, operationId: number): string[] {
  return statement(db, 'DELETE FROM blacklist WHERE operation_id = ? RETURNING number')
    .pluck()
    .all(operationId) as string[];
}

export function commentChangesOf(
  db: Database,
  operationId: number,
): { entryId: number; oldComment: string }[] {
  return statement(
    db,
    'SELECT entry_id AS entryId, old_comment AS oldComment FROM blacklist_comment_changes WHERE operation_id = ?',
  ).all(operationId) as { entryId: number; oldComment: string }[];
}

export function forgetCommentChanges(db: Database, operationId: number): void {
  statement(db, 'DELETE FROM blacklist_comment_changes WHERE operation_id = ?').run(operationId);
}

/** Puts back what a remove took off where the number is not listed again; forgets the rest. */
export function restoreRemovedBy(
  db: Database,
  removalId: number,
): { restored: string[]; notRestored: number } {
  const restored = statement(
    db,
    `INSERT INTO blacklist (${entryColumns})
     SELECT ${entryColumns} FROM blacklist_removals r
     WHERE r.removal_id = ? AND NOT EXISTS (SELECT 1 FROM blacklist b WHERE b.number = r.number)
     ORDER BY r.id
     RETURNING number`,
  )
    .pluck()
    .all(removalId) as string[];
  const kept = statement(db, 'DELETE FROM blacklist_removals WHERE removal_id = ?').run(
    removalId,
  ).changes;
  return { restored, notRestored: kept - restored.length };
}

/** Later removes that took off entries an operation added: undoing it would lose them. */
export function laterRemovalsOf(
  db: Database,
  operationId: number,
): { operationId: number; count: number; numbers: string }[] {
  return statement(
    db,
    `SELECT removal_id AS operationId, count(*) AS count, group_concat(number, ', ') AS numbers
     FROM (SELECT removal_id, number FROM blacklist_removals WHERE operation_id = ? AND removal_id > ? ORDER BY id)
     GROUP BY removal_id ORDER BY removal_id`,
  ).all(operationId, operationId) as { operationId: number; count: number; numbers: string }[];
}

// The allow-list.

export interface AllowedRow {
  number: string;
  comment: string;
  created_at: string;
  created_by: string;
}

export function insertAllowed(db: Database, row: AllowedRow): boolean {
  return (
    statement(
      db,
      `INSERT INTO blacklist_allowed (number, comment, created_at, created_by)
       VALUES (@number, @comment, @created_at, @created_by) ON CONFLICT (number) DO NOTHING`,
    ).run(row).changes === 1
  );
}

export function deleteAllowed(db: Database, number: string): boolean {
  return statement(db, 'DELETE FROM blacklist_allowed WHERE number = ?').run(number).changes === 1;
}

export function isAllowedNumber(db: Database, number: string): boolean {
  return (
    statement(db, 'SELECT 1 FROM blacklist_allowed WHERE number = ?').get(number) !== undefined
  );
}

export function pagedAllowed(db: Database, paging: Paging): Listing<AllowedRow> {
  return pagedListing(
    db,
    { table: 'blacklist_allowed', where: whereOf([]), orderBy: 'number' },
    paging,
  );
}

// Settings.

export function selectTelephonySettings(db: Database): Map<string, string> {
  const rows = statement(db, 'SELECT key, value FROM telephony_settings').all() as {
    key: string;
    value: string;
  }[];
  return new Map(rows.map((row) => [row.key, row.value]));
}

export function upsertTelephonySetting(db: Database, key: string, value: string): void {
  statement(
    db,
    `INSERT INTO telephony_settings (key, value) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ).run(key, value);
}

export function deleteTelephonySetting(db: Database, key: string): void {
  statement(db, 'DELETE FROM telephony_settings WHERE key = ?').run(key);
}

// The call log.

export interface CallRow {
  id: number;
  at: string;
  number: string;
  line: string | null;
  duration: number | null;
  status: 'answered' | 'missed' | 'declined';
  declined_by: 'blacklist' | 'auto-block' | null;
  code: number;
  outside_hours: number;
  reason: string;
  communication_id: number | null;
}

export function insertCall(db: Database, row: Omit<CallRow, 'id'>): number {
  return Number(
    statement(
      db,
      `INSERT INTO calls (at, number, line, duration, status, declined_by, code, outside_hours, reason, communication_id)
       VALUES (@at, @number, @line, @duration, @status, @declined_by, @code, @outside_hours, @reason, @communication_id)`,
    ).run(row).lastInsertRowid,
  );
}

/** A number's calls from `since` to `until` (inclusive), in time order. */
export function selectCallsOf(
  db: Database,
  number: string,
  since: string,
  until: string,
): Pick<CallRow, 'at' | 'outside_hours' | 'status' | 'declined_by'>[] {
  return statement(
    db,
    `SELECT at, outside_hours, status, declined_by FROM calls
     WHERE number = ? AND at >= ? AND at <= ? ORDER BY at, id`,
  ).all(number, since, until) as Pick<CallRow, 'at' | 'outside_hours' | 'status' | 'declined_by'>[];
}

/** A call as the log shows it: with what the CRM made of it (the communication). */
export interface CallLogRow extends CallRow {
  item_id: number | null;
  crm_status: string | null;
  crm_reason: string | null;
  crm_decision: string | null;
}

export interface CallFilter extends Paging {
  number?: string;
  status?: string;
  since?: string;
  until?: string;
}

const callLogSelect = `SELECT c.*, m.item_id AS item_id, m.status AS crm_status, m.reason AS crm_reason, m.decision AS crm_decision
  FROM calls c LEFT JOIN communications m ON m.id = c.communication_id`;

export function pagedCalls(db: Database, filter: CallFilter): Listing<CallLogRow> {
  const where = whereOf([
    given(filter.number, 'number = @number'),
    given(filter.status, 'status = @status'),
    given(filter.since, 'at >= @since'),
    given(filter.until, 'at < @until'),
  ]);
  return pagedListing(db, { table: `(${callLogSelect})`, where, orderBy: 'at, id' }, filter);
}
