import { type Command, Option, type OptionValues } from '@commander-js/extra-typings';
import type { Context } from '../cli/context.js';
import { escapeControls } from '../cli/escape.js';
import { OutputFile, storeFiles } from '../cli/files.js';
import { type Input, openInput } from '../cli/input.js';
import {
  formatOf,
  OutputWriter,
  printList,
  printRecord,
  type View,
  wantsJson,
  withOutputOptions,
} from '../cli/output.js';
import { examples, parseId, parseLimit, parseOffset, withPaging } from '../cli/parse.js';
import { type Progress, startProgress } from '../cli/progress.js';
import type { CommandModule } from '../cli/registry.js';
import { parseSince } from '../clock.js';
import { ConflictError, ExitCode, InputError, OutputError, UsageError } from '../errors.js';
import { csvRow, guardFormula } from '../formats/csv.js';
import { listOperations } from '../operations/service.js';
import type { ImportFormat, ImportSummary, ReportedLine } from './import.js';
import { type InputLine, maxLineBytes, readLines, refuseBinary } from './lines.js';
import { jsonLine, RejectsReport, type ReportSink } from './rejects.js';
import {
  addExceptions,
  checkException,
  type ExceptionEntry,
  type ExceptionSource,
  type ExceptionType,
  exceptionSources,
  exceptionTypes,
  exportExceptions,
  idsMatching,
  type ListExceptionsOptions,
  listExceptions,
  type RejectedValue,
  removeExceptionIds,
  removeExceptionsMatching,
  removeExceptionValues,
  undoImport,
  type ValueToRemove,
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

/** Longer filter text can match nothing stored (and SQLite refuses LIKE patterns past 50,000 bytes). */
const maxFilterText = 2000;

function filterOptions(ctx: Context, flags: FilterFlags): ListExceptionsOptions {
  for (const [flag, text] of [
    ['--value', flags.value],
    ['--comment', flags.comment],
    ['--added-by', flags.addedBy],
  ] as const) {
    if (text !== undefined && text.length > maxFilterText)
      throw new UsageError(
        `${flag} is ${text.length} characters long: at most 2,000 (nothing stored is longer)`,
      );
  }
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

/**
 * Where `--rejects` goes: a file written whole once the import has read its input (refused
 * like an export's FILE: an existing file without --force, the store and the input always),
 * or stdout for `-`. Checked before anything is read; nothing is created until then.
 */
function rejectsReport(
  ctx: Context,
  target: string,
  input: Input,
  force: boolean,
  progress: () => Progress,
): RejectsReport {
  if (target === '-') {
    const sink: ReportSink = {
      write: (text) => progress().log('stdout', text),
      commit() {},
      discard() {},
    };
    return new RejectsReport(sink, ctx.io.stdoutIsTTY);
  }
  const protect = storeFiles(ctx.storePath);
  if (input.file) protect.push(input.file);
  return new RejectsReport(new OutputFile(target, { what: '--rejects', force, protect }));
}

/** What an output failure after an import leaves: said in the exit-74 message. */
function keptAfter(summary: ImportSummary): string {
  if (summary.committed) return `the import was committed (batch ${summary.batchId})`;
  return summary.dryRun ? 'nothing was imported (a dry run)' : 'nothing was imported';
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
            'Lines are value;comment (the comment is everything after the first ;, kept exactly:\n' +
            'any character but NUL, shown escaped on a terminal);\n' +
            'blank lines and lines starting with # are skipped; UTF-8 with or without BOM, LF or CRLF.\n' +
            'CSV (--format csv, or a .csv file) needs a header with value and optionally comment, type;\n' +
            'a bad row is rejected at its own line, a quote left open at its first line (then reading\n' +
            'goes on at the next line).\n' +
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
          'write every line not added (rejected or duplicate) to this CSV: line, raw, reason, ' +
            'message; written whole once the input is read (also for --dry-run and --strict), ' +
            'never over the store or the input; - writes it to stdout (the batch id then only on stderr)',
        )
        .option('--force', 'replace the --rejects file if it exists'),
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
        const json = wantsJson(options);
        const summaryOnStdout = formatOf(options) !== 'table' || options.fields !== undefined;
        if (options.rejects === '-' && summaryOnStdout) {
          throw new UsageError(
            '--rejects - writes the rejects to stdout, where -o/--json/--fields print the summary: give --rejects a file',
          );
        }
        let progress: Progress | undefined;
        const rejects =
          options.rejects === undefined
            ? undefined
            : rejectsReport(ctx, options.rejects, input, options.force === true, () => {
                if (!progress) throw new Error('the rejects report was written before the import');
                return progress;
              });
        progress = startProgress(ctx, 'Importing', input.size, { unit: 'bytes' });
        const bar = progress;
        const reportOnStderr = (line: ReportedLine) => {
          bar.log(
            'stderr',
            json
              ? jsonLine(line)
              : `${escapeControls(`${input.name}:${line.line}: ${line.reason}: ${line.message}`)}\n`,
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
              onRejected: rejects ? (line) => rejects.add(line) : reportOnStderr,
              onDuplicate: rejects ? (line) => rejects.add(line) : undefined,
              onProgress: (bytes, lines) => bar.update(bytes, lines),
            },
          );
        } catch (error) {
          rejects?.abandon();
          throw error;
        } finally {
          bar.stop();
        }
        let reportFailure: unknown;
        try {
          rejects?.finish();
        } catch (error) {
          reportFailure = error;
        }
        if (summaryOnStdout) await printRecord(ctx, { ...summary }, options, summaryView);
        else if (summary.batchId !== null && options.rejects !== '-')
          ctx.out(String(summary.batchId));
        ctx.note(escapeControls(describeSummary(summary, input.name)));
        if (summary.lines === 0) ctx.note(escapeControls(`no entries found in ${input.name}`));
        if (summary.rejected > 0) {
          if (rejects && options.rejects !== '-' && reportFailure === undefined)
            ctx.note(escapeControls(`rejected lines are in ${options.rejects}`));
          ctx.exitCode = options.strict ? ExitCode.unusableInput : ExitCode.someRejected;
        }
        if (reportFailure instanceof OutputError) {
          throw new OutputError(`${reportFailure.message}; ${keptAfter(summary)}`);
        }
        if (reportFailure !== undefined) throw reportFailure;
      });

    withOutputOptions(
      exceptions
        .command('undo-import')
        .description(
          'Remove exactly what an import added (not entries listed before it) and restore comments it overwrote (needs exceptions.edit)',
        )
        .argument('<batch>', 'the batch id an import printed')
        .option(
          '--force',
          'also when a later import changed the comments of entries this one added (they go too)',
        ),
    )
      .addHelpText(
        'after',
        '\nA comment a later import changed since is left as that import set it; undoing that\n' +
          'import then puts back what was there before both. Entries this import added whose\n' +
          'comment a later import changed are refused (exit 5, naming it) unless --force.\n' +
          examples('crmctl exceptions undo-import 12'),
      )
      .action(async (batch, options) => {
        const session = ctx.session('exceptions.edit');
        const result = session.write(() =>
          undoImport(session, parseId(batch, 'batch'), {
            force: options.force === true,
          }),
        );
        if (formatOf(options) !== 'table' || options.fields) {
          await printRecord(ctx, { ...result }, options, {
            fields: ['batchId', 'removed', 'commentsRestored', 'commentsKept', 'keptExamples'],
            columns: ['batchId', 'removed', 'commentsRestored', 'commentsKept'],
          });
        } else {
          ctx.out(String(result.removed));
        }
        ctx.note(
          `Undid import ${result.batchId}: removed ${result.removed} entries, restored ${result.commentsRestored} comments`,
        );
        if (result.commentsKept > 0) {
          const examples = result.keptExamples.map((k) => `${k.value} (import ${k.batchId})`);
          const more = result.commentsKept - examples.length;
          ctx.note(
            `Kept ${result.commentsKept} comments a later import changed since: ${examples.join(', ')}${more > 0 ? ` and ${more} more` : ''}; undo that import to put back the older comment`,
          );
        }
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
          listOperations(session, {
            kind: 'exceptions-import',
            limit: options.limit,
            offset: options.offset,
          }),
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
        const result = session.write(() =>
          addExceptions(session, {
            entries: values,
            comment: options.comment,
            country: options.country,
          }),
        );
        for (const rejected of result.rejected)
          ctx.io.stderr.write(
            `${escapeControls(`${rejected.raw}: ${rejected.reason}: ${rejected.message}`)}\n`,
          );
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
              'the filters (then --yes, or a confirmation on a terminal: the entries it counts are the\n' +
              'ones removed). Nothing matching exits 0. Needs exceptions.edit.',
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
        if (values.length > 0 || options.file !== undefined) {
          if (hasFilter(options)) throw new UsageError('give values or filters, not both');
          await removeValues(ctx, session, values, options);
          return;
        }
        if (!hasFilter(options) && !options.all) {
          throw new UsageError(
            'say what to remove: values, --file, filters (e.g. --batch 12), or --all',
          );
        }
        const filter = filterOptions(ctx, options);
        const print = async (result: {
          operationId: number | null;
          dryRun: boolean;
          removed: number;
        }) => {
          if (formatOf(options) !== 'table' || options.fields) {
            await printRecord(ctx, { ...result }, options, {
              fields: ['operationId', 'dryRun', 'removed'],
              columns: ['operationId', 'dryRun', 'removed'],
            });
          } else {
            ctx.out(String(result.removed));
          }
        };
        if (options.yes || options.dryRun) {
          const result = removeExceptionsMatching(session, {
            ...filter,
            dryRun: options.dryRun === true,
          });
          await print(result);
          ctx.note(
            result.removed === 0
              ? 'Nothing to remove: no entry matches'
              : `${result.dryRun ? 'Would remove' : 'Removed'} ${result.removed} entries`,
          );
          return;
        }
        // What is confirmed is what is removed: the entries matching now, by id. The prompt is
        // answered without the write lock held; entries removed meanwhile are simply gone.
        const ids = idsMatching(session, filter);
        if (ids.length === 0) {
          await print({ operationId: null, dryRun: false, removed: 0 });
          ctx.note('Nothing to remove: no entry matches');
          return;
        }
        if (!ctx.canPrompt)
          throw new UsageError(
            `this removes ${ids.length} entries: add --yes (or --dry-run to see the count)`,
          );
        if (
          !(await ctx.prompter.confirm(`Remove ${ids.length} entries from the exceptions list?`))
        ) {
          throw new ConflictError('nothing removed: not confirmed');
        }
        const result = session.write(() => removeExceptionIds(session, ids, filter));
        await print(result);
        const gone = ids.length - result.removed;
        ctx.note(
          `Removed ${result.removed} entries${gone > 0 ? ` (${gone} of the ${ids.length} confirmed had been removed meanwhile)` : ''}`,
        );
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

type RemoveFlags = FilterFlags & OutputFlags & { file?: string; dryRun?: boolean };
type OutputFlags = { output?: string; json?: boolean; fields?: string };

/**
 * `remove VALUE…` and `remove --file`: streamed in one transaction, each value reported as it
 * is handled (removed values on stdout, the rest on stderr) unless -o asks for one record.
 */
async function removeValues(
  ctx: Context,
  session: ReturnType<Context['session']>,
  values: string[],
  options: RemoveFlags,
): Promise<void> {
  const record = formatOf(options as never) !== 'table' || options.fields !== undefined;
  const removed: ExceptionEntry[] = [];
  const notListed = new Set<string>();
  const rejected: RejectedValue[] = [];
  const where = (line: number | undefined) =>
    line === undefined ? '' : `${options.file === '-' ? 'stdin' : options.file}:${line}: `;
  let out = '';
  const flushOut = () => {
    if (out !== '') ctx.io.stdout.write(out);
    out = '';
  };
  // The file is checked, and its first bytes read (a binary file refused), before the write lock.
  const input = options.file === undefined ? undefined : openInput(ctx, options.file);
  const source = input ? await refuseBinary(input.open(), 'try again') : undefined;
  async function* batches(): AsyncGenerator<readonly (ValueToRemove | RejectedValue)[]> {
    if (values.length > 0) yield values.map((text) => ({ text }));
    if (source) yield* valuesOf(readLines(source));
  }
  const result = await removeExceptionValues(
    session,
    batches(),
    { country: options.country, dryRun: options.dryRun === true },
    {
      onRemoved(entry) {
        if (record) removed.push(entry);
        else {
          out += `${entry.value}\n`;
          if (out.length > 1 << 16) flushOut();
        }
      },
      onNotListed({ key, line }) {
        if (record) notListed.add(key);
        else ctx.io.stderr.write(`${escapeControls(`${where(line)}${key}`)}: not listed\n`);
      },
      onRejected(value) {
        if (record) rejected.push(value);
        else
          ctx.io.stderr.write(
            `${escapeControls(`${where(value.line)}${value.raw}: ${value.reason}: ${value.message}`)}\n`,
          );
      },
    },
  );
  flushOut();
  if (record) {
    await printRecord(
      ctx,
      {
        operationId: result.operationId,
        dryRun: result.dryRun,
        removed,
        notListed: [...notListed],
        rejected: rejected.map(({ raw, reason, message, line }) =>
          line === undefined ? { raw, reason, message } : { line, raw, reason, message },
        ),
      },
      options as never,
      {
        fields: ['operationId', 'dryRun', 'removed', 'notListed', 'rejected'],
        columns: ['operationId', 'dryRun', 'removed', 'notListed', 'rejected'],
      },
    );
  }
  ctx.note(
    `${result.dryRun ? 'Would remove' : 'Removed'} ${result.removed}; ${result.notListed} not listed; ${result.rejected} rejected`,
  );
  if (result.removed === 0 && result.rejected === 0) ctx.exitCode = ExitCode.notFound;
  else if (result.notListed > 0 || result.rejected > 0) ctx.exitCode = ExitCode.someRejected;
}

/** The values of a --file, a chunk at a time: one per line, blank and # lines skipped. */
async function* valuesOf(
  lines: AsyncIterable<InputLine[]>,
): AsyncGenerator<(ValueToRemove | RejectedValue)[]> {
  for await (const batch of lines) {
    const values: (ValueToRemove | RejectedValue)[] = [];
    for (const line of batch) {
      if ('problem' in line) {
        values.push({
          line: line.number,
          raw: line.preview,
          reason: line.problem,
          message:
            line.problem === 'invalid-utf8'
              ? 'the line is not valid UTF-8: save the file as UTF-8'
              : `the line is longer than ${maxLineBytes / 1024} KiB: is this the right file?`,
        });
        continue;
      }
      const text = line.text.trim();
      if (text !== '' && !text.startsWith('#')) values.push({ text, line: line.number });
    }
    if (values.length > 0) yield values;
  }
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
