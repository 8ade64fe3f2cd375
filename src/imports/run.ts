import { UsageError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { nowIso, type Session } from '../session.js';
import { commentProblem } from './entry.js';
import { type EntryHandler, type FoundEntry, readCsvEntries, readLineEntries } from './formats.js';
import type { ReportedLine } from './rejects.js';

export type { ReportedLine } from './rejects.js';

export type ImportFormat = 'lines' | 'csv';

/** How an import reads its input, whatever list it fills. */
export interface ImportOptions {
  format: ImportFormat;
  /** Comment for entries that have none. */
  comment?: string;
  dryRun?: boolean;
  /** All or nothing: a rejected line keeps nothing (see StrictRejection). */
  strict?: boolean;
}

/**
 * DESIGN §8a import summary; `committed` and `commentLines` are additions. `batchId` is the
 * import's operation id, null when nothing was kept (a dry run, or `--strict` with rejects):
 * its number then goes to the next command.
 */
export interface ImportSummary {
  batchId: number | null;
  dryRun: boolean;
  committed: boolean;
  lines: number;
  added: number;
  duplicates: number;
  updated: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  commentLines: number;
}

export interface ImportHooks {
  onRejected?(line: ReportedLine): void;
  onDuplicate?(line: ReportedLine): void;
  /** Bytes and physical lines read so far, after each chunk of input. */
  onProgress?(bytesRead: number, linesRead: number): void;
}

/** One entry of the input, as the import machine hands it to a sink. */
export interface ImportEntry {
  /** Its line in the input (a CSV row's first line). */
  line: number;
  /** The line (or CSV row) as the input has it: what a report shows. */
  raw: string;
  /** The value as given (a CSV cell with its formula guard undone), not trimmed. */
  value: string;
  /** The entry's own comment: '' when it has none. */
  ownComment: string;
  /** What is stored: its own comment, else the import's default comment. Checked already. */
  comment: string;
  /** The cells of the sink's own CSV columns by name ('' when absent, and for lines). */
  cells: Readonly<Record<string, string>>;
}

/** Why a line is not taken: a reason code (`not-a-number`) and a message for people. */
export interface Rejection {
  ok: false;
  reason: string;
  message: string;
}

/** The operation an import writes under: entries name it as their batch. */
export interface ImportBatch {
  id: number;
  /** When the import started: every entry it adds was added then. */
  at: string;
  actor: string;
}

/** What writing one entry did. `added.value` is what the history entry lists (the first 100). */
export type Written =
  | { outcome: 'added'; value: string }
  | { outcome: 'updated' }
  | { outcome: 'duplicate'; message: string };

/**
 * A list an import fills (the exceptions list, the telephony blacklist…): it reads each entry's
 * value and writes the entry; the machine does the rest — reading lines or CSV, binary input,
 * comments, counts, rejects, strict and dry runs, progress, history, the batch.
 */
export interface ImportSink<Value extends { ok: true }> {
  /** The list as history names it: the entity type of the import's history entry. */
  readonly list: string;
  /** What the input should be, for the message refusing a binary file: "a list of phones". */
  readonly holds: string;
  /** CSV columns it reads beside `value` and `comment`, each optional (the exceptions' `type`). */
  readonly columns?: readonly string[];
  /** Reads one entry: the value to write, or why its line is rejected. Writes nothing. */
  read(entry: ImportEntry): Value | Rejection;
  /** Writes an entry that read well (its comment checked too), inside the import's transaction. */
  write(value: Value, entry: ImportEntry, batch: ImportBatch): Written;
}

/**
 * Thrown out of the write when a `strict` import met a rejected line, so that the transaction
 * rolls back; it carries the summary to report. Callers of `runImport` catch it outside the write.
 */
export class StrictRejection extends Error {
  constructor(readonly summary: ImportSummary) {
    super('strict import rolled back');
  }
}

/**
 * How an import is called, by a service inside its write (`runImport`) or by a command
 * (`importList`, src/cli/import.ts): the session, the input, how it reads, the list's sink, and
 * who hears of each line.
 */
export type ImportCall = <Value extends { ok: true }>(
  session: Session,
  open: () => AsyncIterable<Buffer>,
  options: ImportOptions,
  sink: ImportSink<Value>,
  hooks?: ImportHooks,
) => Promise<ImportSummary>;

/**
 * Imports entries from a byte stream into `sink`'s list, inside the command's write (the caller
 * holds the one transaction: a crash, a dry run or a strict rejection keeps nothing): streamed,
 * so memory stays flat, and every line accounted for. Lines are `value;comment` (the comment is
 * everything after the first `;`, kept exactly; blank and `#` lines skipped), or CSV with a
 * header naming `value`, optionally `comment`, and the sink's columns. `open` gives the input,
 * its first bytes already looked at (refuseBinary) before the write began.
 */
export const runImport: ImportCall = async (session, open, options, sink, hooks = {}) => {
  session.requireWrite('an import');
  const problem = options.comment === undefined ? undefined : commentProblem(options.comment);
  if (problem) throw new UsageError(`the comment for entries without one: ${problem}`);
  const writer = new EntryWriter(session, options, sink, hooks);
  const columns = sink.columns ?? [];
  if (options.format === 'csv') await readCsvEntries(open(), writer, columns, hooks.onProgress);
  else await readLineEntries(open(), writer, columns, hooks.onProgress);
  return writer.finish();
};

/** Keeps the counts and hands each entry to the sink, whatever format the lines came in. */
class EntryWriter<Value extends { ok: true }> implements EntryHandler {
  readonly summary: ImportSummary;
  private readonly batch: ImportBatch;
  private readonly defaultComment: string;
  /** The first 100 values added, for the history entry. */
  private readonly addedValues: string[] = [];

  constructor(
    private readonly session: Session,
    private readonly options: ImportOptions,
    private readonly sink: ImportSink<Value>,
    private readonly hooks: ImportHooks,
  ) {
    this.batch = { id: session.operation(), at: nowIso(session), actor: session.actor.login };
    this.defaultComment = options.comment ?? '';
    this.summary = {
      batchId: this.batch.id,
      dryRun: options.dryRun === true,
      committed: false,
      lines: 0,
      added: 0,
      duplicates: 0,
      updated: 0,
      rejected: 0,
      rejectedByReason: {},
      commentLines: 0,
    };
  }

  commentLine(): void {
    this.summary.commentLines++;
  }

  reject(line: number, raw: string, reason: string, message: string): void {
    this.summary.lines++;
    this.summary.rejected++;
    this.summary.rejectedByReason[reason] = (this.summary.rejectedByReason[reason] ?? 0) + 1;
    this.hooks.onRejected?.({ line, raw, reason, message });
  }

  entry(found: FoundEntry): void {
    const { line, raw, value, ownComment, cells } = found;
    const comment = ownComment === '' ? this.defaultComment : ownComment;
    const entry: ImportEntry = { line, raw, value, ownComment, comment, cells };
    const read = this.sink.read(entry);
    if (!read.ok) {
      this.reject(line, raw, read.reason, read.message);
      return;
    }
    const problem = commentProblem(comment);
    if (problem) {
      this.reject(line, raw, 'bad-comment', problem);
      return;
    }
    this.summary.lines++;
    const written = this.sink.write(read, entry, this.batch);
    if (written.outcome === 'added') {
      this.summary.added++;
      if (this.addedValues.length < 100) this.addedValues.push(written.value);
    } else if (written.outcome === 'updated') {
      this.summary.updated++;
    } else {
      this.summary.duplicates++;
      this.hooks.onDuplicate?.({ line, raw, reason: 'duplicate', message: written.message });
    }
  }

  finish(): ImportSummary {
    const { summary } = this;
    if (this.options.strict && summary.rejected > 0) throw new StrictRejection(summary);
    summary.committed = !summary.dryRun;
    const { batchId: _, ...counts } = summary;
    this.session.summarise(counts);
    recordChange(this.session, {
      action: 'imported',
      entity: { type: this.sink.list, id: this.batch.id },
      changes: { ...counts, values: this.addedValues },
    });
    return summary;
  }
}
