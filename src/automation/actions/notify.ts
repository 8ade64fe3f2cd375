import { NotFoundError, UsageError } from '../../errors.js';
import type { Item } from '../../items/service.js';
import { maxNotificationLength, notifyUser } from '../../notifications/service.js';
import type { Session } from '../../session.js';
import { getUser } from '../../users/service.js';
import type { ActionType } from '../action.js';
import { itemValues } from '../condition.js';
import { renderTemplate } from '../template.js';
import { checkLength, failedOnError } from './send-sms.js';

/** `notify`: a notification for the responsible, their supervisor or a named user. */
export const notify: ActionType = {
  name: 'notify',
  description: "Leave a notification for the item's responsible, their supervisor or a named user",
  parameters: [
    {
      name: 'to',
      description: 'responsible, supervisor (the responsible’s), or a login',
      default: 'responsible',
    },
    {
      name: 'text',
      description: 'the notice, with {{field}} placeholders',
      required: true,
      template: true,
    },
  ],
  check(session, params) {
    const to = params.to ?? 'responsible';
    if (to !== 'responsible' && to !== 'supervisor') checkLogin(session, 'to', to);
    checkLength('text', params.text, maxNotificationLength);
  },
  run({ session, item, params }) {
    const to = params.to ?? 'responsible';
    return failedOnError(() => {
      const login = recipientOf(session, item, to);
      if (typeof login !== 'string') return { status: 'skipped', detail: login.skipped };
      const notice = notifyUser(session, {
        login,
        text: renderTemplate(params.text ?? '', itemValues(item)),
        itemId: item.id,
      });
      return {
        status: 'done',
        detail: `notification #${notice.id} for ${notice.user}`,
        made: { notificationId: notice.id },
      };
    });
  },
};

/** Who `to` names for this item, or why nobody. */
function recipientOf(session: Session, item: Item, to: string): string | { skipped: string } {
  if (to !== 'responsible' && to !== 'supervisor') return to;
  if (item.responsible === null) return { skipped: `item #${item.id} has no responsible` };
  if (to === 'responsible') return item.responsible;
  const supervisor = getUser(session, item.responsible).supervisor;
  return (
    supervisor ?? {
      skipped: `${item.responsible}, responsible for item #${item.id}, has no supervisor`,
    }
  );
}

/** A parameter naming a user: the user must exist (a usage error naming the parameter). */
export function checkLogin(session: Session, parameter: string, login: string): void {
  try {
    getUser(session, login);
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new UsageError(`--param ${parameter}: no user "${login}" (see crmctl user list)`);
    throw error;
  }
}
