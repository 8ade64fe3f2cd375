import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { roleAdd } from './commands/role/add.js';
import { roleList } from './commands/role/list.js';
import { roleRemove } from './commands/role/remove.js';
import { roleShow } from './commands/role/show.js';
import { userAdd } from './commands/user/add.js';
import { userList } from './commands/user/list.js';
import { userRemove } from './commands/user/remove.js';
import { userSetRole } from './commands/user/set-role.js';
import { userShow } from './commands/user/show.js';
import { allPermissions, permissionCatalogue } from './permissions.js';

export const commands: CommandModule['commands'] = {
  user(program, ctx) {
    const user = program
      .command('user')
      .description('Manage the people who use the CRM and their roles')
      .addHelpText(
        'after',
        examples('crmctl user add anna --name "Anna Smith" --role supervisor', 'crmctl user list'),
      );

    userAdd(user, ctx);
    userList(user, ctx);
    userShow(user, ctx);
    userSetRole(user, ctx);
    userRemove(user, ctx);
  },

  role(program, ctx) {
    const role = program
      .command('role')
      .description('Roles: named sets of permissions given to users')
      .addHelpText(
        'after',
        `\nPermissions:\n${allPermissions.map((p) => `  ${p.padEnd(20)} ${permissionCatalogue[p]}`).join('\n')}\n${examples(
          'crmctl role list',
          'crmctl role add support --permissions items.view,bin.manage',
        )}`,
      );

    roleList(role, ctx);
    roleShow(role, ctx);
    roleAdd(role, ctx);
    roleRemove(role, ctx);
  },
};
