import { given, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

export interface OperationRow {
  id: number;
  kind: string;
  actor: string;
  command: string | null;
  at: string;
  summary: string;
  undone_at: string | null;
}

export function insertOperationRow(
  db: Database,
  row: { kind: string; actor: string; command: string | null; at: string },
): number {
  const result = statement(
    db,
    'INSERT INTO operations (kind, actor, command, at) VALUES (@kind, @actor, @command, @at)',
  ).run(row);
  return Number(result.lastInsertRowid);
}

export function updateOperationSummary(
  db: Database,
  id: number,
  summary: Record<string, unknown>,
): void {
  statement(db, 'UPDATE operations SET summary = ? WHERE id = ?').run(JSON.stringify(summary), id);
}

export function deleteOperationRow(db: Database, id: number): void {
  statement(db, 'DELETE FROM operations WHERE id = ?').run(id);
}

export function markOperationRowUndone(db: Database, id: number, at: string): void {
  statement(db, 'UPDATE operations SET undone_at = ? WHERE id = ?').run(at, id);
}

export function selectOperationRow(db: Database, id: number): OperationRow | undefined {
  return statement(db, 'SELECT * FROM operations WHERE id = ?').get(id) as OperationRow | undefined;
}

export interface OperationFilter {
  kind?: string;
  actor?: string;
  since?: string;
  limit?: number;
  offset?: number;
}

function whereOfFilter(filter: OperationFilter) {
  return whereOf([
    given(filter.kind, 'kind = @kind'),
    given(filter.actor, 'actor = @actor COLLATE NOCASE'),
    given(filter.since, 'at >= @since'),
  ]);
}

/** The operations matching a filter in id order, read lazily (a generator: nothing runs until read). */
export function* iterateOperationRows(
  db: Database,
  filter: OperationFilter,
): Generator<OperationRow> {
  const { clause, params } = whereOfFilter(filter);
  yield* db
    .prepare(`SELECT * FROM operations ${clause} ORDER BY id LIMIT @limit OFFSET @offset`)
    .iterate({
      ...params,
      limit: filter.limit ?? -1,
      offset: filter.offset ?? 0,
    }) as IterableIterator<OperationRow>;
}

export function countOperationRows(db: Database, filter: OperationFilter): number {
  const { clause, params } = whereOfFilter(filter);
  return db.prepare(`SELECT count(*) FROM operations ${clause}`).pluck().get(params) as number;
}
