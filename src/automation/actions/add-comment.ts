import { recordChange } from '../../history/service.js';
import type { ActionType } from '../action.js';
import { itemValues } from '../condition.js';
import { renderTemplate } from '../template.js';

/** `add-comment`: a comment on the item's timeline (its history), as the rule. */
export const addComment: ActionType = {
  name: 'add-comment',
  description: 'Add a comment to the item’s timeline',
  parameters: [{ name: 'text', description: 'the comment', required: true, template: true }],
  run({ session, item, params }) {
    const text = renderTemplate(params.text ?? '', itemValues(item));
    recordChange(session, {
      action: 'commented',
      entity: { type: 'item', id: item.id },
      changes: { text },
    });
    return {
      status: 'done',
      detail: `commented "${text.length > 60 ? `${text.slice(0, 59)}…` : text}"`,
    };
  },
};
