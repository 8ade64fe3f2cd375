import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { withFlagHints } from '../../cli/flag-hints.js';
import { withOutputOptions } from '../../cli/output.js';
import { collect, examples } from '../../cli/parse.js';
import { printChange } from '../../cli/result.js';
import { addParty, getParty, type PartyKind } from '../service.js';
import { contactValueHint, countryOption, partyParts } from './shared.js';

export function partyAdd(group: Command, ctx: Context, kind: PartyKind): void {
  const { view, flag, other, linksOf } = partyParts(kind);

  withOutputOptions(
    group
      .command('add')
      .description(`Add a ${kind} (needs items.edit); prints its id`)
      .addOption(new Option('--name <name>', 'name').makeOptionMandatory())
      .option('--phone <phone>', 'phone, any spelling (repeatable)', collect)
      .option('--email <email>', 'email (repeatable)', collect)
      .addOption(countryOption())
      .option(flag, `link a ${other} (repeatable)`, collect),
    view,
  )
    .addHelpText(
      'after',
      examples(
        `crmctl ${kind} add --name "Anna Smith" --phone "020 7946 0958" --email anna@example.com`,
      ),
    )
    .action(
      withFlagHints([contactValueHint], async (options) => {
        const session = ctx.session('items.edit');
        const id = session.write(() =>
          addParty(session, kind, {
            name: options.name,
            phones: options.phone,
            emails: options.email,
            country: options.country,
            links: linksOf(options as { company?: string[]; contact?: string[] }),
          }),
        );
        const added = getParty(session, kind, id);
        await printChange(ctx, options, { ...added }, view, {
          id,
          note: `Added ${kind} #${id} ${added.name}`,
        });
      }),
    );
}
