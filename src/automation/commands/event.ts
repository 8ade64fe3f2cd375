import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseId } from '../../cli/parse.js';
import { printResult } from '../../cli/result.js';
import { UsageError } from '../../errors.js';
import { type EventTarget, fireEvent } from '../events.js';
import { triggerEventNames } from '../triggers.js';
import { collectParam } from './shared.js';

const fireView: View = {
  fields: ['event', 'items', 'operationId'],
  columns: ['event', 'items', 'operationId'],
};

export function eventCommand(program: Command, ctx: Context): void {
  withOutputOptions(
    program
      .command('event')
      .description(
        'Fire an event for an item (or every open item of a contact or company), as a customer or\n' +
          'an outside system would (needs items.edit); the triggers waiting for it move the item',
      )
      .argument('<event>', `one of ${triggerEventNames.join(', ')}`)
      .option('--item <id>', 'the item')
      .option('--contact <id>', 'each open item of this contact')
      .option('--company <id>', 'each open item of this company')
      .option(
        '--param <name=value>',
        'what the event carries (see crmctl trigger events)',
        collectParam,
      ),
    fireView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl event payment-received --item 42 --param amount=500',
        'crmctl event email-opened --contact 7',
        'crmctl event webhook --item 42 --param code=reopen',
      ),
    )
    .action(async (name, options) => {
      const given = [options.item, options.contact, options.company].filter((v) => v !== undefined);
      if (given.length !== 1) {
        throw new UsageError(
          'say who the event is about: one of --item ID, --contact ID, --company ID',
        );
      }
      const target: EventTarget =
        options.item !== undefined
          ? { item: parseId(options.item, '--item') }
          : options.contact !== undefined
            ? { contact: parseId(options.contact, '--contact') }
            : { company: parseId(options.company ?? '', '--company') };
      const session = ctx.session('items.edit');
      const fired = session.write(() => fireEvent(session, name, target, options.param ?? {}));
      await printResult(
        ctx,
        options,
        { ...fired, operationId: session.operationId },
        fireView,
        () => {
          ctx.note(
            `Fired ${fired.event} for ${fired.items.length} item(s)${fired.items.length ? `: ${fired.items.join(', ')}` : ''}`,
          );
        },
      );
    });
}
