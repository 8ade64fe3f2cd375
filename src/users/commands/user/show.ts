import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { printRecord, withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { getUser } from '../../service.js';
import { userView } from '../shared.js';

export function userShow(user: Command, ctx: Context): void {
  withOutputOptions(
    user.command('show').description('Show one user').argument('<login>', 'login'),
    userView,
  )
    .addHelpText('after', examples('crmctl user show anna --json'))
    .action(async (login, options) => {
      const session = ctx.session();
      await printRecord(ctx, getUser(session, login), options, userView);
    });
}
