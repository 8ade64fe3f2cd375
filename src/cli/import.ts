import { type Command, Option } from '@commander-js/extra-typings';
import { ExitCode, OutputError, UsageError } from '../errors.js';
import { commentProblem } from '../imports/entry.js';
import { jsonLine, RejectsReport, type ReportOutput } from '../imports/rejects.js';
import type {
  ImportCall,
  ImportFormat,
  ImportSink,
  ImportSummary,
  ReportedLine,
} from '../imports/run.js';
import type { Session } from '../session.js';
import type { Permission } from '../users/permissions.js';
import type { Context } from './context.js';
import { escapeControls } from './escape.js';
import { OutputFile, storeFiles } from './files.js';
import { type Input, openInput } from './input.js';
import { formatOf, printRecord, type View, wantsJson, withOutputOptions } from './output.js';
import { examples } from './parse.js';
import { type Progress, startProgress } from './progress.js';

/**
 * The `import` verb every list shares (src/imports is the machine): its flags, the rejects
 * report, the progress bar, the summary and the exit codes 0/3/7. A list brings its sink.
 */
export interface ImportCommandSpec<Value extends { ok: true }> {
  /** What is imported and how the lines read; the shared flags describe themselves. */
  description: string;
  examples: string[];
  permission: Permission;
  /** The list's sink, made before anything is read (bad flags are refused first). */
  sink(session: Session, flags: { country?: string; updateComments: boolean }): ImportSink<Value>;
}

const summaryFields = [
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
];

export const importSummaryView: View = {
  fields: summaryFields,
  // A table leaves out what the summary line says anyway.
  columns: summaryFields.filter((field) => field !== 'committed' && field !== 'commentLines'),
  cells: {
    rejectedByReason: (v) =>
      Object.entries((v ?? {}) as Record<string, number>)
        .map(([r, n]) => `${r} ${n}`)
        .join(', '),
  },
};

/** A --comment given for entries without one: one usage error naming the flag, before anything is read. */
export function checkCommentFlag(comment: string | undefined, flag = '--comment'): void {
  const problem = comment === undefined ? undefined : commentProblem(comment);
  if (problem) throw new UsageError(`${flag}: ${problem}`);
}

/** `--format`, else the file's extension, else lines. */
export function formatFor(format: string | undefined, file: string | undefined): ImportFormat {
  if (format === 'csv' || format === 'lines') return format;
  return file?.toLowerCase().endsWith('.csv') ? 'csv' : 'lines';
}

/** Adds `import [FILE|-]` with the shared flags to a list's command. */
export function addImportCommand<Value extends { ok: true }>(
  parent: Command,
  ctx: Context,
  spec: ImportCommandSpec<Value>,
) {
  return withOutputOptions(
    parent
      .command('import')
      .description(spec.description)
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
    importSummaryView,
  )
    .addHelpText('after', examples(...spec.examples))
    .action((file, options) => importCommand(ctx, spec, file, options));
}

interface ImportFlags {
  format?: string;
  country?: string;
  comment?: string;
  dryRun?: true;
  strict?: true;
  updateComments?: true;
  rejects?: string;
  force?: true;
  output?: 'table' | 'json' | 'jsonl' | 'csv' | 'tsv';
  json?: true;
  fields?: string;
}

async function importCommand<Value extends { ok: true }>(
  ctx: Context,
  spec: ImportCommandSpec<Value>,
  file: string | undefined,
  options: ImportFlags,
): Promise<void> {
  const session = ctx.session(spec.permission);
  const input = openInput(ctx, file);
  const json = wantsJson(options);
  const summaryOnStdout = formatOf(options) !== 'table' || options.fields !== undefined;
  if (options.rejects === '-' && summaryOnStdout) {
    throw new UsageError(
      '--rejects - writes the rejects to stdout, where -o/--json/--fields print the summary: give --rejects a file',
    );
  }
  checkCommentFlag(options.comment);
  const sink = spec.sink(session, {
    country: options.country,
    updateComments: options.updateComments === true,
  });
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
    summary = await importList(
      session,
      input.open,
      {
        format: formatFor(options.format, file),
        comment: options.comment,
        dryRun: options.dryRun === true,
        strict: options.strict === true,
      },
      sink,
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
  if (summaryOnStdout) await printRecord(ctx, { ...summary }, options, importSummaryView);
  else if (summary.batchId !== null && options.rejects !== '-') ctx.out(String(summary.batchId));
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
}

/**
 * One import as a command runs it: the input's first bytes looked at (a binary file refused)
 * before the write lock is taken — stdin may be slow to start — then `runImport` in the
 * command's one transaction (rolled back for a dry run, or by a strict import's rejection).
 * `batchId` is null unless the import was kept. The machine (and csv-parse) loads only here:
 * a list's other commands start without it.
 */
export const importList: ImportCall = async (session, open, options, sink, hooks = {}) => {
  const [{ refuseBinary }, { runImport, StrictRejection }] = await Promise.all([
    import('../imports/lines.js'),
    import('../imports/run.js'),
  ]);
  const source = await refuseBinary(open(), { holds: sink.holds, retry: 'import again' });
  let summary: ImportSummary;
  try {
    summary = await session.writeAsync(
      () => runImport(session, () => source, options, sink, hooks),
      { dryRun: options.dryRun === true },
    );
  } catch (error) {
    if (!(error instanceof StrictRejection)) throw error;
    summary = error.summary;
  }
  return summary.committed ? summary : { ...summary, batchId: null };
};

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
    const output: ReportOutput = {
      write: (text) => progress().log('stdout', text),
      commit() {},
      discard() {},
    };
    return new RejectsReport(output, ctx.io.stdoutIsTTY);
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
