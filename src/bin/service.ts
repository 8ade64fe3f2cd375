import { normaliseContactValue } from '../contact-details/detect.js';
import { ConflictError, NotFoundError, PermissionError, UsageError } from '../errors.js';
import { isListed } from '../exceptions/service.js';
import { listHistory, recordChange } from '../history/service.js';
import { itemIdsLinkedTo } from '../items/service.js';
import { type Listing, mapListing, type Paging } from '../listing.js';
import { requireType } from '../pipelines/service.js';
import { binContributors } from '../registrations.js';
import { nowIso, type Session } from '../session.js';
import { defaultCountry } from '../settings/service.js';
import { statement } from '../store/sql.js';
import { readWithoutMemoryMap } from '../store/store.js';
import { authorize, mayUse } from '../users/service.js';
import type { BinContributor, BinKind, BinRecord, RestoreScope } from './contributor.js';
import {
  type BinFilter,
  type BinRow,
  countBinEntriesBefore,
  deleteBinEntry,
  insertBinEntry,
  pagedBinEntries,
  purgeBinEntries,
  selectBinEntriesOfOperation,
  selectBinEntry,
  selectBinEntryOf,
  selectBinIdOf,
  selectBinSetting,
  upsertBinSetting,
} from './repo.js';

export type { BinKind, BinRecord } from './contributor.js';

/** DESIGN §8a recycle-bin entry; `kind` is an addition (item, contact or company). */
export interface BinEntry {
  id: number;
  kind: BinKind;
  entityType: string;
  entityId: number;
  title: string;
  deletedAt: string;
  deletedBy: string;
  operationId: number;
  related: { entityType: string; entityId: number }[];
}

function toEntry(row: BinRow): BinEntry {
  const related = JSON.parse(row.related) as { kind: BinKind; entityType: string; id: number }[];
  return {
    id: row.id,
    kind: row.kind,
    entityType: row.entity_type,
    entityId: row.entity_id,
    title: row.title,
    deletedAt: row.deleted_at,
    deletedBy: row.deleted_by,
    operationId: row.operation_id,
    related: related.map((r) => ({ entityType: r.entityType, entityId: r.id })),
  };
}

/** The contributors that own something of a kind of record; `list` is all of them by default. */
function contributorsOf(
  kind: BinKind,
  list: readonly BinContributor[] = binContributors,
): BinContributor[] {
  return list.filter((c) => c.kinds.includes(kind));
}

function ownerOf(kind: BinKind): BinContributor {
  const owner = contributorsOf(kind).find((c) => c.label !== undefined);
  if (!owner) throw new Error(`no bin contributor owns ${kind} rows (a bug)`);
  return owner;
}

/** "item 12", "contact 3". */
export function named(record: BinRecord): string {
  return `${record.kind} ${record.id}`;
}

const batchSize = 1000;

export interface DeleteOptions {
  /** Skip the bin: the records go for good (needs bin.purge); history still records it. */
  permanently?: boolean;
  /** Contacts and companies: their items go to the bin too (else their links are cut). */
  withItems?: boolean;
  /** Hears how many of how many are done. */
  onProgress?: (done: number, total: number) => void;
}

export interface DeleteResult {
  operationId: number | null;
  permanently: boolean;
  /** How many records went, by kind. */
  deleted: Record<BinKind, number>;
  /** The bin entries made (the first 1,000), in the order deleted. */
  entries: { binId: number | null; kind: BinKind; entityId: number; title: string }[];
}

/**
 * Moves records to the recycle bin (or, `permanently`, deletes them for good), in the caller's
 * write, as one operation: each contributor captures what it owns of them into the snapshot,
 * then removes it. Items first, then contacts, then companies, so that links from items deleted
 * in the same call are kept in the items' snapshots rather than cut. Items emit `item-deleted`.
 * A record that does not exist is not found (exit 4); one named twice is deleted once.
 */
