import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withFlagHints } from '../../../cli/flag-hints.js';
import { printList, withOutputOptions } from '../../../cli/output.js';
import { examples, withPaging } from '../../../cli/parse.js';
import { countItemsByStage } from '../../../items/service.js';
import { listingOf } from '../../../listing.js';
import { listStages } from '../../service.js';
import { pipelineOption, pipelineTypeHint, stageView, typeOption } from '../shared.js';

export function stageList(stage: Command, ctx: Context): void {
  withOutputOptions(
    withPaging(
      stage
        .command('list')
        .description('List the stages of a pipeline, with how many items each holds')
        .addOption(pipelineOption())
        .addOption(typeOption()),
    ),
    stageView,
  )
    .addHelpText('after', examples('crmctl stage list', 'crmctl stage list --type lead --json'))
    .action(
      withFlagHints([pipelineTypeHint], async (options) => {
        const session = ctx.session('items.view');
        const stages = listStages(session, options.pipeline, options.type);
        const counts = stages[0]
          ? countItemsByStage(session, stages[0].pipelineId)
          : new Map<number, number>();
        await printList(
          ctx,
          listingOf(
            stages.map((s) => ({ ...s, items: counts.get(s.id) ?? 0 })),
            options,
          ),
          options,
          stageView,
        );
      }),
    );
}
