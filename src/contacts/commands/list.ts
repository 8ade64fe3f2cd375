import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { withFlagHints } from '../../cli/flag-hints.js';
import { printList, withOutputOptions } from '../../cli/output.js';
import { examples, withPaging } from '../../cli/parse.js';
import { listParties, type PartyKind } from '../service.js';
import { contactValueHint, countryOption, partyParts } from './shared.js';

export function partyList(group: Command, ctx: Context, kind: PartyKind): void {
  const { view } = partyParts(kind);

  withOutputOptions(
    withPaging(group.command('list'))
      .description(`List ${kind === 'contact' ? 'contacts' : 'companies'}, filtered`)
      .option('--search <text>', 'name contains this text')
      .option('--phone <phone>', 'has this phone, in any spelling')
      .option('--email <email>', 'has this email (case-insensitive)')
      .addOption(countryOption('lookup')),
    view,
  )
    .addHelpText(
      'after',
      examples(
        `crmctl ${kind} list --search smith`,
        `crmctl ${kind} list --phone "+44 20 7946 0958" --json`,
      ),
    )
    .action(
      withFlagHints([contactValueHint], async (options) => {
        const session = ctx.session('items.view');
        const parties = listParties(session, kind, {
          search: options.search,
          phone: options.phone,
          email: options.email,
          country: options.country,
          limit: options.limit,
          offset: options.offset,
        });
        await printList(ctx, parties, options, view);
      }),
    );
}