export function deleteRecords(
  session: Session,
  records: readonly BinRecord[],
  options: DeleteOptions = {},
): DeleteResult {
  session.requireWrite('a delete');
  const permanently = options.permanently === true;
  if (permanently) authorize(session, 'bin.purge');
  const byKind = new Map<BinKind, number[]>([
    ['item', []],
    ['contact', []],
    ['company', []],
  ]);
  const seen = new Set<string>();
  for (const record of records) {
    const key = named(record);
    if (seen.has(key)) continue;
    seen.add(key);
    byKind.get(record.kind)?.push(record.id);
  }
  if (options.withItems) {
    const items = byKind.get('item') ?? [];
    const chosen = new Set(items);
    for (const end of ['contact', 'company'] as const) {
      for (const id of itemIdsLinkedTo(session, end, byKind.get(end) ?? [])) {
        if (!chosen.has(id)) {
          chosen.add(id);
          items.push(id);
        }
      }
    }
  }
  const total = [...byKind.values()].reduce((sum, ids) => sum + ids.length, 0);
  if (total > batchSize) readWithoutMemoryMap(session.db);
  const operationId = session.operation();
  const result: DeleteResult = {
    operationId,
    permanently,
    deleted: { item: 0, contact: 0, company: 0 },
    entries: [],
  };
  const made: MadeEntry[] = [];
  let done = 0;
  for (const [kind, ids] of byKind) {
    for (let start = 0; start < ids.length; start += batchSize) {
      const batch = ids.slice(start, start + batchSize);
      deleteBatch(session, kind, batch, { operationId, permanently, made, result });
      done += batch.length;
      options.onProgress?.(done, total);
    }
  }
  if (!permanently) linkRelated(session, made);
  session.summarise({ deleted: result.deleted, permanently });
  return result;
}

/** What linkRelated needs of each entry made: its record and the records it links to. */
interface MadeEntry {
  binId: number;
  record: BinRecord;
  entityType: string;
  links: BinRecord[];
}

function deleteBatch(
  session: Session,
  kind: BinKind,
  ids: number[],
  into: { operationId: number; permanently: boolean; made: MadeEntry[]; result: DeleteResult },
): void {
  const { db } = session;
  const contributors = contributorsOf(kind);
  const owner = ownerOf(kind);
  const captured = contributors.map((c) => [c, c.capture(session, kind, ids)] as const);
  const rows = captured.find(([c]) => c === owner)?.[1];
  const missing = ids.find((id) => !rows?.has(id));
  if (missing !== undefined) throw notFound(session, { kind, id: missing });
  const at = nowIso(session);
  for (const id of ids) {
    const snapshot: Record<string, unknown> = {};
    const keys = new Set<string>();
    let links: BinRecord[] = [];
    for (const [contributor, parts] of captured) {
      if (!parts.has(id)) continue;
      const part = parts.get(id);
      snapshot[contributor.name] = part;
      for (const key of contributor.searchKeys?.(part) ?? []) keys.add(key);
      links = links.concat(contributor.links?.(part) ?? []);
    }
    const label = owner.label?.(snapshot[owner.name]) ?? { title: '', entityType: kind };
    const entityType = label.entityType || kind;
    const binId = into.permanently
      ? null
      : insertBinEntry(
          db,
          {
            kind,
            entity_id: id,
            entity_type: entityType,
            title: label.title,
            deleted_at: at,
            deleted_by: session.actor.login,
            operation_id: into.operationId,
            related: '[]',
            snapshot: JSON.stringify(snapshot),
          },
          [...keys],
        );
    // Only what can be related: a record that links to others, and contacts and companies,
    // which items link to (a list of 100,000 items of their own needs no such bookkeeping).
    if (binId !== null && (links.length > 0 || kind !== 'item'))
      into.made.push({ binId, record: { kind, id }, entityType, links });
    recordChange(session, {
      action: into.permanently ? 'deleted-permanently' : 'deleted',
      entity: { type: kind, id },
      changes: {
        title: label.title,
        ...(kind === 'item' ? { type: entityType } : {}),
        ...(binId === null ? {} : { binId }),
      },
    });
    if (kind === 'item') session.emit({ type: 'item-deleted', itemId: id });
    into.result.deleted[kind]++;
    if (into.result.entries.length < 1000) {
      into.result.entries.push({ binId, kind, entityId: id, title: label.title });
    }
  }
  for (const contributor of [...contributors].reverse()) contributor.remove(session, kind, ids);
}

