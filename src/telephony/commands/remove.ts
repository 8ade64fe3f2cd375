import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { formatOf, printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseCountry } from '../../cli/parse.js';
import { ExitCode } from '../../errors.js';
import { removeFromBlacklist } from '../blacklist.js';

import { permission, reportRejected } from './shared.js';

export function addRemove(blacklist: Command, ctx: Context): void {
  const view: View = {
    fields: ['operationId', 'dryRun', 'removed', 'notListed', 'rejected'],
    columns: ['operationId', 'dryRun', 'removed', 'notListed', 'rejected'],
  };
  withOutputOptions(
    blacklist
      .command('remove')
      .description(
        'Take numbers off the blacklist, in any spelling (needs telephony.settings); crmctl undo OP puts\n' +
          'them back. Exit 4 when none was listed, 3 when some were not listed or not numbers.',
      )
      .argument('<numbers...>', 'phone numbers')
      .option('--country <code>', 'country for numbers in national format')
      .option('--dry-run', 'do the remove, report it, and roll it back'),
    view,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl blacklist remove "+44 20 7946 0018"',
        'crmctl blacklist remove 02079460018 --country GB --dry-run',
      ),
    )
    .action(async (numbers, options) => {
      const session = ctx.session(permission);
      const country = parseCountry(options.country);
      const dryRun = options.dryRun === true;
      const result = session.write(() => removeFromBlacklist(session, numbers, { country }), {
        dryRun,
      });
      if (dryRun) result.operationId = null;
      for (const rejected of result.rejected) reportRejected(ctx, rejected);
      for (const number of result.notListed) ctx.note(`${number}: not listed`);
      if (formatOf(options) !== 'table' || options.fields) {
        await printRecord(
          ctx,
          {
            operationId: result.operationId,
            dryRun,
            removed: result.removed,
            notListed: result.notListed,
            rejected: result.rejected,
          },
          options,
          view,
        );
      } else {
        for (const entry of result.removed) ctx.out(entry.number);
        ctx.note(
          `${dryRun ? 'Would remove' : 'Removed'} ${result.removed.length}; ${result.notListed.length} not listed; ${result.rejected.length} rejected${result.operationId ? ` (undo: crmctl undo ${result.operationId})` : ''}`,
        );
      }
      if (result.removed.length === 0 && result.rejected.length === 0)
        ctx.exitCode = ExitCode.notFound;
      else if (result.notListed.length > 0 || result.rejected.length > 0)
        ctx.exitCode = ExitCode.someRejected;
    });
}
