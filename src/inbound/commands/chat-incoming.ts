import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { withOutputOptions } from '../../cli/output.js';
import { examples } from '../../cli/parse.js';
import { receiveChat } from '../service.js';
import { receiveAndPrint, resultView } from './receive.js';

/** `chat incoming`: a chat message arrives. */
export function registerChatIncoming(chat: Command, ctx: Context) {
  withOutputOptions(
    chat
      .command('incoming')
      .description('A chat message arrives (needs items.edit); prints the item id')
      .addOption(new Option('--from <phone-or-email>', 'who is chatting').makeOptionMandatory())
      .option('--text <text>', 'the message')
      .option('--country <code>', 'country for a national --from number'),
    resultView,
  )
    .addHelpText(
      'after',
      examples('crmctl chat incoming --from olivia@example.co.uk --text "Hello"'),
    )
    .action((options) =>
      receiveAndPrint(ctx, options, { sender: '--from' }, (session) =>
        receiveChat(session, { from: options.from, text: options.text, country: options.country }),
      ),
    );
}
