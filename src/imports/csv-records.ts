import { type InputLine, maxLineBytes } from './lines.js';

/** One CSV record: its cells, the physical lines it spans, and its text as in the file. */
export interface CsvRecord {
  line: number;
  lastLine: number;
  text: string;
  cells: string[];
}

type ReadableLine = Extract<InputLine, { text: string }>;
type UnreadableLine = Extract<InputLine, { problem: string }>;

export interface CsvRecordHandler {
  /**
   * Why a well-formed record cannot be a row of this file (the wrong number of cells…), or
   * undefined. For a record spanning several lines the answer is taken for a missing quote.
   */
  check(record: CsvRecord): string | undefined;
  /** A record that reads as a row. */
  record(record: CsvRecord): void;
  /** A line that is not a row: its own (single-line) record, or the first line of a broken one. */
  bad(line: number, raw: string, message: string): void;
  /** A line that could not be decoded (see readLines). */
  unreadable(line: UnreadableLine): void;
}

/** Parses the text of whole records (one per `\n` outside quotes) into cells; throws on bad CSV. */
export type CsvParse = (text: string) => string[][];

/** A quoted cell may run over several lines, up to this many bytes for the whole record. */
export const maxRecordBytes = maxLineBytes;

/**
 * Groups physical lines (from readLines, carriage returns kept) into CSV records, so that
 * every line is accounted for and one broken row never swallows the rows after it:
 *
 * - A line ends its record unless it ends inside a quoted cell; then the record goes on over
 *   the next lines (their line breaks kept, CRLF included) until the quote closes.
 * - A record that spans several lines and still does not read as a row — its quote not
 *   closed within 64 KiB, by the end of the input or before a line that cannot be read; not
 *   valid CSV; the handler's `check` refuses it — is taken for a missing closing quote: its
 *   first line is reported bad and reading starts again at its second line, as rows.
 * - A one-line record that is not valid CSV is reported bad at its line.
 *
 * Records on one line each (nearly all of them) are parsed a batch at a time.
 */
export class CsvRecordReader {
  private open: ReadableLine[] = [];
  private openBytes = 0;
  /** The state of the scan of the open record: inside a quoted cell, at the start of a cell. */
  private inQuotes = false;
  private cellStart = true;
  private batch: ReadableLine[] = [];

  constructor(
    private readonly parse: CsvParse,
    private readonly handler: CsvRecordHandler,
  ) {}

  push(lines: readonly InputLine[]): void {
    this.process(lines);
    this.flush();
  }

  end(): void {
    while (this.open.length > 0) {
      const again = this.broken(
        'a quoted cell opened on this line is not closed by the end of the input: is a closing quote missing?',
        [],
      );
      this.process(again);
    }
    this.flush();
  }

  private process(lines: readonly InputLine[]): void {
    let queue = lines;
    let next = 0;
    while (next < queue.length) {
      const again = this.take(queue[next++] as InputLine);
      if (again.length > 0) {
        queue = [...again, ...queue.slice(next)];
        next = 0;
      }
    }
  }

  /** Reads one line; returns the lines to read again when a broken record was given up. */
  private take(line: InputLine): InputLine[] {
    if ('problem' in line) {
      if (this.open.length === 0) {
        this.flush();
        this.handler.unreadable(line);
        return [];
      }
      return this.broken(
        `a quoted cell opened on this line is still open at line ${line.number}, which cannot be read: is a closing quote missing?`,
        [line],
      );
    }
    if (this.open.length === 0) {
      if (!line.text.includes('"')) {
        if (line.text.trim() !== '') this.batch.push(line);
        return [];
      }
      this.inQuotes = false;
      this.cellStart = true;
      this.scan(line.text);
      if (this.inQuotes) {
        this.open = [line];
        this.openBytes = Buffer.byteLength(line.text) + 1;
      } else {
        this.batch.push(line);
      }
      return [];
    }
    this.open.push(line);
    this.openBytes += Buffer.byteLength(line.text) + 1;
    this.scan(line.text);
    if (!this.inQuotes) return this.finishOpen();
    if (this.openBytes > maxRecordBytes) {
      return this.broken(
        `a quoted cell opened on this line is still open after ${maxRecordBytes / 1024} KiB: is a closing quote missing?`,
        [],
      );
    }
    return [];
  }

