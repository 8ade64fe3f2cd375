import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../cli/context.js';
import {
  formatOf,
  type OutputOptions,
  printList,
  printRecord,
  type View,
  withOutputOptions,
} from '../cli/output.js';
import { examples, withPaging } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { parseSince } from '../clock.js';
import { UsageError } from '../errors.js';
import type { Session } from '../session.js';
import type { Channel } from './decide.js';
import {
  communicationStatuses,
  type InboundField,
  type InboundResult,
  InboundValueError,
  listCommunications,
  receiveChat,
  receiveEmail,
  submitForm,
  withheldReason,
} from './service.js';

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

const resultView: View = {
  fields: ['decision', 'communication', 'item'],
  columns: ['decision', 'communication', 'item'],
};

async function printInbound(ctx: Context, options: OutputOptions, result: InboundResult) {
  if (formatOf(options) !== 'table' || options.fields) {
    await printRecord(ctx, { ...result }, options, resultView);
    return;
  }
  const { communication } = result;
  if (communication.itemId !== null) ctx.out(String(communication.itemId));
  ctx.note(
    communication.reason === withheldReason
      ? 'Not saved to the CRM'
      : `${outcomeOf[communication.status]}: ${communication.reason}`,
  );
}

const outcomeOf: Record<InboundResult['communication']['status'], string> = {
  saved: 'Saved',
  blocked: 'Not saved',
  declined: 'Declined',
};

/** The service names the value that cannot be used; the command names the flag it came from. */
function receiveNaming(
  session: Session,
  flags: Partial<Record<InboundField, string>>,
  receive: () => InboundResult,
): InboundResult {
  try {
    return session.write(receive);
  } catch (error) {
    const flag = error instanceof InboundValueError ? flags[error.field] : undefined;
    throw flag ? new UsageError(`${flag}: ${(error as InboundValueError).problem}`) : error;
  }
}

function registerLog(command: Command, ctx: Context, channel: Channel) {
  withOutputOptions(
    withPaging(
      command
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
        since:
          options.since === undefined ? undefined : parseSince(options.since, '--since', ctx.clock),
        limit: options.limit,
        offset: options.offset,
      });
      await printList(ctx, entries, options, communicationView);
    });
}

export const commands: CommandModule['commands'] = {
  email(program, ctx) {
    const email = program
      .command('email')
      .description(
        'Simulate inbound email: a new email from a listed address creates nothing; replies to saved threads are kept',
      )
      .addHelpText(
        'after',
        examples(
          'crmctl email incoming --from anna@example.com --subject "Sofa price?"',
          'crmctl email log --status blocked',
        ),
      );

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
      .action(async (options) => {
        const session = ctx.session('items.edit');
        const result = receiveNaming(session, { sender: '--from' }, () =>
          receiveEmail(session, {
            from: options.from,
            subject: options.subject,
            messageId: options.messageId,
            inReplyTo: options.inReplyTo,
          }),
        );
        await printInbound(ctx, options, result);
      });
    registerLog(email, ctx, 'email');
  },

  form(program, ctx) {
    const form = program
      .command('form')
      .description(
        'Simulate CRM web-form submissions: they always create a lead (the exceptions list does not apply)',
      )
      .addHelpText(
        'after',
        examples('crmctl form submit --name "Olivia Brown" --phone "020 7946 0958"'),
      );

    withOutputOptions(
      form
        .command('submit')
        .description('A CRM form is submitted (needs items.edit): creates a lead; prints its id')
        .addOption(new Option('--name <name>', 'the name given').makeOptionMandatory())
        .option('--phone <phone>', 'phone given, any spelling')
        .option('--email <email>', 'email given')
        .option('--country <code>', 'country for a national --phone'),
      resultView,
    )
      .addHelpText(
        'after',
        examples('crmctl form submit --name "Olivia Brown" --email olivia@example.co.uk'),
      )
      .action(async (options) => {
        const session = ctx.session('items.edit');
        const result = receiveNaming(
          session,
          { name: '--name', phone: '--phone', email: '--email' },
          () =>
            submitForm(session, {
              name: options.name,
              phone: options.phone,
              email: options.email,
              country: options.country,
            }),
        );
        await printInbound(ctx, options, result);
      });
    registerLog(form, ctx, 'form');
  },

  chat(program, ctx) {
    const chat = program
      .command('chat')
      .description(
        'Simulate inbound chats: attached to the sender’s open item or a new lead (the exceptions list does not apply)',
      )
      .addHelpText(
        'after',
        examples('crmctl chat incoming --from "+44 20 7946 0958" --text "Is the sofa in stock?"'),
      );

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
      .action(async (options) => {
        const session = ctx.session('items.edit');
        const result = receiveNaming(session, { sender: '--from' }, () =>
          receiveChat(session, {
            from: options.from,
            text: options.text,
            country: options.country,
          }),
        );
        await printInbound(ctx, options, result);
      });
    registerLog(chat, ctx, 'chat');
  },
};
