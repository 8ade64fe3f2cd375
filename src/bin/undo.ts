import { historyOfOperation } from '../history/service.js';
import type { Dependent, UndoHandler } from '../undo/handler.js';
import type { BinKind } from './contributor.js';
import { fateOf, named, restoreOperation } from './service.js';

const kinds: BinKind[] = ['item', 'contact', 'company'];

/** The records an operation deleted to the bin, as its history recorded them. */
function deletedBy(session: Parameters<UndoHandler['undo']>[0], operationId: number) {
  return historyOfOperation(session, operationId)
    .filter((h) => h.action === 'deleted' && kinds.includes(h.entity.type as BinKind))
    .map((h) => ({ kind: h.entity.type as BinKind, id: h.entity.id }));
}

/**
 * `crmctl undo` of a delete to the recycle bin (item/contact/company delete, item
 * add-to-exceptions): what the operation deleted comes back with its ids and links, as
 * `recycle-bin restore --with-related` would. A record restored since by another operation, or
 * purged, is a dependent: refused unless forced, then the rest comes back.
 */
export const binUndo: UndoHandler = {
  feature: 'recycle-bin',
  takesBack: { item: ['deleted'], contact: ['deleted'], company: ['deleted'] },
  permission: 'items.delete',

  conflicts(session, operation) {
    const dependents: Dependent[] = [];
    for (const record of deletedBy(session, operation.id)) {
      const fate = fateOf(session, record, operation.id);
      if (!fate) continue;
      dependents.push(
        'purgedBy' in fate
          ? {
              operationId: fate.purgedBy,
              reason: `purged ${named(record)} it deleted from the bin`,
            }
          : { operationId: fate.restoredBy, reason: `restored ${named(record)} it deleted` },
      );
    }
    return dependents;
  },

  undo(session, operation) {
    const done = restoreOperation(session, operation.id);
    const n = done.restored.length;
    return {
      counts: { restored: n },
      said:
        n > 0
          ? `restored ${n} ${n === 1 ? 'record' : 'records'} from the bin (${done.restored
              .slice(0, 5)
              .map((r) => named({ kind: r.kind, id: r.entityId }))
              .join(', ')}${n > 5 ? ', …' : ''})`
          : 'nothing left in the bin to restore',
      notes: done.notes,
    };
  },
};
