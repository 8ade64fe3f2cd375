import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { escapeControls } from '../../cli/escape.js';
import { printRecord, withOutputOptions } from '../../cli/output.js';
import { examples, parseId } from '../../cli/parse.js';
import { addTask, parseDeadline } from '../service.js';
import { taskView } from './shared.js';

export function taskAdd(task: Command, ctx: Context): void {
  withOutputOptions(
    task
      .command('add')
      .description(
        'Add an open task to an item, at the stage it is in (needs items.edit); assigned to the\n' +
          "item's responsible unless --assignee",
      )
      .requiredOption('--item <id>', 'the item the task is about')
      .requiredOption('--title <text>', 'what to do (up to 500 characters)')
      .option('--assignee <login>', "who does it (default: the item's responsible)")
      .option('--deadline <when>', 'a duration from now (1d, 4h) or an ISO-8601 time'),
    taskView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl task add --item 42 --title "Call back about delivery" --deadline 1d',
        'crmctl task add --item 42 --title "Check stock" --assignee anna --deadline 2026-12-24T17:00Z',
      ),
    )
    .action(async (options) => {
      const session = ctx.session('items.edit');
      const itemId = parseId(options.item, '--item');
      const deadline =
        options.deadline === undefined
          ? null
          : parseDeadline(options.deadline, '--deadline', ctx.clock);
      const added = session.write(() =>
        addTask(session, { itemId, title: options.title, assignee: options.assignee, deadline }),
      );
      await printRecord(ctx, added, options, taskView);
      ctx.note(escapeControls(`Added task ${added.id} to item ${itemId}`));
    });
}
