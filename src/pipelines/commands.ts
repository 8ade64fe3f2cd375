import { Option } from '@commander-js/extra-typings';
import { formatOf, printList, printRecord, type View, withOutputOptions } from '../cli/output.js';
import { examples, splitList, withPaging } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { printChange } from '../cli/result.js';
import { UsageError } from '../errors.js';
import {
  countItemsByStage,
  removePipelineMovingItems,
  removeStageMovingItems,
} from '../items/service.js';
import { listingOf } from '../listing.js';
import { drawPipeline, pipelineMermaid, stageColumns } from './draw.js';
import {
  addPipeline,
  addStage,
  addType,
  getPipeline,
  listPipelines,
  listStages,
  listTypes,
  moveStage,
  renamePipeline,
  renameStage,
  type Semantic,
  semantics,
} from './service.js';

const typeView: View = {
  fields: ['id', 'name', 'title', 'builtin', 'manyPipelines', 'pipelines', 'createdAt'],
  columns: ['name', 'title', 'builtin', 'manyPipelines', 'pipelines'],
};

const pipelineView: View = {
  fields: ['id', 'type', 'name', 'isDefault', 'stages', 'createdAt'],
  columns: ['id', 'type', 'name', 'isDefault', 'stages'],
};

const removedPipelineView: View = {
  ...pipelineView,
  fields: [...pipelineView.fields, 'movedItems'],
};

/** `pipeline show` as a record: its stages with how many items each holds. */
const pipelineShowView: View = {
  ...pipelineView,
  cells: {
    stages: (value) =>
      ((value ?? []) as { name: string; items: number }[])
        .map((s) => `${s.name} (${s.items})`)
        .join(', '),
  },
};

const stageView: View = {
  fields: ['id', 'pipelineId', 'name', 'position', 'semantic', 'items'],
  columns: ['id', 'position', 'name', 'semantic', 'items'],
};

const pipelineOption = () =>
  new Option(
    '--pipeline <pipeline>',
    'pipeline name or id (default: the default pipeline of --type)',
  );
const typeOption = () =>
  new Option('--type <type>', 'entity type: lead, deal, quote, invoice or a smart process');

