import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { withOutputOptions } from '../../cli/output.js';
import { examples } from '../../cli/parse.js';
import { receiveEmail } from '../service.js';
import { receiveAndPrint, resultView } from './receive.js';

/** `email incoming`: an email arrives. */
export function registerEmailIncoming(email: Command, ctx: Context) {
  withOutputOptions(
    email
      .command('incoming')
      .description(
        'An email arrives (needs items.edit): saved to the thread it replies to, else not saved when the\n' +
          'sender is on the exceptions list, else attached to the sender’s open item or a new lead. Prints the item id.',
      )
      .addOption(new Option('--from <address>', 'sender').makeOptionMandatory())
      .addOption(new Option('--subject <subject>', 'subject').makeOptionMandatory())
      .option('--message-id <id>', 'its Message-ID')
      .option('--in-reply-to <id>', 'the Message-ID it replies to'),
    resultView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl email incoming --from olivia@example.co.uk --subject "Table size" --message-id m1@example.co.uk',
        'crmctl email incoming --from olivia@example.co.uk --subject "Re: Table size" --in-reply-to m1@example.co.uk',
      ),
    )
    .action((options) =>
      receiveAndPrint(ctx, options, { sender: '--from' }, (session) =>
        receiveEmail(session, {
          from: options.from,
          subject: options.subject,
          messageId: options.messageId,
          inReplyTo: options.inReplyTo,
        }),
      ),
    );
}
