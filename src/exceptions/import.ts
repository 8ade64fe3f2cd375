import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type * as CsvParse from 'csv-parse';
import { InputError } from '../errors.js';
import { unguardFormula } from '../formats/csv.js';
import { recordChange } from '../history/service.js';
import { finishOperation, startOperation } from '../operations/service.js';
import { nowIso, type Session } from '../session.js';
import { type InputLine, maxLineBytes, readLines } from './lines.js';
import {
  insertException,
  type NewExceptionRow,
  readWithoutMemoryMap,
  recordCommentChange,
  selectExceptionByKey,
  updateExceptionComment,
} from './repo.js';
import {
  commentProblem,
  countryFor,
  type ExceptionType,
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
  onProgress?(bytesRead: number): void;
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
  readWithoutMemoryMap(session.store.db);
  // Read the first bytes before taking the write lock: stdin may be slow to start.
  const source = await sniffBinary(open());
  let summary: ImportSummary;
  try {
    summary = await session.store.writeAsync(
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
    this.batchId = startOperation(session, 'exceptions-import');
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
    const { db } = this.session.store;
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
    finishOperation(this.session, this.batchId, counts);
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

async function readCsv(
  input: AsyncIterable<Buffer>,
  writer: EntryWriter,
  hooks: ImportHooks,
): Promise<void> {
  const { parse } = createRequire(import.meta.url)('csv-parse') as typeof CsvParse;
  const parser = parse({
    // readLines has split the lines, dropped CRs and the BOM, and reported undecodable lines.
    record_delimiter: ['\n'],
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: maxLineBytes,
    on_skip: (error, raw) => {
      const text = trimBreaks(raw ?? '');
      const end = (error as { lines?: number } | undefined)?.lines ?? 0;
      const line = end - countBreaks(text);
      // csv-parse cannot recover from an oversized record: it drops all input after it.
      if ((error as { code?: string } | undefined)?.code === 'CSV_MAX_RECORD_SIZE') {
        throw new InputError(
          `line ${line}: a quoted cell runs on for more than ${maxLineBytes / 1024} KiB: is a closing quote missing?`,
        );
      }
      writer.reject(
        line,
        text.slice(0, 200),
        'bad-row',
        `not valid CSV: ${error?.message ?? 'unreadable row'}`,
      );
    },
  });
  // Lines that could not be read are rejected in line order with the rows around them, and
  // reach the parser as empty lines, which it skips: the rows after them keep their numbers.
  const unreadable: Extract<InputLine, { problem: string }>[] = [];
  const rejectUnreadableBefore = (line: number) => {
    while (unreadable.length > 0 && (unreadable[0]?.number ?? line) < line) {
      rejectUnreadable(unreadable.shift() as (typeof unreadable)[number], writer);
    }
  };
  const feeding = (async () => {
    try {
      for await (const batch of readLines(input, hooks.onProgress)) {
        let text = '';
        for (const line of batch) {
          if ('problem' in line) {
            unreadable.push(line);
            text += '\n';
          } else {
            text += `${line.text}\n`;
          }
        }
        if (!parser.write(text)) await new Promise((resolve) => parser.once('drain', resolve));
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  let columns: CsvColumns | undefined;
  for await (const record of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
    raw: string;
  }>) {
    // info.lines is the record's last line; quoted line breaks inside it push its start back.
    const line = record.info.lines - record.record.reduce((n, cell) => n + countBreaks(cell), 0);
    rejectUnreadableBefore(line);
    if (!columns) {
      columns = headerColumns(record.record);
      continue;
    }
    csvEntry(record.record, line, trimBreaks(record.raw), columns, writer);
  }
  await feeding;
  rejectUnreadableBefore(Number.POSITIVE_INFINITY);
  if (!columns)
    throw new InputError('the CSV has no header row: it needs at least a "value" column');
}

function countBreaks(text: string): number {
  let breaks = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) breaks++;
  return breaks;
}

function trimBreaks(text: string): string {
  return text.replace(/^[\r\n]+|[\r\n]+$/g, '');
}

function headerColumns(header: string[]): CsvColumns {
  const names = header.map((h) => h.trim().toLowerCase());
  const value = names.indexOf('value');
  if (value === -1) {
    throw new InputError(
      `the CSV header has no "value" column (found: ${header.map((h) => JSON.stringify(h)).join(', ')}); it needs value and, optionally, comment and type`,
    );
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
  if (cells.length === 1 && (cells[0] ?? '').trim() === '') return;
  if (cells.length !== columns.count) {
    writer.reject(
      line,
      raw,
      'bad-row',
      `the row has ${cells.length} cells, the header has ${columns.count}`,
    );
    return;
  }
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

/**
 * Looks at the first bytes before anything is written: a binary or UTF-16 file cannot be
 * read line by line, so the whole input is refused (exit 7) rather than rejected line by line.
 */
async function sniffBinary(
  input: Readable | AsyncIterable<Buffer>,
): Promise<AsyncIterable<Buffer>> {
  const iterator = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? Buffer.alloc(0) : toBuffer(first.value);
  const sample = head.subarray(0, 8192);
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw new InputError('the input is UTF-16: save it as UTF-8 and import again');
  }
  if (sample.includes(0) || controlShare(sample) > 0.1) {
    throw new InputError(
      'the input looks like a binary file, not a list of phones and emails: is this the right file?',
    );
  }
  return (async function* () {
    if (!first.done) yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield toBuffer(next.value);
  })();
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

function controlShare(sample: Buffer): number {
  if (sample.length === 0) return 0;
  let controls = 0;
  for (const byte of sample) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) controls++;
  }
  return controls / sample.length;
}
