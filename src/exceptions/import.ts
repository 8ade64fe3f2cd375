import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type * as CsvParseSync from 'csv-parse/sync';
import { InputError } from '../errors.js';
import { unguardFormula } from '../formats/csv.js';
import { recordChange } from '../history/service.js';
import { nowIso, type Session } from '../session.js';
import { type CsvRecord, type CsvRecordHandler, CsvRecordReader } from './csv-records.js';
import { type InputLine, maxLineBytes, readLines, refuseBinary } from './lines.js';
import {
  insertException,
  type NewExceptionRow,
  readWithoutMemoryMap,
  recordCommentChange,
  selectExceptionByKey,
  updateExceptionComment,
} from './repo.js';
import {
  checkDefaultComment,
  commentProblem,
  countryFor,
  type ExceptionType,
  maxCommentLength,
  normaliseExceptionValue,
} from './service.js';

export type ImportFormat = 'lines' | 'csv';

export interface ImportOptions {
  format: ImportFormat;
  country?: string;
  /** Comment for entries that have none. */
  comment?: string;
  dryRun?: boolean;
  strict?: boolean;
  updateComments?: boolean;
}

/**
 * DESIGN §8a import summary; `committed` and `commentLines` are additions. `batchId` is null
 * when nothing was kept (a dry run, or `--strict` with rejects): its number goes to the next import.
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

/** A line that was not added: rejected (with its reason), or a duplicate (reason `duplicate`). */
export interface ReportedLine {
  line: number;
  raw: string;
  reason: string;
  message: string;
}

export interface ImportHooks {
  onRejected?(line: ReportedLine): void;
  onDuplicate?(line: ReportedLine): void;
  /** Bytes and physical lines read so far, after each chunk of input. */
  onProgress?(bytesRead: number, linesRead: number): void;
}

/**
 * Imports a list of phones and emails from a byte stream, in one `BEGIN IMMEDIATE` transaction:
 * streamed (memory stays flat), every line accounted for, nothing kept on a crash, a dry run,
 * or `--strict` with rejects. Lines are `value;comment` (the comment is everything after the
 * first `;`, kept exactly), or CSV with a header naming `value`, `comment` and optionally `type`.
 * `open` is called once the options are known to be good, so a refused import leaves no file open.
 */
export async function importExceptions(
  session: Session,
  open: () => Readable | AsyncIterable<Buffer>,
  options: ImportOptions,
  hooks: ImportHooks = {},
): Promise<ImportSummary> {
  const country = countryFor(session, options.country);
  checkDefaultComment(options.comment);
  readWithoutMemoryMap(session.db);
  // Read the first bytes before taking the write lock: stdin may be slow to start.
  const source = await refuseBinary(open(), 'import again');
  let summary: ImportSummary;
  try {
    summary = await session.writeAsync(
      async () => {
        const writer = new EntryWriter(session, options, country, hooks);
        if (options.format === 'csv') await readCsv(source, writer, hooks);
        else await readLineEntries(source, writer, hooks);
        return writer.finish();
      },
      { dryRun: options.dryRun === true },
    );
  } catch (error) {
    if (!(error instanceof StrictRejection)) throw error;
    summary = error.summary;
  }
  return summary.committed ? summary : { ...summary, batchId: null };
}

/** Thrown inside the transaction to roll it back when --strict meets a rejected line. */
class StrictRejection extends Error {
  constructor(readonly summary: ImportSummary) {
    super('strict import rolled back');
  }
}

/** Keeps the counts and writes the rows, whatever format the lines came in. */
class EntryWriter {
  readonly summary: ImportSummary;
  private readonly batchId: number;
  private readonly createdAt: string;
  /** The first 100 values added, for the history entry. */
  private readonly addedValues: string[] = [];

