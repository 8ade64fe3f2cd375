import { parseDuration } from '../../clock.js';
import { UsageError } from '../../errors.js';
import { addTask, parseDeadline } from '../../tasks/service.js';
import type { ActionType } from '../action.js';
import { itemValues } from '../condition.js';
import { renderTemplate } from '../template.js';
import { checkLogin } from './notify.js';
import { checkLength, failedOnError } from './send-sms.js';

/** `create-task`: a task for the responsible (or a named user), due a while after the rule runs. */
export const createTask: ActionType = {
  name: 'create-task',
  description: 'Create a task about the item, for its responsible or a named user',
  parameters: [
    {
      name: 'title',
      description: 'what to do, with {{field}} placeholders',
      required: true,
      template: true,
    },
    {
      name: 'assignee',
      description: "a login, or responsible (the item's)",
      default: 'responsible',
    },
    { name: 'deadline', description: 'due this long after the rule runs: 1d, 4h30m' },
  ],
  check(session, params) {
    checkLength('title', params.title, 500);
    const assignee = params.assignee ?? 'responsible';
    if (assignee !== 'responsible') checkLogin(session, 'assignee', assignee);
    if (params.deadline !== undefined) deadlineMs(params.deadline);
  },
  run({ session, item, params, rule }) {
    const assignee = params.assignee ?? 'responsible';
    return failedOnError(() => {
      const deadline =
        params.deadline === undefined
          ? null
          : parseDeadline(params.deadline, '--param deadline', session.clock);
      const task = addTask(session, {
        itemId: item.id,
        // A title is one line: placeholders that hold line breaks are joined with spaces.
        title: renderTemplate(params.title ?? '', itemValues(item)).replace(/\s+/g, ' '),
        assignee: assignee === 'responsible' ? item.responsible : assignee,
        deadline,
        ruleId: rule.id,
        item,
      });
      const who =
        task.assignee === null
          ? 'unassigned (the item has no responsible)'
          : `for ${task.assignee}`;
      return {
        status: 'done',
        detail: `task #${task.id} ${who}${task.deadline ? `, due ${task.deadline}` : ''}`,
        made: { taskId: task.id },
      };
    });
  },
};

function deadlineMs(text: string): number {
  const ms = parseDuration(text, '--param deadline');
  if (ms <= 0)
    throw new UsageError(`--param deadline takes a duration from now such as 1d, not "${text}"`);
  return ms;
}
