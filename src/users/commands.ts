import { Option } from '@commander-js/extra-typings';
import { printList, printRecord, type View, withOutputOptions } from '../cli/output.js';
import { examples, splitList, withPaging } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { printChange } from '../cli/result.js';
import { allPermissions, permissionCatalogue } from './permissions.js';
import {
  addRole,
  addUser,
  getRole,
  getUser,
  listRoles,
  listUsers,
  removeRole,
  removeUser,
  setUserRole,
} from './service.js';

const userView: View = {
  fields: ['id', 'login', 'name', 'role', 'supervisor', 'createdAt'],
  columns: ['login', 'name', 'role', 'supervisor'],
};

const roleView: View = {
  fields: ['id', 'name', 'description', 'builtin', 'permissions', 'users'],
  columns: ['name', 'users', 'permissions'],
};

export const commands: CommandModule['commands'] = {
  user(program, ctx) {
    const user = program
      .command('user')
      .description('Manage the people who use the CRM and their roles')
      .addHelpText(
        'after',
        examples('crmctl user add anna --name "Anna Smith" --role supervisor', 'crmctl user list'),
      );

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

    withOutputOptions(withPaging(user.command('list').description('List users')), userView)
      .addHelpText(
        'after',
        examples('crmctl user list', 'crmctl user list --json --fields login,role'),
      )
      .action(async (options) => {
        const session = ctx.session();
        await printList(ctx, listUsers(session, options), options, userView);
      });

    withOutputOptions(
      user.command('show').description('Show one user').argument('<login>', 'login'),
      userView,
    )
      .addHelpText('after', examples('crmctl user show anna --json'))
      .action(async (login, options) => {
        const session = ctx.session();
        await printRecord(ctx, getUser(session, login), options, userView);
      });

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

    withOutputOptions(
      withPaging(role.command('list').description('List roles with their permissions')),
      roleView,
    )
      .addHelpText('after', examples('crmctl role list', 'crmctl role list -o json'))
      .action(async (options) => {
        const session = ctx.session();
        await printList(ctx, listRoles(session, options), options, roleView);
      });

    withOutputOptions(
      role.command('show').description('Show a role').argument('<name>', 'role name'),
      roleView,
    )
      .addHelpText('after', examples('crmctl role show supervisor'))
      .action(async (name, options) => {
        const session = ctx.session();
        await printRecord(ctx, getRole(session, name), options, roleView);
      });

    withOutputOptions(
      role
        .command('add')
        .description('Add a custom role (needs users.manage)')
        .argument('<name>', 'role name: lower-case letters, digits and -')
        .addOption(
          new Option(
            '--permissions <list>',
            `comma-separated permissions: ${allPermissions.join(', ')}`,
          ).makeOptionMandatory(),
        )
        .option('--description <text>', 'what the role is for'),
      roleView,
    )
      .addHelpText(
        'after',
        examples(
          'crmctl role add support --permissions items.view,bin.manage --description "Support desk"',
        ),
      )
      .action(async (name, options) => {
        const session = ctx.session('users.manage');
        const added = session.write(() =>
          addRole(session, {
            name,
            description: options.description,
            permissions: splitList(options.permissions),
          }),
        );
        await printChange(ctx, options, { ...added }, roleView, {
          id: added.name,
          note: `Added role ${added.name}`,
        });
      });

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
  },
};
