import { completeOpenTasks } from '../../tasks/service.js';
import type { ActionType } from '../action.js';

/** `complete-tasks`: ends the open tasks the item got at the rule's stage. */
export const completeTasks: ActionType = {
  name: 'complete-tasks',
  description: "End the open tasks the item got at this rule's stage (each fires task-completed)",
  parameters: [],
  run({ session, item, rule }) {
    const done = completeOpenTasks(session, item.id, rule.stageId);
    if (done.length === 0) {
      return { status: 'skipped', detail: `item #${item.id} has no open task from this stage` };
    }
    const ids = done.map((task) => task.id);
    return {
      status: 'done',
      detail: `completed task${ids.length === 1 ? '' : 's'} ${ids.map((id) => `#${id}`).join(', ')}`,
      made: { taskIds: ids.join(','), completed: ids.length },
    };
  },
};
