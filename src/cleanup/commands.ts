import { type View, withOutputOptions } from '../cli/output.js';
import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { printResult } from '../cli/result.js';
import { cleanupTasks } from '../registrations.js';
import { describeCleanup, runCleanup } from './service.js';

const cleanupView: View = {
  fields: ['operationId', 'dryRun', 'at', 'tasks'],
  columns: ['operationId', 'dryRun', 'at', 'tasks'],
};

export const commands: CommandModule['commands'] = {
  cleanup(program, ctx) {
    withOutputOptions(
      program
        .command('cleanup')
        .description(
          'The nightly job: purge the recycle bin past its retention (recycle-bin settings), and\n' +
            'what other features add (due automation, expired blacklist entries), in one\n' +
            'transaction at the clock’s now. One summary line, or JSON; running it twice does\n' +
            'nothing more the second time; exit 0 with nothing to do. Needs each task’s permission\n' +
            '(bin.purge for the bin).',
        )
        .option('--dry-run', 'do it, report the counts, and roll it back'),
      cleanupView,
    )
      .addHelpText(
        'after',
        examples(
          'crmctl cleanup',
          'crmctl cleanup --dry-run --json',
          'crmctl cleanup --quiet -o jsonl >> cleanup.log',
        ),
      )
      .action(async (options) => {
        const tasks = await Promise.all(cleanupTasks.map((load) => load()));
        const session = ctx.session();
        const dryRun = options.dryRun === true;
        const result = session.write(() => runCleanup(session, tasks), { dryRun });
        const record = { ...result, operationId: session.operationId, dryRun };
        await printResult(ctx, options, record, cleanupView, () => {
          ctx.out(`${dryRun ? 'cleanup (dry run)' : 'cleanup'}: ${describeCleanup(result, tasks)}`);
        });
      });
  },
};
