import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printList, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseId, parseSinceFlag, withPaging } from '../../cli/parse.js';
import { printResult } from '../../cli/result.js';
import { parseInstant } from '../../clock.js';
import { UsageError } from '../../errors.js';
import { runDueAutomation } from '../engine.js';
import { explainItem, listAutomationLog, logStatuses } from '../log.js';
import { logView } from './shared.js';

const runView: View = {
  fields: [
    'dryRun',
    'until',
    'ran',
    'done',
    'skipped',
    'failed',
    'cancelled',
    'pending',
    'operationId',
  ],
  columns: ['until', 'ran', 'done', 'skipped', 'failed', 'cancelled', 'pending'],
};

export function automationCommands(program: Command, ctx: Context): void {
  const automation = program
    .command('automation')
    .description('The scheduler and the automation log: what ran, when and why')
    .addHelpText(
      'after',
      examples(
        'crmctl automation run',
        'crmctl automation run --until 2026-12-01T18:00:00Z --now 2026-12-01T09:00:00Z',
        'crmctl automation log --item 42 --explain',
      ),
    );

  withOutputOptions(
    automation
      .command('run')
      .description(
        'Run every job due up to now (or --until), earliest first, each on a clock set to its due\n' +
          'time; jobs they schedule before --until run too (needs automation.edit)',
      )
      .option('--until <time>', 'run jobs due up to this ISO time (default: now)')
      .option('--dry-run', 'run them, report, and roll everything back'),
    runView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl automation run',
        'crmctl automation run --until 2026-12-02T00:00:00Z --json',
      ),
    )
    .action(async (options) => {
      const session = ctx.session('automation.edit');
      const until =
        options.until === undefined ? ctx.clock.now() : parseInstant(options.until, '--until');
      const dryRun = options.dryRun === true;
      const result = session.write(() => runDueAutomation(session, until), { dryRun });
      const shown = { dryRun, ...result, operationId: session.operationId };
      await printResult(ctx, options, shown, runView, () => {
        ctx.note(
          `${dryRun ? 'Would run' : 'Ran'} ${result.ran} job(s) up to ${result.until}: ${result.done} done, ${result.skipped} skipped, ${result.failed} failed, ${result.cancelled} cancelled; ${result.pending} still waiting`,
        );
      });
    });

  withOutputOptions(
    withPaging(
      automation
        .command('log')
        .description('The automation log: each rule run and trigger considered, oldest first')
        .option('--item <id>', 'only this item')
        .option('--rule <id>', 'only this rule')
        .option('--trigger <id>', 'only this trigger')
        .option('--status <status>', `only ${logStatuses.join(', ')}`)
        .option('--since <time>', 'executed since this ISO time, or this long ago (2h, 3d)')
        .option(
          '--explain',
          'with --item: tell in sentences why each rule ran, waited, was skipped or cancelled',
        ),
    ),
    logView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl automation log --status failed',
        'crmctl automation log --item 42 --explain',
        'crmctl automation log --rule 3 -o jsonl',
      ),
    )
    .action(async (options) => {
      const status = options.status;
      if (status !== undefined && !(logStatuses as readonly string[]).includes(status)) {
        throw new UsageError(`--status takes one of ${logStatuses.join(', ')}, not "${status}"`);
      }
      const item = options.item === undefined ? undefined : parseId(options.item, '--item');
      const session = ctx.session();
      if (options.explain) {
        if (item === undefined)
          throw new UsageError('--explain tells the story of one item: give --item ID');
        const lines = explainItem(session, item);
        if (lines.length === 0) ctx.note(`No automation has run for item ${item}`);
        for (const line of lines) ctx.out(line);
        return;
      }
      const listing = listAutomationLog(session, {
        item,
        rule: options.rule === undefined ? undefined : parseId(options.rule, '--rule'),
        trigger: options.trigger === undefined ? undefined : parseId(options.trigger, '--trigger'),
        status: status as (typeof logStatuses)[number] | undefined,
        since: parseSinceFlag(options.since, '--since', ctx.clock),
        limit: options.limit,
        offset: options.offset,
      });
      await printList(ctx, listing, options, logView);
    });
}
