import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printList, withOutputOptions } from '../../cli/output.js';
import { examples, withPaging } from '../../cli/parse.js';
import { listExceptions } from '../service.js';
import { entryView, filterOptions, withFilters } from './shared.js';

/** `exceptions list`: filtered, in the order added, streamed. */
export function addList(exceptions: Command, ctx: Context): void {
  withOutputOptions(
    withPaging(
      withFilters(
        exceptions
          .command('list')
          .description(
            'List entries, filtered (needs exceptions.view); on a terminal the first 100 unless --limit',
          ),
      ),
    ),
    entryView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl exceptions list --type email',
        'crmctl exceptions list --value "020 7946 0958" --country GB',
        'crmctl exceptions list --comment supplier --limit 50 --json',
      ),
    )
    .action(async (options) => {
      const session = ctx.session('exceptions.view');
      const entries = listExceptions(session, {
        ...filterOptions(ctx, options),
        limit: options.limit,
        offset: options.offset,
      });
      await printList(ctx, entries, options, entryView);
    });
}
