import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withOutputOptions } from '../../../cli/output.js';
import { examples, splitList } from '../../../cli/parse.js';
import { printChange } from '../../../cli/result.js';
import { allPermissions } from '../../permissions.js';
import { addRole } from '../../service.js';
import { roleView } from '../shared.js';

export function roleAdd(role: Command, ctx: Context): void {
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
}
