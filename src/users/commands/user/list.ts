import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { printList, withOutputOptions } from '../../../cli/output.js';
import { examples, withPaging } from '../../../cli/parse.js';
import { listUsers } from '../../service.js';
import { userView } from '../shared.js';

export function userList(user: Command, ctx: Context): void {
  withOutputOptions(withPaging(user.command('list').description('List users')), userView)
    .addHelpText(
      'after',
      examples('crmctl user list', 'crmctl user list --json --fields login,role'),
    )
    .action(async (options) => {
      const session = ctx.session();
      await printList(ctx, listUsers(session, options), options, userView);
    });
}
