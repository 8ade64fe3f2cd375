import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples } from '../../cli/parse.js';
import { UsageError } from '../../errors.js';
import { getBinSettings, setRetentionDays } from '../service.js';

const settingsView: View = {
  fields: ['retentionDays', 'isDefault'],
  columns: ['retentionDays', 'isDefault'],
};

function parseDays(value: string): number {
  if (!/^\d{1,5}$/.test(value.trim()) || Number(value) < 1 || Number(value) > 36_500)
    throw new UsageError(
      `--retention-days takes a whole number of days from 1 to 36500, not "${value}"`,
    );
  return Number(value);
}

export function binSettings(bin: Command, ctx: Context): void {
  withOutputOptions(
    bin
      .command('settings')
      .description(
        'Show the recycle bin’s settings, or change them: --retention-days N (default 30) is how\n' +
          'long entries stay before crmctl cleanup purges them. Changing it needs bin.purge.',
      )
      .option('--retention-days <n>', 'days an entry stays in the bin', parseDays),
    settingsView,
  )
    .addHelpText(
      'after',
      examples('crmctl recycle-bin settings', 'crmctl recycle-bin settings --retention-days 90'),
    )
    .action(async (options) => {
      if (options.retentionDays === undefined) {
        ctx.onlyReads = true;
        await printRecord(ctx, getBinSettings(ctx.session()), options, settingsView);
        return;
      }
      const days = options.retentionDays;
      const session = ctx.session('bin.purge');
      const settings = session.write(() => setRetentionDays(session, days));
      await printRecord(ctx, settings, options, settingsView);
    });
}
