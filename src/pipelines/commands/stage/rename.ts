import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withFlagHints } from '../../../cli/flag-hints.js';
import { withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { printChange } from '../../../cli/result.js';
import { renameStage } from '../../service.js';
import { pipelineOption, pipelineTypeHint, stageRef, stageView, typeOption } from '../shared.js';

export function stageRename(stage: Command, ctx: Context): void {
  withOutputOptions(
    stage
      .command('rename')
      .description('Rename a stage (needs pipelines.edit)')
      .argument('<stage>', 'stage name or id')
      .argument('<new-name>', 'new name')
      .addOption(pipelineOption())
      .addOption(typeOption()),
    stageView,
  )
    .addHelpText(
      'after',
      examples('crmctl stage rename "In progress" Delivery --pipeline "Furniture store"'),
    )
    .action(
      withFlagHints([pipelineTypeHint], async (ref, newName, options) => {
        const session = ctx.session('pipelines.edit');
        const renamed = session.write(() => renameStage(session, stageRef(ref, options), newName));
        await printChange(ctx, options, { ...renamed }, stageView, {
          id: renamed.id,
          note: `Renamed to "${renamed.name}"`,
        });
      }),
    );
}