/** A record to delete that is not there: in the bin already, or never made (or gone for good). */
function notFound(session: Session, record: BinRecord): NotFoundError {
  const inBin = selectBinIdOf(session.db, record.kind, record.id);
  return new NotFoundError(
    inBin === undefined
      ? `no ${record.kind} with id ${record.id} (see crmctl ${record.kind} list)`
      : `${named(record)} is in the recycle bin already (entry ${inBin})`,
  );
}

/** Each entry's `related`: the records it links to, or that link to it, deleted in the same call. */
function linkRelated(session: Session, made: MadeEntry[]): void {
  const byRecord = new Map(made.map((entry) => [named(entry.record), entry]));
  const related = new Map<number, Map<string, { kind: BinKind; entityType: string; id: number }>>();
  const relate = (from: MadeEntry, to: MadeEntry) => {
    const list = related.get(from.binId) ?? new Map();
    list.set(named(to.record), {
      kind: to.record.kind,
      entityType: to.entityType,
      id: to.record.id,
    });
    related.set(from.binId, list);
  };
  for (const entry of made) {
    for (const link of entry.links) {
      const other = byRecord.get(named(link));
      if (!other) continue;
      relate(entry, other);
      relate(other, entry);
    }
  }
  for (const [binId, list] of related) {
    statement(session.db, 'UPDATE bin_entries SET related = ? WHERE id = ?').run(
      JSON.stringify([...list.values()]),
      binId,
    );
  }
}

export interface ListBinOptions extends Paging {
  /** An item type (deal, lead, …), `item` for every item, `contact` or `company`. */
  type?: string;
  deletedBy?: string;
  since?: Date;
  until?: Date;
  /** Deleted more than this long ago (ms). */
  olderThanMs?: number;
  operation?: number;
  /** A title or name (substring), or a phone in any spelling, or an email. */
  search?: string;
  country?: string;
}

/**
 * People see what they deleted; `bin.manage` sees everything. Asking for someone else's
 * deletions without it is refused (exit 6), never silently empty.
 */
function visibleTo(session: Session, deletedBy: string | undefined): string | undefined {
  if (mayUse(session, 'bin.manage')) return deletedBy;
  const login = session.actor.login;
  if (deletedBy !== undefined && deletedBy.toLowerCase() !== login.toLowerCase()) {
    throw new PermissionError(
      `permission denied: "${login}" sees only what they deleted; seeing ${deletedBy}'s deletions needs bin.manage (${'see and restore everything in the recycle bin'})`,
      'bin.manage',
    );
  }
  return login;
}

function binFilter(session: Session, options: ListBinOptions): BinFilter {
  const filter: BinFilter = {
    deletedBy: visibleTo(session, options.deletedBy),
    since: options.since?.toISOString(),
    until: options.until?.toISOString(),
    before:
      options.olderThanMs === undefined
        ? undefined
        : new Date(session.clock.now().getTime() - options.olderThanMs).toISOString(),
    operationId: options.operation,
    limit: options.limit,
    offset: options.offset,
  };
  const type = options.type?.trim().toLowerCase();
  if (type === 'item' || type === 'contact' || type === 'company') filter.kind = type;
  else if (type !== undefined) filter.entityType = requireType(session, type).name;
  if (options.search !== undefined) {
    const text = options.search.trim();
    if (text === '') throw new UsageError('--search needs a text, a phone or an email');
    const value = normaliseContactValue(text, options.country ?? defaultCountry(session));
    if (value.ok) filter.key = value.key;
    else filter.titleContains = text;
  }
  return filter;
}

/** The bin's entries matching the filters, oldest deletion first, read as they are printed. */
export function listBin(session: Session, options: ListBinOptions = {}): Listing<BinEntry> {
  return mapListing(pagedBinEntries(session.db, binFilter(session, options)), toEntry);
}

