import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { escapeControls } from '../../cli/escape.js';
import { formatOf, printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseCountry } from '../../cli/parse.js';
import { UsageError } from '../../errors.js';

import { asFlag, services } from './shared.js';

const resultView: View = {
  fields: ['call', 'telephony', 'crm', 'communication', 'blacklisted', 'notified', 'event'],
  columns: ['call', 'telephony', 'crm', 'event'],
};

function parseSeconds(value: string): number {
  if (!/^\d{1,9}$/.test(value.trim()))
    throw new UsageError(`--duration takes a whole number of seconds, not "${value}"`);
  return Number(value);
}

export function addIncoming(call: Command, ctx: Context): void {
  withOutputOptions(
    call
      .command('incoming')
      .description(
        'An inbound call arrives (needs items.edit), decided as DESIGN §4 says, in one unit of work:\n' +
          '(a) declined when blacklisted, or when it is the Nth call within M minutes outside working\n' +
          'time with auto-block on (the number is then blacklisted); (b) a call that rang, or a\n' +
          'declined one with register-in-crm on, attaches to the caller’s open item or starts a lead\n' +
          '(leads-from-calls on, not on the exceptions list); (c) call-incoming or call-missed fires for\n' +
          'the items it was saved to. Prints the item id; stderr says which branch was taken and why.',
      )
      .addOption(new Option('--from <number>', 'the caller, any spelling').makeOptionMandatory())
      .option('--to <line>', 'the line called')
      .option('--duration <seconds>', 'how long it lasted', parseSeconds)
      .option('--missed', 'nobody answered: fires call-missed')
      .option('--country <code>', 'country for a national --from number'),
    resultView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl call incoming --from "+44 20 7946 0018" --to "+44 20 7946 0000" --duration 45',
        'crmctl --now 2026-06-01T20:30:00Z call incoming --from 02079460018 --country GB --missed',
      ),
    )
    .action(async (options) => {
      const session = ctx.session('items.edit');
      const country = parseCountry(options.country);
      const { receiveIncomingCall } = await services();
      let result: ReturnType<typeof receiveIncomingCall>;
      try {
        result = session.write(() =>
          receiveIncomingCall(session, {
            from: options.from,
            to: options.to,
            duration: options.duration,
            missed: options.missed === true,
            country,
          }),
        );
      } catch (error) {
        throw asFlag(error, '--from');
      }
      if (formatOf(options) !== 'table' || options.fields) {
        await printRecord(ctx, { ...result }, options, resultView);
        return;
      }
      const { call: logged, telephony, crm } = result;
      if (logged.itemId !== null) ctx.out(String(logged.itemId));
      ctx.note(
        escapeControls(
          telephony.verdict === 'declined'
            ? `Declined (${telephony.code}, by the ${telephony.by}): ${telephony.reason}`
            : `Accepted (${logged.code} ${logged.statusText}): ${telephony.reason}`,
        ),
      );
      if (result.blacklisted) {
        ctx.note(
          `Blacklisted ${result.blacklisted.number} (auto) ${result.blacklisted.expiresAt ? `until ${result.blacklisted.expiresAt}` : 'permanently'}${result.notified ? `; told ${result.notified}` : ''}`,
        );
      }
      ctx.note(
        escapeControls(
          crm === null
            ? 'CRM: not saved (declined calls are not registered: blacklist settings --register-in-crm)'
            : `CRM: ${crm.action}: ${result.communication.reason}`,
        ),
      );
      if (result.event && result.event.itemIds.length > 0)
        ctx.note(`Event: ${result.event.name} for item ${result.event.itemIds.join(', ')}`);
    });
}
