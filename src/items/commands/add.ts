import type { Command } from '@commander-js/extra-typings';
import { Option } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { withFlagHints } from '../../cli/flag-hints.js';
import { withOutputOptions } from '../../cli/output.js';
import { collect, collectField, examples, parseAmount, parseId } from '../../cli/parse.js';
import { printChange } from '../../cli/result.js';
import { contactValueHint, countryOption } from '../../contacts/commands/shared.js';
import { pipelineTypeHint } from '../../pipelines/commands/shared.js';
import { addItem, itemSources } from '../service.js';
import { itemHint, itemView } from './shared.js';

export function itemAdd(item: Command, ctx: Context): void {
  withOutputOptions(
    item
      .command('add')
      .description('Add an item (needs items.edit); prints its id')
      .addOption(new Option('--title <title>', 'title').makeOptionMandatory())
      .option(
        '--type <type>',
        'lead, deal, quote, invoice or a smart process (default: the pipeline’s, else deal)',
      )
      .option(
        '--pipeline <pipeline>',
        'pipeline name or id (default: the default pipeline of the type)',
      )
      .option('--stage <stage>', 'stage name or id (default: the first stage)')
      .option('--amount <amount>', 'amount, e.g. 1200.50')
      .option('--currency <code>', 'ISO currency (default: settings currency)')
      .option('--phone <phone>', 'phone (leads only; repeatable); any spelling', collect)
      .option('--email <email>', 'email (leads only; repeatable)', collect)
      .addOption(countryOption())
      .option('--contact <id>', 'link a contact')
      .option('--company <id>', 'link a company')
      .option('--responsible <login>', 'responsible user (default: you)')
      .option('--field <key=value>', 'custom field (repeatable)', collectField)
      .addOption(new Option('--source <source>', 'where it came from').choices(itemSources)),
    itemView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl item add --type lead --title "Call back" --phone "020 7946 0958" --email anna@example.com',
        'crmctl item add --type deal --pipeline "Furniture store" --title "Sofa" --amount 1200 --contact 7 --field deadline=2026-12-01',
      ),
    )
    .action(
      withFlagHints([itemHint, contactValueHint, pipelineTypeHint], async (options) => {
        const session = ctx.session('items.edit');
        const added = session.write(() =>
          addItem(session, {
            type: options.type,
            pipeline: options.pipeline,
            stage: options.stage,
            title: options.title,
            amount: options.amount === undefined ? undefined : parseAmount(options.amount),
            currency: options.currency,
            phones: options.phone,
            emails: options.email,
            country: options.country,
            contact:
              options.contact === undefined ? undefined : parseId(options.contact, '--contact'),
            company:
              options.company === undefined ? undefined : parseId(options.company, '--company'),
            responsible: options.responsible,
            fields: options.field,
            source: options.source,
          }),
        );
        await printChange(ctx, options, { ...added }, itemView, {
          id: added.id,
          note: `Added ${added.type} #${added.id} "${added.title}" in ${added.pipeline.name} → ${added.stage.name}`,
        });
      }),
    );
}
