import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printJson, printList } from '../cli/output.js';
import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { ConflictError } from '../errors.js';
import { historyView } from '../history/commands.js';
import { drawPipeline, stageColumns } from '../pipelines/draw.js';
import { dataBeyondSeed } from '../setup/service.js';
import { demoPipelineName, playFurnitureDemo } from './service.js';

export const commands: CommandModule['commands'] = {
  demo(program, ctx) {
    program
      .command('demo')
      .description(
        'Play the furniture-store example of the CRM help (seed 002) in a fresh store: its deal\n' +
          'pipeline, a lead and three deals moved through the stages on a virtual clock, then the\n' +
          'pipeline and the timeline. It plays in a new temporary store, or in the store --db names\n' +
          'when that is new (a missing or empty file): CRMCTL_DB is ignored, so the demo never writes\n' +
          'into your real store, and a --db that already holds data is refused (exit 5).',
      )
      .option('--json', 'print the result as JSON')
      .addHelpText(
        'after',
        examples('crmctl demo', 'crmctl --db ./demo.db demo', 'crmctl demo --json'),
      )
      .action(async (options) => {
        // Only --db names the demo's store: CRMCTL_DB is where a person's real store lives.
        if (ctx.globalOption('db') === undefined) {
          ctx.useStorePath(join(mkdtempSync(join(tmpdir(), 'crmctl-demo-')), 'crm.db'));
        }
        // The demo adds users, changes settings, a pipeline and items: it needs all of those rights.
        ctx.session('users.manage');
        ctx.session('items.edit');
        const session = ctx.session('pipelines.edit');
        const held = dataBeyondSeed(session);
        if (held.length > 0) {
          throw new ConflictError(
            `${ctx.storePath} already holds data (${held.join(', ')}): the demo plays only in a new store. ` +
              'Run crmctl demo without --db for a temporary one, or give --db a new file',
          );
        }
        const start = new Date(Date.UTC(2026, 10, 23, 9, 0));
        const result = session.write(() => playFurnitureDemo(session, start));
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
