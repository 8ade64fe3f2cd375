import { maxTextLength, queueMessage } from '../../outbox/service.js';
import type { ActionType } from '../action.js';
import { itemValues } from '../condition.js';
import { renderTemplate } from '../template.js';
import { checkLength, failedOnError } from './send-sms.js';

/** `send-email`: an email to the item's address (its own, else its contact's or company's), to the outbox. */
export const sendEmail: ActionType = {
  name: 'send-email',
  description:
    "Queue an email to the item's address (its own, else its contact's or company's) in the outbox",
  parameters: [
    {
      name: 'subject',
      description: 'the subject line, with {{field}} placeholders',
      required: true,
      template: true,
    },
    {
      name: 'text',
      description: 'the body, with {{field}} placeholders',
      required: true,
      template: true,
    },
  ],
  check(_session, params) {
    checkLength('subject', params.subject, 998);
    checkLength('text', params.text, maxTextLength.email);
  },
  run({ session, item, params, rule }) {
    const to = item.emails[0];
    if (to === undefined) {
      return {
        status: 'skipped',
        detail: `item #${item.id} has no email (neither its own nor its contact's or company's)`,
      };
    }
    const values = itemValues(item);
    return failedOnError(() => {
      const message = queueMessage(session, {
        channel: 'email',
        to,
        // A subject is one line: placeholders that hold line breaks are joined with spaces.
        subject: renderTemplate(params.subject ?? '', values).replace(/\s+/g, ' '),
        text: renderTemplate(params.text ?? '', values),
        itemId: item.id,
        ruleId: rule.id,
      });
      return {
        status: 'done',
        detail: `email #${message.id} to ${to} queued`,
        made: { outboxId: message.id },
      };
    });
  },
};
