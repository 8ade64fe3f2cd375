import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { type FlagHint, withFlagHints } from '../../cli/flag-hints.js';
import { type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseIds } from '../../cli/parse.js';
import { type Progress, startProgress } from '../../cli/progress.js';
import { printResult } from '../../cli/result.js';
import { UsageError } from '../../errors.js';
import { AmbiguousPipelineError } from '../../pipelines/service.js';
import { type MoveItemsResult, moveItems } from '../service.js';

/** item move has no --type: an ambiguous pipeline name is given by id. */
const pipelineIdHint: FlagHint = (error) =>
  error instanceof AmbiguousPipelineError ? `${error.candidates}: give the id` : undefined;

const moveView: View = {
  fields: ['dryRun', 'moved', 'unchanged', 'moves'],
  columns: ['dryRun', 'moved', 'unchanged'],
};

export function itemMove(item: Command, ctx: Context): void {
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
    .action(
      withFlagHints([pipelineIdHint], async (idArgs, options) => {
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
        await printResult(ctx, options, { dryRun, ...result }, moveView, () => {
          for (const move of result.moves) {
            ctx.out(`${move.id}\t${move.from.stage} → ${move.to.stage}`);
          }
          ctx.note(
            `${dryRun ? 'Would move' : 'Moved'} ${result.moved} item(s); ${result.unchanged} already there`,
          );
        });
      }),
    );
}
