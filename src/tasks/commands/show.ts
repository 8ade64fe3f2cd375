import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printRecord, withOutputOptions } from '../../cli/output.js';
import { examples, parseId } from '../../cli/parse.js';
import { getTask } from '../service.js';
import { taskView } from './shared.js';

export function taskShow(task: Command, ctx: Context): void {
  withOutputOptions(
    task
      .command('show')
      .description('Show one task (needs items.view)')
      .argument('<id>', 'task id'),
    taskView,
  )
    .addHelpText('after', examples('crmctl task show 12', 'crmctl task show 12 --json'))
    .action(async (id, options) => {
      const session = ctx.session('items.view');
      await printRecord(ctx, getTask(session, parseId(id)), options, taskView);
    });
}
