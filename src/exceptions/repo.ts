import type { Listing, Paging } from '../listing.js';
import { pagedListing } from '../store/pages.js';
import { type Condition, given, likePattern, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

export type ExceptionType = 'phone' | 'email';
export type ExceptionSource = 'manual' | 'import' | 'item' | 'rule' | 'telephony';

export interface ExceptionRow {
  id: number;
  type: ExceptionType;
  value: string;
  match_key: string;
  raw: string;
  comment: string;
  source: ExceptionSource;
  created_at: string;
  created_by: string;
  operation_id: number | null;
  line: number | null;
}

export type NewExceptionRow = Omit<ExceptionRow, 'id'>;

/** Inserts unless the key is listed already; returns whether it was added. */
export function insertException(db: Database, row: NewExceptionRow): boolean {
  return (
    statement(
      db,
      `INSERT INTO exceptions (type, value, match_key, raw, comment, source, created_at, created_by, operation_id, line)
       VALUES (@type, @value, @match_key, @raw, @comment, @source, @created_at, @created_by, @operation_id, @line)
       ON CONFLICT (match_key) DO NOTHING`,
    ).run(row).changes === 1
  );
}

export function selectExceptionByKey(db: Database, key: string): ExceptionRow | undefined {
  return statement(db, 'SELECT * FROM exceptions WHERE match_key = ?').get(key) as
    | ExceptionRow
    | undefined;
}

export function updateExceptionComment(db: Database, id: number, comment: string): void {
  statement(db, 'UPDATE exceptions SET comment = ? WHERE id = ?').run(comment, id);
}

export function recordCommentChange(
  db: Database,
  operationId: number,
  id: number,
  oldComment: string,
): void {
  statement(
    db,
    `INSERT INTO exception_comment_changes (operation_id, exception_id, old_comment) VALUES (?, ?, ?)
     ON CONFLICT DO NOTHING`,
  ).run(operationId, id, oldComment);
}

/** An entry's columns, in the order both the list and its removal records hold them. */
const entryColumns =
  'id, type, value, match_key, raw, comment, source, created_at, created_by, operation_id, line';

/**
 * Takes the entry with this key off the list, if listed, keeping it whole under the remove's
 * operation (exception_removals; `removalId` is asked only then) so that undoing the remove
 * puts it back; returns it.
 */
export function deleteExceptionByKey(
  db: Database,
  removalId: () => number,
  key: string,
): ExceptionRow | undefined {
  const row = statement(db, 'DELETE FROM exceptions WHERE match_key = ? RETURNING *').get(key) as
    | ExceptionRow
    | undefined;
  if (row) {
    statement(
      db,
      `INSERT INTO exception_removals (removal_id, ${entryColumns})
       VALUES (@removal_id, @id, @type, @value, @match_key, @raw, @comment, @source, @created_at, @created_by, @operation_id, @line)`,
    ).run({ ...row, removal_id: removalId() });
  }
  return row;
}

export interface ExceptionFilter extends Paging {
  type?: ExceptionType;
  valueContains?: string;
  /** Exact match keys (the same number in any spelling). */
  keys?: string[];
  commentContains?: string;
  source?: ExceptionSource;
  since?: string;
  until?: string;
  addedBy?: string;
  operationId?: number;
}

/** The conditions given, joined with OR (one condition, or none when none is given). */
function eitherOf(conditions: readonly (Condition | undefined)[]): Condition | undefined {
  const present = conditions.filter((c): c is Condition => c !== undefined);
  if (present.length === 0) return undefined;
  return [
    `(${present.map(([sql]) => sql).join(' OR ')})`,
    Object.assign({}, ...present.map(([, params]) => params)),
  ];
}

function whereClause(filter: ExceptionFilter): { clause: string; params: Record<string, unknown> } {
  const keys = filter.keys !== undefined && filter.keys.length > 0 ? filter.keys : undefined;
  return whereOf([
    given(filter.type, 'type = @type'),
    // Text in the stored value, or the same number in any spelling: either matches.
    eitherOf([
      given(
        filter.valueContains === undefined ? undefined : likePattern(filter.valueContains),
        `value LIKE @value ESCAPE '\\'`,
      ),
      given(
        keys === undefined ? undefined : JSON.stringify(keys),
        'match_key IN (SELECT value FROM json_each(@keys))',
      ),
    ]),
    // Every comment contains the empty text: no condition for it. Through the partial index of
    // non-empty comments: a substring search then scans that small index instead of every row
    // (a rare comment in 2M entries: ~200 → ~55 ms).
    given(
      filter.commentContains ? likePattern(filter.commentContains) : undefined,
      `id IN (SELECT id FROM exceptions WHERE comment != '' AND comment LIKE @comment ESCAPE '\\')`,
    ),
    given(filter.source, 'source = @source'),
    given(filter.since, 'created_at >= @since'),
    given(filter.until, 'created_at < @until'),
    given(filter.addedBy, 'created_by = @addedBy COLLATE NOCASE'),
    given(filter.operationId, 'operation_id = @operationId'),
  ]);
}

export function selectExceptions(db: Database, filter: ExceptionFilter): ExceptionRow[] {
  return Array.from(pagedExceptions(db, filter).rows);
}

/**
 * The rows matching a filter in id order, one page read as they are consumed (the statement
 * starts at the first row): lists and exports of millions of rows stay small.
 */
export function pagedExceptions(db: Database, filter: ExceptionFilter): Listing<ExceptionRow> {
  return pagedListing(
    db,
    { table: 'exceptions', where: whereClause(filter), orderBy: 'id' },
    filter,
  );
}

/** Takes every entry matching a filter off the list, kept under `removalId`; returns how many. */
export function deleteExceptionsMatching(
  db: Database,
  removalId: number,
  filter: ExceptionFilter,
): number {
  const { clause, params } = whereClause(filter);
  db.prepare(
    `INSERT INTO exception_removals (removal_id, ${entryColumns})
     SELECT @removalId, ${entryColumns} FROM exceptions ${clause}`,
  ).run({ ...params, removalId });
  return db.prepare(`DELETE FROM exceptions ${clause}`).run(params).changes;
}

/**
 * The comments an import overwrote (with --update-comments), in entry order: of entries listed,
 * or kept by a later remove.
 */
export function commentChangesOf(
  db: Database,
  operationId: number,
): { exceptionId: number; value: string; oldComment: string }[] {
  return statement(
    db,
    `SELECT c.exception_id AS exceptionId, coalesce(e.value, r.value) AS value, c.old_comment AS oldComment
     FROM exception_comment_changes c
       LEFT JOIN exceptions e ON e.id = c.exception_id
       LEFT JOIN exception_removals r ON r.id = c.exception_id
     WHERE c.operation_id = ? AND coalesce(e.id, r.id) IS NOT NULL
     ORDER BY c.exception_id`,
  ).all(operationId) as { exceptionId: number; value: string; oldComment: string }[];
}

/** The first import after `operationId` that changed this entry's comment (and is not undone). */
export function nextCommentChange(
  db: Database,
  exceptionId: number,
  operationId: number,
): number | undefined {
  return statement(
    db,
    `SELECT operation_id FROM exception_comment_changes
     WHERE exception_id = ? AND operation_id > ? ORDER BY operation_id LIMIT 1`,
  )
    .pluck()
    .get(exceptionId, operationId) as number | undefined;
}

/** Sets what a recorded comment change puts back when its import is undone. */
export function setCommentChangeOld(
  db: Database,
  operationId: number,
  exceptionId: number,
  oldComment: string,
): void {
  statement(
    db,
    'UPDATE exception_comment_changes SET old_comment = ? WHERE operation_id = ? AND exception_id = ?',
  ).run(oldComment, operationId, exceptionId);
}

export function forgetCommentChangesOf(db: Database, operationId: number): void {
  statement(db, 'DELETE FROM exception_comment_changes WHERE operation_id = ?').run(operationId);
}

/** The ids of the entries a filter matches, in id order. */
export function selectIdsMatching(db: Database, filter: ExceptionFilter): number[] {
  const { clause, params } = whereClause(filter);
  return db
    .prepare(`SELECT id FROM exceptions ${clause} ORDER BY id`)
    .pluck()
    .all(params) as number[];
}

/** The values of these entries (those that still exist), in id order. */
export function selectValuesByIds(db: Database, ids: readonly number[]): string[] {
  return statement(
    db,
    'SELECT value FROM exceptions WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id',
  )
    .pluck()
    .all(JSON.stringify(ids)) as string[];
}

/** Takes these entries (those still listed) off the list, kept under `removalId`; returns how many. */
export function deleteExceptionsByIds(
  db: Database,
  removalId: number,
  ids: readonly number[],
): number {
  const keep = statement(
    db,
    `INSERT INTO exception_removals (removal_id, ${entryColumns})
     SELECT ?, ${entryColumns} FROM exceptions WHERE id IN (SELECT value FROM json_each(?))`,
  );
  const remove = statement(
    db,
    'DELETE FROM exceptions WHERE id IN (SELECT value FROM json_each(?))',
  );
  let removed = 0;
  for (let at = 0; at < ids.length; at += 10_000) {
    const chunk = JSON.stringify(ids.slice(at, at + 10_000));
    keep.run(removalId, chunk);
    removed += remove.run(chunk).changes;
  }
  return removed;
}

// Undo (src/exceptions/undo.ts): what an operation added, removed and re-commented, taken back.

/**
 * Deletes the entries an operation added, with the comment changes recorded on them (they
 * go with the entry); returns how many.
 */
export function deleteEntriesAddedBy(db: Database, operationId: number): number {
  statement(
    db,
    'DELETE FROM exception_comment_changes WHERE exception_id IN (SELECT id FROM exceptions WHERE operation_id = ?)',
  ).run(operationId);
  return statement(db, 'DELETE FROM exceptions WHERE operation_id = ?').run(operationId).changes;
}

/** The first `limit` values of the entries an operation added that are listed, in id order. */
export function valuesAddedBy(db: Database, operationId: number, limit: number): string[] {
  return statement(db, 'SELECT value FROM exceptions WHERE operation_id = ? ORDER BY id LIMIT ?')
    .pluck()
    .all(operationId, limit) as string[];
}

/**
 * Forgets the entries an operation added that a later remove took off: with the operation
 * undone, undoing that remove must not bring them back.
 */
export function forgetRemovedEntriesAddedBy(db: Database, operationId: number): void {
  statement(
    db,
    'DELETE FROM exception_comment_changes WHERE exception_id IN (SELECT id FROM exception_removals WHERE operation_id = ?)',
  ).run(operationId);
  statement(db, 'DELETE FROM exception_removals WHERE operation_id = ?').run(operationId);
}

/** The first `limit` values a remove took off, in id order. */
export function valuesRemovedBy(db: Database, removalId: number, limit: number): string[] {
  return statement(
    db,
    'SELECT value FROM exception_removals WHERE removal_id = ? ORDER BY id LIMIT ?',
  )
    .pluck()
    .all(removalId, limit) as string[];
}

/**
 * Puts back, as they were (their ids included), the entries a remove took off whose value is
 * not listed again since; then forgets the remove's records: those not put back are gone for
 * good, with their comment changes. Returns how many came back, and how many did not.
 */
export function restoreRemovedBy(
  db: Database,
  removalId: number,
): { restored: number; notRestored: number } {
  const restored = statement(
    db,
    `INSERT INTO exceptions (${entryColumns})
     SELECT ${entryColumns} FROM exception_removals r
     WHERE r.removal_id = ? AND NOT EXISTS (SELECT 1 FROM exceptions e WHERE e.match_key = r.match_key)
     ORDER BY r.id`,
  ).run(removalId).changes;
  statement(
    db,
    `DELETE FROM exception_comment_changes WHERE exception_id IN (
       SELECT r.id FROM exception_removals r
       WHERE r.removal_id = ? AND NOT EXISTS (SELECT 1 FROM exceptions e WHERE e.id = r.id))`,
  ).run(removalId);
  const records = statement(db, 'DELETE FROM exception_removals WHERE removal_id = ?').run(
    removalId,
  ).changes;
  return { restored, notRestored: records - restored };
}

/** Sets an entry's comment, whether it is listed or kept by a remove (undo puts it back so). */
export function restoreComment(db: Database, id: number, comment: string): void {
  statement(db, 'UPDATE exceptions SET comment = ? WHERE id = ?').run(comment, id);
  statement(db, 'UPDATE exception_removals SET comment = ? WHERE id = ?').run(comment, id);
}

/** Later operations that depend on one, each with how many entries and the first few values. */
export interface DependentRows {
  operationId: number | null;
  count: number;
  values: string[];
}

/**
 * What may depend on an operation `@op`: each a SELECT of the later operation (`operationId`)
 * and a `value`, in the order to show them.
 */
const dependencies = {
  /** Imports after it that changed the comments of entries it added (still listed). */
  commentChangesOfAdded: `SELECT c.operation_id AS operationId, e.value AS value
     FROM exceptions e JOIN exception_comment_changes c ON c.exception_id = e.id
     WHERE e.operation_id = @op AND c.operation_id > @op
     ORDER BY c.operation_id, e.id`,
  /** Removes after it that took off entries it added, or entries whose comment it changed. */
  removals: `SELECT r.removal_id AS operationId, r.value AS value
     FROM exception_removals r
     WHERE r.removal_id > @op AND (r.operation_id = @op OR r.id IN
       (SELECT exception_id FROM exception_comment_changes WHERE operation_id = @op))
     ORDER BY r.removal_id, r.id`,
  /** Entries listed since with a value it (a remove) took off: the operations that added them. */
  relistedValues: `SELECT e.operation_id AS operationId, e.value AS value
     FROM exception_removals r JOIN exceptions e ON e.match_key = r.match_key
     WHERE r.removal_id = @op
     ORDER BY e.operation_id, e.id`,
};

export type Dependency = keyof typeof dependencies;

/**
 * The later operations that depend on `operationId` as `dependency` says, each with a count and
 * the first three values, however many rows.
 */
export function dependentRows(
  db: Database,
  dependency: Dependency,
  operationId: number,
): DependentRows[] {
  const body = dependencies[dependency];
  const groups = db
    .prepare(
      `SELECT operationId, count(*) AS count FROM (${body}) GROUP BY operationId ORDER BY operationId`,
    )
    .all({ op: operationId }) as { operationId: number | null; count: number }[];
  const sample = db.prepare(`SELECT value FROM (${body}) WHERE operationId IS @group LIMIT 3`);
  return groups.map((g) => ({
    ...g,
    values: sample.pluck().all({ op: operationId, group: g.operationId }) as string[],
  }));
}
