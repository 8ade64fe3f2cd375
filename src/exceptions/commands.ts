import { closeSync, existsSync, renameSync, rmSync, writeSync } from 'node:fs';
import { type Command, Option, type OptionValues } from '@commander-js/extra-typings';
import type { Context } from '../cli/context.js';
import { cannotWrite, openForWriting } from '../cli/files.js';
import { openInput } from '../cli/input.js';
import {
  formatOf,
  printList,
  printRecord,
  type View,
  wantsJson,
  withOutputOptions,
} from '../cli/output.js';
import { examples, parseId, parseLimit, parseOffset, withPaging } from '../cli/parse.js';
import { startProgress } from '../cli/progress.js';
import type { CommandModule } from '../cli/registry.js';
import { parseSince } from '../clock.js';
import { ConflictError, ExitCode, InputError, UsageError } from '../errors.js';
import { csvRow, guardFormula } from '../formats/csv.js';
import { listOperations } from '../operations/service.js';
import type { ImportFormat, ImportSummary, ReportedLine } from './import.js';
import {
  addExceptions,
  checkException,
  countExceptions,
  type ExceptionEntry,
  type ExceptionSource,
  type ExceptionType,
  exceptionSources,
  exceptionTypes,
  exportExceptions,
  type ListExceptionsOptions,
  listExceptions,
  removeExceptions,
  removeExceptionsMatching,
  undoImport,
} from './service.js';

const entryView: View = {
  fields: ['id', 'type', 'value', 'raw', 'comment', 'source', 'createdAt', 'createdBy', 'batchId'],
  columns: ['id', 'type', 'value', 'comment', 'source', 'createdAt', 'createdBy'],
};

const summaryView: View = {
  fields: [
    'batchId',
    'dryRun',
    'committed',
    'lines',
    'added',
    'duplicates',
    'updated',
    'rejected',
    'rejectedByReason',
    'commentLines',
  ],
  columns: [
    'batchId',
    'dryRun',
    'lines',
    'added',
    'duplicates',
    'updated',
    'rejected',
    'rejectedByReason',
  ],
  cells: {
    rejectedByReason: (v) =>
      Object.entries((v ?? {}) as Record<string, number>)
        .map(([r, n]) => `${r} ${n}`)
        .join(', '),
  },
};

const batchView: View = {
  fields: ['id', 'at', 'actor', 'summary', 'undoneAt'],
  columns: ['id', 'at', 'actor', 'summary', 'undoneAt'],
  cells: {
    summary: (v) => {
      const s = (v ?? {}) as Record<string, unknown>;
      return `${s.lines ?? 0} lines: ${s.added ?? 0} added, ${s.duplicates ?? 0} duplicates, ${s.updated ?? 0} updated, ${s.rejected ?? 0} rejected`;
    },
  },
};

type FilterFlags = {
  type?: ExceptionType;
  value?: string;
  comment?: string;
  source?: ExceptionSource;
  since?: string;
  until?: string;
  addedBy?: string;
  batch?: string;
  country?: string;
};

/** The filter flags shared by list, export and remove. */
function withFilters<
  Args extends unknown[],
  Opts extends OptionValues,
  Globals extends OptionValues,
>(command: Command<Args, Opts, Globals>) {
  return command
    .addOption(new Option('--type <type>', 'phone or email').choices(exceptionTypes))
    .option('--value <text>', 'value contains this text, or is this number/address in any spelling')
    .option('--comment <text>', 'comment contains this text (case-insensitive)')
    .addOption(new Option('--source <source>', 'how it was added').choices(exceptionSources))
    .option('--since <time>', 'added at or after (ISO-8601, or 7d, 12h …)')
    .option('--until <time>', 'added before (ISO-8601, or 7d …)')
    .option('--added-by <login>', 'added by this user')
    .option('--batch <id>', 'added by this import batch or add operation')
    .option('--country <code>', 'country for a --value phone in national format');
}

function filterOptions(ctx: Context, flags: FilterFlags): ListExceptionsOptions {
  return {
    type: flags.type,
    value: flags.value,
    comment: flags.comment,
    source: flags.source,
    since: flags.since === undefined ? undefined : parseSince(flags.since, '--since', ctx.clock),
    until: flags.until === undefined ? undefined : parseSince(flags.until, '--until', ctx.clock),
    addedBy: flags.addedBy,
    batch: flags.batch === undefined ? undefined : parseId(flags.batch, '--batch'),
    country: flags.country,
  };
}

