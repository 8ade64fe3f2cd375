import { afterOffset, type Listing, type Paging } from '../listing.js';
import type { whereOf } from './sql.js';
import { type Database, readWithoutMemoryMap } from './store.js';

/**
 * The rows of a query (`sql` with its named `params`) for one page, `LIMIT`/`OFFSET` added,
 * read lazily: a list of any length stays small. A whole list is read without the memory map,
 * which would keep every page it read resident.
 */
export function* pagedRows<T>(
  db: Database,
  sql: string,
  params: Record<string, unknown>,
  paging: Paging,
): Generator<T> {
  if (paging.limit === undefined) readWithoutMemoryMap(db);
  yield* db.prepare(`${sql} LIMIT @limit OFFSET @offset`).iterate({
    ...params,
    limit: paging.limit ?? -1,
    offset: paging.offset ?? 0,
  }) as IterableIterator<T>;
}

/** A filtered list of one table's rows: `SELECT * FROM table WHERE … ORDER BY orderBy`. */
export interface ListQuery {
  table: string;
  where: ReturnType<typeof whereOf>;
  orderBy: string;
}

/**
 * One page of a table's list as a Listing: the rows read lazily (pagedRows), and the total past
 * the offset, counted only when asked.
 */
export function pagedListing<T>(db: Database, query: ListQuery, paging: Paging): Listing<T> {
  const { table, where } = query;
  return {
    rows: pagedRows<T>(
      db,
      `SELECT * FROM ${table} ${where.clause} ORDER BY ${query.orderBy}`,
      where.params,
      paging,
    ),
    limited: paging.limit !== undefined,
    total: () =>
      afterOffset(
        db
          .prepare(`SELECT count(*) FROM ${table} ${where.clause}`)
          .pluck()
          .get(where.params) as number,
        paging.offset,
      ),
  };
}
