import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printRecord, withOutputOptions } from '../../cli/output.js';
import { examples, parseId } from '../../cli/parse.js';
import { getParty, type PartyKind } from '../service.js';
import { partyParts } from './shared.js';

export function partyShow(group: Command, ctx: Context, kind: PartyKind): void {
  const { view } = partyParts(kind);

  withOutputOptions(
    group.command('show').description(`Show a ${kind}`).argument('<id>', `${kind} id`),
    view,
  )
    .addHelpText('after', examples(`crmctl ${kind} show 7 --json`))
    .action(async (id, options) => {
      const session = ctx.session('items.view');
      await printRecord(ctx, getParty(session, kind, parseId(id)), options, view);
    });
}