/** An entry the actor may see and restore, or exit 4 / exit 6. */
function requireEntry(session: Session, binId: number): BinRow {
  const row = selectBinEntry(session.db, binId);
  if (!row) {
    throw new NotFoundError(
      `bin entry ${binId} is not in the recycle bin: restored or purged already, or never made (see crmctl recycle-bin list, crmctl history)`,
    );
  }
  if (
    !mayUse(session, 'bin.manage') &&
    row.deleted_by.toLowerCase() !== session.actor.login.toLowerCase()
  ) {
    throw new PermissionError(
      `permission denied: bin entry ${binId} was deleted by ${row.deleted_by}; seeing and restoring others' deletions needs bin.manage`,
      'bin.manage',
    );
  }
  return row;
}

export interface BinEntryDetails extends BinEntry {
  /** Each contributor's part, readable: the item's fields, phones, emails, links … */
  deleted: Record<string, unknown>;
  /** The record's history, as it stays in the store. */
  history: ReturnType<typeof listHistory>;
  /** The other records the same operation deleted (the first 100), and how many in all. */
  operation: { id: number; others: BinEntry[]; count: number };
}

/** Everything one bin entry holds, readable (`recycle-bin show`). */
export function showBinEntry(session: Session, binId: number): BinEntryDetails {
  const row = requireEntry(session, binId);
  const snapshot = JSON.parse(row.snapshot) as Record<string, unknown>;
  const deleted: Record<string, unknown> = {};
  for (const contributor of contributorsOf(row.kind)) {
    if (!(contributor.name in snapshot)) continue;
    const part = snapshot[contributor.name];
    deleted[contributor.name] = contributor.describe ? contributor.describe(part) : part;
  }
  const others = selectBinEntriesOfOperation(session.db, row.operation_id);
  return {
    ...toEntry(row),
    deleted,
    history: listHistory(session, { entity: { type: row.kind, id: row.entity_id } }),
    operation: {
      id: row.operation_id,
      others: others
        .filter((o) => o.id !== row.id)
        .slice(0, 100)
        .map(toEntry),
      count: others.length,
    },
  };
}

export interface RestoreOptions {
  /** Also what the same operations deleted. */
  withRelated?: boolean;
  /** Links to records gone for good are lost instead of refused. */
  dropLinks?: boolean;
}

export interface RestoredRecord {
  binId: number;
  kind: BinKind;
  entityType: string;
  entityId: number;
  title: string;
}

export interface RestoreResult {
  operationId: number | null;
  dryRun: boolean;
  restored: RestoredRecord[];
  /** What people should know: stages that fell back, links lost, values on the exceptions list. */
  notes: string[];
}

const restoreOrder: Record<BinKind, number> = { contact: 0, company: 1, item: 2 };

/**
 * Puts bin entries back with their original ids, in the caller's write, as one operation:
 * contacts and companies first, then items, each contributor putting back its part; links are
 * re-made to records that exist or come back in the same call. Refused whole (exit 5, naming
 * the records in the way) when any part cannot come back. No events: automation does not re-run.
 */
export function restoreFromBin(
  session: Session,
  binIds: readonly number[],
  options: RestoreOptions = {},
): RestoreResult {
  session.requireWrite('a restore');
  const chosen = new Map<number, BinRow>();
  for (const binId of binIds) chosen.set(binId, requireEntry(session, binId));
  if (options.withRelated) {
    for (const operationId of new Set([...chosen.values()].map((r) => r.operation_id))) {
      for (const row of selectBinEntriesOfOperation(session.db, operationId)) {
        if (!chosen.has(row.id)) chosen.set(row.id, requireEntry(session, row.id));
      }
    }
  }
  return restoreRows(session, [...chosen.values()], options.dropLinks === true);
}

