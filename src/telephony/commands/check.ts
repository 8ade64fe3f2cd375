import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { formatOf, printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseCountry } from '../../cli/parse.js';
import { ExitCode } from '../../errors.js';
import { checkBlacklist } from '../blacklist.js';

import { entryView, permission } from './shared.js';

export function addCheck(blacklist: Command, ctx: Context): void {
  const view: View = {
    fields: ['listed', 'number', 'expired', 'allowed', 'entry'],
    columns: ['listed', 'number', 'expired', 'allowed'],
  };
  withOutputOptions(
    blacklist
      .command('check')
      .description(
        'Is NUMBER blacklisted (and not expired)? Exit 0 when listed (prints the entry), 1 when not: like grep',
      )
      .argument('<number>', 'a phone number in any spelling')
      .option('--country <code>', 'country for a number in national format'),
    view,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl blacklist check "+44 20 7946 0018"',
        'if crmctl -q blacklist check 02079460018; then echo declined; fi',
      ),
    )
    .action(async (number, options) => {
      const session = ctx.session(permission);
      const result = checkBlacklist(session, number, parseCountry(options.country));
      if (formatOf(options) !== 'table' || options.fields) {
        await printRecord(ctx, { ...result }, options, view);
      } else if (!ctx.quiet) {
        if (result.entry) await printRecord(ctx, { ...result.entry }, options, entryView);
        if (!result.listed) {
          ctx.out(
            result.expired
              ? `${result.number} is not listed: its entry expired at ${result.entry?.expiresAt}`
              : `${result.number} is not listed`,
          );
        }
      }
      ctx.exitCode = result.listed ? ExitCode.ok : ExitCode.notListed;
    });
}
