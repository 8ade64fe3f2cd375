import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseId } from '../../cli/parse.js';
import { printChange } from '../../cli/result.js';
import { ConflictError } from '../../errors.js';
import { DependentsError } from '../../undo/handler.js';
import { keptNote, undoImport } from '../undo.js';

const undoImportView: View = {
  fields: ['batchId', 'removed', 'commentsRestored', 'commentsKept', 'keptExamples'],
  columns: ['batchId', 'removed', 'commentsRestored', 'commentsKept'],
};

/** `exceptions undo-import BATCH`: `crmctl undo` of an import, in the import's own words. */
export function addUndoImport(exceptions: Command, ctx: Context): void {
  withOutputOptions(
    exceptions
      .command('undo-import')
      .description(
        'Remove exactly what an import added (not entries listed before it) and restore comments it overwrote (needs exceptions.edit)',
      )
      .argument('<batch>', 'the batch id an import printed')
      .option(
        '--force',
        'also when a later import changed the comments of entries this one added (they go too)',
      ),
    undoImportView,
  )
    .addHelpText(
      'after',
      '\nA comment a later import changed since is left as that import set it; undoing that\n' +
        'import then puts back what was there before both. Entries this import added whose\n' +
        'comment a later import changed are refused (exit 5, naming it) unless --force.\n' +
        'crmctl undo BATCH does the same, and also refuses when a later remove took entries\n' +
        'this import added.\n' +
        examples('crmctl exceptions undo-import 12'),
    )
    .action(async (batch, options) => {
      const session = ctx.session('exceptions.edit');
      const id = parseId(batch, 'batch');
      let result: ReturnType<typeof undoImport>;
      try {
        result = session.write(() => undoImport(session, id, { force: options.force === true }));
      } catch (error) {
        if (error instanceof DependentsError)
          throw new ConflictError(
            `${error.message}, or add --force to remove those entries anyway`,
          );
        throw error;
      }
      await printChange(ctx, options, { ...result }, undoImportView, {
        id: result.removed,
        note: `Undid import ${result.batchId}: removed ${result.removed} entries, restored ${result.commentsRestored} comments`,
      });
      if (result.commentsKept > 0) ctx.note(keptNote(result));
    });
}