  /** Follows the quotes of one line of the open record (RFC 4180: `""` inside quotes is a quote). */
  private scan(text: string): void {
    let { inQuotes, cellStart } = this;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === 0x22) {
          if (text.charCodeAt(i + 1) === 0x22) i++;
          else inQuotes = false;
        }
      } else if (c === 0x22 && cellStart) {
        inQuotes = true;
        cellStart = false;
      } else {
        cellStart = c === 0x2c; /* , */
      }
    }
    this.inQuotes = inQuotes;
    this.cellStart = cellStart;
  }

  /** The open record is complete: a row, or (not reading as one) a missing quote. */
  private finishOpen(): InputLine[] {
    const lines = this.open;
    this.open = [];
    this.flush();
    const first = lines[0] as ReadableLine;
    const last = lines[lines.length - 1] as ReadableLine;
    const text = recordText(lines);
    let cells: string[] | undefined;
    let problem: string | undefined;
    try {
      const parsed = this.parse(text);
      if (parsed.length === 1) cells = parsed[0];
      else problem = 'not valid CSV';
    } catch (error) {
      problem = csvProblem(error);
    }
    const record: CsvRecord = {
      line: first.number,
      lastLine: last.number,
      text,
      cells: cells ?? [],
    };
    problem ??= this.handler.check(record);
    if (problem === undefined) {
      this.handler.record(record);
      return [];
    }
    this.open = lines;
    return this.broken(
      `the row starting on this line runs on to line ${last.number} and does not read as a row (${problem}): is a quote missing?`,
      [],
    );
  }

  /** Reports the open record's first line as bad; returns the lines to read again after it. */
  private broken(message: string, after: InputLine[]): InputLine[] {
    const first = this.open[0] as ReadableLine;
    const rest = this.open.slice(1);
    this.open = [];
    this.openBytes = 0;
    this.flush();
    this.handler.bad(first.number, withoutCr(first.text), message);
    if (rest.length === 0 && after.length === 0) return [];
    return [...rest, ...after];
  }

  /** Parses the batch of one-line records, all at once while they are valid CSV. */
  private flush(): void {
    const lines = this.batch;
    if (lines.length === 0) return;
    this.batch = [];
    let parsed: string[][] | undefined;
    try {
      parsed = this.parse(lines.map((l) => withoutCr(l.text)).join('\n'));
    } catch {
      parsed = undefined;
    }
    const whole = parsed?.length === lines.length;
    lines.forEach((line, i) => {
      const text = withoutCr(line.text);
      let cells = whole ? (parsed?.[i] as string[]) : undefined;
      if (!cells) {
        try {
          const one = this.parse(text);
          if (one.length !== 1) throw new Error('not one record');
          cells = one[0] as string[];
        } catch (error) {
          this.handler.bad(line.number, text, `not valid CSV: ${csvProblem(error)}`);
          return;
        }
      }
      const record: CsvRecord = { line: line.number, lastLine: line.number, text, cells };
      const problem = this.handler.check(record);
      if (problem === undefined) this.handler.record(record);
      else this.handler.bad(line.number, text, problem);
    });
  }
}

/** The lines of a record as the file has them: inner line breaks kept, the last one dropped. */
function recordText(lines: ReadableLine[]): string {
  const last = lines.length - 1;
  return lines.map((l, i) => (i === last ? withoutCr(l.text) : l.text)).join('\n');
}

function withoutCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** csv-parse's error, said shortly and without its line numbers (they count from the record). */
function csvProblem(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'CSV_INVALID_CLOSING_QUOTE') {
    const got = /got "(.*?)"/.exec(message ?? '')?.[1];
    return `a quoted cell is followed by ${got === undefined ? 'text' : JSON.stringify(got)} instead of a comma or the end of the line`;
  }
  if (code === 'INVALID_OPENING_QUOTE') {
    return 'a quote inside a cell that does not start with one (quote the whole cell and double its quotes)';
  }
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted cell is not closed';
  return (message ?? 'unreadable').replace(/ at line \d+/g, '');
}
