import { ConflictError, NotFoundError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { getOperation, markOperationUndone } from '../operations/service.js';
import type { Session } from '../session.js';
import {
  type Dependent,
  DependentsError,
  entries,
  examplesOf,
  type UndoHandler,
} from '../undo/handler.js';
import {
  commentChangesOf,
  type DependentRows,
  deleteEntriesAddedBy,
  dependentRows,
  forgetCommentChangesOf,
  forgetRemovedEntriesAddedBy,
  nextCommentChange,
  restoreComment,
  restoreRemovedBy,
  setCommentChangeOld,
  valuesAddedBy,
  valuesRemovedBy,
} from './repo.js';

/** What undoing one operation did to the list. */
interface TakenBack {
  /** Entries it added, removed again. */
  removed: number;
  /** Entries it removed, put back as they were. */
  restored: number;
  /** Entries it removed whose value is listed again since: left off (only when forced). */
  notRestored: number;
  commentsRestored: number;
  /** Comments a later import changed since: left as they are (undoing that one puts back the older). */
  commentsKept: number;
  /** Up to 10 of them, with the import that changed each. */
  keptExamples: { value: string; batchId: number }[];
  removedValues: string[];
  restoredValues: string[];
}

/**
 * Takes back what one operation did to the list: removes the entries it added (those still
 * listed; any a later remove took are forgotten, so undoing that remove will not bring them
 * back), puts back the comments it overwrote — unless a later import changed one since: then
 * that later comment stays, and undoing the later import puts back what was there before both —
 * and puts back the entries it removed, as they were, where their value is not listed again.
 */
function takeBack(session: Session, operationId: number): TakenBack {
  session.requireWrite('an undo');
  const { db } = session;
  const removedValues = valuesAddedBy(db, operationId, 100);
  const removed = deleteEntriesAddedBy(db, operationId);
  forgetRemovedEntriesAddedBy(db, operationId);
  let commentsRestored = 0;
  let commentsKept = 0;
  const keptExamples: TakenBack['keptExamples'] = [];
  for (const change of commentChangesOf(db, operationId)) {
    const later = nextCommentChange(db, change.exceptionId, operationId);
    if (later === undefined) {
      restoreComment(db, change.exceptionId, change.oldComment);
      commentsRestored++;
    } else {
      // The later import now overwrote what was there before this one.
      setCommentChangeOld(db, later, change.exceptionId, change.oldComment);
      commentsKept++;
      if (keptExamples.length < 10) keptExamples.push({ value: change.value, batchId: later });
    }
  }
  forgetCommentChangesOf(db, operationId);
  const restoredValues = valuesRemovedBy(db, operationId, 100);
  const { restored, notRestored } = restoreRemovedBy(db, operationId);
  return {
    removed,
    restored,
    notRestored,
    commentsRestored,
    commentsKept,
    keptExamples,
    removedValues,
    restoredValues,
  };
}

function dependentsOf(rows: DependentRows[], reason: (count: number) => string): Dependent[] {
  return rows.map((row) => ({
    operationId: row.operationId,
    reason: `${reason(row.count)} ${examplesOf(row.values, row.count)}`,
  }));
}

/** `crmctl undo` of an exceptions import, add or remove (src/registrations.ts lists it). */
export const exceptionsUndo: UndoHandler = {
  feature: 'exceptions',
  takesBack: { exceptions: ['imported', 'added', 'removed'] },
  permission: 'exceptions.edit',

  conflicts(session, operation) {
    const { db } = session;
    return [
      ...dependentsOf(
        dependentRows(db, 'commentChangesOfAdded', operation.id),
        (n) => `changed the comments of ${entries(n)} it added`,
      ),
      ...dependentsOf(
        dependentRows(db, 'removals', operation.id),
        (n) => `removed ${entries(n)} it added or re-commented`,
      ),
      ...dependentsOf(
        dependentRows(db, 'relistedValues', operation.id),
        (n) => `listed again ${n === 1 ? 'a value' : `${n} values`} it removed`,
      ),
    ];
  },

  undo(session, operation) {
    const done = takeBack(session, operation.id);
    const counts = {
      removed: done.removed,
      restored: done.restored,
      notRestored: done.notRestored,
      commentsRestored: done.commentsRestored,
      commentsKept: done.commentsKept,
    };
    recordChange(session, {
      action: 'undone',
      entity: { type: 'exceptions', id: operation.id },
      changes: { ...counts, values: done.removedValues, restoredValues: done.restoredValues },
    });
    const said = [
      done.removed > 0 && `removed ${entries(done.removed)} it added`,
      done.restored > 0 && `put back ${entries(done.restored)} it removed`,
      done.commentsRestored > 0 &&
        `restored ${done.commentsRestored} ${done.commentsRestored === 1 ? 'comment' : 'comments'}`,
    ].filter((part): part is string => part !== false);
    const notes: string[] = [];
    if (done.commentsKept > 0) notes.push(keptNote(done));
    if (done.notRestored > 0) {
      notes.push(
        `${entries(done.notRestored)} it removed stay off the list: their values are listed again since`,
      );
    }
    return { counts, said: said.join(', ') || 'nothing left to take back', notes };
  },
};

/** "Kept 1 comments a later import changed since: …; undo that import to put back the older comment". */
export function keptNote(done: Pick<TakenBack, 'commentsKept' | 'keptExamples'>): string {
  const shown = done.keptExamples.map((k) => `${k.value} (import ${k.batchId})`);
  const more = done.commentsKept - shown.length;
  return `Kept ${done.commentsKept} comments a later import changed since: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}; undo that import to put back the older comment`;
}

export interface UndoImportResult {
  batchId: number;
  removed: number;
  commentsRestored: number;
  commentsKept: number;
  keptExamples: { value: string; batchId: number }[];
}

/**
 * `exceptions undo-import`: what `crmctl undo` does for an import, with the import's own checks
 * and words. Entries this import added whose comment a later import changed are its work too:
 * refused (DependentsError, naming that import) unless `force`. Entries a later remove took are
 * simply no longer there to remove (`crmctl undo` asks for force there too).
 */
export function undoImport(
  session: Session,
  batchId: number,
  options: { force?: boolean } = {},
): UndoImportResult {
  session.requireWrite();
  const operation = getOperation(session, batchId);
  if (operation.kind !== 'exceptions-import') {
    throw new NotFoundError(`${batchId} is not an import batch (see crmctl exceptions batches)`);
  }
  if (operation.undoneAt)
    throw new ConflictError(`import ${batchId} was already undone at ${operation.undoneAt}`);
  const later = dependentRows(session.db, 'commentChangesOfAdded', batchId);
  if (later.length > 0 && !options.force) throw recommented(batchId, later);
  const done = takeBack(session, batchId);
  markOperationUndone(session, batchId);
  const result = {
    batchId,
    removed: done.removed,
    commentsRestored: done.commentsRestored,
    commentsKept: done.commentsKept,
    keptExamples: done.keptExamples,
  };
  const { keptExamples: _, ...counts } = result;
  recordChange(session, {
    action: 'import-undone',
    entity: { type: 'exceptions', id: batchId },
    changes: { ...counts, values: done.removedValues },
  });
  return result;
}

function recommented(batchId: number, later: DependentRows[]): DependentsError {
  const ids = later.map((d) => d.operationId);
  const count = later.reduce((sum, d) => sum + d.count, 0);
  const values = later.flatMap((d) => d.values).slice(0, 3);
  const one = ids.length === 1;
  return new DependentsError(
    `later ${one ? 'import' : 'imports'} ${ids.join(', ')} changed the comments of ${entries(count)} import ${batchId} added ${examplesOf(values, count)}: undo ${one ? 'it' : 'them'} first`,
    dependentsOf(later, (n) => `changed the comments of ${entries(n)} it added`),
  );
}
