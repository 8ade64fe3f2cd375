import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withFlagHints } from '../../../cli/flag-hints.js';
import { withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { printChange } from '../../../cli/result.js';
import { addStage, type Semantic, semantics } from '../../service.js';
import { pipelineOption, pipelineTypeHint, stageView, typeOption } from '../shared.js';

export function stageAdd(stage: Command, ctx: Context): void {
  withOutputOptions(
    stage
      .command('add')
      .description('Add a stage (needs pipelines.edit)')
      .argument('<name>', 'stage name')
      .addOption(pipelineOption())
      .addOption(typeOption())
      .option(
        '--after <stage>',
        'place it after this stage (default: after the last process stage, or last for a failure stage)',
      )
      .addOption(
        new Option('--semantic <semantic>', 'process, success or failure')
          .choices(semantics)
          .default('process' as Semantic),
      ),
    stageView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl stage add "Measure room" --pipeline "Furniture store" --after New',
        'crmctl stage add Spam --pipeline "Furniture store" --semantic failure',
      ),
    )
    .action(
      withFlagHints([pipelineTypeHint], async (name, options) => {
        const session = ctx.session('pipelines.edit');
        const added = session.write(() =>
          addStage(session, {
            pipeline: options.pipeline,
            type: options.type,
            name,
            after: options.after,
            semantic: options.semantic,
          }),
        );
        await printChange(ctx, options, { ...added }, stageView, {
          id: added.id,
          note: `Added stage "${added.name}"`,
        });
      }),
    );
}
