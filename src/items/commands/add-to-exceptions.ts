import type { Command } from '@commander-js/extra-typings';
import { addItemToExceptions } from '../../bin/add-to-exceptions.js';
import { printOperation } from '../../bin/commands/shared.js';
import type { Context } from '../../cli/context.js';
import { type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseId } from '../../cli/parse.js';
import { authorize } from '../../users/service.js';

const addedView: View = {
  fields: ['operationId', 'dryRun', 'itemId', 'values', 'added', 'duplicates', 'deleted', 'kept'],
  columns: ['operationId', 'dryRun', 'itemId', 'values'],
};

export function itemAddToExceptions(item: Command, ctx: Context): void {
  withOutputOptions(
    item
      .command('add-to-exceptions')
      .description(
        'The item form’s "Add to exceptions": put the phones and emails of a lead (its own) or of a\n' +
          'deal’s contact and company on the exceptions list (source item), then move the item to\n' +
          'the recycle bin, with a deal’s contact when it has no other items and no other company,\n' +
          'and its company when it has no other items and no other contact. Exit 5 when there is\n' +
          'no phone or email to add. One operation: crmctl undo OP takes it all back (only the\n' +
          'entries it added come off the list). Needs items.delete and exceptions.edit.',
      )
      .argument('<id>', 'item id')
      .option('--comment <text>', 'the entries’ comment (default: names the item)')
      .option('--dry-run', 'do it, report it, and roll it back'),
    addedView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl item add-to-exceptions 42',
        'crmctl item add-to-exceptions 42 --dry-run --json',
      ),
    )
    .action(async (idArg, options) => {
      const id = parseId(idArg, 'ID');
      const session = ctx.session('items.delete');
      authorize(session, 'exceptions.edit');
      const dryRun = options.dryRun === true;
      const result = session.write(
        () => {
          authorize(session, 'exceptions.edit');
          return addItemToExceptions(session, id, { source: 'item', comment: options.comment });
        },
        { dryRun },
      );
      const operationId = session.operationId;
      const gone = result.deleted.map((d) => `${d.kind} ${d.entityId}`).join(', ');
      const listed = `${result.added.length} of ${result.values.length} value(s) added to the exceptions list${
        result.duplicates.length > 0 ? ` (${result.duplicates.length} listed already)` : ''
      }`;
      const note = dryRun
        ? `Would have: ${listed}; moved ${gone} to the recycle bin (nothing was changed)`
        : `${listed}; moved ${gone} to the recycle bin (operation ${operationId}: crmctl undo ${operationId} takes it all back)`;
      await printOperation(ctx, options, { ...result, operationId, dryRun }, addedView, {
        id: operationId,
        note,
      });
      for (const kept of result.kept) ctx.note(`${kept.kind} ${kept.id} stays: ${kept.reason}`);
    });
}
