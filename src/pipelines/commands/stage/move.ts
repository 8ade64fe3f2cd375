import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withFlagHints } from '../../../cli/flag-hints.js';
import { printList, withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { UsageError } from '../../../errors.js';
import { moveStage } from '../../service.js';
import { pipelineOption, pipelineTypeHint, stageRef, stageView, typeOption } from '../shared.js';

export function stageMove(stage: Command, ctx: Context): void {
  withOutputOptions(
    stage
      .command('move')
      .description('Change the order of stages; final stages stay last (needs pipelines.edit)')
      .argument('<stage>', 'stage name or id')
      .addOption(pipelineOption())
      .addOption(typeOption())
      .option('--after <stage>', 'place it right after this stage')
      .option('--first', 'place it first'),
    stageView,
  )
    .addHelpText(
      'after',
      examples('crmctl stage move Delivery --after Prepayment --pipeline "Furniture store"'),
    )
    .action(
      withFlagHints([pipelineTypeHint], async (ref, options) => {
        if (!options.after && !options.first) {
          throw new UsageError('say where: --after STAGE or --first');
        }
        const session = ctx.session('pipelines.edit');
        const stages = session.write(() =>
          moveStage(session, { ...stageRef(ref, options), after: options.after }),
        );
        await printList(ctx, stages, options, {
          ...stageView,
          columns: ['id', 'position', 'name', 'semantic'],
        });
      }),
    );
}
