import { checkWritable } from '../cli/files.js';
import { printRecord, type View, withOutputOptions } from '../cli/output.js';
import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { ExitCode } from '../errors.js';
import { backupStore, checkStore } from './maintenance.js';

const checkView: View = {
  fields: ['ok', 'path', 'schemaVersion', 'integrity', 'foreignKeyViolations'],
  columns: ['ok', 'path', 'schemaVersion', 'integrity', 'foreignKeyViolations'],
};

export const commands: CommandModule['commands'] = {
  db(program, ctx) {
    const db = program
      .command('db')
      .description('Look after the store file: check it, back it up')
      .addHelpText(
        'after',
        examples('crmctl db check', 'crmctl db backup /var/backups/crm-$(date +%F).db'),
      );

    withOutputOptions(
      db
        .command('check')
        .description('Check the store: SQLite integrity and foreign keys (exit 7 when damaged)'),
    )
      .addHelpText('after', examples('crmctl db check', 'crmctl db check --json'))
      .action(async (options) => {
        const result = checkStore(ctx.store);
        await printRecord(ctx, result, options, checkView);
        if (!result.ok) ctx.exitCode = ExitCode.unusableInput;
      });

    withOutputOptions(
      db
        .command('backup')
        .description(
          'Copy the store to FILE with the online backup API, safe while others write (needs users.manage)',
        )
        .argument('<file>', 'where to write the copy')
        .option('--force', 'replace FILE if it exists'),
    )
      .addHelpText('after', examples('crmctl db backup crm-backup.db'))
      .action(async (file, options) => {
        ctx.session('users.manage');
        checkWritable(file, 'db backup');
        const result = await backupStore(ctx.store, file, options.force === true);
        await printRecord(ctx, { ...result }, options, {
          fields: ['path', 'totalPages'],
          columns: ['path', 'totalPages'],
        });
      });
  },
};
