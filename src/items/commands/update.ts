import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { withFlagHints } from '../../cli/flag-hints.js';
import { withOutputOptions } from '../../cli/output.js';
import { collect, collectField, examples, parseAmount, parseId } from '../../cli/parse.js';
import { printChange } from '../../cli/result.js';
import { contactValueHint, countryOption } from '../../contacts/commands/shared.js';
import { getItem, updateItem } from '../service.js';
import { itemHint, itemView } from './shared.js';

/** `--contact none` unlinks; otherwise an id. */
function linkArgument(value: string, flag: string): number | null {
  return value.trim().toLowerCase() === 'none' ? null : parseId(value, flag);
}

export function itemUpdate(item: Command, ctx: Context): void {
  withOutputOptions(
    item
      .command('update')
      .description('Change an item’s fields (needs items.edit); to change its stage use item move')
      .argument('<id>', 'item id')
      .option('--title <title>', 'new title')
      .option('--amount <amount>', 'new amount (none: clear it)')
      .option('--currency <code>', 'new currency')
      .option('--responsible <login>', 'new responsible user (none: nobody)')
      .option('--contact <id>', 'link this contact (none: unlink)')
      .option('--company <id>', 'link this company (none: unlink)')
      .option(
        '--field <key=value>',
        'set a custom field; key= removes it (repeatable)',
        collectField,
      )
      .option('--phone <phone>', 'replace the phones (leads; repeatable)', collect)
      .option('--email <email>', 'replace the emails (leads; repeatable)', collect)
      .addOption(countryOption()),
    itemView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl item update 42 --amount 1350 --field deadline=2026-12-05',
        'crmctl item update 42 --responsible bob',
      ),
    )
    .action(
      withFlagHints([itemHint, contactValueHint], async (id, options) => {
        const session = ctx.session('items.edit');
        const none = (value: string | undefined) => value?.trim().toLowerCase() === 'none';
        const itemId = parseId(id);
        const updated = session.write(() => {
          updateItem(session, itemId, {
            title: options.title,
            amount:
              options.amount === undefined
                ? undefined
                : none(options.amount)
                  ? null
                  : parseAmount(options.amount),
            currency: options.currency,
            responsible:
              options.responsible === undefined
                ? undefined
                : none(options.responsible)
                  ? null
                  : options.responsible,
            contact:
              options.contact === undefined
                ? undefined
                : linkArgument(options.contact, '--contact'),
            company:
              options.company === undefined
                ? undefined
                : linkArgument(options.company, '--company'),
            fields: options.field,
            phones: options.phone,
            emails: options.email,
            country: options.country,
          });
          return getItem(session, itemId);
        });
        await printChange(ctx, options, { ...updated }, itemView, {
          id: updated.id,
          note: `Updated item #${updated.id}`,
        });
      }),
    );
}
