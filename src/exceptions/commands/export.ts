import { type Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { escapeControls } from '../../cli/escape.js';
import { OutputFile, storeFiles } from '../../cli/files.js';
import { formatFor } from '../../cli/import.js';
import { OutputWriter } from '../../cli/output.js';
import { examples } from '../../cli/parse.js';
import { InputError, OutputError } from '../../errors.js';
import { csvRow, guardFormula } from '../../formats/csv.js';
import type { ImportFormat } from '../../imports/run.js';
import { type ExceptionEntry, exportExceptions } from '../service.js';
import { filterOptions, withFilters } from './shared.js';

/** `exceptions export [FILE]`: lines or CSV that an import into an empty list reproduces exactly. */
export function addExport(exceptions: Command, ctx: Context): void {
  withFilters(
    exceptions
      .command('export')
      .description(
        'Write the list (or the filtered part) to FILE or stdout, so that importing it into an empty\n' +
          'list reproduces it exactly: lines (value;comment) or CSV (value,comment,type; cells that\n' +
          "could run as spreadsheet formulas get a leading ', which the importer removes). A comment\n" +
          'with a line break, or a value starting with #, needs CSV. FILE appears whole, never over\n' +
          'the store.',
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
        'crmctl exceptions export backup.txt',
        'crmctl exceptions export --format csv --type email > emails.csv',
      ),
    )
    .action(async (file, options) => {
      const session = ctx.session('exceptions.view');
      const format = formatFor(options.format, file);
      const filter = filterOptions(ctx, options);
      if (file === undefined || file === '-') {
        const writer = new OutputWriter(ctx.io.stdout);
        const count = await writeExport(
          exportExceptions(session, filter),
          format,
          ctx.io.stdoutIsTTY,
          writer,
        );
        ctx.note(`Exported ${count} entries`);
        return;
      }
      const output = new OutputFile(file, {
        what: 'export',
        force: options.force === true,
        protect: storeFiles(ctx.storePath),
      });
      let count: number;
      try {
        count = await writeExport(exportExceptions(session, filter), format, false, {
          add: (text) => {
            output.write(text);
            return false;
          },
          flush: async () => {},
          closed: false,
        });
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

/**
 * One entry of an export. Lines are `value;comment`, so a value starting with # (it would read
 * back as a comment line) or a comment holding a line break cannot be written as one: CSV can.
 */
function exportLine(entry: ExceptionEntry, format: ImportFormat, terminal: boolean): string {
  const shown = terminal ? escapeControls : (text: string) => text;
  if (format === 'csv')
    return csvRow([guardFormula(entry.value), guardFormula(entry.comment), entry.type].map(shown));
  if (entry.value.startsWith('#')) {
    throw new InputError(
      `${entry.value} starts with # and would read back as a comment line: export with --format csv`,
    );
  }
  if (/[\r\n]/.test(entry.comment)) {
    throw new InputError(
      `the comment of ${entry.value} holds a line break, which the lines format cannot carry: export with --format csv`,
    );
  }
  return entry.comment === '' ? `${entry.value}\n` : `${entry.value};${shown(entry.comment)}\n`;
}

/** Writes the entries through `out`, waiting for it when it is slower; returns how many. */
async function writeExport(
  entries: Iterable<ExceptionEntry>,
  format: ImportFormat,
  terminal: boolean,
  out: Pick<OutputWriter, 'add' | 'flush' | 'closed'>,
): Promise<number> {
  let count = 0;
  if (format === 'csv') out.add(csvRow(['value', 'comment', 'type']));
  for (const entry of entries) {
    count++;
    if (out.add(exportLine(entry, format, terminal))) await out.flush();
    if (out.closed) break;
  }
  await out.flush();
  return count;
}
