import { ConflictError } from '../errors.js';
import { changeKindsOf, recordChange } from '../history/service.js';
import { getOperation, markOperationUndone } from '../operations/service.js';
import type { Session } from '../session.js';
import { authorize } from '../users/service.js';
import {
  type Dependent,
  DependentsError,
  type UndoHandler,
  type UndoneChanges,
} from './handler.js';

/** A later operation an undo went past (with force), as results show it. */
export interface ForcedDependent extends Dependent {
  kind: string | null;
}

/** What `crmctl undo OP` did (or, in a dry run, would do). */
export interface UndoResult {
  /** The undo's own operation; null for a dry run (set by the command once the write is over). */
  operationId: number | null;
  /** The operation undone. */
  undone: number;
  kind: string;
  dryRun: boolean;
  /** Per feature, what it took back: `{ exceptions: { removed: 3, … } }`. */
  changes: Record<string, Record<string, number>>;
  /** Per feature, one line for people. */
  said: Record<string, string>;
  notes: string[];
  /** The later operations that depended on it, gone past with force. */
  forced: ForcedDependent[];
}

/**
 * Takes back everything one operation did, across features, inside the caller's write: each
 * feature whose changes the operation's history records takes back its own (`handlers`, from
 * src/registrations.ts). Refused (ConflictError, exit 5) when it was undone already, when it
 * changed something no handler takes back (nothing is then undone by half), and — unless
 * `force` — when later operations depend on it (DependentsError, naming them). The undo is an
 * operation of its own, with its history.
 */
export function undoOperation(
  session: Session,
  id: number,
  handlers: readonly UndoHandler[],
  options: { force?: boolean; dryRun?: boolean } = {},
): UndoResult {
  session.requireWrite('an undo');
  const operation = getOperation(session, id);
  const named = `operation ${id} (${operation.kind})`;
  if (operation.undoneAt)
    throw new ConflictError(`${named} was already undone at ${operation.undoneAt}`);
  const changes = changeKindsOf(session, id);
  if (changes.length === 0) throw new ConflictError(`${named} recorded no change to take back`);
  const claims = (handler: UndoHandler, change: { entityType: string; action: string }) =>
    handler.takesBack[change.entityType]?.includes(change.action) === true;
  // An undo's own entries (`undone`, `import-undone`): undo does not redo.
  if (changes.some((change) => change.action.endsWith('undone')))
    throw new ConflictError(`${named} is an undo: it cannot be undone; run what it undid again`);
  const unclaimed = changes.filter((change) => !handlers.some((h) => claims(h, change)));
  if (unclaimed.length > 0) {
    const what = unclaimed.map((c) => `${c.entityType} ${c.action}`).join(', ');
    throw new ConflictError(`${named} cannot be undone: undo does not take back ${what} yet`);
  }
  const involved = handlers.filter((h) => changes.some((change) => claims(h, change)));
  for (const handler of involved) authorize(session, handler.permission);
  const dependents = involved
    .flatMap((handler) => handler.conflicts(session, operation))
    .map((d) => ({ ...d, kind: kindOf(session, d.operationId) }));
  if (dependents.length > 0 && !options.force) throw refused(named, dependents);
  const done = new Map<string, UndoneChanges>();
  for (const handler of involved) {
    done.set(handler.feature, handler.undo(session, operation, { force: options.force === true }));
  }
  markOperationUndone(session, id);
  const counts = Object.fromEntries([...done].map(([feature, d]) => [feature, d.counts]));
  session.summarise({ undone: id, ...counts });
  recordChange(session, {
    action: 'undone',
    entity: { type: 'operation', id },
    changes: { kind: operation.kind, ...counts, forced: dependents.map((d) => d.operationId) },
  });
  return {
    operationId: null,
    undone: id,
    kind: operation.kind,
    dryRun: options.dryRun === true,
    changes: counts,
    said: Object.fromEntries([...done].map(([feature, d]) => [feature, d.said])),
    notes: [...done.values()].flatMap((d) => d.notes),
    forced: dependents,
  };
}

function kindOf(session: Session, id: number | null): string | null {
  return id === null ? null : getOperation(session, id).kind;
}

/** "operation 14 (exceptions-remove) removed 1 entry it added (a@example.com)". */
export function describeDependent(d: ForcedDependent): string {
  return d.operationId === null
    ? `an entry added before operations were recorded: ${d.reason}`
    : `operation ${d.operationId} (${d.kind}) ${d.reason}`;
}

function refused(named: string, dependents: ForcedDependent[]): DependentsError {
  const one = new Set(dependents.map((d) => d.operationId)).size === 1;
  return new DependentsError(
    `${named} cannot be undone: ${one ? 'a later operation depends' : 'later operations depend'} on it: ${dependents.map(describeDependent).join('; ')}: undo ${one ? 'it' : 'them'} first`,
    dependents,
  );
}
