import { CrmError, UsageError } from '../../errors.js';
import { maxTextLength, queueMessage } from '../../outbox/service.js';
import type { ActionOutcome, ActionType } from '../action.js';
import { itemValues } from '../condition.js';
import { renderTemplate } from '../template.js';

/** `send-sms`: an SMS to the item's phone (its own, else its contact's, else its company's), to the outbox. */
export const sendSms: ActionType = {
  name: 'send-sms',
  description:
    "Queue an SMS to the item's phone (its own, else its contact's or company's) in the outbox",
  parameters: [
    {
      name: 'text',
      description: 'the message, with {{field}} placeholders',
      required: true,
      template: true,
    },
  ],
  check(_session, params) {
    checkLength('text', params.text, maxTextLength.sms);
  },
  run({ session, item, params, rule }) {
    const to = item.phones[0];
    if (to === undefined) {
      return {
        status: 'skipped',
        detail: `item #${item.id} has no phone (neither its own nor its contact's or company's)`,
      };
    }
    const text = renderTemplate(params.text ?? '', itemValues(item));
    return failedOnError(() => {
      const message = queueMessage(session, {
        channel: 'sms',
        to,
        text,
        itemId: item.id,
        ruleId: rule.id,
      });
      return {
        status: 'done',
        detail: `SMS #${message.id} to ${to} queued`,
        made: { outboxId: message.id },
      };
    });
  },
};

/** A parameter longer than what its record keeps, even before placeholders grow it. */
export function checkLength(name: string, value: string | undefined, max: number): void {
  if (value !== undefined && value.length > max) {
    throw new UsageError(
      `--param ${name} is ${value.length.toLocaleString('en')} characters long: at most ${max.toLocaleString('en')}`,
    );
  }
}

/**
 * The outcome of `work`, or `failed` with the reason when what the rule made cannot be kept (a
 * rendered text too long, a user removed since the rule was added): a rule's failure, not a crash.
 */
export function failedOnError(work: () => ActionOutcome): ActionOutcome {
  try {
    return work();
  } catch (error) {
    if (error instanceof CrmError) return { status: 'failed', detail: error.message };
    throw error;
  }
}
