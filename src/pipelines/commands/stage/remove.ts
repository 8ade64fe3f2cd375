import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withFlagHints } from '../../../cli/flag-hints.js';
import { withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { printChange } from '../../../cli/result.js';
import { removeStageMovingItems } from '../../../items/service.js';
import {
  moveItemsToHint,
  pipelineOption,
  pipelineTypeHint,
  stageRef,
  stageView,
  typeOption,
} from '../shared.js';

export function stageRemove(stage: Command, ctx: Context): void {
  withOutputOptions(
    stage
      .command('remove')
      .description('Remove a stage; items in it need --move-items-to (needs pipelines.edit)')
      .argument('<stage>', 'stage name or id')
      .addOption(pipelineOption())
      .addOption(typeOption())
      .option('--move-items-to <stage>', 'move its items to this stage of the same pipeline first'),
    stageView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl stage remove "Final invoice" --pipeline "Furniture store" --move-items-to Won',
      ),
    )
    .action(
      withFlagHints([pipelineTypeHint, moveItemsToHint], async (ref, options) => {
        const session = ctx.session('pipelines.edit');
        const removed = session.write(() =>
          removeStageMovingItems(session, {
            ...stageRef(ref, options),
            moveItemsTo: options.moveItemsTo,
          }),
        );
        await printChange(ctx, options, removed, stageView, {
          id: removed.id,
          note: `Removed stage "${removed.name}"${removed.items ? `; moved ${removed.items} items` : ''}`,
        });
      }),
    );
}
