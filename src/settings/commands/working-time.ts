import type { Command } from '@commander-js/extra-typings';
import { describeDays } from '../../calendar/working-time.js';
import type { Context } from '../../cli/context.js';
import { printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { collect, examples } from '../../cli/parse.js';
import { printChange } from '../../cli/result.js';
import { setWorkingTime, workingTimeSetting } from '../working-time.js';

export const workingTimeView: View = {
  fields: ['days', 'from', 'to', 'timeZone', 'holidays', 'isDefault', 'summary'],
  columns: ['days', 'from', 'to', 'timeZone', 'holidays'],
  cells: { days: (value) => describeDays(value as string[]) },
};

export function settingsWorkingTime(settings: Command, ctx: Context): void {
  withOutputOptions(
    settings
      .command('working-time')
      .description(
        `Show the working-time calendar, or change it with flags (needs users.manage): the days
        and hours that are working time, in a time zone, less holidays. Rules with
        --working-hours wait for it; telephony's auto-block counts only calls outside it`,
      )
      .option(
        '--days <days>',
        'working days: a range, a list or both (mon-fri, sun-thu, mon,wed,fri)',
      )
      .option('--from <HH:MM>', 'start of the working day, 24-hour, such as 09:00')
      .option(
        '--to <HH:MM>',
        'end of the working day, itself not working time, such as 19:00 (24:00: midnight)',
      )
      .option(
        '--tz <zone>',
        'IANA time zone the days and hours are in, such as Europe/London (at first UTC)',
      )
      .option(
        '--holiday <YYYY-MM-DD>',
        'a date with no working time, added to the holidays (repeatable)',
        collect,
      )
      .option('--clear-holidays', 'remove every holiday first (--holiday then adds)')
      .option(
        '--reset',
        'back to mon-fri 09:00-19:00 UTC with no holidays; other flags then apply',
      ),
    workingTimeView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl settings working-time',
        'crmctl settings working-time --days mon-fri --from 09:00 --to 19:00 --tz Europe/London',
        'crmctl settings working-time --holiday 2026-12-25 --holiday 2026-12-28',
        'crmctl settings working-time --json',
      ),
    )
    .action(async (options) => {
      const change = {
        days: options.days,
        from: options.from,
        to: options.to,
        tz: options.tz,
        holidays: options.holiday,
        clearHolidays: options.clearHolidays === true,
        reset: options.reset === true,
      };
      const changing = Object.values(change).some(
        (value) => value !== undefined && value !== false,
      );
      if (!changing) {
        ctx.onlyReads = true;
        const session = ctx.session('items.view');
        await printRecord(ctx, { ...workingTimeSetting(session) }, options, workingTimeView);
        return;
      }
      const session = ctx.session('users.manage');
      const { setting, changed } = session.write(() => setWorkingTime(session, change));
      await printChange(ctx, options, { ...setting }, workingTimeView, {
        id: setting.summary,
        note: changed
          ? `Working time is now ${setting.summary}`
          : `Working time unchanged: ${setting.summary}`,
      });
    });
}
