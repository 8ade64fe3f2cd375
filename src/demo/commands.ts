import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printJson, printList } from '../cli/output.js';
import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { ConflictError } from '../errors.js';
import { historyView } from '../history/commands.js';
import { drawPipeline, stageColumns } from '../pipelines/draw.js';
import { listPipelines } from '../pipelines/service.js';
import { demoPipelineName, playFurnitureDemo } from './service.js';

export const commands: CommandModule['commands'] = {
  demo(program, ctx) {
    program
      .command('demo')
      .description(
        'Play the furniture-store example of the CRM help (seed 002) in a fresh store: its deal\n' +
          'pipeline, a lead and three deals moved through the stages on a virtual clock, then the\n' +
          'pipeline and the timeline. Uses a new temporary store unless --db is given.',
      )
      .option('--json', 'print the result as JSON')
      .addHelpText(
        'after',
        examples('crmctl demo', 'crmctl --db ./demo.db demo', 'crmctl demo --json'),
      )
      .action(async (options) => {
        const explicitStore = Boolean(ctx.globalOption('db') ?? ctx.env.CRMCTL_DB);
        if (!explicitStore)
          ctx.useStorePath(join(mkdtempSync(join(tmpdir(), 'crmctl-demo-')), 'crm.db'));
        // The demo adds users, changes settings, a pipeline and items: it needs all of those rights.
        ctx.session('users.manage');
        ctx.session('items.edit');
        const session = ctx.session('pipelines.edit');
        if (listPipelines(session, 'deal').some((p) => p.name === demoPipelineName)) {
          throw new ConflictError(`${ctx.storePath} already has the demo: run it on a fresh store`);
        }
        const start = new Date(Date.UTC(2026, 10, 23, 9, 0));
        const result = playFurnitureDemo(session.store, start, ctx.login);
        if (options.json) {
          printJson(ctx, {
            store: ctx.storePath,
            pipeline: result.pipeline,
            items: result.items,
            timeline: result.timeline,
          });
          return;
        }
        const width = ctx.io.stdoutIsTTY ? ctx.io.columns : 120;
        ctx.out(
          drawPipeline(
            result.pipeline,
            stageColumns(result.pipeline, result.stageCounts),
            width,
            ctx.colour('stdout'),
          ),
        );
        ctx.out('Timeline');
        await printList(ctx, result.timeline, {}, historyView);
        ctx.note(
          `\nThe demo store is ${ctx.storePath}: explore it with\n  crmctl --db ${ctx.storePath} item list\n  crmctl --db ${ctx.storePath} pipeline show "${demoPipelineName}"`,
        );
      });
  },
};
