import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { escapeControls } from '../../cli/escape.js';
import { OutputFile, storeFiles } from '../../cli/files.js';
import { formatFor } from '../../cli/import.js';
import { OutputWriter } from '../../cli/output.js';
import { examples } from '../../cli/parse.js';
import { InputError, OutputError } from '../../errors.js';
import { csvRow, guardFormula } from '../../formats/csv.js';
import { type BlacklistEntry, exportBlacklist } from '../blacklist.js';

import { filterOptions, permission, withFilters } from './shared.js';

export function addExport(blacklist: Command, ctx: Context): void {
  withFilters(
    blacklist
      .command('export')
      .description(
        'Write the blacklist (or the filtered part) to FILE or stdout as number;comment lines, or CSV\n' +
          '(value,comment,source,expiresAt), so that importing it into an empty list gives the same\n' +
          'numbers and comments (needs telephony.settings). A comment with a line break needs CSV.',
      )
      .argument('[file]', 'where to write (default: stdout)')
      .addOption(
        new Option(
          '--format <format>',
          'lines or csv (default: csv for *.csv, else lines)',
        ).choices(['lines', 'csv']),
      )
      .option('--force', 'replace FILE if it exists'),
  )
    .addHelpText(
      'after',
      examples(
        'crmctl blacklist export backup.txt',
        'crmctl blacklist export --format csv --source auto',
      ),
    )
    .action(async (file, options) => {
      const session = ctx.session(permission);
      const format = formatFor(options.format, file);
      const entries = exportBlacklist(session, filterOptions(ctx, options));
      const line = (entry: BlacklistEntry, terminal: boolean): string => {
        const shown = terminal ? escapeControls : (text: string) => text;
        if (format === 'csv') {
          return csvRow(
            [
              guardFormula(entry.number),
              guardFormula(entry.comment),
              entry.source,
              entry.expiresAt ?? '',
            ].map(shown),
          );
        }
        if (/[\r\n]/.test(entry.comment)) {
          throw new InputError(
            `the comment of ${entry.number} holds a line break, which the lines format cannot carry: export with --format csv`,
          );
        }
        return entry.comment === ''
          ? `${entry.number}\n`
          : `${entry.number};${shown(entry.comment)}\n`;
      };
      const header = format === 'csv' ? csvRow(['value', 'comment', 'source', 'expiresAt']) : '';
      if (file === undefined || file === '-') {
        const writer = new OutputWriter(ctx.io.stdout);
        let count = 0;
        writer.add(header);
        for (const entry of entries) {
          count++;
          if (writer.add(line(entry, ctx.io.stdoutIsTTY))) await writer.flush();
          if (writer.closed) break;
        }
        await writer.flush();
        ctx.note(`Exported ${count} entries`);
        return;
      }
      const output = new OutputFile(file, {
        what: 'export',
        force: options.force === true,
        protect: storeFiles(ctx.storePath),
      });
      let count = 0;
      try {
        output.write(header);
        for (const entry of entries) {
          count++;
          output.write(line(entry, false));
        }
        output.commit();
      } catch (error) {
        output.discard();
        if (error instanceof OutputError)
          throw new OutputError(`${error.message}; the list is unchanged`);
        throw error;
      }
      ctx.note(escapeControls(`Exported ${count} entries to ${file}`));
    });
}
