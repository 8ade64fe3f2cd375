import { likePattern, statement } from '../store/sql.js';
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

/**
 * Reads pages with read() instead of the memory map for the rest of this connection: an import
 * touches the whole index, and mapped pages would count towards its memory, growing with the list.
 */
export function readWithoutMemoryMap(db: Database): void {
  db.pragma('mmap_size = 0');
}

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

/** Deletes the entry with this key, if listed, and returns it. */
export function deleteExceptionByKey(db: Database, key: string): ExceptionRow | undefined {
  return statement(db, 'DELETE FROM exceptions WHERE match_key = ? RETURNING *').get(key) as
    | ExceptionRow
    | undefined;
}

export interface ExceptionFilter {
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
  limit?: number;
  offset?: number;
}

function whereClause(filter: ExceptionFilter): { clause: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.type !== undefined) {
    where.push('type = @type');
    params.type = filter.type;
  }
  const valueTests: string[] = [];
  if (filter.valueContains !== undefined) {
    valueTests.push(`value LIKE @value ESCAPE '\\'`);
    params.value = likePattern(filter.valueContains);
  }
  if (filter.keys !== undefined && filter.keys.length > 0) {
    valueTests.push('match_key IN (SELECT value FROM json_each(@keys))');
    params.keys = JSON.stringify(filter.keys);
  }
  if (valueTests.length) where.push(`(${valueTests.join(' OR ')})`);
  // Every comment contains the empty text: no condition for it.
  if (filter.commentContains) {
    // Through the partial index of non-empty comments: a substring search then scans that small
    // index instead of every row (a rare comment in 2M entries: ~200 → ~55 ms).
    where.push(
      `id IN (SELECT id FROM exceptions WHERE comment != '' AND comment LIKE @comment ESCAPE '\\')`,
    );
    params.comment = likePattern(filter.commentContains);
  }
  if (filter.source !== undefined) {
    where.push('source = @source');
    params.source = filter.source;
  }
  if (filter.since !== undefined) {
    where.push('created_at >= @since');
    params.since = filter.since;
  }
  if (filter.until !== undefined) {
    where.push('created_at < @until');
    params.until = filter.until;
  }
  if (filter.addedBy !== undefined) {
    where.push('created_by = @addedBy COLLATE NOCASE');
    params.addedBy = filter.addedBy;
  }
  if (filter.operationId !== undefined) {
    where.push('operation_id = @operationId');
    params.operationId = filter.operationId;
  }
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export function selectExceptions(db: Database, filter: ExceptionFilter): ExceptionRow[] {
  const { clause, params } = whereClause(filter);
  return db
    .prepare(`SELECT * FROM exceptions ${clause} ORDER BY id LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: filter.limit ?? -1, offset: filter.offset ?? 0 }) as ExceptionRow[];
}

/**
 * The rows matching a filter in id order, read as they are consumed (the statement starts at
 * the first row): lists and exports of millions of rows stay small.
 */
export function* iterateExceptions(db: Database, filter: ExceptionFilter): Generator<ExceptionRow> {
  const { clause, params } = whereClause(filter);
  // A whole list read through the memory map would keep every page of the table resident.
  if (filter.limit === undefined) readWithoutMemoryMap(db);
  yield* db
    .prepare(`SELECT * FROM exceptions ${clause} ORDER BY id LIMIT @limit OFFSET @offset`)
    .iterate({
      ...params,
      limit: filter.limit ?? -1,
      offset: filter.offset ?? 0,
    }) as IterableIterator<ExceptionRow>;
}

export function deleteExceptionsMatching(db: Database, filter: ExceptionFilter): number {
  const { clause, params } = whereClause(filter);
  return db.prepare(`DELETE FROM exceptions ${clause}`).run(params).changes;
}

export function countExceptionsMatching(db: Database, filter: ExceptionFilter): number {
  const { clause, params } = whereClause(filter);
  return (
    (db.prepare(`SELECT count(*) FROM exceptions ${clause}`).pluck().get(params) as number) ?? 0
  );
}

/** The comments an import overwrote (with --update-comments), in entry order. */
export function commentChangesOf(
  db: Database,
  operationId: number,
): { exceptionId: number; value: string; oldComment: string }[] {
  return statement(
    db,
    `SELECT c.exception_id AS exceptionId, e.value, c.old_comment AS oldComment
     FROM exception_comment_changes c JOIN exceptions e ON e.id = c.exception_id
     WHERE c.operation_id = ? ORDER BY c.exception_id`,
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

/** Entries an operation added whose comment a later import changed: undoing it would lose that. */
export function laterCommentChangesOfAdded(
  db: Database,
  operationId: number,
): { value: string; operationId: number }[] {
  return statement(
    db,
    `SELECT e.value, c.operation_id AS operationId
     FROM exceptions e JOIN exception_comment_changes c ON c.exception_id = e.id
     WHERE e.operation_id = ? AND e.source = 'import' AND c.operation_id > ?
     ORDER BY c.operation_id, e.id`,
  ).all(operationId, operationId) as { value: string; operationId: number }[];
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

/** Deletes these entries (those that still exist); returns how many. */
export function deleteExceptionsByIds(db: Database, ids: readonly number[]): number {
  const remove = statement(
    db,
    'DELETE FROM exceptions WHERE id IN (SELECT value FROM json_each(?))',
  );
  let removed = 0;
  for (let at = 0; at < ids.length; at += 10_000)
    removed += remove.run(JSON.stringify(ids.slice(at, at + 10_000))).changes;
  return removed;
}
