import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withFlagHints } from '../../../cli/flag-hints.js';
import { withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { printChange } from '../../../cli/result.js';
import { removePipelineMovingItems } from '../../../items/service.js';
import { moveItemsToHint, pipelineTypeHint, removedPipelineView, typeOption } from '../shared.js';

export function pipelineRemove(pipeline: Command, ctx: Context): void {
  withOutputOptions(
    pipeline
      .command('remove')
      .description('Remove a pipeline; items in it need --move-items-to (needs pipelines.edit)')
      .argument('<pipeline>', 'pipeline name or id')
      .addOption(typeOption())
      .option(
        '--move-items-to <pipeline>',
        'move its items here first: to the stage of the same name, else of the same kind',
      ),
    removedPipelineView,
  )
    .addHelpText(
      'after',
      examples('crmctl pipeline remove Wholesale --move-items-to Default --type deal'),
    )
    .action(
      withFlagHints([pipelineTypeHint, moveItemsToHint], async (ref, options) => {
        const session = ctx.session('pipelines.edit');
        const removed = session.write(() =>
          removePipelineMovingItems(session, ref, {
            type: options.type,
            moveItemsTo: options.moveItemsTo,
          }),
        );
        await printChange(ctx, options, removed, removedPipelineView, {
          id: removed.id,
          note: `Removed pipeline "${removed.name}"${removed.movedItems ? `; moved ${removed.movedItems} items` : ''}`,
        });
      }),
    );
}
