import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { printChange } from '../../../cli/result.js';
import { removeRole } from '../../service.js';
import { roleView } from '../shared.js';

export function roleRemove(role: Command, ctx: Context): void {
  withOutputOptions(
    role
      .command('remove')
      .description('Remove a custom role no user holds (needs users.manage)')
      .argument('<name>', 'role name'),
    roleView,
  )
    .addHelpText('after', examples('crmctl role remove support'))
    .action(async (name, options) => {
      const session = ctx.session('users.manage');
      const removed = session.write(() => removeRole(session, name));
      await printChange(ctx, options, { ...removed }, roleView, {
        id: removed.name,
        note: `Removed role ${removed.name}`,
      });
    });
}