function hasFilter(flags: FilterFlags): boolean {
  return [
    flags.type,
    flags.value,
    flags.comment,
    flags.source,
    flags.since,
    flags.until,
    flags.addedBy,
    flags.batch,
  ].some((f) => f !== undefined);
}

/** `--format`, else the file's extension, else lines. */
function formatFor(format: string | undefined, file: string | undefined): ImportFormat {
  if (format === 'csv' || format === 'lines') return format;
  return file?.toLowerCase().endsWith('.csv') ? 'csv' : 'lines';
}

/** Writes reported lines to a CSV file as they come: line, raw, reason, message. */
function rejectsWriter(path: string) {
  const fd = openForWriting(path, path, '--rejects');
  let buffered = csvRow(['line', 'raw', 'reason', 'message']);
  const flush = () => {
    writeSync(fd, buffered);
    buffered = '';
  };
  return {
    write(line: ReportedLine) {
      buffered += csvRow([String(line.line), guardFormula(line.raw), line.reason, line.message]);
      if (buffered.length > 1 << 16) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}

function describeSummary(summary: ImportSummary, source: string): string {
  const reasons = Object.entries(summary.rejectedByReason)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  const what = summary.dryRun
    ? 'Dry run of import'
    : summary.committed
      ? 'Imported batch'
      : 'Nothing imported';
  return (
    `${what}${summary.batchId === null ? '' : ` ${summary.batchId}`} from ${source}: ${summary.lines} lines, ${summary.added} added, ` +
    `${summary.duplicates} duplicates, ${summary.updated} updated, ${summary.rejected} rejected${reasons ? ` (${reasons})` : ''}`
  );
}

export const commands: CommandModule['commands'] = {
  exceptions(program, ctx) {
    const exceptions = program
      .command('exceptions')
      .description(
        'The exceptions list: phones and emails from which no lead or deal is created (inbound\n' +
          'emails and calls); chats and CRM forms are not affected. Applies to the whole CRM.',
      )
      .addHelpText(
        'after',
        examples(
          'crmctl exceptions import spam.txt --country GB --rejects rejected.csv',
          'crmctl exceptions check "+44 20 7946 0958" && echo listed',
          'crmctl exceptions list --comment supplier --json',
        ),
      );

    withOutputOptions(
      exceptions
        .command('import')
        .description(
          'Import phones and emails from FILE (or - for stdin) in one transaction (needs exceptions.edit).\n' +
            'Lines are value;comment (the comment is everything after the first ;, kept exactly);\n' +
            'blank lines and lines starting with # are skipped; UTF-8 with or without BOM, LF or CRLF.\n' +
            'CSV (--format csv, or a .csv file) needs a header with value and optionally comment, type.\n' +
            'Exit 0; 3 when some lines were rejected (the valid ones are kept); 7 with --strict.',
        )
        .argument('[file]', 'the file, or - for stdin')
        .addOption(
          new Option(
            '--format <format>',
            'lines or csv (default: csv for *.csv, else lines)',
          ).choices(['lines', 'csv']),
        )
        .option(
          '--country <code>',
          'country for numbers in national format (default: settings default-country)',
        )
        .option('--comment <text>', 'comment for entries that have none')
        .option('--dry-run', 'do the import, report it, and roll it back')
        .option('--strict', 'all or nothing: any rejected line keeps nothing (exit 7)')
        .option('--update-comments', 'overwrite the comment of entries already listed')
        .option(
          '--rejects <file>',
          'write every line not added (rejected or duplicate) to this CSV: line, raw, reason, message',
        ),
    )
      .addHelpText(
        'after',
        examples(
          'crmctl exceptions import numbers.txt --country GB',
          'crmctl exceptions import list.csv --rejects rejects.csv --json',
          'grep -v "^$" export.txt | crmctl exceptions import - --dry-run',
        ),
      )
      .action(async (file, options) => {
        const session = ctx.session('exceptions.edit');
        const input = openInput(ctx, file);
        const rejects = options.rejects === undefined ? undefined : rejectsWriter(options.rejects);
        const json = wantsJson(options);
        const progress = startProgress(ctx, 'Importing', input.size);
        const reportOnStderr = (line: ReportedLine) => {
          ctx.io.stderr.write(
            json
              ? `${JSON.stringify(line)}\n`
              : `${input.name}:${line.line}: ${line.reason}: ${line.message}\n`,
          );
        };
        let summary: ImportSummary;
        try {
          // The importer (and csv-parse) load only for imports: `check` must start fast.
          const { importExceptions } = await import('./import.js');
          summary = await importExceptions(
            session,
            input.open,
            {
              format: formatFor(options.format, file),
              country: options.country,
              comment: options.comment,
              dryRun: options.dryRun === true,
              strict: options.strict === true,
              updateComments: options.updateComments === true,
            },
            {
              onRejected: rejects ? (line) => rejects.write(line) : reportOnStderr,
              onDuplicate: rejects ? (line) => rejects.write(line) : undefined,
              onProgress: progress.update,
            },
          );
        } finally {
          progress.stop();
          rejects?.close();
        }
        if (formatOf(options) !== 'table' || options.fields)
          await printRecord(ctx, { ...summary }, options, summaryView);
        else if (summary.batchId !== null) ctx.out(String(summary.batchId));
        ctx.note(describeSummary(summary, input.name));
        if (summary.lines === 0) ctx.note(`no entries found in ${input.name}`);
        if (summary.rejected > 0) {
          if (rejects) ctx.note(`rejected lines are in ${options.rejects}`);
          ctx.exitCode = options.strict ? ExitCode.unusableInput : ExitCode.someRejected;
        }
      });

    withOutputOptions(
      exceptions
        .command('undo-import')
        .description(
          'Remove exactly what an import added (not entries listed before it) and restore comments it overwrote (needs exceptions.edit)',
        )
        .argument('<batch>', 'the batch id an import printed'),
    )
      .addHelpText('after', examples('crmctl exceptions undo-import 12'))
      .action(async (batch, options) => {
        const session = ctx.session('exceptions.edit');
        const result = undoImport(session, parseId(batch, 'batch'));
        if (formatOf(options) !== 'table' || options.fields) {
          await printRecord(ctx, { ...result }, options, {
            fields: ['batchId', 'removed', 'commentsRestored'],
            columns: ['batchId', 'removed', 'commentsRestored'],
          });
        } else {
          ctx.out(String(result.removed));
        }
        ctx.note(
          `Undid import ${result.batchId}: removed ${result.removed} entries, restored ${result.commentsRestored} comments`,
        );
      });

    withOutputOptions(
      withPaging(
        exceptions.command('batches').description('List import batches with their counts'),
      ),
      batchView,
    )
      .addHelpText(
        'after',
        examples('crmctl exceptions batches', 'crmctl exceptions batches --json'),
      )
      .action(async (options) => {
        const session = ctx.session('exceptions.view');
        await printList(
          ctx,
          listOperations(session, 'exceptions-import', options),
          options,
          batchView,
        );
      });

    withOutputOptions(
      exceptions
        .command('add')
        .description(
          'Add phones and emails, each VALUE or "VALUE;comment" (needs exceptions.edit); exit 3 if any was rejected',
        )
        .argument('<values...>', 'phones and emails')
        .option('--comment <text>', 'comment for values given without one')
        .option('--country <code>', 'country for numbers in national format'),
    )
      .addHelpText(
        'after',
        examples(
          'crmctl exceptions add "+44 20 7946 0958;printing supplier" offers@spam.example',
          'crmctl exceptions add 02079460958 --country GB --comment "cold caller"',
        ),
      )
      .action(async (values, options) => {
        const session = ctx.session('exceptions.edit');
        const result = addExceptions(session, {
          entries: values,
          comment: options.comment,
          country: options.country,
        });
        for (const rejected of result.rejected)
          ctx.io.stderr.write(`${rejected.raw}: ${rejected.reason}: ${rejected.message}\n`);
        for (const duplicate of result.duplicates)
          ctx.note(`${duplicate.existing.value} is already listed`);
        if (formatOf(options) !== 'table' || options.fields) {
          await printRecord(
            ctx,
            {
              operationId: result.operationId,
              added: result.added,
              duplicates: result.duplicates.length,
              rejected: result.rejected,
            },
            options,
            {
              fields: ['operationId', 'added', 'duplicates', 'rejected'],
              columns: ['operationId', 'added', 'duplicates', 'rejected'],
            },
          );
        } else {
          for (const entry of result.added) ctx.out(entry.value);
          ctx.note(
            `Added ${result.added.length}, ${result.duplicates.length} already listed, ${result.rejected.length} rejected`,
          );
        }
        if (result.rejected.length > 0) ctx.exitCode = ExitCode.someRejected;
      });

    withOutputOptions(
      withFilters(
        exceptions
          .command('remove')
          .description(
            'Remove entries: given values (any spelling), the values of --file, or every entry matching\n' +
              'the filters (then --yes, or a confirmation on a terminal). Needs exceptions.edit.',
          )
          .argument('[values...]', 'phones and emails to remove')
          .option('--file <file>', 'remove the values of this file (one per line; - for stdin)')
          .option('--all', 'with no filter: remove every entry')
          .option('--yes', 'do not ask for confirmation')
          .option('--dry-run', 'report what would be removed, change nothing'),
      ),
    )
      .addHelpText(
        'after',
        examples(
          'crmctl exceptions remove "+44 20 7946 0958"',
          'crmctl exceptions remove --file mistakes.txt',
          'crmctl exceptions remove --source import --batch 12 --yes',
        ),
      )
      .action(async (values, options) => {
        const session = ctx.session('exceptions.edit');
        const fromFile = options.file === undefined ? [] : await readValues(ctx, options.file);
        // concat, not push(...): a spread of a million-line file overflows the call stack
        const given = values.concat(fromFile);
        if (given.length > 0 || options.file !== undefined) {
          if (hasFilter(options)) throw new UsageError('give values or filters, not both');
          const result = removeExceptions(session, given, {
            country: options.country,
            dryRun: options.dryRun === true,
          });
          for (const rejected of result.rejected)
            ctx.io.stderr.write(`${rejected.raw}: ${rejected.reason}: ${rejected.message}\n`);
          for (const key of result.notListed) ctx.io.stderr.write(`${key}: not listed\n`);
          if (formatOf(options) !== 'table' || options.fields) {
            await printRecord(ctx, { ...result }, options, {
              fields: ['operationId', 'dryRun', 'removed', 'notListed', 'rejected'],
              columns: ['operationId', 'dryRun', 'removed', 'notListed', 'rejected'],
            });
          } else {
            for (const entry of result.removed) ctx.out(entry.value);
          }
          ctx.note(
            `${result.dryRun ? 'Would remove' : 'Removed'} ${result.removed.length}; ${result.notListed.length} not listed; ${result.rejected.length} rejected`,
          );
          if (result.removed.length === 0 && result.rejected.length === 0)
            ctx.exitCode = ExitCode.notFound;
          else if (result.notListed.length > 0 || result.rejected.length > 0)
            ctx.exitCode = ExitCode.someRejected;
          return;
        }
        if (!hasFilter(options) && !options.all) {
          throw new UsageError(
            'say what to remove: values, --file, filters (e.g. --batch 12), or --all',
          );
        }
        const filter = filterOptions(ctx, options);
        if (!options.yes && !options.dryRun) {
          const count = countExceptions(session, filter);
          if (!ctx.canPrompt)
            throw new UsageError(
              `this removes ${count} entries: add --yes (or --dry-run to see the count)`,
            );
          if (!(await ctx.prompter.confirm(`Remove ${count} entries from the exceptions list?`))) {
            throw new ConflictError('nothing removed: not confirmed');
          }
        }
        const result = removeExceptionsMatching(session, {
          ...filter,
          dryRun: options.dryRun === true,
        });
        if (formatOf(options) !== 'table' || options.fields) {
          await printRecord(ctx, { ...result }, options, {
            fields: ['operationId', 'dryRun', 'removed'],
            columns: ['operationId', 'dryRun', 'removed'],
          });
        } else {
          ctx.out(String(result.removed));
        }
        ctx.note(`${result.dryRun ? 'Would remove' : 'Removed'} ${result.removed} entries`);
      });

    withOutputOptions(
      withFilters(
        exceptions
          .command('list')
          .description(
            'List entries, filtered (needs exceptions.view); on a terminal the first 100 unless --limit',
          )
          .option('--limit <n>', 'at most this many')
          .option('--offset <n>', 'skip this many first'),
      ),
      entryView,
    )
      .addHelpText(
        'after',
        examples(
          'crmctl exceptions list --type email',
          'crmctl exceptions list --value "020 7946 0958" --country GB',
          'crmctl exceptions list --comment supplier --limit 50 --json',
        ),
      )
      .action(async (options) => {
        const session = ctx.session('exceptions.view');
        const entries = listExceptions(session, {
          ...filterOptions(ctx, options),
          limit: options.limit === undefined ? undefined : parseLimit(options.limit),
          offset: options.offset === undefined ? undefined : parseOffset(options.offset),
        });
        await printList(ctx, entries, options, entryView);
      });

    withFilters(
      exceptions
        .command('export')
        .description(
          'Write the list (or the filtered part) to FILE or stdout, so that importing it into an empty\n' +
            'list reproduces it exactly: lines (value;comment) or CSV (value,comment,type; cells that\n' +
            "could run as spreadsheet formulas get a leading ', which the importer removes).",
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
        const entries = exportExceptions(session, filterOptions(ctx, options));
        const count =
          file === undefined
            ? writeExport(entries, format, (text) => ctx.io.stdout.write(text))
            : exportToFile(file, options.force === true, entries, format);
        ctx.note(`Exported ${count} entries${file ? ` to ${file}` : ''}`);
      });

    withOutputOptions(
      exceptions
        .command('check')
        .description(
          'Is VALUE listed? Exit 0 when listed (prints the entry and what it blocks), 1 when not: like grep',
        )
        .argument('<value>', 'a phone (any spelling) or email')
        .option('--country <code>', 'country for a number in national format'),
    )
      .addHelpText(
        'after',
        examples(
          'crmctl exceptions check "+44 20 7946 0958"',
          'if crmctl exceptions check offers@spam.example -q; then echo blocked; fi',
        ),
      )
      .action(async (value, options) => {
        const session = ctx.session('exceptions.view');
        const result = checkException(session, value, options.country);
        if (formatOf(options) !== 'table' || options.fields) {
          await printRecord(ctx, { ...result }, options, {
            fields: ['listed', 'value', 'type', 'entry', 'blocks'],
            columns: ['listed', 'value', 'type', 'blocks'],
          });
        } else if (result.entry) {
          if (!ctx.quiet) {
            await printRecord(ctx, { ...result.entry, blocks: result.blocks }, options, {
              ...entryView,
              fields: [...entryView.fields, 'blocks'],
            });
          }
        } else if (!ctx.quiet) {
          ctx.out(`${result.value} is not listed`);
        }
        ctx.exitCode = result.listed ? ExitCode.ok : ExitCode.notListed;
      });
  },
};

async function readValues(ctx: Context, file: string): Promise<string[]> {
  const input = openInput(ctx, file);
  const { readLines } = await import('./lines.js');
  const values: string[] = [];
  for await (const batch of readLines(input.open())) {
    for (const line of batch) {
      if ('problem' in line) throw new InputError(`${input.name}:${line.number}: ${line.problem}`);
      const text = line.text.trim();
      if (text !== '' && !text.startsWith('#')) values.push(text);
    }
  }
  return values;
}

function exportLine(entry: ExceptionEntry, format: ImportFormat): string {
  if (format === 'csv')
    return csvRow([guardFormula(entry.value), guardFormula(entry.comment), entry.type]);
  if (entry.value.startsWith('#')) {
    throw new InputError(
      `${entry.value} starts with # and would read back as a comment line: export with --format csv`,
    );
  }
  return entry.comment === '' ? `${entry.value}\n` : `${entry.value};${entry.comment}\n`;
}

function writeExport(
  entries: Iterable<ExceptionEntry>,
  format: ImportFormat,
  write: (text: string) => void,
): number {
  let count = 0;
  let buffered = format === 'csv' ? csvRow(['value', 'comment', 'type']) : '';
  for (const entry of entries) {
    buffered += exportLine(entry, format);
    count++;
    if (buffered.length > 1 << 16) {
      write(buffered);
      buffered = '';
    }
  }
  write(buffered);
  return count;
}

/** Writes next to FILE and renames, so a failed export never leaves half a file. */
function exportToFile(
  file: string,
  force: boolean,
  entries: Iterable<ExceptionEntry>,
  format: ImportFormat,
): number {
  if (existsSync(file) && !force)
    throw new ConflictError(`${file} exists: choose another file or add --force`);
  const temporary = `${file}.${process.pid}.partial`;
  const fd = openForWriting(temporary, file, 'export');
  let count: number;
  try {
    count = writeExport(entries, format, (text) => writeSync(fd, text));
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw cannotWrite(file, 'export', error);
  }
  return count;
}
