import { addItemToExceptions } from '../../bin/add-to-exceptions.js';
import { CrmError } from '../../errors.js';
import type { ActionType } from '../action.js';

/**
 * `add-to-exceptions` (seed 000, DESIGN §2): the item's phones and emails (a deal's: its contact's
 * and company's) go on the exceptions list with source `rule` and the comment "Added by
 * automation rule", then the item goes to the recycle bin, with its contact and company when
 * nothing else holds them: the recycle bin's service, as `item add-to-exceptions` does it.
 * Leads and deals only; an item with nothing to add fails, naming why, and stays.
 */
export const addToExceptions: ActionType = {
  name: 'add-to-exceptions',
  description:
    'Add the phones and emails of a lead or deal (a deal: of its contact and company) to the exceptions list, then delete it to the recycle bin',
  parameters: [],
  run({ session, item }) {
    if (item.type !== 'lead' && item.type !== 'deal') {
      return {
        status: 'skipped',
        detail: `only leads and deals go to the exceptions list, not a ${item.type}`,
      };
    }
    try {
      const result = addItemToExceptions(session, item.id, { source: 'rule' });
      const deleted = result.deleted.map((d) => `${d.kind} #${d.entityId}`);
      const listed = result.added.map((e) => e.value);
      return {
        status: 'done',
        detail:
          `${listed.length > 0 ? `listed ${listed.join(', ')}` : 'nothing new to list'}` +
          `${result.duplicates.length > 0 ? ` (already listed: ${result.duplicates.join(', ')})` : ''}` +
          `; deleted to the recycle bin: ${deleted.join(', ')}`,
        made: {
          added: result.added.length,
          duplicates: result.duplicates.length,
          deleted: result.deleted.length,
          operationId: result.operationId,
        },
      };
    } catch (error) {
      if (error instanceof CrmError) return { status: 'failed', detail: error.message };
      throw error;
    }
  },
};
