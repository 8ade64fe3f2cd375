import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printList, withOutputOptions } from '../../cli/output.js';
import { examples, parseCountry, parseId, parseSinceFlag, withPaging } from '../../cli/parse.js';
import { parseDuration } from '../../clock.js';
import { UsageError } from '../../errors.js';
import { type ListBinOptions, listBin } from '../service.js';
import { binView } from './shared.js';

type FilterFlags = {
  type?: string;
  deletedBy?: string;
  since?: string;
  until?: string;
  olderThan?: string;
  operation?: string;
  search?: string;
  country?: string;
  limit?: number;
  offset?: number;
};

/** The list filters as the service takes them; a blank filter value is a usage error. */
export function binFilters(ctx: Context, flags: FilterFlags): ListBinOptions {
  for (const [flag, value] of Object.entries({
    '--type': flags.type,
    '--deleted-by': flags.deletedBy,
    '--search': flags.search,
  })) {
    if (value !== undefined && value.trim() === '')
      throw new UsageError(`${flag} needs a value (an empty one would match everything)`);
  }
  return {
    type: flags.type,
    deletedBy: flags.deletedBy?.trim(),
    since: parseSinceFlag(flags.since, '--since', ctx.clock),
    until: parseSinceFlag(flags.until, '--until', ctx.clock),
    olderThanMs:
      flags.olderThan === undefined ? undefined : parseDuration(flags.olderThan, '--older-than'),
    operation: flags.operation === undefined ? undefined : parseId(flags.operation, '--operation'),
    search: flags.search,
    country: parseCountry(flags.country),
    limit: flags.limit,
    offset: flags.offset,
  };
}

export function binList(bin: Command, ctx: Context): void {
  withOutputOptions(
    withPaging(bin.command('list'))
      .description(
        'List what is in the recycle bin, oldest deletion first: yours, or everyone’s with\n' +
          'bin.manage. Piped, one tab-separated line per entry (bin id, type, id, title, deleted\n' +
          'at, by, operation), for grep and cut. --search finds a title or name (part of it), a\n' +
          'phone in any spelling, or an email (the item’s own, or its contact’s or company’s when\n' +
          'it was deleted).',
      )
      .option(
        '--type <type>',
        'only this type: item, contact, company, or an item type (deal, lead …)',
      )
      .option('--deleted-by <login>', 'only what this user deleted (others’ need bin.manage)')
      .option('--since <time>', 'deleted at or after this time (ISO, or a duration such as 7d)')
      .option('--until <time>', 'deleted at or before this time (ISO, or a duration such as 7d)')
      .option('--older-than <duration>', 'deleted more than this long ago, e.g. 30d')
      .option('--operation <op>', 'deleted by this operation')
      .option('--search <text>', 'title or name, phone (any spelling) or email')
      .option('--country <code>', 'country for a --search phone in national format'),
    binView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl recycle-bin list',
        'crmctl recycle-bin list --search "020 7946 0958"',
        'crmctl recycle-bin list --type deal --deleted-by anna --since 7d --json',
        'crmctl recycle-bin list --older-than 30d | wc -l',
      ),
    )
    .action(async (options) => {
      const session = ctx.session();
      await printList(ctx, listBin(session, binFilters(ctx, options)), options, binView);
    });
}
