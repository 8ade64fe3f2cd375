import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printList, type View, withOutputOptions } from '../../cli/output.js';
import { examples, withPaging } from '../../cli/parse.js';
import { listOperations } from '../../operations/service.js';

const batchView: View = {
  fields: ['id', 'at', 'actor', 'summary', 'undoneAt'],
  columns: ['id', 'at', 'actor', 'summary', 'undoneAt'],
  cells: {
    summary: (v) => {
      const s = (v ?? {}) as Record<string, unknown>;
      return `${s.lines ?? 0} lines: ${s.added ?? 0} added, ${s.duplicates ?? 0} duplicates, ${s.updated ?? 0} updated, ${s.rejected ?? 0} rejected`;
    },
  },
};

/** `exceptions batches`: the imports, from the operations ledger. */
export function addBatches(exceptions: Command, ctx: Context): void {
  withOutputOptions(
    withPaging(exceptions.command('batches').description('List import batches with their counts')),
    batchView,
  )
    .addHelpText('after', examples('crmctl exceptions batches', 'crmctl exceptions batches --json'))
    .action(async (options) => {
      const session = ctx.session('exceptions.view');
      await printList(
        ctx,
        listOperations(session, {
          kind: 'exceptions-import',
          limit: options.limit,
          offset: options.offset,
        }),
        options,
        batchView,
      );
    });
}
