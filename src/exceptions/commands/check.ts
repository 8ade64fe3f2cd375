import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { formatOf, printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseCountry } from '../../cli/parse.js';
import { ExitCode } from '../../errors.js';
import { checkException } from '../service.js';
import { entryView } from './shared.js';

const checkView: View = {
  fields: ['listed', 'value', 'type', 'entry', 'blocks'],
  columns: ['listed', 'value', 'type', 'blocks'],
};

/** `exceptions check VALUE`: exit 0 when listed, 1 when not, like grep. */
export function addCheck(exceptions: Command, ctx: Context): void {
  withOutputOptions(
    exceptions
      .command('check')
      .description(
        'Is VALUE listed? Exit 0 when listed (prints the entry and what it blocks), 1 when not: like grep',
      )
      .argument('<value>', 'a phone (any spelling) or email')
      .option('--country <code>', 'country for a number in national format'),
    checkView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl exceptions check "+44 20 7946 0958"',
        'if crmctl exceptions check offers@spam.example -q; then echo blocked; fi',
      ),
    )
    .action(async (value, options) => {
      const session = ctx.session('exceptions.view');
      const result = checkException(session, value, parseCountry(options.country));
      if (formatOf(options) !== 'table' || options.fields) {
        await printRecord(ctx, { ...result }, options, checkView);
      } else if (result.entry) {
        if (!ctx.quiet) {
          await printRecord(ctx, { ...result.entry, blocks: result.blocks }, options, {
            ...entryView,
            fields: [...entryView.fields, 'blocks'],
          });
        }
      } else if (!ctx.quiet) {
        ctx.out(`${result.value} is not listed`);
      }
      ctx.exitCode = result.listed ? ExitCode.ok : ExitCode.notListed;
    });
}
