import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseLimit } from '../../cli/parse.js';
import { printChange } from '../../cli/result.js';
import { parseDuration } from '../../clock.js';
import { ConflictError, UsageError } from '../../errors.js';
import { countPurgeable, type PurgeOptions, purgeBin } from '../service.js';

const purgeView: View = {
  fields: ['operationId', 'dryRun', 'purged', 'before'],
  columns: ['operationId', 'dryRun', 'purged', 'before'],
};

export function binPurge(bin: Command, ctx: Context): void {
  withOutputOptions(
    bin
      .command('purge')
      .description(
        'Delete bin entries for good, oldest first: every one, or those deleted more than\n' +
          '--older-than ago (an entry deleted exactly that long ago stays), at most --limit. Asks\n' +
          'on a terminal; needs --yes otherwise (or --dry-run to count). Needs bin.purge. History\n' +
          'keeps the records’ past and the purge. Prints how many were purged.',
      )
      .option('--older-than <duration>', 'only entries deleted more than this long ago, e.g. 30d')
      .option('--limit <n>', 'at most this many (the oldest)', parseLimit)
      .option('--yes', 'do not ask for confirmation')
      .option('--dry-run', 'count what would be purged, change nothing'),
    purgeView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl recycle-bin purge --older-than 30d --yes',
        'crmctl recycle-bin purge --older-than 90d --dry-run --json',
        'crmctl recycle-bin purge --limit 1000 --yes',
      ),
    )
    .action(async (options) => {
      const purge: PurgeOptions = {
        olderThanMs:
          options.olderThan === undefined
            ? undefined
            : parseDuration(options.olderThan, '--older-than'),
        limit: options.limit,
      };
      if (purge.olderThanMs !== undefined && purge.olderThanMs < 0)
        throw new UsageError('--older-than takes a duration of 0 or more, such as 30d');
      const session = ctx.session('bin.purge');
      const dryRun = options.dryRun === true;
      if (!dryRun && !options.yes) {
        const count = countPurgeable(session, purge);
        if (count > 0) {
          if (!ctx.canPrompt)
            throw new UsageError(
              `this purges ${count} bin entries for good: add --yes (or --dry-run to count them)`,
            );
          if (!(await ctx.prompter.confirm(`Purge ${count} bin entries for good?`)))
            throw new ConflictError('nothing purged: not confirmed');
        }
      }
      const result = session.write(() => purgeBin(session, purge), { dryRun });
      const record = { ...result, operationId: session.operationId, dryRun };
      await printChange(ctx, options, record, purgeView, {
        id: result.purged,
        note:
          result.purged === 0
            ? 'Nothing to purge'
            : `${dryRun ? 'Would purge' : 'Purged'} ${result.purged} bin ${result.purged === 1 ? 'entry' : 'entries'}${dryRun ? ' (nothing was changed)' : ''}`,
      });
    });
}
