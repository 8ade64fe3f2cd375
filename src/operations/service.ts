import { NotFoundError } from '../errors.js';
import { type Listing, mapListing, type Paging } from '../listing.js';
import { nowIso, type Session } from '../session.js';
import {
  markOperationRowUndone,
  type OperationRow,
  pagedOperations,
  selectOperationRow,
} from './repo.js';

/**
 * What one command did (DESIGN §7a): every command that writes is one operation, made by its
 * Session; the records it changed point back to it, so it can be reported and undone as a whole.
 */
export interface Operation {
  id: number;
  kind: string;
  actor: string;
  command: string | null;
  at: string;
  summary: Record<string, unknown>;
  undoneAt: string | null;
}

export function getOperation(session: Session, id: number): Operation {
  const row = selectOperationRow(session.db, id);
  if (!row) throw new NotFoundError(`no operation ${id} (see crmctl operation list)`);
  return toOperation(row);
}

export function markOperationUndone(session: Session, id: number): void {
  session.requireWrite('marking an operation undone');
  markOperationRowUndone(session.db, id, nowIso(session));
}

export interface ListOperationsOptions extends Paging {
  kind?: string;
  actor?: string;
  since?: Date;
}

/** The operations matching the filters in id order, read as they are printed. */
export function listOperations(
  session: Session,
  options: ListOperationsOptions = {},
): Listing<Operation> {
  const filter = { ...options, since: options.since?.toISOString() };
  return mapListing(pagedOperations(session.db, filter), toOperation);
}

function toOperation(row: OperationRow): Operation {
  return {
    id: row.id,
    kind: row.kind,
    actor: row.actor,
    command: row.command,
    at: row.at,
    summary: JSON.parse(row.summary) as Record<string, unknown>,
    undoneAt: row.undone_at,
  };
}
