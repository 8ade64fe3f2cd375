import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { checkCommentFlag } from '../../cli/import.js';
import { formatOf, printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseCountry } from '../../cli/parse.js';
import { ExitCode } from '../../errors.js';
import { addToBlacklist } from '../blacklist.js';

import { parseExpires, permission, reportRejected } from './shared.js';

export function addAdd(blacklist: Command, ctx: Context): void {
  const view: View = {
    fields: ['operationId', 'added', 'duplicates', 'rejected', 'allowed'],
    columns: ['operationId', 'added', 'duplicates', 'rejected'],
  };
  withOutputOptions(
    blacklist
      .command('add')
      .description(
        'Blacklist numbers, each NUMBER or "NUMBER;comment", in any spelling (needs telephony.settings);\n' +
          'calls from them are declined. Exit 3 if any was rejected.',
      )
      .argument('<numbers...>', 'phone numbers')
      .option('--comment <text>', 'comment for numbers given without one')
      .option('--country <code>', 'country for numbers in national format')
      .option(
        '--expires <when>',
        'stop declining after a duration (7d, 12h) or at a time (ISO-8601)',
      ),
    view,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl blacklist add "+44 20 7946 0018;robocaller"',
        'crmctl blacklist add 02079460018 --country GB --expires 7d --comment "repeated calls"',
      ),
    )
    .action(async (numbers, options) => {
      const session = ctx.session(permission);
      const country = parseCountry(options.country);
      checkCommentFlag(options.comment);
      const expiresAt = parseExpires(options.expires, session);
      const result = session.write(() =>
        addToBlacklist(session, { entries: numbers, comment: options.comment, country, expiresAt }),
      );
      for (const rejected of result.rejected) reportRejected(ctx, rejected);
      for (const duplicate of result.duplicates)
        ctx.note(`${duplicate.existing.number} is already listed`);
      for (const number of result.allowed)
        ctx.note(
          `warning: ${number} is allow-listed (never auto-blocked); listed by hand, its calls are declined`,
        );
      if (formatOf(options) !== 'table' || options.fields) {
        await printRecord(ctx, { ...result, duplicates: result.duplicates.length }, options, view);
      } else {
        for (const entry of result.added) ctx.out(entry.number);
        ctx.note(
          `Added ${result.added.length}, ${result.duplicates.length} already listed, ${result.rejected.length} rejected`,
        );
      }
      if (result.rejected.length > 0) ctx.exitCode = ExitCode.someRejected;
    });
}
