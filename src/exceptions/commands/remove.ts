import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { type View, withOutputOptions } from '../../cli/output.js';
import { examples } from '../../cli/parse.js';
import { printChange } from '../../cli/result.js';
import { ConflictError, UsageError } from '../../errors.js';
import { idsMatching, removeExceptionIds, removeExceptionsMatching } from '../service.js';
import { removeValues } from './remove-values.js';
import { filterOptions, hasFilter, withFilters } from './shared.js';

const removedView: View = {
  fields: ['operationId', 'dryRun', 'removed'],
  columns: ['operationId', 'dryRun', 'removed'],
};

/** `exceptions remove`: values (or --file), or every entry matching the filters. */
export function addRemove(exceptions: Command, ctx: Context): void {
  withOutputOptions(
    withFilters(
      exceptions
        .command('remove')
        .description(
          'Remove entries: given values (any spelling), the values of --file, or every entry matching\n' +
            'the filters (then --yes, or a confirmation on a terminal: the entries it counts are the\n' +
            'ones removed). Nothing matching exits 0. Needs exceptions.edit. crmctl undo OP puts\n' +
            'what a remove took back as it was.',
        )
        .argument('[values...]', 'phones and emails to remove')
        .option('--file <file>', 'remove the values of this file (one per line; - for stdin)')
        .option('--all', 'with no filter: remove every entry')
        .option('--yes', 'do not ask for confirmation')
        .option('--dry-run', 'report what would be removed, change nothing'),
    ),
    removedView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl exceptions remove "+44 20 7946 0958"',
        'crmctl exceptions remove --file mistakes.txt',
        'crmctl exceptions remove --source import --batch 12 --yes',
      ),
    )
    .action(async (values, options) => {
      const session = ctx.session('exceptions.edit');
      if (values.length > 0 || options.file !== undefined) {
        if (hasFilter(options)) throw new UsageError('give values or filters, not both');
        await removeValues(ctx, session, values, options);
        return;
      }
      if (!hasFilter(options) && !options.all) {
        throw new UsageError(
          'say what to remove: values, --file, filters (e.g. --batch 12), or --all',
        );
      }
      const filter = filterOptions(ctx, options);
      const dryRun = options.dryRun === true;
      const print = (removed: number, note: string) =>
        printChange(
          ctx,
          options,
          { operationId: session.operationId, dryRun, removed },
          removedView,
          { id: removed, note },
        );
      const nothing = 'Nothing to remove: no entry matches';
      if (options.yes || dryRun) {
        const { removed } = session.write(() => removeExceptionsMatching(session, filter), {
          dryRun,
        });
        await print(
          removed,
          removed === 0 ? nothing : `${dryRun ? 'Would remove' : 'Removed'} ${removed} entries`,
        );
        return;
      }
      // What is confirmed is what is removed: the entries matching now, by id. The prompt is
      // answered without the write lock held; entries removed meanwhile are simply gone.
      const ids = idsMatching(session, filter);
      if (ids.length === 0) {
        await print(0, nothing);
        return;
      }
      if (!ctx.canPrompt)
        throw new UsageError(
          `this removes ${ids.length} entries: add --yes (or --dry-run to see the count)`,
        );
      if (!(await ctx.prompter.confirm(`Remove ${ids.length} entries from the exceptions list?`))) {
        throw new ConflictError('nothing removed: not confirmed');
      }
      const { removed } = session.write(() => removeExceptionIds(session, ids, filter));
      const gone = ids.length - removed;
      await print(
        removed,
        `Removed ${removed} entries${gone > 0 ? ` (${gone} of the ${ids.length} confirmed had been removed meanwhile)` : ''}`,
      );
    });
}
