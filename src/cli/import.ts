import { type Command, Option } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import { commentProblem } from '../imports/entry.js';
import type { ImportCall, ImportFormat, ImportSink, ImportSummary } from '../imports/run.js';
import type { Session } from '../session.js';
import type { Permission } from '../users/permissions.js';
import type { Context } from './context.js';
import { importSummaryView, lineOnStderr, rejectsReport, reportImport } from './import-report.js';
import { openInput } from './input.js';
import { formatOf, wantsJson, withOutputOptions } from './output.js';
import { examples } from './parse.js';
import { type Progress, startProgress } from './progress.js';

/**
 * The `import` verb every list shares (src/imports is the machine): its flags, the progress
 * bar and the run; the rejects report, the summary and the exit codes 0/3/7 are in
 * import-report.ts. A list brings its sink.
 */
export interface ImportCommandSpec<Value extends { ok: true }> {
  /** What is imported and how the lines read; the shared flags describe themselves. */
  description: string;
  examples: string[];
  permission: Permission;
  /** The list's sink, made before anything is read (bad flags are refused first). */
  sink(session: Session, flags: { country?: string; updateComments: boolean }): ImportSink<Value>;
}

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
        onRejected: rejects ? (line) => rejects.add(line) : lineOnStderr(bar, input, json),
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
  await reportImport(ctx, summary, { input, rejects, summaryOnStdout, flags: options });
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
