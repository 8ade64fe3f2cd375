import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { printList, withOutputOptions } from '../../../cli/output.js';
import { examples, withPaging } from '../../../cli/parse.js';
import { listingOf } from '../../../listing.js';
import { listPipelines } from '../../service.js';
import { pipelineView, typeOption } from '../shared.js';

export function pipelineList(pipeline: Command, ctx: Context): void {
  withOutputOptions(
    withPaging(pipeline.command('list').description('List pipelines').addOption(typeOption())),
    pipelineView,
  )
    .addHelpText(
      'after',
      examples('crmctl pipeline list', 'crmctl pipeline list --type deal --json'),
    )
    .action(async (options) => {
      const session = ctx.session('items.view');
      await printList(
        ctx,
        listingOf(listPipelines(session, options.type), options),
        options,
        pipelineView,
      );
    });
}
