import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printList, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseSinceFlag, withPaging } from '../../cli/parse.js';
import type { Channel } from '../decide.js';
import { communicationStatuses, listCommunications } from '../service.js';

const communicationView: View = {
  fields: [
    'id',
    'channel',
    'at',
    'from',
    'subject',
    'messageId',
    'inReplyTo',
    'status',
    'itemId',
    'reason',
  ],
  columns: ['at', 'channel', 'from', 'status', 'itemId', 'reason'],
};

/** `<channel> log`: the communication log of one channel. */
export function registerLog(group: Command, ctx: Context, channel: Channel) {
  withOutputOptions(
    withPaging(
      group
        .command('log')
        .description(
          `The communication log of inbound ${channel}s, saved to the CRM or not (why one was not saved is shown only with exceptions.view)`,
        )
        .addOption(
          new Option(
            '--status <status>',
            'saved, blocked (by the exceptions list: not saved to the CRM) or declined (a call that never connected)',
          ).choices(communicationStatuses),
        )
        .option('--since <time>', 'at or after (ISO-8601, or 7d …)'),
    ),
    communicationView,
  )
    .addHelpText(
      'after',
      examples(`crmctl ${channel} log`, `crmctl ${channel} log --status blocked --json`),
    )
    .action(async (options) => {
      const session = ctx.session('items.view');
      const entries = listCommunications(session, {
        channel,
        status: options.status,
        since: parseSinceFlag(options.since, '--since', ctx.clock),
        limit: options.limit,
        offset: options.offset,
      });
      await printList(ctx, entries, options, communicationView);
    });
}
