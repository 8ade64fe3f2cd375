import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { printList, withOutputOptions } from '../../../cli/output.js';
import { examples, withPaging } from '../../../cli/parse.js';
import { listingOf } from '../../../listing.js';
import { listTypes } from '../../service.js';
import { typeView } from '../shared.js';

export function typeList(type: Command, ctx: Context): void {
  withOutputOptions(withPaging(type.command('list').description('List entity types')), typeView)
    .addHelpText('after', examples('crmctl type list --json'))
    .action(async (options) => {
      const session = ctx.session('items.view');
      await printList(ctx, listingOf(listTypes(session), options), options, typeView);
    });
}
