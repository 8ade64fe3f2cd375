/**
 * A list read lazily from the store (DESIGN §8: lists stream, memory stays flat however long
 * the list), with what a terminal needs to say how much it did not show.
 */
export interface Listing<T> {
  /** The rows in order, read from the store as they are consumed. */
  rows: Iterable<T>;
  /** A limit was asked for (--limit): the rows are what was asked for, show them all. */
  limited: boolean;
  /** How many rows the list holds after --offset (ignoring --limit): "Showing 100 of N". */
  total(): number;
}

export interface Paging {
  limit?: number;
  offset?: number;
}

/** A short list already in memory (roles, a pipeline's stages), paged like the long ones. */
export function listingOf<T>(all: readonly T[], paging: Paging = {}): Listing<T> {
  const start = paging.offset ?? 0;
  const end = paging.limit === undefined ? undefined : start + paging.limit;
  return {
    rows: all.slice(start, end),
    limited: paging.limit !== undefined,
    total: () => Math.max(0, all.length - start),
  };
}

/** Rows of the store turned into records one by one, as they are read. */
export function* mapRows<R, T>(rows: Iterable<R>, map: (row: R) => T): Generator<T> {
  for (const row of rows) yield map(row);
}

/** A listing of rows as a listing of records, each turned as it is read. */
export function mapListing<R, T>(listing: Listing<R>, map: (row: R) => T): Listing<T> {
  return { ...listing, rows: mapRows(listing.rows, map) };
}

/**
 * Rows turned into records a page at a time, for what a query per row would cost (an item's
 * phones and emails): memory holds one page, however long the list.
 */
export function* inPages<R, T>(
  rows: Iterable<R>,
  size: number,
  map: (page: R[]) => T[],
): Generator<T> {
  let page: R[] = [];
  for (const row of rows) {
    page.push(row);
    if (page.length === size) {
      yield* map(page);
      page = [];
    }
  }
  if (page.length > 0) yield* map(page);
}

/** `count(*)` of a whole list made into what `Listing.total` reports: rows after the offset. */
export function afterOffset(count: number, offset: number | undefined): number {
  return Math.max(0, count - (offset ?? 0));
}