  constructor(
    private readonly session: Session,
    private readonly options: ImportOptions,
    private readonly country: string | undefined,
    private readonly hooks: ImportHooks,
  ) {
    this.createdAt = nowIso(session);
    this.batchId = session.operation();
    this.summary = {
      batchId: this.batchId,
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

  reject(line: number, raw: string, reason: string, message: string): void {
    this.summary.lines++;
    this.summary.rejected++;
    this.summary.rejectedByReason[reason] = (this.summary.rejectedByReason[reason] ?? 0) + 1;
    this.hooks.onRejected?.({ line, raw, reason, message });
  }

  entry(
    line: number,
    raw: string,
    rawValue: string,
    givenComment: string,
    type?: ExceptionType,
  ): void {
    const comment = givenComment === '' ? (this.options.comment ?? '') : givenComment;
    const normalised = normaliseExceptionValue(rawValue, this.country, type);
    if (!normalised.ok) {
      this.reject(line, raw, normalised.reason, normalised.message);
      return;
    }
    const problem = commentProblem(comment);
    if (problem) {
      this.reject(line, raw, 'bad-comment', problem);
      return;
    }
    this.summary.lines++;
    const row: NewExceptionRow = {
      type: normalised.kind,
      value: normalised.value,
      match_key: normalised.key,
      raw: rawValue.trim(),
      comment,
      source: 'import',
      created_at: this.createdAt,
      created_by: this.session.actor.login,
      operation_id: this.batchId,
      line,
    };
    const { db } = this.session;
    if (insertException(db, row)) {
      this.summary.added++;
      if (this.addedValues.length < 100) this.addedValues.push(normalised.value);
      return;
    }
    const existing = selectExceptionByKey(db, normalised.key);
    if (!existing) throw new Error(`exception ${normalised.key} vanished during the import`);
    const fromThisFile = existing.operation_id === this.batchId;
    // Only a line's own comment replaces one: a blank one or the --comment default never does.
    const replacesComment = givenComment.trim() !== '' && existing.comment !== comment;
    if (!fromThisFile && this.options.updateComments && replacesComment) {
      recordCommentChange(db, this.batchId, existing.id, existing.comment);
      updateExceptionComment(db, existing.id, comment);
      this.summary.updated++;
      return;
    }
    this.summary.duplicates++;
    this.hooks.onDuplicate?.({
      line,
      raw,
      reason: 'duplicate',
      message: fromThisFile
        ? `${normalised.value} is a duplicate of line ${existing.line} (${JSON.stringify(existing.raw)})`
        : `${normalised.value} is already listed (added ${existing.created_at} by ${existing.created_by})`,
    });
  }

  finish(): ImportSummary {
    const { summary } = this;
    if (this.options.strict && summary.rejected > 0) throw new StrictRejection(summary);
    summary.committed = !summary.dryRun;
    const { batchId: _, ...counts } = summary;
    this.session.summarise(counts);
    recordChange(this.session, {
      action: 'imported',
      entity: { type: 'exceptions', id: this.batchId },
      changes: { ...counts, values: this.addedValues },
    });
    return summary;
  }
}

async function readLineEntries(
  input: AsyncIterable<Buffer>,
  writer: EntryWriter,
  hooks: ImportHooks,
): Promise<void> {
  for await (const batch of readLines(input, hooks.onProgress)) {
    for (const line of batch) handleLine(line, writer);
  }
}

function rejectUnreadable(
  line: Extract<InputLine, { problem: string }>,
  writer: EntryWriter,
): void {
  const message =
    line.problem === 'invalid-utf8'
      ? 'the line is not valid UTF-8: save the file as UTF-8'
      : `the line is longer than ${maxLineBytes / 1024} KiB: is this the right file?`;
  writer.reject(line.number, line.preview, line.problem, message);
}

function handleLine(line: InputLine, writer: EntryWriter): void {
  if ('problem' in line) {
    rejectUnreadable(line, writer);
    return;
  }
  const { text } = line;
  const start = firstNonSpace(text);
  if (start === -1) return;
  if (text.charCodeAt(start) === 0x23 /* # */) {
    writer.summary.commentLines++;
    return;
  }
  const semi = text.indexOf(';');
  if (semi === -1) writer.entry(line.number, text, text, '');
  else writer.entry(line.number, text, text.slice(0, semi), text.slice(semi + 1));
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x09 && code !== 0xa0 && code !== 0xfeff) return i;
  }
  return -1;
}

