import { addDocument, maxBodyLength } from '../../documents/service.js';
import type { ActionType } from '../action.js';
import { itemValues } from '../condition.js';
import { renderTemplate } from '../template.js';
import { checkLength, failedOnError } from './send-sms.js';

/** `create-document`: a template rendered with the item's fields, stored (`crmctl document`). */
export const createDocument: ActionType = {
  name: 'create-document',
  description: "Render a template with the item's fields and store it as a document",
  parameters: [
    {
      name: 'template',
      description: 'the document text, with {{field}} placeholders',
      required: true,
      template: true,
    },
    {
      name: 'name',
      description: 'the document name, with {{field}} placeholders',
      default: 'Document',
      template: true,
    },
  ],
  check(_session, params) {
    checkLength('template', params.template, maxBodyLength);
    checkLength('name', params.name, 200);
  },
  run({ session, item, params, rule }) {
    const values = itemValues(item);
    return failedOnError(() => {
      const document = addDocument(session, {
        name: renderTemplate(params.name ?? 'Document', values).replace(/\s+/g, ' '),
        body: renderTemplate(params.template ?? '', values),
        itemId: item.id,
        ruleId: rule.id,
      });
      return {
        status: 'done',
        detail: `document #${document.id} "${document.name}" created`,
        made: { documentId: document.id },
      };
    });
  },
};
