import { printRecord, type View, withOutputOptions } from '../cli/output.js';
import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { ExitCode, UsageError } from '../errors.js';
import { backupStore, checkStore, damagedStoreCheck, problemsShown } from './maintenance.js';
import { DamagedStoreError } from './store.js';

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
        .description(
          `Check the store: SQLite integrity and foreign keys. A damaged store is listed with the\n` +
            `first ${problemsShown} problems found, and exits 7. Changes nothing: an older store is not migrated.`,
        ),
    )
      .addHelpText('after', examples('crmctl db check', 'crmctl db check --json'))
      .action(async (options) => {
        let result: ReturnType<typeof checkStore>;
        try {
          result = checkStore(ctx.store);
        } catch (error) {
          if (!(error instanceof DamagedStoreError)) throw error;
          result = damagedStoreCheck(error);
        }
        await printRecord(ctx, result, options, checkView);
        if (!result.ok) {
          ctx.exitCode = ExitCode.unusableInput;
          ctx.note(
            `${result.path} is damaged. Restore it from a backup (crmctl db backup makes them), ` +
              'or copy out what still reads with sqlite3 .recover',
          );
        }
      });

    withOutputOptions(
      db
        .command('backup')
        .description(
          'Copy the store to FILE with the online backup API, safe while others write (needs\n' +
            'users.manage). The copy is private (mode 0600) and appears only when whole: a failed\n' +
            'backup leaves nothing behind. An older store is copied as it is.',
        )
        .argument('<file>', 'where to write the copy (not the store itself)')
        .option('--force', 'replace FILE if it exists'),
    )
      .addHelpText('after', examples('crmctl db backup crm-backup.db'))
      .action(async (file, options) => {
        if (file.trim() === '') throw new UsageError('db backup needs a file to write the copy to');
        const session = ctx.session('users.manage');
        const result = await backupStore(session.store, file, options.force === true);
        await printRecord(ctx, { ...result }, options, {
          fields: ['path', 'totalPages'],
          columns: ['path', 'totalPages'],
        });
      });
  },
};
