import { escapeControls } from '../cli/escape.js';
import { csvRow, guardFormula } from '../formats/csv.js';

/**
 * A line an import did not add — rejected (with its reason), or a duplicate (reason
 * `duplicate`) — as the rejects report and the JSON lines on stderr show it.
 */
export interface ReportedLine {
  line: number;
  raw: string;
  reason: string;
  message: string;
}

/** Where a report goes: a file that appears whole (OutputFile), or a stream (stdout). */
export interface ReportOutput {
  write(text: string): void;
  commit(): void;
  discard(): void;
}

/**
 * The rejects report of an import: a CSV of `line,raw,reason,message`, its `raw` cells
 * guarded against formulas like an export's. Writing it never decides the import: a failure
 * (disk full) drops the report, leaving no partial file, and `finish` throws it afterwards.
 * `forTerminal` shows control characters escaped (stdout on a terminal).
 */
export class RejectsReport {
  private started = false;
  private failure: unknown;

  constructor(
    private readonly output: ReportOutput,
    private readonly forTerminal = false,
  ) {}

  add(line: ReportedLine): void {
    this.write([String(line.line), guardFormula(line.raw), line.reason, line.message]);
  }

  /** The report is complete: written whole (a header alone when nothing was reported). */
  finish(): void {
    this.start();
    if (this.failure === undefined) {
      try {
        this.output.commit();
      } catch (error) {
        this.failure = error;
      }
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** The import did not finish: no report is left behind. */
  abandon(): void {
    this.output.discard();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.emit(['line', 'raw', 'reason', 'message']);
  }

  private write(cells: string[]): void {
    this.start();
    this.emit(cells);
  }

  private emit(cells: string[]): void {
    if (this.failure !== undefined) return;
    try {
      this.output.write(csvRow(this.forTerminal ? cells.map(escapeControls) : cells));
    } catch (error) {
      this.failure = error;
      this.output.discard();
    }
  }
}

// Written as a string: a regex literal of control characters would need a lint exception.
const beyondJsonEscapes = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `value` as one line of JSON that a terminal shows rather than obeys: JSON.stringify escapes
 * C0 controls; DEL, C1 controls and bidi overrides are escaped too (`\u009b`), which JSON
 * reads back as the same text.
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(
    beyondJsonEscapes,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )}\n`;
}
