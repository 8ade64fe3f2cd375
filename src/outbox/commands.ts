import { Option } from '@commander-js/extra-typings';
import { printList, printRecord, type View, withOutputOptions } from '../cli/output.js';
import { examples, parseId, parseSinceFlag, withPaging } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { channels, getMessage, listMessages } from './service.js';

export const messageView: View = {
  fields: ['id', 'channel', 'to', 'subject', 'text', 'itemId', 'ruleId', 'createdAt', 'createdBy'],
  columns: ['id', 'channel', 'to', 'subject', 'itemId', 'ruleId', 'createdAt'],
};

/** The `outbox` noun: what the automation's send-sms and send-email queued. */
export const commands: CommandModule['commands'] = {
  outbox(program, ctx) {
    const outbox = program
      .command('outbox')
      .description(
        'The SMS and emails the automation queued for customers (send-sms, send-email): kept in\n' +
          'the store, never sent to the outside world',
      )
      .addHelpText(
        'after',
        examples('crmctl outbox list --item 42', 'crmctl outbox show 7 --json'),
      );

    withOutputOptions(
      withPaging(
        outbox
          .command('list')
          .description('List queued messages, oldest first (needs items.view)')
          .option('--item <id>', 'only messages about this item')
          .addOption(new Option('--channel <channel>', 'only sms or email').choices(channels))
          .option('--since <time>', 'queued at or after (ISO-8601, or 7d, 12h …)'),
      ),
      messageView,
    )
      .addHelpText(
        'after',
        examples(
          'crmctl outbox list --channel sms --since 1d',
          'crmctl outbox list --item 42 --json',
        ),
      )
      .action(async (options) => {
        const session = ctx.session('items.view');
        const messages = listMessages(session, {
          itemId: options.item === undefined ? undefined : parseId(options.item, '--item'),
          channel: options.channel,
          since: parseSinceFlag(options.since, '--since', ctx.clock),
          limit: options.limit,
          offset: options.offset,
        });
        await printList(ctx, messages, options, messageView);
      });

    withOutputOptions(
      outbox
        .command('show')
        .description('Show one queued message with its whole text (needs items.view)')
        .argument('<id>', 'message id'),
      messageView,
    )
      .addHelpText('after', examples('crmctl outbox show 7', 'crmctl outbox show 7 --fields text'))
      .action(async (id, options) => {
        const session = ctx.session('items.view');
        await printRecord(ctx, getMessage(session, parseId(id)), options, messageView);
      });
  },
};
