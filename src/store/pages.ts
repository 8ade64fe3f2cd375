import type { Paging } from '../listing.js';
import type { Database } from './store.js';

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
  if (paging.limit === undefined) db.pragma('mmap_size = 0');
  yield* db.prepare(`${sql} LIMIT @limit OFFSET @offset`).iterate({
    ...params,
    limit: paging.limit ?? -1,
    offset: paging.offset ?? 0,
  }) as IterableIterator<T>;
}
