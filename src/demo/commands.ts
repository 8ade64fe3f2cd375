import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printJson, printList, type View } from '../cli/output.js';
import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { ConflictError, UsageError } from '../errors.js';
import { drawPipeline, stageColumns } from '../pipelines/draw.js';
import { dataBeyondSeed } from '../setup/service.js';
import { demoLengthMs, demoPipelineName, demoStart, playFurnitureDemo } from './service.js';

const lastInstant = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

import { drawTimeline } from './timeline.js';

const timelineView: View = {
  fields: ['at', 'itemId', 'item', 'by', 'what', 'detail'],
  columns: ['at', 'item', 'by', 'what', 'detail'],
};

export const commands: CommandModule['commands'] = {
  demo(program, ctx) {
    program
      .command('demo')
      .description(
        'Play the furniture-store example of the CRM help (seed 002) in a fresh store: its deal\n' +
          'pipeline with its automation (an SMS on New, a reminder after 30 minutes, an invoice\n' +
          'document and email on "Prepare documents", a payment trigger and a warehouse task on\n' +
          '"Prepayment", add-to-exceptions on Spam), then a lead and three deals moved through it on\n' +
          'a virtual clock with the scheduler run between steps; prints the pipeline picture and the\n' +
          'timeline of what people and the automation did. It starts on Monday 23 November 2026\n' +
          '09:00 UTC, or at --now: the same start gives the same output. It plays in a new temporary\n' +
          'store, or in the store --db names when that is new (a missing or empty file): CRMCTL_DB is\n' +
          'ignored, so the demo never writes into your real store, and a --db that already holds\n' +
          'data is refused (exit 5).',
      )
      .option('--json', 'print the result as JSON')
      .addHelpText(
        'after',
        examples(
          'crmctl demo',
          'crmctl --db ./demo.db demo',
          'crmctl --now 2026-12-07T08:00:00Z demo --json',
        ),
      )
      .action(async (options) => {
        const given = ctx.globalOption('now') ?? ctx.env.CRMCTL_NOW;
        const start = given ? ctx.clock.now() : demoStart;
        // The demo plays two days on from its start: they must end where --now ends, in 9999.
        if (start.getTime() + demoLengthMs > lastInstant) {
          throw new UsageError(
            `${ctx.globalOption('now') !== undefined ? '--now' : 'CRMCTL_NOW'}: the demo plays two days on from its start; start it by 9999-12-29`,
          );
        }
        // Only --db names the demo's store: CRMCTL_DB is where a person's real store lives.
        if (ctx.globalOption('db') === undefined) {
          ctx.useStorePath(join(mkdtempSync(join(tmpdir(), 'crmctl-demo-')), 'crm.db'));
        }
        // The demo adds users, changes settings, a pipeline, automation and items: it needs all those rights.
        ctx.session('users.manage');
        ctx.session('items.edit');
        ctx.session('automation.edit');
        const session = ctx.session('pipelines.edit');
        const held = dataBeyondSeed(session);
        if (held.length > 0) {
          throw new ConflictError(
            `${ctx.storePath} already holds data (${held.join(', ')}): the demo plays only in a new store. ` +
              'Run crmctl demo without --db for a temporary one, or give --db a new file',
          );
        }
        const result = session.write(() => playFurnitureDemo(session, start));
        if (options.json) {
          printJson(ctx, {
            store: ctx.storePath,
            pipeline: result.pipeline,
            automation: result.automation,
            items: result.items,
            timeline: result.timeline,
            log: result.log,
          });
          return;
        }
        const width = ctx.io.stdoutIsTTY ? ctx.io.columns : 120;
        const counts = new Map(result.automation.stages.map((s) => [s.id, s.items]));
        ctx.out(
          drawPipeline(
            result.pipeline,
            stageColumns(result.pipeline, counts, result.automation),
            width,
            ctx.colour('stdout'),
          ),
        );
        ctx.out('Timeline');
        // A person reads it by day and time; piped it stays tab-separated rows, as lists are.
        if (ctx.io.stdoutIsTTY) ctx.out(drawTimeline(result.timeline, width));
        else await printList(ctx, result.timeline, {}, timelineView);
        const db = ctx.storePath;
        ctx.note(
          `\nThe demo store is ${db}: explore it with\n` +
            [
              `crmctl --db ${db} pipeline show "${demoPipelineName}"`,
              `crmctl --db ${db} automation log --item ${result.items[0]?.id ?? 1} --explain`,
              `crmctl --db ${db} outbox list`,
              `crmctl --db ${db} task list`,
              `crmctl --db ${db} exceptions list`,
              `crmctl --db ${db} recycle-bin list`,
              `crmctl --db ${db} rule lint`,
            ]
              .map((line) => `  ${line}`)
              .join('\n'),
        );
      });
  },
};
