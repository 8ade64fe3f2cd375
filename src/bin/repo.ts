import type { Paging } from '../listing.js';
import { pagedListing } from '../store/pages.js';
import { given, likePattern, statement, whereOf } from '../store/sql.js';
import { type Database, readWithoutMemoryMap } from '../store/store.js';
import type { BinKind } from './contributor.js';

export interface BinRow {
  id: number;
  kind: BinKind;
  entity_id: number;
  entity_type: string;
  title: string;
  deleted_at: string;
  deleted_by: string;
  operation_id: number;
  related: string;
  snapshot: string;
}

export type NewBinRow = Omit<BinRow, 'id'>;

export function insertBinEntry(db: Database, row: NewBinRow, keys: readonly string[]): number {
  const id = Number(
    statement(
      db,
      `INSERT INTO bin_entries (kind, entity_id, entity_type, title, deleted_at, deleted_by, operation_id, related, snapshot)
       VALUES (@kind, @entity_id, @entity_type, @title, @deleted_at, @deleted_by, @operation_id, @related, @snapshot)`,
    ).run(row).lastInsertRowid,
  );
  const key = statement(
    db,
    'INSERT INTO bin_keys (bin_id, key) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  for (const value of keys) key.run(id, value);
  return id;
}

export function selectBinEntry(db: Database, id: number): BinRow | undefined {
  return statement(db, 'SELECT * FROM bin_entries WHERE id = ?').get(id) as BinRow | undefined;
}

export function selectBinEntryOf(
  db: Database,
  kind: BinKind,
  entityId: number,
): BinRow | undefined {
  return statement(db, 'SELECT * FROM bin_entries WHERE kind = ? AND entity_id = ?').get(
    kind,
    entityId,
  ) as BinRow | undefined;
}

export function selectBinIdOf(db: Database, kind: BinKind, entityId: number): number | undefined {
  return statement(db, 'SELECT id FROM bin_entries WHERE kind = ? AND entity_id = ?')
    .pluck()
    .get(kind, entityId) as number | undefined;
}

/** The entries one operation deleted, in the order it deleted them. */
export function selectBinEntriesOfOperation(db: Database, operationId: number): BinRow[] {
  return statement(db, 'SELECT * FROM bin_entries WHERE operation_id = ? ORDER BY id').all(
    operationId,
  ) as BinRow[];
}

export function deleteBinEntry(db: Database, id: number): boolean {
  return statement(db, 'DELETE FROM bin_entries WHERE id = ?').run(id).changes === 1;
}

export interface BinFilter extends Paging {
  entityType?: string;
  kind?: BinKind;
  deletedBy?: string;
  since?: string;
  until?: string;
  /** Deleted before this time (--older-than). */
  before?: string;
  operationId?: number;
  /** Found by this phone (E.164) or email key. */
  key?: string;
  titleContains?: string;
  ids?: readonly number[];
}

function binWhere(filter: BinFilter) {
  return whereOf([
    given(filter.kind, 'kind = @kind'),
    given(filter.entityType, 'entity_type = @entityType'),
    given(filter.deletedBy, 'deleted_by = @deletedBy COLLATE NOCASE'),
    given(filter.since, 'deleted_at >= @since'),
    given(filter.until, 'deleted_at <= @until'),
    given(filter.before, 'deleted_at < @before'),
    given(filter.operationId, 'operation_id = @operationId'),
    given(filter.key, 'id IN (SELECT bin_id FROM bin_keys WHERE key = @key)'),
    given(
      filter.titleContains === undefined ? undefined : likePattern(filter.titleContains),
      `title LIKE @title ESCAPE '\\'`,
    ),
    given(filter.ids && JSON.stringify(filter.ids), 'id IN (SELECT value FROM json_each(@ids))'),
  ]);
}

/** The entries matching a filter, oldest deletion first, read lazily. */
export function pagedBinEntries(db: Database, filter: BinFilter) {
  return pagedListing<BinRow>(
    db,
    { table: 'bin_entries', where: binWhere(filter), orderBy: 'deleted_at, id' },
    filter,
  );
}

/** The ids of the entries matching a filter, oldest deletion first (a purge's candidates). */
export function selectBinIds(db: Database, filter: BinFilter): number[] {
  const { clause, params } = binWhere(filter);
  return db
    .prepare(`SELECT id FROM bin_entries ${clause} ORDER BY deleted_at, id LIMIT @limit`)
    .pluck()
    .all({ ...params, limit: filter.limit ?? -1 }) as number[];
}

/**
 * Purges the entries deleted before `before` (at most `limit`, oldest first): their snapshots
 * and search keys (by cascade) go for good. Returns how many, and the first ids.
 */
export function purgeBinEntries(
  db: Database,
  filter: { before: string; limit?: number },
): { purged: number; examples: number[] } {
  readWithoutMemoryMap(db);
  const examples = statement(
    db,
    'SELECT id FROM bin_entries WHERE deleted_at < ? ORDER BY deleted_at, id LIMIT ?',
  )
    .pluck()
    .all(filter.before, Math.min(filter.limit ?? 100, 100)) as number[];
  if (examples.length === 0) return { purged: 0, examples };
  const purged =
    filter.limit === undefined
      ? statement(db, 'DELETE FROM bin_entries WHERE deleted_at < ?').run(filter.before).changes
      : statement(
          db,
          `DELETE FROM bin_entries WHERE id IN (SELECT id FROM bin_entries WHERE deleted_at < ?
               ORDER BY deleted_at, id LIMIT ?)`,
        ).run(filter.before, filter.limit).changes;
  return { purged, examples };
}

export function countBinEntriesBefore(db: Database, before: string, limit?: number): number {
  const count = statement(db, 'SELECT count(*) FROM bin_entries WHERE deleted_at < ?')
    .pluck()
    .get(before) as number;
  return limit === undefined ? count : Math.min(count, limit);
}

export function selectBinSetting(db: Database, key: string): string | undefined {
  return statement(db, 'SELECT value FROM bin_settings WHERE key = ?').pluck().get(key) as
    | string
    | undefined;
}

export function upsertBinSetting(db: Database, key: string, value: string): void {
  statement(
    db,
    'INSERT INTO bin_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