interface CsvColumns {
  value: number;
  comment: number;
  type: number;
  count: number;
}

/**
 * CSV with a header row (see CsvRecordReader for how records are found): the first row names
 * the columns, each later row is an entry or a rejected line.
 */
async function readCsv(
  input: AsyncIterable<Buffer>,
  writer: EntryWriter,
  hooks: ImportHooks,
): Promise<void> {
  const { parse } = createRequire(import.meta.url)('csv-parse/sync') as typeof CsvParseSync;
  const rows = new CsvRows(writer);
  const reader = new CsvRecordReader(
    (text) => parse(text, { relax_column_count: true, record_delimiter: '\n' }) as string[][],
    rows,
  );
  // readLines has dropped the BOM and reported undecodable lines; CRs stay, for quoted cells.
  for await (const batch of readLines(input, hooks.onProgress, { keepCarriageReturns: true }))
    reader.push(batch);
  reader.end();
  if (!rows.columns)
    throw new InputError('the CSV has no header row: it needs at least a "value" column');
}

class CsvRows implements CsvRecordHandler {
  columns: CsvColumns | undefined;

  constructor(private readonly writer: EntryWriter) {}

  check(record: CsvRecord): string | undefined {
    const { columns } = this;
    if (!columns || isBlank(record.cells)) return undefined;
    if (record.cells.length !== columns.count)
      return `the row has ${record.cells.length} cells, the header has ${columns.count}`;
    // A comment longer than any comment may be, over several lines: a quote left open.
    const comment = columns.comment === -1 ? '' : (record.cells[columns.comment] ?? '');
    if (record.lastLine > record.line && comment.length > maxCommentLength)
      return `its comment is ${comment.length} characters long`;
    return undefined;
  }

  record(record: CsvRecord): void {
    if (!this.columns) {
      this.columns = headerColumns(record.cells, record.line);
      return;
    }
    if (isBlank(record.cells)) return;
    csvEntry(record.cells, record.line, record.text, this.columns, this.writer);
  }

  bad(line: number, raw: string, message: string): void {
    if (!this.columns)
      throw new InputError(`line ${line}: the CSV header row cannot be read: ${message}`);
    this.writer.reject(line, raw, 'bad-row', message);
  }

  unreadable(line: Extract<InputLine, { problem: string }>): void {
    rejectUnreadable(line, this.writer);
  }
}

function isBlank(cells: string[]): boolean {
  return cells.length === 1 && (cells[0] ?? '').trim() === '';
}

function headerColumns(header: string[], line: number): CsvColumns {
  const names = header.map((h) => h.trim().toLowerCase());
  const value = names.indexOf('value');
  if (value === -1) {
    throw new InputError(
      `the CSV header has no "value" column (found: ${header.map((h) => JSON.stringify(h)).join(', ')}); it needs value and, optionally, comment and type`,
    );
  }
  for (const name of ['value', 'comment', 'type']) {
    const at = names.indexOf(name);
    const again = names.indexOf(name, at + 1);
    if (at !== -1 && again !== -1) {
      throw new InputError(
        `line ${line}: the CSV header names "${name}" twice (columns ${at + 1} and ${again + 1}): keep one`,
      );
    }
  }
  return {
    value,
    comment: names.indexOf('comment'),
    type: names.indexOf('type'),
    count: header.length,
  };
}

function csvEntry(
  cells: string[],
  line: number,
  raw: string,
  columns: CsvColumns,
  writer: EntryWriter,
): void {
  const value = unguardFormula(cells[columns.value] ?? '');
  const comment = columns.comment === -1 ? '' : unguardFormula(cells[columns.comment] ?? '');
  const typeText = columns.type === -1 ? '' : (cells[columns.type] ?? '').trim().toLowerCase();
  if (typeText !== '' && typeText !== 'phone' && typeText !== 'email') {
    writer.reject(
      line,
      raw,
      'bad-row',
      `type is ${JSON.stringify(typeText)}: phone, email or empty`,
    );
    return;
  }
  writer.entry(
    line,
    raw,
    value,
    comment,
    typeText === '' ? undefined : (typeText as ExceptionType),
  );
}
