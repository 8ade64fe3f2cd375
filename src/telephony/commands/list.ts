import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printList, withOutputOptions } from '../../cli/output.js';
import { examples, withPaging } from '../../cli/parse.js';
import { listBlacklist } from '../blacklist.js';

import { entryView, filterOptions, permission, withFilters } from './shared.js';

export function addList(blacklist: Command, ctx: Context): void {
  withOutputOptions(
    withPaging(
      withFilters(
        blacklist
          .command('list')
          .description(
            'List the blacklist, filtered (needs telephony.settings: the list is shown only to those who\n' +
              'manage telephony); expired entries show until the nightly cleanup removes them',
          ),
      ),
    ),
    entryView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl blacklist list --source auto',
        'crmctl blacklist list --number "020 7946 0018" --json',
      ),
    )
    .action(async (options) => {
      const session = ctx.session(permission);
      const entries = listBlacklist(session, {
        ...filterOptions(ctx, options),
        limit: options.limit,
        offset: options.offset,
      });
      await printList(ctx, entries, options, entryView);
    });
}
