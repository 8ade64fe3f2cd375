import { recordChange } from '../history/service.js';
import { entries, examplesOf, type UndoHandler } from '../undo/handler.js';
import {
  commentChangesOf,
  deleteEntriesAddedBy,
  forgetCommentChanges,
  laterRemovalsOf,
  restoreRemovedBy,
  updateBlacklistComment,
} from './repo.js';

/**
 * `crmctl undo` of a blacklist add, import, remove or expiry (src/registrations.ts lists it):
 * the entries it added come off, the comments it overwrote go back, the entries it took off come
 * back where their number is not listed again since.
 */
export const blacklistUndo: UndoHandler = {
  feature: 'blacklist',
  takesBack: { blacklist: ['imported', 'added', 'removed', 'expired'] },
  permission: 'telephony.settings',

  conflicts(session, operation) {
    return laterRemovalsOf(session.db, operation.id).map((later) => ({
      operationId: later.operationId,
      reason: `removed ${entries(later.count)} it added ${examplesOf(later.numbers.split(', ').slice(0, 3), later.count)}`,
    }));
  },

  undo(session, operation) {
    const { db } = session;
    const removedNumbers = deleteEntriesAddedBy(db, operation.id);
    const changes = commentChangesOf(db, operation.id);
    for (const change of changes) updateBlacklistComment(db, change.entryId, change.oldComment);
    forgetCommentChanges(db, operation.id);
    const { restored, notRestored } = restoreRemovedBy(db, operation.id);
    const counts = {
      removed: removedNumbers.length,
      restored: restored.length,
      notRestored,
      commentsRestored: changes.length,
    };
    recordChange(session, {
      action: 'undone',
      entity: { type: 'blacklist', id: operation.id },
      changes: {
        ...counts,
        numbers: removedNumbers.slice(0, 100),
        restoredNumbers: restored.slice(0, 100),
      },
    });
    const said = [
      counts.removed > 0 && `removed ${entries(counts.removed)} it added`,
      counts.restored > 0 && `put back ${entries(counts.restored)} it removed`,
      counts.commentsRestored > 0 && `restored ${counts.commentsRestored} comments`,
    ].filter((part): part is string => part !== false);
    const notes =
      notRestored > 0
        ? [
            `${entries(notRestored)} it removed stay off the list: their numbers are listed again since`,
          ]
        : [];
    return { counts, said: said.join(', ') || 'nothing left to take back', notes };
  },
};
