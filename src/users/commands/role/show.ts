import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { printRecord, withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { getRole } from '../../service.js';
import { roleView } from '../shared.js';

export function roleShow(role: Command, ctx: Context): void {
  withOutputOptions(
    role.command('show').description('Show a role').argument('<name>', 'role name'),
    roleView,
  )
    .addHelpText('after', examples('crmctl role show supervisor'))
    .action(async (name, options) => {
      const session = ctx.session();
      await printRecord(ctx, getRole(session, name), options, roleView);
    });
}
