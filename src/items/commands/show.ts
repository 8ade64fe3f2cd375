import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import {
  formatOf,
  printJson,
  printList,
  printRecord,
  withOutputOptions,
} from '../../cli/output.js';
import { examples, parseId } from '../../cli/parse.js';
import { historyView } from '../../history/commands.js';
import { getItem } from '../service.js';
import { itemView } from './shared.js';

export function itemShow(item: Command, ctx: Context): void {
  withOutputOptions(
    item
      .command('show')
      .description('Show an item with its timeline and its automation (what ran, what waits)')
      .argument('<id>', 'item id'),
    itemView,
  )
    .addHelpText('after', examples('crmctl item show 42', 'crmctl item show 42 --json'))
    .action(async (id, options) => {
      const session = ctx.session('items.view');
      const shown = getItem(session, parseId(id), { timeline: true });
      // The item's automation timeline: what ran for it, and what is still to run.
      const { automationTimeline, explainItem } = await import('../../automation/log.js');
      const automation = automationTimeline(session, shown.id);
      if (formatOf(options) === 'json' && !options.fields) {
        printJson(ctx, { ...shown, automation });
        return;
      }
      const { timeline, ...rest } = shown;
      await printRecord(ctx, rest, options, itemView);
      if (formatOf(options) === 'table' && !options.fields && timeline?.length) {
        ctx.out('\ntimeline');
        await printList(ctx, timeline, { output: options.output }, historyView);
      }
      if (formatOf(options) === 'table' && !options.fields) {
        const lines = explainItem(session, shown.id);
        if (lines.length > 0) ctx.out(`\nautomation\n${lines.join('\n')}`);
      }
    });
}
