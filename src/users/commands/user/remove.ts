import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { printChange } from '../../../cli/result.js';
import { removeUser } from '../../service.js';
import { userView } from '../shared.js';

export function userRemove(user: Command, ctx: Context): void {
  withOutputOptions(
    user
      .command('remove')
      .description('Remove a user; their items keep no responsible person (needs users.manage)')
      .argument('<login>', 'login'),
    userView,
  )
    .addHelpText('after', examples('crmctl user remove bob'))
    .action(async (login, options) => {
      const session = ctx.session('users.manage');
      const removed = session.write(() => removeUser(session, login));
      await printChange(ctx, options, { ...removed }, userView, {
        id: removed.login,
        note: `Removed user ${removed.login}`,
      });
    });
}
