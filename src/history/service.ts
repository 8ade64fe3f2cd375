import { type Listing, mapListing, mapRows, type Paging } from '../listing.js';
import { nowIso, type Session } from '../session.js';
import {
  type HistoryFilter,
  type HistoryRow,
  insertHistory,
  iterateHistoryOfOperation,
  pagedHistory,
  selectChangeKindsOf,
  selectHistory,
} from './repo.js';

export interface EntityRef {
  type: string;
  id: number;
}

/** DESIGN §8a history entry. */
export interface HistoryEntry {
  id: number;
  at: string;
  actor: string;
  cause: { kind: string; id: number | null };
  command: string | null;
  action: string;
  entity: EntityRef;
  changes: Record<string, unknown>;
}

export interface RecordChangeOptions {
  action: string;
  entity: EntityRef;
  changes?: Record<string, unknown>;
}

/**
 * Records one change made in this session (who, when, through what, under which operation).
 * Inside its write: what is recorded is what keeps the command's operation.
 */
export function recordChange(session: Session, change: RecordChangeOptions): void {
  session.requireWrite('recording a change');
  const { actor } = session;
  const operationId = session.keepsOperations ? session.operation() : null;
  session.changed();
  insertHistory(session.db, {
    operation_id: operationId,
    at: nowIso(session),
    actor: actor.login,
    cause_kind: actor.cause.kind,
    cause_id: actor.cause.id,
    command: actor.command,
    action: change.action,
    entity_type: change.entity.type,
    entity_id: change.entity.id,
    changes: JSON.stringify(change.changes ?? {}),
  });
}

export interface ListHistoryOptions extends Paging {
  entity?: EntityRef;
  entityType?: string;
  actor?: string;
  /** Leave out the entries about these entity types (those the user may not see). */
  hiddenEntityTypes?: string[];
  since?: Date;
}

function historyFilter(options: ListHistoryOptions): HistoryFilter {
  return {
    entityType: options.entity?.type ?? options.entityType,
    entityId: options.entity?.id,
    actor: options.actor,
    hiddenEntityTypes: options.hiddenEntityTypes,
    since: options.since?.toISOString(),
    limit: options.limit,
    offset: options.offset,
  };
}

/** History entries as an array: a record's timeline. */
export function listHistory(session: Session, options: ListHistoryOptions): HistoryEntry[] {
  return selectHistory(session.db, historyFilter(options)).map(toHistoryEntry);
}

/** History entries read as they are printed: `crmctl history` over years of changes stays small. */
export function historyListing(
  session: Session,
  options: ListHistoryOptions,
): Listing<HistoryEntry> {
  return mapListing(pagedHistory(session.db, historyFilter(options)), toHistoryEntry);
}

function toHistoryEntry(row: HistoryRow): HistoryEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    cause: { kind: row.cause_kind, id: row.cause_id },
    command: row.command,
    action: row.action,
    entity: { type: row.entity_type, id: row.entity_id },
    changes: JSON.parse(row.changes) as Record<string, unknown>,
  };
}

/** What an operation changed: each entity type and action its entries record, with how many. */
export function changeKindsOf(
  session: Session,
  operationId: number,
): { entityType: string; action: string; count: number }[] {
  return selectChangeKindsOf(session.db, operationId).map((row) => ({
    entityType: row.entity_type,
    action: row.action,
    count: row.count,
  }));
}

/** The entries an operation recorded, in order (`operation show`), leaving out hidden entity types. */
export function historyOfOperation(
  session: Session,
  operationId: number,
  options: { hiddenEntityTypes?: readonly string[] } = {},
): HistoryEntry[] {
  return [
    ...mapRows(
      iterateHistoryOfOperation(session.db, operationId, options.hiddenEntityTypes ?? []),
      toHistoryEntry,
    ),
  ];
}
