import { NotFoundError } from '../errors.js';
import { afterOffset, type Listing, mapRows, type Paging } from '../listing.js';
import { nowIso, type Session } from '../session.js';
import { statement } from '../store/sql.js';

/** A command that changed many records at once; its id ties them together (DESIGN §8a `operationId`). */
export interface Operation {
  id: number;
  kind: string;
  actor: string;
  command: string | null;
  at: string;
  summary: Record<string, unknown>;
  undoneAt: string | null;
}

interface OperationRow {
  id: number;
  kind: string;
  actor: string;
  command: string | null;
  at: string;
  summary: string;
  undone_at: string | null;
}

/** Starts an operation; call inside the write transaction that makes its changes. */
export function startOperation(session: Session, kind: string): number {
  const result = statement(
    session.store.db,
    'INSERT INTO operations (kind, actor, command, at) VALUES (?, ?, ?, ?)',
  ).run(kind, session.actor.login, session.actor.command, nowIso(session));
  return Number(result.lastInsertRowid);
}

export function finishOperation(
  session: Session,
  id: number,
  summary: Record<string, unknown>,
): void {
  statement(session.store.db, 'UPDATE operations SET summary = ? WHERE id = ?').run(
    JSON.stringify(summary),
    id,
  );
}

export function markOperationUndone(session: Session, id: number): void {
  statement(session.store.db, 'UPDATE operations SET undone_at = ? WHERE id = ?').run(
    nowIso(session),
    id,
  );
}

export function getOperation(session: Session, id: number): Operation {
  const row = statement(session.store.db, 'SELECT * FROM operations WHERE id = ?').get(id) as
    | OperationRow
    | undefined;
  if (!row) throw new NotFoundError(`no operation ${id}`);
  return toOperation(row);
}

/** The operations of one kind in id order, read as they are printed. */
export function listOperations(
  session: Session,
  kind: string,
  paging: Paging = {},
): Listing<Operation> {
  const { db } = session.store;
  // A generator, so that the statement starts (and holds the connection) only once read.
  function* rows() {
    yield* db
      .prepare('SELECT * FROM operations WHERE kind = ? ORDER BY id LIMIT ? OFFSET ?')
      .iterate(kind, paging.limit ?? -1, paging.offset ?? 0) as IterableIterator<OperationRow>;
  }
  return {
    rows: mapRows(rows(), toOperation),
    limited: paging.limit !== undefined,
    total: () =>
      afterOffset(
        db.prepare('SELECT count(*) FROM operations WHERE kind = ?').pluck().get(kind) as number,
        paging.offset,
      ),
  };
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
