import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import {
  formatOf,
  printList,
  printRecord,
  type View,
  withOutputOptions,
} from '../../cli/output.js';
import { examples, parseCountry, withPaging } from '../../cli/parse.js';
import { UsageError } from '../../errors.js';
import {
  allowNumber,
  blacklistSettings,
  disallowNumber,
  listAllowed,
  setBlacklistSettings,
} from '../blacklist.js';
import type { BlacklistSettings } from '../decide.js';
import { permission } from './shared.js';

const settingsView: View = {
  fields: ['autoBlock', 'calls', 'minutes', 'notify', 'banMinutes', 'registerInCrm'],
  columns: ['autoBlock', 'calls', 'minutes', 'notify', 'banMinutes', 'registerInCrm'],
  cells: {
    autoBlock: (value) => (value ? 'on' : 'off'),
    registerInCrm: (value) => (value ? 'on' : 'off'),
    banMinutes: (value) => (value === null ? 'permanent' : String(value)),
    notify: (value) => (value === null ? '(nobody)' : String(value)),
  },
};

function onOff(value: string, flag: string): boolean {
  const word = value.trim().toLowerCase();
  if (word === 'on') return true;
  if (word === 'off') return false;
  throw new UsageError(`${flag} takes on or off, not "${value}"`);
}

function atLeastOne(value: string, flag: string): number {
  if (!/^\d{1,9}$/.test(value.trim()) || Number(value) < 1) {
    throw new UsageError(`${flag} takes a whole number of 1 or more, not "${value}"`);
  }
  return Number(value);
}

export function addSettings(blacklist: Command, ctx: Context): void {
  withOutputOptions(
    blacklist
      .command('settings')
      .description(
        'Show the blacklist settings, or change them with flags (needs telephony.settings). Auto-block:\n' +
          'outside working time, a number whose call makes N calls within M minutes is blacklisted\n' +
          '(source auto, for --ban-minutes or permanently) and the call is declined. Defaults: off, 5\n' +
          'calls, 5 minutes, nobody notified, permanent, declined calls not registered in the CRM.',
      )
      .option('--auto-block <on|off>', 'block numbers that call too often outside working time')
      .option('--calls <n>', 'N: calls that block a number (1 or more)')
      .option('--minutes <m>', 'M: within this many minutes (1 or more)')
      .option('--notify <login>', 'user told of each auto-block')
      .option('--no-notify', 'nobody is told')
      .option('--ban-minutes <b>', 'how long an auto-block lasts, in minutes, or "permanent"')
      .option('--register-in-crm <on|off>', 'save declined calls to the CRM too'),
    settingsView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl blacklist settings',
        'crmctl blacklist settings --auto-block on --calls 5 --minutes 5 --notify anna --ban-minutes 1440',
      ),
    )
    .action(async (options) => {
      const changes: Partial<BlacklistSettings> = {};
      if (options.autoBlock !== undefined)
        changes.autoBlock = onOff(options.autoBlock, '--auto-block');
      if (options.calls !== undefined) changes.calls = atLeastOne(options.calls, '--calls');
      if (options.minutes !== undefined) changes.minutes = atLeastOne(options.minutes, '--minutes');
      if (options.notify === false) changes.notify = null;
      else if (options.notify !== undefined) changes.notify = options.notify.trim();
      if (options.banMinutes !== undefined) {
        changes.banMinutes =
          options.banMinutes.trim().toLowerCase() === 'permanent'
            ? null
            : atLeastOne(options.banMinutes, '--ban-minutes');
      }
      if (options.registerInCrm !== undefined)
        changes.registerInCrm = onOff(options.registerInCrm, '--register-in-crm');
      if (Object.keys(changes).length === 0) ctx.onlyReads = true;
      const session = ctx.session(permission);
      let settings = blacklistSettings(session);
      if (Object.keys(changes).length > 0) {
        const result = session.write(() => setBlacklistSettings(session, changes));
        settings = result.settings;
        ctx.note(result.changed ? 'Blacklist settings changed' : 'Blacklist settings unchanged');
      }
      await printRecord(ctx, { ...settings }, options, settingsView);
    });
}

const allowedView: View = {
  fields: ['number', 'comment', 'createdAt', 'createdBy'],
  columns: ['number', 'comment', 'createdAt', 'createdBy'],
};

const allowView: View = {
  fields: ['number', 'added', 'listed'],
  columns: ['number', 'added', 'listed'],
};
const disallowView: View = { fields: ['number', 'removed'], columns: ['number', 'removed'] };

export function addAllow(blacklist: Command, ctx: Context): void {
  withOutputOptions(
    blacklist
      .command('allow')
      .description('Allow-list NUMBER: never auto-blocked (needs telephony.settings)')
      .argument('<number>', 'a phone number in any spelling')
      .option('--comment <text>', 'why')
      .option('--country <code>', 'country for a number in national format'),
    allowView,
  )
    .addHelpText(
      'after',
      examples('crmctl blacklist allow "+44 20 7946 0958" --comment "night porter"'),
    )
    .action(async (number, options) => {
      const session = ctx.session(permission);
      const country = parseCountry(options.country);
      const result = session.write(() =>
        allowNumber(session, number, { comment: options.comment, country }),
      );
      if (formatOf(options) !== 'table' || options.fields) {
        await printRecord(ctx, result, options, allowView);
        return;
      }
      ctx.out(result.number);
      ctx.note(
        result.added
          ? `${result.number} is allow-listed: never auto-blocked`
          : `${result.number} was allow-listed already`,
      );
      if (result.listed)
        ctx.note(
          `warning: ${result.number} is on the blacklist: its calls are declined until it is removed`,
        );
    });
}

export function addDisallow(blacklist: Command, ctx: Context): void {
  withOutputOptions(
    blacklist
      .command('disallow')
      .description(
        'Take NUMBER off the allow-list (needs telephony.settings); exit 4 if it was not on it',
      )
      .argument('<number>', 'a phone number in any spelling')
      .option('--country <code>', 'country for a number in national format'),
    disallowView,
  )
    .addHelpText('after', examples('crmctl blacklist disallow "+44 20 7946 0958"'))
    .action(async (number, options) => {
      const session = ctx.session(permission);
      const country = parseCountry(options.country);
      const result = session.write(() => disallowNumber(session, number, { country }));
      if (formatOf(options) !== 'table' || options.fields) {
        await printRecord(ctx, result, options, disallowView);
      } else {
        ctx.out(result.number);
        ctx.note(
          result.removed
            ? `${result.number} is no longer allow-listed`
            : `${result.number} was not allow-listed`,
        );
      }
      if (!result.removed) ctx.exitCode = 4;
    });
}

export function addAllowed(blacklist: Command, ctx: Context): void {
  withOutputOptions(
    withPaging(
      blacklist
        .command('allowed')
        .description(
          'List the allow-listed numbers, never auto-blocked (needs telephony.settings)',
        ),
    ),
    allowedView,
  )
    .addHelpText('after', examples('crmctl blacklist allowed --json'))
    .action(async (options) => {
      ctx.onlyReads = true;
      const session = ctx.session(permission);
      await printList(ctx, listAllowed(session, options), options, allowedView);
    });
}
