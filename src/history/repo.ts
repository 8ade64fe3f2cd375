import type { Listing, Paging } from '../listing.js';
import { pagedListing } from '../store/pages.js';
import { given, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

export interface HistoryRow {
  id: number;
  at: string;
  actor: string;
  cause_kind: string;
  cause_id: number | null;
  command: string | null;
  action: string;
  entity_type: string;
  entity_id: number;
  changes: string;
  operation_id: number | null;
}

export type NewHistoryRow = Omit<HistoryRow, 'id'>;

export function insertHistory(db: Database, row: NewHistoryRow): void {
  statement(
    db,
    `INSERT INTO history (at, actor, cause_kind, cause_id, command, action, entity_type, entity_id, changes, operation_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.at,
    row.actor,
    row.cause_kind,
    row.cause_id,
    row.command,
    row.action,
    row.entity_type,
    row.entity_id,
    row.changes,
    row.operation_id,
  );
}

export interface HistoryFilter extends Paging {
  entityType?: string;
  entityId?: number;
  actor?: string;
  /** Leave out the entries about these entity types. */
  hiddenEntityTypes?: string[];
  since?: string;
}

function historyWhere(filter: HistoryFilter) {
  return whereOf([
    given(filter.entityType, 'entity_type = @entityType'),
    given(filter.entityId, 'entity_id = @entityId'),
    given(filter.actor, 'actor = @actor COLLATE NOCASE'),
    ...(filter.hiddenEntityTypes ?? []).map((type, i) => given(type, `entity_type != @hidden${i}`)),
    given(filter.since, 'at >= @since'),
  ]);
}

export function selectHistory(db: Database, filter: HistoryFilter): HistoryRow[] {
  return Array.from(pagedHistory(db, filter).rows);
}

/** History entries in time order, one page read lazily. */
export function pagedHistory(db: Database, filter: HistoryFilter): Listing<HistoryRow> {
  return pagedListing(
    db,
    { table: 'history', where: historyWhere(filter), orderBy: 'at, id' },
    filter,
  );
}

/** What an operation changed, as its entries record it: entity types and actions, with counts. */
export function selectChangeKindsOf(
  db: Database,
  operationId: number,
): { entity_type: string; action: string; count: number }[] {
  return statement(
    db,
    `SELECT entity_type, action, count(*) AS count FROM history WHERE operation_id = ?
     GROUP BY entity_type, action ORDER BY min(id)`,
  ).all(operationId) as { entity_type: string; action: string; count: number }[];
}

/** An operation's entries in the order recorded, read lazily; `hidden` entity types left out. */
export function* iterateHistoryOfOperation(
  db: Database,
  operationId: number,
  hidden: readonly string[],
): Generator<HistoryRow> {
  yield* statement(
    db,
    `SELECT * FROM history WHERE operation_id = ?
     AND entity_type NOT IN (SELECT value FROM json_each(?)) ORDER BY id`,
  ).iterate(operationId, JSON.stringify(hidden)) as IterableIterator<HistoryRow>;
}