function restoreRows(session: Session, rows: BinRow[], dropLinks: boolean): RestoreResult {
  const { db } = session;
  const coming = new Set(rows.map((r) => named({ kind: r.kind, id: r.entity_id })));
  const after: (() => void)[] = [];
  const scope: RestoreScope = {
    dropLinks,
    afterRestore: (work) => after.push(work),
    present: (record) =>
      coming.has(named(record)) ||
      ownerOf(record.kind).exists?.(session, record.kind, record.id) === true,
    inBin: (record) =>
      coming.has(named(record)) ? undefined : selectBinIdOf(db, record.kind, record.id),
  };
  const ordered = rows.sort((a, b) => restoreOrder[a.kind] - restoreOrder[b.kind] || a.id - b.id);
  const parts = (row: BinRow) => {
    const snapshot = JSON.parse(row.snapshot) as Record<string, unknown>;
    return contributorsOf(row.kind)
      .filter((c) => c.name in snapshot)
      .map((c) => [c, snapshot[c.name]] as const);
  };
  const problems: string[] = [];
  for (const row of ordered) {
    const record = { kind: row.kind, id: row.entity_id };
    for (const [contributor, part] of parts(row)) {
      for (const problem of contributor.conflicts(session, record, part, scope)) {
        problems.push(`bin entry ${row.id} (${named(record)}): ${problem}`);
      }
    }
  }
  if (problems.length > 0) {
    throw new ConflictError(`nothing restored: ${problems.join('; ')}`);
  }
  const result: RestoreResult = { operationId: null, dryRun: false, restored: [], notes: [] };
  for (const row of ordered) {
    const record = { kind: row.kind, id: row.entity_id };
    deleteBinEntry(db, row.id);
    const keys = new Set<string>();
    for (const [contributor, part] of parts(row)) {
      result.notes.push(...contributor.restore(session, record, part, scope));
      for (const key of contributor.searchKeys?.(part) ?? []) keys.add(key);
    }
    const listed = [...keys].filter((key) => isListed(session, key));
    if (listed.length > 0) {
      result.notes.push(
        `${named(record)} "${row.title}": ${listed.join(', ')} ${listed.length === 1 ? 'is' : 'are'} on the exceptions list: inbound calls and emails from ${listed.length === 1 ? 'it' : 'them'} will not reach the CRM`,
      );
    }
    recordChange(session, {
      action: 'restored',
      entity: { type: row.kind, id: row.entity_id },
      changes: {
        title: row.title,
        binId: row.id,
        deletedAt: row.deleted_at,
        deletedBy: row.deleted_by,
        deletedIn: row.operation_id,
      },
    });
    result.restored.push({
      binId: row.id,
      kind: row.kind,
      entityType: row.entity_type,
      entityId: row.entity_id,
      title: row.title,
    });
  }
  for (const work of after) work();
  session.summarise({ restored: result.restored.length });
  return result;
}

/** The entries one operation put in the bin that are still there (undo restores those). */
export function binEntriesOfOperation(session: Session, operationId: number): BinEntry[] {
  return selectBinEntriesOfOperation(session.db, operationId).map(toEntry);
}

/** Restores what one operation deleted that is still in the bin (`crmctl undo`). */
export function restoreOperation(session: Session, operationId: number): RestoreResult {
  session.requireWrite('a restore');
  const rows = selectBinEntriesOfOperation(session.db, operationId).map((row) =>
    requireEntry(session, row.id),
  );
  return restoreRows(session, rows, false);
}

/**
 * Where a record an operation deleted went since: restored (by which operation), purged, or
 * still in the bin (undefined).
 */
export function fateOf(
  session: Session,
  record: BinRecord,
  deletedIn: number,
): { restoredBy: number | null } | { purgedBy: number | null } | undefined {
  if (selectBinEntryOf(session.db, record.kind, record.id)?.operation_id === deletedIn)
    return undefined;
  const restored = listHistory(session, { entity: { type: record.kind, id: record.id } }).filter(
    (h) => h.action === 'restored' && h.changes.deletedIn === deletedIn,
  );
  const last = restored.at(-1);
  if (last) return { restoredBy: operationOf(session, last.id) };
  const deletedAt = listHistory(session, { entity: { type: record.kind, id: record.id } }).find(
    (h) =>
      h.action === 'deleted' &&
      h.changes.binId !== undefined &&
      operationOf(session, h.id) === deletedIn,
  )?.at;
  return { purgedBy: deletedAt === undefined ? null : purgeAfter(session, deletedIn, deletedAt) };
}

