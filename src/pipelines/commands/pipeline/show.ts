import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../../cli/context.js';
import { withFlagHints } from '../../../cli/flag-hints.js';
import { formatOf, printRecord, withOutputOptions } from '../../../cli/output.js';
import { examples } from '../../../cli/parse.js';
import { UsageError } from '../../../errors.js';
import { countItemsByStage } from '../../../items/service.js';
import { drawPipeline, pipelineMermaid, stageColumns } from '../../draw.js';
import { getPipeline } from '../../service.js';
import { pipelineShowView, pipelineTypeHint, typeOption } from '../shared.js';

export function pipelineShow(pipeline: Command, ctx: Context): void {
  withOutputOptions(
    pipeline
      .command('show')
      .description(
        'Draw a pipeline as the CRM shows it: its stages as columns, each with how many items it\n' +
          'holds, its triggers (⚑: the event that moves items there) and its rules (the action, its\n' +
          'key parameter, when it runs and its condition), wrapped into bands to fit the terminal;\n' +
          '--format mermaid for a flowchart (stages, rules, change-stage rules and triggers as\n' +
          'arrows), --json for the structure (stages with their counts, triggers and rules)',
      )
      .argument('[pipeline]', 'pipeline name or id (default: the default pipeline of --type)')
      .addOption(typeOption())
      .addOption(
        new Option(
          '--format <format>',
          'text (the drawing, default) or mermaid; json is the same as --json',
        ).choices(['text', 'mermaid', 'json']),
      ),
    pipelineShowView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl pipeline show',
        'crmctl pipeline show "Furniture store" --format mermaid',
        'crmctl pipeline show "Furniture store" --json',
      ),
    )
    .action(
      withFlagHints([pipelineTypeHint], async (ref, options) => {
        // --format text and mermaid are drawings (-o table's place); --format json is --json.
        const implied = options.format === 'json' ? 'json' : options.format && 'table';
        const given = options.json ? 'json' : options.output;
        if (implied && given && implied !== given) {
          throw new UsageError(
            `--format ${options.format} and ${options.json ? '--json' : `-o ${options.output}`} ask for different formats: give one of them`,
          );
        }
        const session = ctx.session('items.view');
        const found = getPipeline(session, ref, options.type);
        const counts = countItemsByStage(session, found.id);
        // The automation room is above this one: loaded only here, when a pipeline is shown.
        const { automationOf } = await import('../../../automation/lint-source.js');
        const { automation, rules, triggers } = automationOf(session, found);
        const output = options.format === 'json' ? { ...options, json: true } : options;
        if (options.format === 'mermaid') {
          ctx.out(pipelineMermaid(found, stageColumns(found, counts), automation));
          return;
        }
        if (formatOf(output) !== 'table' || options.fields) {
          const structure = {
            ...found,
            stages: found.stages.map((s) => ({
              ...s,
              items: counts.get(s.id) ?? 0,
              triggers: triggers.filter((t) => t.stage.id === s.id),
              rules: rules.filter((r) => r.stage.id === s.id),
            })),
          };
          await printRecord(ctx, structure, output, pipelineShowView);
          return;
        }
        const width = ctx.io.stdoutIsTTY ? ctx.io.columns : 120;
        ctx.io.stdout.write(
          drawPipeline(found, stageColumns(found, counts, automation), width, ctx.colour('stdout')),
        );
      }),
    );
}
