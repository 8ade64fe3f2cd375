import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printList, withOutputOptions } from '../../cli/output.js';
import { examples, parseIds } from '../../cli/parse.js';
import { completeTask } from '../service.js';
import { taskView } from './shared.js';

export function taskComplete(task: Command, ctx: Context): void {
  withOutputOptions(
    task
      .command('complete')
      .description(
        'Mark open tasks done (needs items.edit), all or none: each fires task-completed for its\n' +
          'item, so triggers waiting for it move the item. A task already done is refused (exit 5).',
      )
      .argument('<id...>', 'task ids'),
    taskView,
  )
    .addHelpText('after', examples('crmctl task complete 12', 'crmctl task complete 12 13 --json'))
    .action(async (ids, options) => {
      const session = ctx.session('items.edit');
      const wanted = [...new Set(parseIds(ids, 'a task id'))];
      const done = session.write(() => wanted.map((id) => completeTask(session, id)));
      await printList(ctx, done, options, taskView);
      ctx.note(`Completed ${done.length} task${done.length === 1 ? '' : 's'}`);
    });
}
