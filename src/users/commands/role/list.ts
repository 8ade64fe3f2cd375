import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { printList, withOutputOptions } from '../../../cli/output.js';
import { examples, withPaging } from '../../../cli/parse.js';
import { listRoles } from '../../service.js';
import { roleView } from '../shared.js';

export function roleList(role: Command, ctx: Context): void {
  withOutputOptions(
    withPaging(role.command('list').description('List roles with their permissions')),
    roleView,
  )
    .addHelpText('after', examples('crmctl role list', 'crmctl role list -o json'))
    .action(async (options) => {
      const session = ctx.session();
      await printList(ctx, listRoles(session, options), options, roleView);
    });
}
