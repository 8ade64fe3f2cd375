import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { type FlagHint, withFlagHints } from '../../../cli/flag-hints.js';
import { withOutputOptions } from '../../../cli/output.js';
import { examples, splitList } from '../../../cli/parse.js';
import { printChange } from '../../../cli/result.js';
import { addPipeline, NoOpenStageError } from '../../service.js';
import { pipelineView, typeOption } from '../shared.js';

const stagesHint: FlagHint = (error) =>
  error instanceof NoOpenStageError
    ? '--stages needs at least one stage that is not final'
    : undefined;

export function pipelineAdd(pipeline: Command, ctx: Context): void {
  withOutputOptions(
    pipeline
      .command('add')
      .description('Add a pipeline (deals and smart processes may have many; needs pipelines.edit)')
      .argument('<name>', 'pipeline name')
      .addOption(typeOption().default('deal'))
      .option(
        '--stages <list>',
        'comma-separated stage names; mark finals as Name:success / Name:failure',
      ),
    pipelineView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl pipeline add "Furniture store" --type deal',
        'crmctl pipeline add Wholesale --stages "New,Quote sent,Won:success,Lost:failure,Spam:failure"',
      ),
    )
    .action(
      withFlagHints([stagesHint], async (name, options) => {
        const session = ctx.session('pipelines.edit');
        const added = session.write(() =>
          addPipeline(session, {
            type: options.type,
            name,
            stages: options.stages === undefined ? undefined : splitList(options.stages),
          }),
        );
        await printChange(ctx, options, { ...added }, pipelineView, {
          id: added.id,
          note: `Added ${added.type} pipeline "${added.name}" with stages ${added.stages.map((s) => s.name).join(' → ')}`,
        });
      }),
    );
}