export const commands: CommandModule['commands'] = {
  type(program, ctx) {
    const type = program
      .command('type')
      .description('Entity types: lead, deal, quote, invoice and your own smart processes')
      .addHelpText(
        'after',
        examples('crmctl type list', 'crmctl type add delivery --title "Deliveries"'),
      );

    withOutputOptions(withPaging(type.command('list').description('List entity types')), typeView)
      .addHelpText('after', examples('crmctl type list --json'))
      .action(async (options) => {
        const session = ctx.session('items.view');
        await printList(ctx, listingOf(listTypes(session), options), options, typeView);
      });

    withOutputOptions(
      type
        .command('add')
        .description('Add a smart process type, with a default pipeline (needs pipelines.edit)')
        .argument('<name>', 'lower-case name, e.g. delivery')
        .option('--title <title>', 'display title'),
      typeView,
    )
      .addHelpText('after', examples('crmctl type add delivery --title Deliveries'))
      .action(async (name, options) => {
        const session = ctx.session('pipelines.edit');
        const added = session.write(() => addType(session, { name, title: options.title }));
        await printChange(ctx, options, { ...added }, typeView, {
          id: added.name,
          note: `Added type ${added.name}`,
        });
      });
  },

  pipeline(program, ctx) {
    const pipeline = program
      .command('pipeline')
      .description('Pipelines: the ordered stages an item goes through')
      .addHelpText(
        'after',
        examples('crmctl pipeline list --type deal', 'crmctl pipeline show "Furniture store"'),
      );

    withOutputOptions(
      withPaging(pipeline.command('list').description('List pipelines').addOption(typeOption())),
      pipelineView,
    )
      .addHelpText(
        'after',
        examples('crmctl pipeline list', 'crmctl pipeline list --type deal --json'),
      )
      .action(async (options) => {
        const session = ctx.session('items.view');
        await printList(
          ctx,
          listingOf(listPipelines(session, options.type), options),
          options,
          pipelineView,
        );
      });

    withOutputOptions(
      pipeline
        .command('show')
        .description(
          'Draw a pipeline as the CRM shows it: its stages as columns, each with how many items it\n' +
            'holds; --format mermaid for a flowchart, --json for the structure (stages with counts)',
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
      .action(async (ref, options) => {
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
        const output = options.format === 'json' ? { ...options, json: true } : options;
        if (options.format === 'mermaid') {
          ctx.out(pipelineMermaid(found, stageColumns(found, counts)));
          return;
        }
        if (formatOf(output) !== 'table' || options.fields) {
          const structure = {
            ...found,
            stages: found.stages.map((s) => ({ ...s, items: counts.get(s.id) ?? 0 })),
          };
          await printRecord(ctx, structure, output, pipelineShowView);
          return;
        }
        const width = ctx.io.stdoutIsTTY ? ctx.io.columns : 120;
        ctx.io.stdout.write(
          drawPipeline(found, stageColumns(found, counts), width, ctx.colour('stdout')),
        );
      });

    withOutputOptions(
      pipeline
        .command('add')
        .description(
          'Add a pipeline (deals and smart processes may have many; needs pipelines.edit)',
        )
        .argument('<name>', 'pipeline name')
        .addOption(typeOption().default('deal'))
        .option(
          '--stages <list>',
          'comma-separated stage names; mark finals as Name:success / Name:failure',
        ),
      pipelineView,
    )
      .addHelpText(
        'after',
        examples(
          'crmctl pipeline add "Furniture store" --type deal',
          'crmctl pipeline add Wholesale --stages "New,Quote sent,Won:success,Lost:failure,Spam:failure"',
        ),
      )
      .action(async (name, options) => {
        const session = ctx.session('pipelines.edit');
        const added = session.write(() =>
          addPipeline(session, {
            type: options.type,
            name,
            stages: options.stages === undefined ? undefined : splitList(options.stages),
          }),
        );
        await printChange(ctx, options, { ...added }, pipelineView, {
          id: added.id,
          note: `Added ${added.type} pipeline "${added.name}" with stages ${added.stages.map((s) => s.name).join(' → ')}`,
        });
      });

    withOutputOptions(
      pipeline
        .command('rename')
        .description('Rename a pipeline (needs pipelines.edit)')
        .argument('<pipeline>', 'pipeline name or id')
        .argument('<new-name>', 'new name')
        .addOption(typeOption()),
      pipelineView,
    )
      .addHelpText('after', examples('crmctl pipeline rename Wholesale "Wholesale B2B"'))
      .action(async (ref, newName, options) => {
        const session = ctx.session('pipelines.edit');
        const renamed = session.write(() => renamePipeline(session, ref, newName, options.type));
        await printChange(ctx, options, { ...renamed }, pipelineView, {
          id: renamed.id,
          note: `Renamed to "${renamed.name}"`,
        });
      });

    withOutputOptions(
      pipeline
        .command('remove')
        .description('Remove a pipeline; items in it need --move-items-to (needs pipelines.edit)')
        .argument('<pipeline>', 'pipeline name or id')
        .addOption(typeOption())
        .option(
          '--move-items-to <pipeline>',
          'move its items here first: to the stage of the same name, else of the same kind',
        ),
      removedPipelineView,
    )
      .addHelpText(
        'after',
        examples('crmctl pipeline remove Wholesale --move-items-to Default --type deal'),
      )
      .action(async (ref, options) => {
        const session = ctx.session('pipelines.edit');
        const removed = session.write(() =>
          removePipelineMovingItems(session, ref, {
            type: options.type,
            moveItemsTo: options.moveItemsTo,
          }),
        );
        await printChange(ctx, options, removed, removedPipelineView, {
          id: removed.id,
          note: `Removed pipeline "${removed.name}"${removed.movedItems ? `; moved ${removed.movedItems} items` : ''}`,
        });
      });
  },

  stage(program, ctx) {
    const stage = program
      .command('stage')
      .description(
        'Stages of a pipeline: one success stage and at least one failure stage, finals last',
      )
      .addHelpText(
        'after',
        examples(
          'crmctl stage list --pipeline "Furniture store"',
          'crmctl stage add Spam --semantic failure',
        ),
      );

    withOutputOptions(
      withPaging(
        stage
          .command('list')
          .description('List the stages of a pipeline, with how many items each holds')
          .addOption(pipelineOption())
          .addOption(typeOption()),
      ),
      stageView,
    )
      .addHelpText('after', examples('crmctl stage list', 'crmctl stage list --type lead --json'))
      .action(async (options) => {
        const session = ctx.session('items.view');
        const stages = listStages(session, options.pipeline, options.type);
        const counts = stages[0]
          ? countItemsByStage(session, stages[0].pipelineId)
          : new Map<number, number>();
        await printList(
          ctx,
          listingOf(
            stages.map((s) => ({ ...s, items: counts.get(s.id) ?? 0 })),
            options,
          ),
          options,
          stageView,
        );
      });

    withOutputOptions(
      stage
        .command('add')
        .description('Add a stage (needs pipelines.edit)')
        .argument('<name>', 'stage name')
        .addOption(pipelineOption())
        .addOption(typeOption())
        .option(
          '--after <stage>',
          'place it after this stage (default: after the last process stage, or last for a failure stage)',
        )
        .addOption(
          new Option('--semantic <semantic>', 'process, success or failure')
            .choices(semantics)
            .default('process' as Semantic),
        ),
      stageView,
    )
      .addHelpText(
        'after',
        examples(
          'crmctl stage add "Measure room" --pipeline "Furniture store" --after New',
          'crmctl stage add Spam --pipeline "Furniture store" --semantic failure',
        ),
      )
      .action(async (name, options) => {
        const session = ctx.session('pipelines.edit');
        const added = session.write(() =>
          addStage(session, {
            pipeline: options.pipeline,
            type: options.type,
            name,
            after: options.after,
            semantic: options.semantic,
          }),
        );
        await printChange(ctx, options, { ...added }, stageView, {
          id: added.id,
          note: `Added stage "${added.name}"`,
        });
      });

    withOutputOptions(
      stage
        .command('rename')
        .description('Rename a stage (needs pipelines.edit)')
        .argument('<stage>', 'stage name or id')
        .argument('<new-name>', 'new name')
        .addOption(pipelineOption())
        .addOption(typeOption()),
      stageView,
    )
      .addHelpText(
        'after',
        examples('crmctl stage rename "In progress" Delivery --pipeline "Furniture store"'),
      )
      .action(async (ref, newName, options) => {
        const session = ctx.session('pipelines.edit');
        const renamed = session.write(() =>
          renameStage(
            session,
            { pipeline: options.pipeline, type: options.type, stage: ref },
            newName,
          ),
        );
        await printChange(ctx, options, { ...renamed }, stageView, {
          id: renamed.id,
          note: `Renamed to "${renamed.name}"`,
        });
      });

    withOutputOptions(
      stage
        .command('move')
        .description('Change the order of stages; final stages stay last (needs pipelines.edit)')
        .argument('<stage>', 'stage name or id')
        .addOption(pipelineOption())
        .addOption(typeOption())
        .option('--after <stage>', 'place it right after this stage')
        .option('--first', 'place it first'),
      stageView,
    )
      .addHelpText(
        'after',
        examples('crmctl stage move Delivery --after Prepayment --pipeline "Furniture store"'),
      )
      .action(async (ref, options) => {
        if (!options.after && !options.first) {
          throw new UsageError('say where: --after STAGE or --first');
        }
        const session = ctx.session('pipelines.edit');
        const stages = session.write(() =>
          moveStage(session, {
            pipeline: options.pipeline,
            type: options.type,
            stage: ref,
            after: options.after,
          }),
        );
        await printList(ctx, stages, options, {
          ...stageView,
          columns: ['id', 'position', 'name', 'semantic'],
        });
      });

    withOutputOptions(
      stage
        .command('remove')
        .description('Remove a stage; items in it need --move-items-to (needs pipelines.edit)')
        .argument('<stage>', 'stage name or id')
        .addOption(pipelineOption())
        .addOption(typeOption())
        .option(
          '--move-items-to <stage>',
          'move its items to this stage of the same pipeline first',
        ),
      stageView,
    )
      .addHelpText(
        'after',
        examples(
          'crmctl stage remove "Final invoice" --pipeline "Furniture store" --move-items-to Won',
        ),
      )
      .action(async (ref, options) => {
        const session = ctx.session('pipelines.edit');
        const removed = session.write(() =>
          removeStageMovingItems(session, {
            pipeline: options.pipeline,
            type: options.type,
            stage: ref,
            moveItemsTo: options.moveItemsTo,
          }),
        );
        await printChange(ctx, options, removed, stageView, {
          id: removed.id,
          note: `Removed stage "${removed.name}"${removed.items ? `; moved ${removed.items} items` : ''}`,
        });
      });
  },
};
