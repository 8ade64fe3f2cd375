import { ExitCode, OutputError } from '../errors.js';
import { jsonLine, RejectsReport, type ReportOutput } from '../imports/rejects.js';
import type { ImportSummary, ReportedLine } from '../imports/run.js';
import type { Context } from './context.js';
import { escapeControls } from './escape.js';
import { OutputFile, storeFiles } from './files.js';
import type { Input } from './input.js';
import { type OutputOptions, printRecord, type View } from './output.js';
import type { Progress } from './progress.js';

/** What an import tells of itself (src/cli/import.ts runs it): rejects, summary, exit code. */

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

/**
 * Where `--rejects` goes: a file written whole once the import has read its input (refused
 * like an export's FILE: an existing file without --force, the store and the input always),
 * or stdout for `-`. Checked before anything is read; nothing is created until then.
 */
export function rejectsReport(
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

/** A line not added, without --rejects: on stderr above the progress bar (JSON with --json). */
export function lineOnStderr(
  progress: Progress,
  input: Input,
  json: boolean,
): (line: ReportedLine) => void {
  return (line) =>
    progress.log(
      'stderr',
      json
        ? jsonLine(line)
        : `${escapeControls(`${input.name}:${line.line}: ${line.reason}: ${line.message}`)}\n`,
    );
}

export interface ReportFlags extends OutputOptions {
  strict?: true;
  rejects?: string;
}

/**
 * What an import says once it ran: the rejects file put in place, the summary as a record
 * (`summaryOnStdout`) or the batch id on stdout and the summary line on stderr, exit 3 for
 * rejected lines (7 with --strict), and a rejects file that could not be written as exit 74.
 */
export async function reportImport(
  ctx: Context,
  summary: ImportSummary,
  report: {
    input: Input;
    rejects: RejectsReport | undefined;
    summaryOnStdout: boolean;
    flags: ReportFlags;
  },
): Promise<void> {
  const { input, rejects, flags } = report;
  let reportFailure: unknown;
  try {
    rejects?.finish();
  } catch (error) {
    reportFailure = error;
  }
  if (report.summaryOnStdout) await printRecord(ctx, { ...summary }, flags, importSummaryView);
  else if (summary.batchId !== null && flags.rejects !== '-') ctx.out(String(summary.batchId));
  ctx.note(escapeControls(describeSummary(summary, input.name)));
  if (summary.lines === 0) ctx.note(escapeControls(`no entries found in ${input.name}`));
  if (summary.rejected > 0) {
    if (rejects && flags.rejects !== '-' && reportFailure === undefined)
      ctx.note(escapeControls(`rejected lines are in ${flags.rejects}`));
    ctx.exitCode = flags.strict ? ExitCode.unusableInput : ExitCode.someRejected;
  }
  if (reportFailure instanceof OutputError) {
    throw new OutputError(`${reportFailure.message}; ${keptAfter(summary)}`);
  }
  if (reportFailure !== undefined) throw reportFailure;
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
