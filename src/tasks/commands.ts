import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { taskAdd } from './commands/add.js';
import { taskComplete } from './commands/complete.js';
import { taskList } from './commands/list.js';
import { taskShow } from './commands/show.js';

/** The `task` noun: tasks for employees about items, made by people or by create-task rules. */
export const commands: CommandModule['commands'] = {
  task(program, ctx) {
    const task = program
      .command('task')
      .description('Tasks for employees about items (made by hand or by create-task rules)')
      .addHelpText(
        'after',
        examples(
          'crmctl task add --item 42 --title "Call the customer" --deadline 1d',
          'crmctl task list --assignee anna --status open',
          'crmctl task complete 12',
        ),
      );
    taskList(task, ctx);
    taskShow(task, ctx);
    taskAdd(task, ctx);
    taskComplete(task, ctx);
  },
};
