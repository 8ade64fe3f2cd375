import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printList, withOutputOptions } from '../../cli/output.js';
import { examples, parseId, withPaging } from '../../cli/parse.js';
import { UsageError } from '../../errors.js';
import { listTasks, taskStatuses } from '../service.js';
import { taskView } from './shared.js';

export function taskList(task: Command, ctx: Context): void {
  withOutputOptions(
    withPaging(
      task
        .command('list')
        .description('List tasks, oldest first (needs items.view)')
        .option('--item <id>', 'only tasks of this item')
        .option('--assignee <login>', 'only tasks assigned to this user')
        .addOption(
          new Option('--status <status>', 'only open or done tasks').choices(taskStatuses),
        ),
    ),
    taskView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl task list --assignee anna --status open',
        'crmctl task list --item 42 --json',
      ),
    )
    .action(async (options) => {
      const session = ctx.session('items.view');
      if (options.assignee !== undefined && options.assignee.trim() === '')
        throw new UsageError('--assignee needs a login');
      const tasks = listTasks(session, {
        itemId: options.item === undefined ? undefined : parseId(options.item, '--item'),
        assignee: options.assignee?.trim(),
        status: options.status,
        limit: options.limit,
        offset: options.offset,
      });
      await printList(ctx, tasks, options, taskView);
    });
}
