import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { withFlagHints } from '../../cli/flag-hints.js';
import { withOutputOptions } from '../../cli/output.js';
import { collect, examples, parseId } from '../../cli/parse.js';
import { printChange } from '../../cli/result.js';
import { type PartyKind, updateParty } from '../service.js';
import { contactValueHint, countryOption, partyParts } from './shared.js';

export function partyUpdate(group: Command, ctx: Context, kind: PartyKind): void {
  const { view, flag, other, linksOf } = partyParts(kind);

  withOutputOptions(
    group
      .command('update')
      .description(`Change a ${kind} (needs items.edit); --phone/--email replace the existing ones`)
      .argument('<id>', `${kind} id`)
      .option('--name <name>', 'new name')
      .option('--phone <phone>', 'replace the phones (repeatable)', collect)
      .option('--email <email>', 'replace the emails (repeatable)', collect)
      .addOption(countryOption())
      .option(
        flag,
        `replace the linked ${other === 'company' ? 'companies' : 'contacts'} (repeatable; none: unlink all)`,
        collect,
      ),
    view,
  )
    .addHelpText(
      'after',
      examples(`crmctl ${kind} update 7 --phone "+44 20 7946 0958" --phone "+44 7911 123456"`),
    )
    .action(
      withFlagHints([contactValueHint], async (id, options) => {
        const session = ctx.session('items.edit');
        const updated = session.write(() =>
          updateParty(session, kind, parseId(id), {
            name: options.name,
            phones: options.phone,
            emails: options.email,
            country: options.country,
            links: linksOf(options as { company?: string[]; contact?: string[] }),
          }),
        );
        await printChange(ctx, options, { ...updated }, view, {
          id: updated.id,
          note: `Updated ${kind} #${updated.id}`,
        });
      }),
    );
}
