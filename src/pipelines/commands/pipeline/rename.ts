import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withFlagHints } from '../../../cli/flag-hints.js';
import { withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { printChange } from '../../../cli/result.js';
import { renamePipeline } from '../../service.js';
import { pipelineTypeHint, pipelineView, typeOption } from '../shared.js';

export function pipelineRename(pipeline: Command, ctx: Context): void {
  withOutputOptions(
    pipeline
      .command('rename')
      .description('Rename a pipeline (needs pipelines.edit)')
      .argument('<pipeline>', 'pipeline name or id')
      .argument('<new-name>', 'new name')
      .addOption(typeOption()),
    pipelineView,
  )
    .addHelpText('after', examples('crmctl pipeline rename Wholesale "Wholesale B2B"'))
    .action(
      withFlagHints([pipelineTypeHint], async (ref, newName, options) => {
        const session = ctx.session('pipelines.edit');
        const renamed = session.write(() => renamePipeline(session, ref, newName, options.type));
        await printChange(ctx, options, { ...renamed }, pipelineView, {
          id: renamed.id,
          note: `Renamed to "${renamed.name}"`,
        });
      }),
    );
}
