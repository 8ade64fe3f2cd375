import type { Listing, Paging } from '../listing.js';
import { pagedListing } from '../store/pages.js';
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

export interface OperationFilter extends Paging {
  kind?: string;
  actor?: string;
  since?: string;
}

function operationWhere(filter: OperationFilter) {
  return whereOf([
    given(filter.kind, 'kind = @kind'),
    given(filter.actor, 'actor = @actor COLLATE NOCASE'),
    given(filter.since, 'at >= @since'),
  ]);
}

/** The operations matching a filter in id order, one page read lazily. */
export function pagedOperations(db: Database, filter: OperationFilter): Listing<OperationRow> {
  return pagedListing(
    db,
    { table: 'operations', where: operationWhere(filter), orderBy: 'id' },
    filter,
  );
}
