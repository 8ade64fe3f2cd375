import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printList, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseCountry, parseSinceFlag, withPaging } from '../../cli/parse.js';
import { callStatuses } from '../decide.js';

import { asFlag, services } from './shared.js';

const callView: View = {
  fields: [
    'id',
    'at',
    'from',
    'line',
    'duration',
    'status',
    'code',
    'statusText',
    'declinedBy',
    'outsideWorkingTime',
    'itemId',
    'crm',
    'reason',
  ],
  columns: ['at', 'from', 'line', 'duration', 'status', 'code', 'itemId', 'reason'],
};

export function addLog(call: Command, ctx: Context): void {
  withOutputOptions(
    withPaging(
      call
        .command('log')
        .description(
          'The call log, oldest first (needs items.view): number, line, time, duration, status and code\n' +
            '(200 answered, 304 missed, 423 Hungup call by blacklist), the item it was saved to or why not',
        )
        .option('--from <number>', 'calls from this number, any spelling')
        .addOption(
          new Option('--status <status>', 'answered, missed or declined').choices(callStatuses),
        )
        .option('--since <time>', 'at or after (ISO-8601, or 7d …)')
        .option('--until <time>', 'before (ISO-8601, or 7d …)')
        .option('--country <code>', 'country for a national --from number'),
    ),
    callView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl call log --status declined',
        'crmctl call log --from "020 7946 0018" --country GB --json',
      ),
    )
    .action(async (options) => {
      const session = ctx.session('items.view');
      const { listCalls } = await services();
      let entries: ReturnType<typeof listCalls>;
      try {
        entries = listCalls(session, {
          from: options.from,
          country: parseCountry(options.country),
          status: options.status,
          since: parseSinceFlag(options.since, '--since', ctx.clock),
          until: parseSinceFlag(options.until, '--until', ctx.clock),
          limit: options.limit,
          offset: options.offset,
        });
      } catch (error) {
        throw asFlag(error, '--from');
      }
      await printList(ctx, entries, options, callView);
    });
}
