import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { printChange } from '../../../cli/result.js';
import { addType } from '../../service.js';
import { typeView } from '../shared.js';

export function typeAdd(type: Command, ctx: Context): void {
  withOutputOptions(
    type
      .command('add')
      .description('Add a smart process type, with a default pipeline (needs pipelines.edit)')
      .argument('<name>', 'lower-case name, e.g. delivery')
      .option('--title <title>', 'display title'),
    typeView,
  )
    .addHelpText('after', examples('crmctl type add delivery --title Deliveries'))
    .action(async (name, options) => {
      const session = ctx.session('pipelines.edit');
      const added = session.write(() => addType(session, { name, title: options.title }));
      await printChange(ctx, options, { ...added }, typeView, {
        id: added.name,
        note: `Added type ${added.name}`,
      });
    });
}
