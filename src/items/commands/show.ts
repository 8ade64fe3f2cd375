import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { escapeControls } from '../../cli/escape.js';
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
      .description(
        'Show an item with its timeline, its automation (what ran, what waits), and its tasks,\n' +
          'documents and outbox messages',
      )
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
      // What the item's automation and people left for it.
      const [{ listTasks }, { listDocuments }, { listMessages }] = await Promise.all([
        import('../../tasks/service.js'),
        import('../../documents/service.js'),
        import('../../outbox/service.js'),
      ]);
      const tasks = [...listTasks(session, { itemId: shown.id }).rows];
      const documents = [...listDocuments(session, { itemId: shown.id }).rows];
      const outbox = [...listMessages(session, { itemId: shown.id }).rows];
      if (formatOf(options) === 'json' && !options.fields) {
        printJson(ctx, { ...shown, automation, tasks, documents, outbox });
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
        const section = (title: string, rows: string[]) => {
          if (rows.length > 0) ctx.out(`\n${title}\n${rows.map(escapeControls).join('\n')}`);
        };
        section(
          'tasks',
          tasks.map(
            (t) =>
              `#${t.id} ${t.status} "${t.title}"${t.assignee ? ` for ${t.assignee}` : ''}${t.deadline ? `, due ${t.deadline}` : ''}`,
          ),
        );
        section(
          'documents',
          documents.map((d) => `#${d.id} "${d.name}" (${d.size} characters, ${d.createdAt})`),
        );
        section(
          'outbox',
          outbox.map((m) => `#${m.id} ${m.channel} to ${m.to}${m.subject ? `: ${m.subject}` : ''}`),
        );
      }
    });
}
