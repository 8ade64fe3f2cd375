import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { withFlagHints } from '../../cli/flag-hints.js';
import { printList, withOutputOptions } from '../../cli/output.js';
import { examples, withPaging } from '../../cli/parse.js';
import { contactValueHint, countryOption } from '../../contacts/commands/shared.js';
import { pipelineTypeHint } from '../../pipelines/commands/shared.js';
import { listItems } from '../service.js';
import { itemView } from './shared.js';

export function itemList(item: Command, ctx: Context): void {
  withOutputOptions(
    withPaging(item.command('list'))
      .description('List items, filtered')
      .option('--type <type>', 'only this entity type')
      .option('--pipeline <pipeline>', 'only this pipeline')
      .option(
        '--stage <stage>',
        'only this stage (of --pipeline, or of the default pipeline of --type)',
      )
      .option('--responsible <login>', 'only items this user is responsible for')
      .option(
        '--phone <phone>',
        'only items with this phone, in any spelling (own, contact’s or company’s)',
      )
      .option('--email <email>', 'only items with this email (case-insensitive)')
      .addOption(countryOption('lookup'))
      .option('--search <text>', 'only items whose title contains this text'),
    itemView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl item list --type deal --stage Won',
        'crmctl item list --phone "020 7946 0958" --json',
        'crmctl item list --search sofa -o csv > sofas.csv',
      ),
    )
    .action(
      withFlagHints([contactValueHint, pipelineTypeHint], async (options) => {
        const session = ctx.session('items.view');
        const items = listItems(session, {
          type: options.type,
          pipeline: options.pipeline,
          stage: options.stage,
          responsible: options.responsible,
          phone: options.phone,
          email: options.email,
          country: options.country,
          search: options.search,
          limit: options.limit,
          offset: options.offset,
        });
        await printList(ctx, items, options, itemView);
      }),
    );
}
