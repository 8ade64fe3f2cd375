import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { printChange } from '../../../cli/result.js';
import { addUser } from '../../service.js';
import { userView } from '../shared.js';

export function userAdd(user: Command, ctx: Context): void {
  withOutputOptions(
    user
      .command('add')
      .description('Add a user (needs users.manage)')
      .argument('<login>', 'login name: letters, digits, . _ @ -')
      .option('--name <name>', 'full name (default: the login)')
      .option('--role <role>', 'role (see crmctl role list)', 'employee')
      .option('--supervisor <login>', 'their supervisor'),
    userView,
  )
    .addHelpText('after', examples('crmctl user add bob --role employee --supervisor anna'))
    .action(async (login, options) => {
      const session = ctx.session('users.manage');
      const added = session.write(() =>
        addUser(session, {
          login,
          name: options.name,
          role: options.role,
          supervisor: options.supervisor,
        }),
      );
      await printChange(ctx, options, { ...added }, userView, {
        id: added.login,
        note: `Added user ${added.login} (${added.role})`,
      });
    });
}
