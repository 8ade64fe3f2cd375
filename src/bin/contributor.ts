import type { Session } from '../session.js';

/** What the recycle bin holds: items of every type, contacts and companies. */
export type BinKind = 'item' | 'contact' | 'company';

export const binKinds: readonly BinKind[] = ['item', 'contact', 'company'];

/** One record, by its kind and original id. */
export interface BinRecord {
  kind: BinKind;
  id: number;
}

/**
 * What a restore knows about the other records while it runs, so that a contributor can re-make
 * its links: a link to a record that is `present` is re-made; one to a record `inBin` (not coming
 * back in this call) is lost and said aloud; one to a record that is neither (purged, deleted
 * permanently) is a conflict (exit 5), unless `dropLinks` says to lose it too.
 */
export interface RestoreScope {
  /** The record exists now, or comes back in the same restore. */
  present(record: BinRecord): boolean;
  /** The record is in the bin and stays there: its bin entry id. */
  inBin(record: BinRecord): number | undefined;
  /** --drop-links: links to records gone for good are lost instead of refused. */
  readonly dropLinks: boolean;
  /** Work to do once every record of the call is back: a link between two restored together. */
  afterRestore(work: () => void): void;
}

/**
 * A feature's part of the recycle bin (DESIGN §6), listed in src/registrations.ts
 * (`binContributors`). The bin does not know every table: for each record deleted, each
 * contributor that owns something of that kind of record captures it into the record's snapshot
 * (under `name`), then removes it; a restore hands each its part back. Everything runs inside the
 * command's write (session.requireWrite), a batch of records at a time.
 *
 * Order: `capture` runs for every contributor before any `remove`; `remove` runs in the reverse
 * order of the list (features listed later point at the rows of earlier ones and let go first);
 * `conflicts` runs for every record of a restore before anything is put back; `restore` runs in
 * the order of the list (the row's owner first), contacts and companies before items.
 */
export interface BinContributor {
  /** The key of its part of the snapshot ("item", "tasks"): stable, it is stored. */
  readonly name: string;
  /** The kinds of record it owns something of. */
  readonly kinds: readonly BinKind[];
  /**
   * What it owns of these records, as JSON-safe values by record id; records it holds nothing
   * of are left out of the map.
   */
  capture(session: Session, kind: BinKind, ids: readonly number[]): Map<number, unknown>;
  /** Removes what it owns of these records (already captured). */
  remove(session: Session, kind: BinKind, ids: readonly number[]): void;
  /**
   * Why its part cannot be put back as it was, one sentence each naming the record in the way
   * ("contact 7 was purged"): any at all refuses the whole restore with exit 5.
   */
  conflicts(session: Session, record: BinRecord, captured: unknown, scope: RestoreScope): string[];
  /**
   * Puts its part back (ids as they were), without emitting events: automation does not re-run.
   * Returns what people should be told (a stage that fell back, a link lost).
   */
  restore(session: Session, record: BinRecord, captured: unknown, scope: RestoreScope): string[];
  /**
   * For the contributor that owns the record's row: what the bin lists it as (its title or
   * name, and its type: `deal`, `contact` …).
   */
  label?(captured: unknown): { title: string; entityType: string };
  /** For the row's owner: whether the record exists now (outside the bin). */
  exists?(session: Session, kind: BinKind, id: number): boolean;
  /** Its part as `recycle-bin show` prints it (default: as captured). */
  describe?(captured: unknown): unknown;
  /** Phones (E.164) and emails (lower-cased) the record is found by in `recycle-bin list --search`. */
  searchKeys?(captured: unknown): string[];
  /** Records this one links to (for `related` and for --with-related). */
  links?(captured: unknown): BinRecord[];
}
