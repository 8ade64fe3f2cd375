import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { escapeControls } from '../../cli/escape.js';
import {
  formatOf,
  printList,
  printRecord,
  type View,
  withOutputOptions,
} from '../../cli/output.js';
import { examples, parseCountry, parseSinceFlag, withPaging } from '../../cli/parse.js';
import { UsageError } from '../../errors.js';
import { callStatuses } from '../decide.js';
import { permission } from './entries.js';

const resultView: View = {
  fields: ['call', 'telephony', 'crm', 'communication', 'blacklisted', 'notified', 'event'],
  columns: ['call', 'telephony', 'crm', 'event'],
};

function parseSeconds(value: string): number {
  if (!/^\d{1,9}$/.test(value.trim()))
    throw new UsageError(`--duration takes a whole number of seconds, not "${value}"`);
  return Number(value);
}

/** The flag a caller's number came from, for the error when it is not one. */
function asFlag(error: unknown, flag: string): unknown {
  const problem = (error as { field?: unknown; problem?: unknown }).problem;
  return error instanceof UsageError && typeof problem === 'string'
    ? new UsageError(`${flag}: ${problem}`)
    : error;
}

/** The call services (inbound, items and all they need) load only in the commands that use them. */
const services = () => import('../calls.js');

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

const explainView: View = {
  fields: [
    'number',
    'at',
    'listed',
    'entry',
    'expired',
    'allowed',
    'workingTime',
    'settings',
    'window',
    'next',
  ],
  columns: ['number', 'at', 'listed', 'expired', 'allowed', 'workingTime', 'window', 'next'],
};

export function addExplain(blacklist: Command, ctx: Context): void {
  withOutputOptions(
    blacklist
      .command('explain')
      .description(
        'What a call from NUMBER would get now (or at --now T), and why (needs telephony.settings):\n' +
          'listed or not (since when, by whom, until when), allow-listed, working time, the calls\n' +
          'counted in the window and the threshold; decided by the same functions as call incoming',
      )
      .argument('<number>', 'a phone number in any spelling')
      .option('--country <code>', 'country for a number in national format'),
    explainView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl blacklist explain "+44 20 7946 0018"',
        'crmctl --now 2026-06-01T20:30:00Z blacklist explain 02079460018 --country GB --json',
      ),
    )
    .action(async (number, options) => {
      const session = ctx.session(permission);
      const { explainCall } = await services();
      let explained: ReturnType<typeof explainCall>;
      try {
        explained = explainCall(session, number, parseCountry(options.country));
      } catch (error) {
        throw asFlag(error, 'NUMBER');
      }
      if (formatOf(options) !== 'table' || options.fields) {
        await printRecord(ctx, { ...explained }, options, explainView);
        return;
      }
      const { entry, settings, window, next } = explained;
      const lines = [`${explained.number} at ${explained.at}`];
      lines.push(
        entry === null
          ? 'Blacklisted: no'
          : `Blacklisted: ${explained.listed ? 'yes' : `no, expired at ${entry.expiresAt}`} (${entry.source}, since ${entry.createdAt} by ${entry.createdBy}${explained.listed ? `, ${entry.expiresAt ? `until ${entry.expiresAt}` : 'permanently'}` : ''})`,
      );
      lines.push(`Allow-listed: ${explained.allowed ? 'yes (never auto-blocked)' : 'no'}`);
      lines.push(`Working time: ${explained.workingTime ? 'yes' : 'no'}`);
      lines.push(
        `Auto-block: ${settings.autoBlock ? `on, ${settings.calls} calls within ${settings.minutes} min outside working time, ${settings.banMinutes === null ? 'permanently' : `for ${settings.banMinutes} min`}` : 'off'}`,
      );
      if (window) {
        lines.push(`Calls counted since ${window.since}:`);
        for (const call of window.calls)
          lines.push(`  ${call.at}  ${call.counted ? 'counted' : 'not counted'}: ${call.why}`);
        lines.push(`  with the next call: ${window.total} of ${window.threshold}`);
      }
      lines.push(`Next call: ${next.telephony.verdict}: ${next.telephony.reason}`);
      const crm = next.crm.action === 'declined' ? next.crm.crm : next.crm;
      lines.push(
        `CRM: ${crm === null ? 'not saved (declined calls are not registered)' : `${crm.action}: ${crm.reason}`}`,
      );
      for (const line of lines) ctx.out(escapeControls(line));
    });
}
