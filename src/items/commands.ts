import { Option } from '@commander-js/extra-typings';
import {
  formatOf,
  printJson,
  printList,
  printRecord,
  tableAskedFor,
  type View,
  withOutputOptions,
} from '../cli/output.js';
import {
  collect,
  collectField,
  examples,
  parseAmount,
  parseId,
  parseIds,
  withPaging,
} from '../cli/parse.js';
import { type Progress, startProgress } from '../cli/progress.js';
import type { CommandModule } from '../cli/registry.js';
import { printChange } from '../cli/result.js';
import { UsageError } from '../errors.js';
import { historyView } from '../history/commands.js';
import {
  addItem,
  getItem,
  itemSources,
  listItems,
  type MoveItemsResult,
  moveItems,
  updateItem,
} from './service.js';

export const itemView: View = {
  fields: [
    'id',
    'type',
    'pipeline',
    'stage',
    'title',
    'amount',
    'currency',
    'responsible',
    'contactId',
    'companyId',
    'source',
    'phones',
    'emails',
    'fields',
    'createdAt',
    'updatedAt',
  ],
  columns: ['id', 'type', 'pipeline', 'stage', 'title', 'amount', 'responsible'],
  cells: {
    fields: (value) =>
      Object.entries((value ?? {}) as Record<string, string>)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
  },
};

const moveView: View = {
  fields: ['dryRun', 'moved', 'unchanged', 'moves'],
  columns: ['dryRun', 'moved', 'unchanged'],
};

/** `--contact none` unlinks; otherwise an id. */
function linkArgument(value: string, flag: string): number | null {
  return value.trim().toLowerCase() === 'none' ? null : parseId(value, flag);
}

export const commands: CommandModule['commands'] = {
  item(program, ctx) {
    const item = program
      .command('item')
      .description('Leads, deals, quotes, invoices and smart-process items')
      .addHelpText(
        'after',
        examples(
          'crmctl item add --type lead --title "Website enquiry" --phone "+44 20 7946 0958"',
          'crmctl item list --stage Won --json',
          'crmctl item move 42 --stage Prepayment',
        ),
      );

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
        .option(
          '--country <code>',
          'country for phones in national format (default: settings default-country)',
        )
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
      .action(async (options) => {
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
      });

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
        .option('--country <code>', 'country for a --phone in national format')
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
      .action(async (options) => {
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
      });

    withOutputOptions(
      item
        .command('show')
        .description('Show an item with its timeline')
        .argument('<id>', 'item id'),
      itemView,
    )
      .addHelpText('after', examples('crmctl item show 42', 'crmctl item show 42 --json'))
      .action(async (id, options) => {
        const session = ctx.session('items.view');
        const shown = getItem(session, parseId(id), { timeline: true });
        if (formatOf(options) === 'json' && !options.fields) {
          printJson(ctx, shown);
          return;
        }
        const { timeline, ...rest } = shown;
        await printRecord(ctx, rest, options, itemView);
        if (formatOf(options) === 'table' && !options.fields && timeline?.length) {
          ctx.out('\ntimeline');
          await printList(ctx, timeline, { output: options.output }, historyView);
        }
      });

    withOutputOptions(
      item
        .command('update')
        .description(
          'Change an item’s fields (needs items.edit); to change its stage use item move',
        )
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
        .option(
          '--country <code>',
          'country for phones in national format (default: settings default-country)',
        ),
      itemView,
    )
      .addHelpText(
        'after',
        examples(
          'crmctl item update 42 --amount 1350 --field deadline=2026-12-05',
          'crmctl item update 42 --responsible bob',
        ),
      )
      .action(async (id, options) => {
        const session = ctx.session('items.edit');
        const none = (value: string | undefined) => value?.trim().toLowerCase() === 'none';
        const updated = session.write(() =>
          updateItem(session, parseId(id), {
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
          }),
        );
        await printChange(ctx, options, { ...updated }, itemView, {
          id: updated.id,
          note: `Updated item #${updated.id}`,
        });
      });

    withOutputOptions(
      item
        .command('move')
        .description('Move items to a stage (needs items.edit); items already there are left alone')
        .argument('[ids...]', 'item ids')
        .option(
          '--stage <stage>',
          'target stage, name or id (with --pipeline, default: the stage of the same name, else the first of the same kind)',
        )
        .option(
          '--pipeline <pipeline>',
          'target pipeline of the same type (default: each item’s own)',
        )
        .option(
          '--from-stage <stage>',
          'move every item now in this stage (of --from-pipeline, or of the target pipeline)',
        )
        .option('--from-pipeline <pipeline>', 'the pipeline of --from-stage')
        .option('--dry-run', 'do the move, report it, and roll it back'),
      moveView,
    )
      .addHelpText(
        'after',
        examples(
          'crmctl item move 42 --stage Prepayment',
          'crmctl item move 3 4 5 --stage Won --json',
          'crmctl item move 42 --pipeline Wholesale',
          'crmctl item move --from-stage "Final invoice" --from-pipeline "Furniture store" --stage Won --dry-run',
        ),
      )
      .action(async (idArgs, options) => {
        if (options.stage === undefined && options.pipeline === undefined) {
          throw new UsageError(
            'say where: --stage STAGE, or --pipeline PIPELINE to keep each item’s stage by name or kind',
          );
        }
        const ids = parseIds(idArgs);
        if (ids.length === 0 && options.fromStage === undefined) {
          throw new UsageError('name the items to move: ids, or --from-stage STAGE');
        }
        const session = ctx.session('items.edit');
        const dryRun = options.dryRun === true;
        let progress: Progress | undefined;
        let result: MoveItemsResult;
        try {
          result = session.write(
            () =>
              moveItems(session, { ...options, ids }, (done, total) => {
                progress ??= startProgress(ctx, 'Moving', total);
                progress.update(done);
              }),
            { dryRun },
          );
        } finally {
          progress?.stop();
        }
        const summary = { dryRun, ...result };
        if (formatOf(options) !== 'table' || options.fields || tableAskedFor(options)) {
          await printRecord(ctx, summary, options, moveView);
          return;
        }
        for (const move of result.moves) {
          ctx.out(`${move.id}\t${move.from.stage} → ${move.to.stage}`);
        }
        ctx.note(
          `${dryRun ? 'Would move' : 'Moved'} ${result.moved} item(s); ${result.unchanged} already there`,
        );
      });
  },
};
