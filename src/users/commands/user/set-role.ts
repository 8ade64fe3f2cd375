import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { printChange } from '../../../cli/result.js';
import { setUserRole } from '../../service.js';
import { userView } from '../shared.js';

export function userSetRole(user: Command, ctx: Context): void {
  withOutputOptions(
    user
      .command('set-role')
      .description("Change a user's role (needs users.manage)")
      .argument('<login>', 'login')
      .argument('<role>', 'new role'),
    userView,
  )
    .addHelpText('after', examples('crmctl user set-role bob supervisor'))
    .action(async (login, role, options) => {
      const session = ctx.session('users.manage');
      const changed = session.write(() => setUserRole(session, login, role));
      await printChange(ctx, options, { ...changed }, userView, {
        id: changed.login,
        note: `${changed.login} is now ${changed.role}`,
      });
    });
}
