import type { Command } from '@commander-js/extra-typings';
import { deletedView, runDelete } from '../../bin/commands/deleted.js';
import type { Context } from '../../cli/context.js';
import { withFlagHints } from '../../cli/flag-hints.js';
import { withOutputOptions } from '../../cli/output.js';
import { examples, parseIds } from '../../cli/parse.js';
import { ConflictError, UsageError } from '../../errors.js';
import { pipelineTypeHint } from '../../pipelines/commands/shared.js';
import { itemIdsInStageOf } from '../service.js';

export function itemDelete(item: Command, ctx: Context): void {
  withOutputOptions(
    item
      .command('delete')
      .description(
        'Move items to the recycle bin with everything they hold (fields, phones, emails, links),\n' +
          'as one operation: given ids, or every item of --stage (then --yes, or a confirmation on a\n' +
          'terminal). Binned items leave every list, count and inbound match; crmctl recycle-bin\n' +
          'restore (or crmctl undo OP) puts them back with their ids. --permanently skips the bin\n' +
          '(needs bin.purge; history still records it). Needs items.delete. Prints the operation id.',
      )
      .argument('[ids...]', 'item ids')
      .option(
        '--stage <stage>',
        'every item now in this stage (of --pipeline, or the default one of --type)',
      )
      .option('--pipeline <pipeline>', 'the pipeline of --stage')
      .option('--type <type>', 'the entity type whose default pipeline --stage is in')
      .option('--permanently', 'delete for good, not to the bin (needs bin.purge)')
      .option('--yes', 'do not ask for confirmation (deleting by --stage)')
      .option('--dry-run', 'do the delete, report it, and roll it back'),
    deletedView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl item delete 42',
        'crmctl item delete 3 4 5 --json',
        'crmctl item delete --stage Spam --pipeline "Furniture store" --yes',
        'crmctl item delete --stage Lost --type deal --dry-run',
      ),
    )
    .action(
      withFlagHints([pipelineTypeHint], async (idArgs, options) => {
        const ids = parseIds(idArgs);
        if (ids.length > 0 && options.stage !== undefined)
          throw new UsageError('give item ids or --stage, not both');
        if (ids.length === 0 && options.stage === undefined)
          throw new UsageError('name the items to delete: ids, or --stage STAGE (with --pipeline)');
        if (
          options.stage === undefined &&
          (options.pipeline !== undefined || options.type !== undefined)
        )
          throw new UsageError('--pipeline and --type go with --stage');
        const session = ctx.session('items.delete');
        const stage = options.stage;
        const inStage = () =>
          stage === undefined ? [] : itemIdsInStageOf(session, { ...options, stage });
        const asked = options.yes || options.dryRun;
        if (stage !== undefined && !asked) {
          // What is confirmed is what is deleted: the items in the stage now, by id.
          const chosen = inStage();
          if (chosen.length > 0 && !ctx.canPrompt)
            throw new UsageError(
              `this deletes the ${chosen.length} item(s) in stage "${stage}": add --yes (or --dry-run to see them)`,
            );
          if (
            chosen.length > 0 &&
            !(await ctx.prompter.confirm(
              `Delete the ${chosen.length} item(s) in stage "${stage}"?`,
            ))
          )
            throw new ConflictError('nothing deleted: not confirmed');
          // A stage may hold hundreds of thousands of items: no spread into push().
          for (const id of chosen) ids.push(id);
        }
        const records = (list: number[]) => list.map((id) => ({ kind: 'item' as const, id }));
        if (stage !== undefined && asked) {
          // With --yes, the items in the stage when the delete holds the store.
          await runDelete(ctx, session, () => records(inStage()), options);
          return;
        }
        await runDelete(ctx, session, records(ids), options);
      }),
    );
}
