import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../cli/context.js';
import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { partyAdd } from './commands/add.js';
import { partyDelete } from './commands/delete.js';
import { partyList } from './commands/list.js';
import { partyShow } from './commands/show.js';
import { partyUpdate } from './commands/update.js';
import type { PartyKind } from './service.js';

/** `contact` and `company` work the same way; only the link goes the other way. */
function registerParty(program: Command, ctx: Context, kind: PartyKind): void {
  const group = program
    .command(kind)
    .description(
      kind === 'contact'
        ? 'People you deal with: names, phones, emails'
        : 'Companies you deal with',
    )
    .addHelpText(
      'after',
      examples(
        `crmctl ${kind} add --name "${kind === 'contact' ? 'Anna Smith' : 'Oak & Co'}" --phone "+44 20 7946 0958"`,
        `crmctl ${kind} list --json`,
      ),
    );

  partyAdd(group, ctx, kind);
  partyList(group, ctx, kind);
  partyShow(group, ctx, kind);
  partyUpdate(group, ctx, kind);
  partyDelete(group, ctx, kind);
}

export const commands: CommandModule['commands'] = {
  contact: (program, ctx) => registerParty(program, ctx, 'contact'),
  company: (program, ctx) => registerParty(program, ctx, 'company'),
};
