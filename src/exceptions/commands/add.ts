import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { escapeControls } from '../../cli/escape.js';
import { checkCommentFlag } from '../../cli/import.js';
import { formatOf, printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseCountry } from '../../cli/parse.js';
import { ExitCode } from '../../errors.js';
import { addExceptions } from '../service.js';

const addView: View = {
  fields: ['operationId', 'added', 'duplicates', 'rejected'],
  columns: ['operationId', 'added', 'duplicates', 'rejected'],
};

/** `exceptions add VALUE[;comment]…`: prints the values it added, one per line. */
export function addAdd(exceptions: Command, ctx: Context): void {
  withOutputOptions(
    exceptions
      .command('add')
      .description(
        'Add phones and emails, each VALUE or "VALUE;comment" (needs exceptions.edit); exit 3 if any was rejected',
      )
      .argument('<values...>', 'phones and emails')
      .option('--comment <text>', 'comment for values given without one')
      .option('--country <code>', 'country for numbers in national format'),
    addView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl exceptions add "+44 20 7946 0958;printing supplier" offers@spam.example',
        'crmctl exceptions add 02079460958 --country GB --comment "cold caller"',
      ),
    )
    .action(async (values, options) => {
      const session = ctx.session('exceptions.edit');
      const country = parseCountry(options.country);
      checkCommentFlag(options.comment);
      const result = session.write(() =>
        addExceptions(session, { entries: values, comment: options.comment, country }),
      );
      for (const rejected of result.rejected)
        ctx.io.stderr.write(
          `${escapeControls(`${rejected.raw}: ${rejected.reason}: ${rejected.message}`)}\n`,
        );
      for (const duplicate of result.duplicates)
        ctx.note(`${duplicate.existing.value} is already listed`);
      if (formatOf(options) !== 'table' || options.fields) {
        await printRecord(
          ctx,
          {
            operationId: result.operationId,
            added: result.added,
            duplicates: result.duplicates.length,
            rejected: result.rejected,
          },
          options,
          addView,
        );
      } else {
        // The values added, one per line (none: nothing), then what happened to the rest.
        for (const entry of result.added) ctx.out(entry.value);
        ctx.note(
          `Added ${result.added.length}, ${result.duplicates.length} already listed, ${result.rejected.length} rejected`,
        );
      }
      if (result.rejected.length > 0) ctx.exitCode = ExitCode.someRejected;
    });
}
