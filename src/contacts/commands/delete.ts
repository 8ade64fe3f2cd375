import type { Command } from '@commander-js/extra-typings';
import { deletedView, runDelete } from '../../bin/commands/deleted.js';
import type { Context } from '../../cli/context.js';
import { withOutputOptions } from '../../cli/output.js';
import { examples, parseIds } from '../../cli/parse.js';
import { UsageError } from '../../errors.js';
import type { PartyKind } from '../service.js';

export function partyDelete(group: Command, ctx: Context, kind: PartyKind): void {
  const other = kind === 'contact' ? 'companies' : 'contacts';
  withOutputOptions(
    group
      .command('delete')
      .description(
        `Move ${kind === 'contact' ? 'contacts' : 'companies'} to the recycle bin with their phones, emails and links to\n` +
          `${other}, as one operation. Items that point at one: with --with-items they go to the bin\n` +
          'too (same operation); without it they stay, their link cut, and the link is re-made when\n' +
          `the ${kind} is restored. --permanently skips the bin (needs bin.purge). Needs items.delete.\n` +
          'Prints the operation id (crmctl undo OP puts everything back).',
      )
      .argument('<ids...>', `${kind} ids`)
      .option('--with-items', `also move the items linked to the ${kind} to the bin`)
      .option('--permanently', 'delete for good, not to the bin (needs bin.purge)')
      .option('--dry-run', 'do the delete, report it, and roll it back'),
    deletedView,
  )
    .addHelpText(
      'after',
      examples(
        `crmctl ${kind} delete 7`,
        `crmctl ${kind} delete 7 8 --with-items --json`,
        `crmctl ${kind} delete 7 --dry-run`,
      ),
    )
    .action(async (idArgs, options) => {
      const ids = parseIds(idArgs);
      if (ids.length === 0) throw new UsageError(`name the ${kind} ids to delete`);
      const session = ctx.session('items.delete');
      await runDelete(
        ctx,
        session,
        ids.map((id) => ({ kind, id })),
        options,
      );
    });
}
