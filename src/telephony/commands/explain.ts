import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { escapeControls } from '../../cli/escape.js';
import { formatOf, printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseCountry } from '../../cli/parse.js';

import { asFlag, permission, services } from './shared.js';

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
