import { createRequire } from 'node:module';
import type * as CsvParseSync from 'csv-parse/sync';
import { InputError } from '../errors.js';
import { unguardFormula } from '../formats/csv.js';
import { type CsvRecord, type CsvRecordHandler, CsvRecordReader } from './csv-records.js';
import { maxCommentLength, splitEntry } from './entry.js';
import { type InputLine, readLines, unreadableMessage } from './lines.js';
import type { ImportEntry } from './run.js';

/** An entry as a reader finds it: the import adds the comment it stores. */
export type FoundEntry = Omit<ImportEntry, 'comment'>;

/** Where the readers below hand what they find (the import's EntryWriter). */
export interface EntryHandler {
  entry(found: FoundEntry): void;
  reject(line: number, raw: string, reason: string, message: string): void;
  /** A `#` line of the lines format. */
  commentLine(): void;
}

type UnreadableLine = Extract<InputLine, { problem: string }>;
type Progress = ((bytesRead: number, linesRead: number) => void) | undefined;

function rejectUnreadable(line: UnreadableLine, handler: EntryHandler): void {
  handler.reject(line.number, line.preview, line.problem, unreadableMessage(line.problem));
}

/** `columns` → `{ column: '' }`: the cells of an entry that has none of them. */
function emptyCells(columns: readonly string[]): Readonly<Record<string, string>> {
  return Object.freeze(Object.fromEntries(columns.map((name) => [name, ''])));
}

/** The lines format: `value;comment` per line; blank lines and `#` lines skipped. */
export async function readLineEntries(
  input: AsyncIterable<Buffer>,
  handler: EntryHandler,
  columns: readonly string[],
  onProgress: Progress,
): Promise<void> {
  const cells = emptyCells(columns);
  for await (const batch of readLines(input, onProgress)) {
    for (const line of batch) {
      if ('problem' in line) {
        rejectUnreadable(line, handler);
        continue;
      }
      const { text } = line;
      const start = firstNonSpace(text);
      if (start === -1) continue;
      if (text.charCodeAt(start) === 0x23 /* # */) {
        handler.commentLine();
        continue;
      }
      const { value, comment } = splitEntry(text);
      handler.entry({ line: line.number, raw: text, value, ownComment: comment, cells });
    }
  }
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
  /** The sink's own columns, by name: their index, or -1 when the header lacks them. */
  more: [name: string, index: number][];
  count: number;
}

/**
 * CSV with a header row (see CsvRecordReader for how records are found): the first row names
 * the columns, each later row is an entry or a rejected line.
 */
export async function readCsvEntries(
  input: AsyncIterable<Buffer>,
  handler: EntryHandler,
  columns: readonly string[],
  onProgress: Progress,
): Promise<void> {
  const { parse } = createRequire(import.meta.url)('csv-parse/sync') as typeof CsvParseSync;
  const rows = new CsvRows(handler, columns);
  const reader = new CsvRecordReader(
    (text) => parse(text, { relax_column_count: true, record_delimiter: '\n' }) as string[][],
    rows,
  );
  // readLines has dropped the BOM and reported undecodable lines; CRs stay, for quoted cells.
  for await (const batch of readLines(input, onProgress, { keepCarriageReturns: true }))
    reader.push(batch);
  reader.end();
  if (!rows.columns)
    throw new InputError('the CSV has no header row: it needs at least a "value" column');
}

class CsvRows implements CsvRecordHandler {
  columns: CsvColumns | undefined;

  constructor(
    private readonly handler: EntryHandler,
    private readonly names: readonly string[],
  ) {}

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
      this.columns = headerColumns(record.cells, record.line, this.names);
      return;
    }
    if (isBlank(record.cells)) return;
    const { cells } = record;
    const { value, comment, more } = this.columns;
    const own: Record<string, string> = {};
    for (const [name, index] of more) own[name] = index === -1 ? '' : (cells[index] ?? '');
    this.handler.entry({
      line: record.line,
      raw: record.text,
      value: unguardFormula(cells[value] ?? ''),
      ownComment: comment === -1 ? '' : unguardFormula(cells[comment] ?? ''),
      cells: own,
    });
  }

  bad(line: number, raw: string, message: string): void {
    if (!this.columns)
      throw new InputError(`line ${line}: the CSV header row cannot be read: ${message}`);
    this.handler.reject(line, raw, 'bad-row', message);
  }

  unreadable(line: UnreadableLine): void {
    rejectUnreadable(line, this.handler);
  }
}

function isBlank(cells: string[]): boolean {
  return cells.length === 1 && (cells[0] ?? '').trim() === '';
}

/** "comment", "comment and type", "comment, type and expiry". */
function spoken(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function headerColumns(header: string[], line: number, more: readonly string[]): CsvColumns {
  const names = header.map((h) => h.trim().toLowerCase());
  const value = names.indexOf('value');
  if (value === -1) {
    throw new InputError(
      `the CSV header has no "value" column (found: ${header.map((h) => JSON.stringify(h)).join(', ')}); it needs value and, optionally, ${spoken(['comment', ...more])}`,
    );
  }
  for (const name of ['value', 'comment', ...more]) {
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
    more: more.map((name) => [name, names.indexOf(name)]),
    count: header.length,
  };
}