/** The first purge after operation `after` that took entries deleted at `deletedAt`. */
function purgeAfter(session: Session, after: number, deletedAt: string): number | null {
  const purges = listHistory(session, { entityType: 'recycle-bin' }).filter(
    (h) => h.action === 'purged' && h.entity.id > after && String(h.changes.before) > deletedAt,
  );
  return purges[0]?.entity.id ?? null;
}

function operationOf(session: Session, historyId: number): number | null {
  return (
    (statement(session.db, 'SELECT operation_id FROM history WHERE id = ?')
      .pluck()
      .get(historyId) as number | null | undefined) ?? null
  );
}

export const defaultRetentionDays = 30;
const retentionKey = 'retention-days';

export interface BinSettings {
  retentionDays: number;
  isDefault: boolean;
}

export function getBinSettings(session: Session): BinSettings {
  const stored = selectBinSetting(session.db, retentionKey);
  return stored === undefined
    ? { retentionDays: defaultRetentionDays, isDefault: true }
    : { retentionDays: Number(stored), isDefault: false };
}

/** Sets how long entries stay before `cleanup` purges them (needs bin.purge). */
export function setRetentionDays(session: Session, days: number): BinSettings {
  session.requireWrite();
  authorize(session, 'bin.purge');
  if (!Number.isInteger(days) || days < 1 || days > 36_500)
    throw new UsageError(`the retention takes 1 to 36500 days, not ${days}`);
  const before = getBinSettings(session);
  if (before.retentionDays === days && !before.isDefault) return before;
  upsertBinSetting(session.db, retentionKey, String(days));
  recordChange(session, {
    action: 'setting-changed',
    entity: { type: 'settings', id: 0 },
    changes: { 'recycle-bin.retention-days': { from: before.retentionDays, to: days } },
  });
  return getBinSettings(session);
}

export interface PurgeOptions {
  /** Only entries deleted more than this long ago (ms); without it, every entry. */
  olderThanMs?: number;
  limit?: number;
}

export interface PurgeResult {
  operationId: number | null;
  dryRun: boolean;
  purged: number;
  /** Entries deleted before this time went. */
  before: string;
}

/** The time before which entries are purged, at the session's clock. */
export function purgeLimit(session: Session, olderThanMs: number | undefined): string {
  if (olderThanMs === undefined) return '9999-12-31T23:59:59.999Z';
  return new Date(session.clock.now().getTime() - olderThanMs).toISOString();
}

/** How many entries a purge would take now (what a confirmation counts). */
export function countPurgeable(session: Session, options: PurgeOptions): number {
  authorize(session, 'bin.purge');
  return countBinEntriesBefore(session.db, purgeLimit(session, options.olderThanMs), options.limit);
}

/**
 * Purges entries for good (needs bin.purge), oldest first: those deleted more than `olderThanMs`
 * ago, at most `limit`. One history entry records the purge. An entry deleted exactly at the
 * limit stays (it is not older than it).
 */
export function purgeBin(session: Session, options: PurgeOptions): PurgeResult {
  session.requireWrite('a purge');
  authorize(session, 'bin.purge');
  const before = purgeLimit(session, options.olderThanMs);
  const { purged, examples } = purgeBinEntries(session.db, { before, limit: options.limit });
  if (purged > 0) {
    const operationId = session.operation();
    session.summarise({ purged });
    recordChange(session, {
      action: 'purged',
      entity: { type: 'recycle-bin', id: operationId },
      changes: {
        purged,
        before,
        ...(options.limit ? { limit: options.limit } : {}),
        binIds: examples,
      },
    });
  }
  return { operationId: null, dryRun: false, purged, before };
}

/** Purges what is past the retention (`cleanup`). */
export function purgePastRetention(session: Session): PurgeResult {
  const days = getBinSettings(session).retentionDays;
  return purgeBin(session, { olderThanMs: days * 86_400_000 });
}
