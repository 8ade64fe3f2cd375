import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import type { Command, OptionValues } from '@commander-js/extra-typings';
import { Option } from '@commander-js/extra-typings';
import type CliTable3 from 'cli-table3';
import { UsageError } from '../errors.js';
import { csvRow, guardFormula, tsvCell } from '../formats/csv.js';
import type { Listing } from '../listing.js';
import type { Context } from './context.js';
import { escapeControls, escapeJsonControls } from './escape.js';

export const outputFormats = ['table', 'json', 'jsonl', 'csv', 'tsv'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export interface OutputOptions {
  /** Undefined when not given: a table, bordered on a terminal and plain rows when piped. */
  output?: OutputFormat;
  json?: boolean;
  fields?: string;
}

/** What a list or show command prints: every field it can show, and the table's default columns. */
export interface View {
  fields: readonly string[];
  columns: readonly string[];
  /** How a field reads as text (tables, CSV, TSV) when the generic rendering is not enough. */
  cells?: Record<string, (value: unknown) => string>;
}

type AnyRecord = Record<string, unknown>;

/** On a terminal, a list without --limit shows this many rows (DESIGN §8). */
export const terminalRows = 100;

/**
 * Adds `-o/--output`, `--json` and `--fields` to a list or show command (DESIGN §8); with the
 * command's View, its help lists the fields. Conflicting formats are refused before the action.
 */
export function withOutputOptions<
  Args extends unknown[],
  Opts extends OptionValues,
  Globals extends OptionValues,
>(command: Command<Args, Opts, Globals>, view?: View) {
  const withOptions = command
    .addOption(
      // No default: an -o table asked for prints a table even when piped.
      new Option('-o, --output <format>', 'output format (default: table)').choices(outputFormats),
    )
    .option('--json', 'short for -o json')
    .option(
      '--fields <names>',
      view
        ? 'comma-separated fields to show, in this order (see Fields below)'
        : 'comma-separated fields to show, in this order',
    );
  withOptions.hook('preAction', (thisCommand) => {
    checkFormatFlags(thisCommand.opts() as OutputOptions);
  });
  if (view) {
    withOptions.addHelpText('after', (context) =>
      fieldsHelp(view, context.command.configureOutput().getOutHelpWidth?.() ?? 80),
    );
  }
  return withOptions;
}

/** `--json -o csv` asks for two formats: a usage error naming both. `--json -o json` is fine. */
export function checkFormatFlags(options: OutputOptions): void {
  if (options.json && options.output !== undefined && options.output !== 'json') {
    throw new UsageError(
      `--json and -o ${options.output} ask for different formats: give one of them`,
    );
  }
}

function fieldsHelp(view: View, width: number): string {
  const names = view.fields.map((f) => (view.columns.includes(f) ? `${f}*` : f)).join(', ');
  const lines = wrapWords(names, Math.max(40, Math.min(width, 100)) - 2);
  return `\nFields for --fields (JSON keys; * in a table by default):\n${lines.map((l) => `  ${l}`).join('\n')}`;
}

export function formatOf(options: OutputOptions): OutputFormat {
  return options.json ? 'json' : (options.output ?? 'table');
}

/** True when the command's result should be JSON on stdout (summaries included). */
export function wantsJson(options: OutputOptions): boolean {
  return formatOf(options) === 'json' || formatOf(options) === 'jsonl';
}

/** `-o table` given: a table for people even when stdout is not a terminal. */
export function tableAskedFor(options: OutputOptions): boolean {
  return !options.json && options.output === 'table';
}

function isListing(list: Iterable<object> | Listing<object>): list is Listing<object> {
  return 'rows' in list && 'total' in list;
}

/**
 * Prints a list in the chosen format, row by row as it is read: memory stays flat however long
 * the list (DESIGN §8). A Listing is a list command's result: on a terminal without --limit only
 * its first rows are shown, and a note says how many there are; piped, all of them.
 * A plain iterable (a record's timeline, a summary's rows) is printed whole.
 */
export async function printList(
  ctx: Context,
  list: Iterable<object> | Listing<object>,
  options: OutputOptions,
  view: View,
): Promise<void> {
  const listing = isListing(list) ? list : undefined;
  const fields = chosenFields(options, view);
  const cap = listing && !listing.limited && ctx.io.stdoutIsTTY ? terminalRows : undefined;
  const renderer = rendererFor(ctx, options, fields, view);
  const writer = new OutputWriter(ctx.io.stdout);
  const rows = (listing ? listing.rows : (list as Iterable<object>))[Symbol.iterator]();
  let shown = 0;
  let more = false;
  try {
    writer.add(renderer.start());
    for (let next = rows.next(); !next.done; next = rows.next()) {
      if (shown === cap) {
        more = true;
        break;
      }
      shown++;
      if (writer.add(renderer.row(next.value as AnyRecord))) {
        await writer.flush();
        if (writer.closed) return;
      }
    }
  } finally {
    // Ends the store's statement when the loop stops early (the terminal's first rows, a closed pipe).
    rows.return?.();
  }
  writer.add(renderer.end());
  await writer.flush();
  if (more && listing) {
    const total = listing.total();
    ctx.note(
      `Showing ${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}: use --limit N, or pipe the output`,
    );
  }
}

export async function printRecord(
  ctx: Context,
  shown: object,
  options: OutputOptions,
  view: View,
): Promise<void> {
  const record = shown as AnyRecord;
  const format = formatOf(options);
  if (format === 'json') {
    printJson(ctx, options.fields ? pick(record, chosenFields(options, view)) : record);
    return;
  }
  if (format !== 'table') {
    await printList(ctx, [record], options, view);
    return;
  }
  const fields = options.fields
    ? chosenFields(options, view)
    : view.fields.filter((f) => f in record);
  const writer = new OutputWriter(ctx.io.stdout);
  if (ctx.io.stdoutIsTTY || tableAskedFor(options)) {
    const paint = await ctx.paint('stdout');
    const width = fields.reduce((widest, f) => Math.max(widest, f.length), 0);
    for (const field of fields) {
      writer.add(
        `${paint.bold(field.padEnd(width))}  ${tableCell(record[field], view.cells?.[field])}\n`,
      );
    }
  } else {
    for (const field of fields) {
      writer.add(`${field}\t${tableCell(record[field], view.cells?.[field])}\n`);
    }
  }
  await writer.flush();
}

/** A value as indented JSON on stdout; on a terminal, control characters show as escapes. */
export function printJson(ctx: Context, value: unknown): void {
  const json = `${JSON.stringify(value, null, 2)}\n`;
  ctx.io.stdout.write(ctx.io.stdoutIsTTY ? escapeJsonControls(json) : json);
}

function chosenFields(options: OutputOptions, view: View): string[] {
  if (!options.fields) {
    const format = formatOf(options);
    return format === 'table' ? [...view.columns] : [...view.fields];
  }
  const fields = options.fields
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = fields.filter((f) => !view.fields.includes(f));
  if (unknown.length > 0 || fields.length === 0) {
    throw new UsageError(
      `unknown field ${unknown.map((f) => `"${escapeControls(f)}"`).join(', ') || '(none given)'}; available: ${view.fields.join(', ')}`,
    );
  }
  return fields;
}

function pick(record: AnyRecord, fields: string[]): AnyRecord {
  return Object.fromEntries(fields.map((f) => [f, record[f] ?? null]));
}

/** A value as one line of text: arrays joined, records by their name. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  if (typeof value === 'object' && 'name' in value)
    return cellText((value as { name: unknown }).name);
  return JSON.stringify(value);
}

type CellFormat = ((value: unknown) => string) | undefined;

function textOf(value: unknown, format: CellFormat): string {
  return format ? format(value) : cellText(value);
}

function guardCell(value: unknown, format: CellFormat): string {
  return typeof value === 'number' && !format
    ? numberText(value)
    : guardFormula(textOf(value, format));
}

/**
 * A number as String() writes it, without String()'s cache of recent conversions: in a list of
 * millions, every cached id string outlives a garbage collection, and the heap grows with it.
 */
function numberText(value: number): string {
  return Number.isFinite(value) ? JSON.stringify(value) : String(value);
}

/**
 * A cell for people (tables, records, plain rows): one line, with line breaks, tabs and other
 * control characters shown as escapes (\n, \t, \x1b), so stored text cannot steer the terminal.
 */
function tableCell(value: unknown, format: CellFormat): string {
  return escapeControls(textOf(value, format));
}

/** Turns records into text, one row at a time; a table holds back a sample to size its columns. */
interface Renderer {
  start(): string;
  row(record: AnyRecord): string;
  end(): string;
}

function rendererFor(ctx: Context, options: OutputOptions, fields: string[], view: View): Renderer {
  // Data for programs stays exact when piped; on a terminal it is shown safely.
  const onTerminal = ctx.io.stdoutIsTTY;
  const shownAs = onTerminal ? escapeControls : (text: string) => text;
  const picked = (record: AnyRecord) => (options.fields ? pick(record, fields) : record);
  const cell = (record: AnyRecord, f: string) => textOf(record[f], view.cells?.[f]);
  switch (formatOf(options)) {
    case 'json': {
      let first = true;
      return {
        start: () => '',
        row(record) {
          const json = `${first ? '[\n' : ',\n'}  ${JSON.stringify(picked(record), null, 2).replaceAll('\n', '\n  ')}`;
          first = false;
          return onTerminal ? escapeJsonControls(json) : json;
        },
        // The same bytes as JSON.stringify(list, null, 2), written as the rows come.
        end: () => (first ? '[]\n' : '\n]\n'),
      };
    }
    case 'jsonl':
      return {
        start: () => '',
        row(record) {
          const json = `${JSON.stringify(picked(record))}\n`;
          return onTerminal ? escapeJsonControls(json) : json;
        },
        end: () => '',
      };
    case 'csv':
      return {
        start: () => csvRow(fields),
        row: (record) => csvRow(fields.map((f) => shownAs(guardCell(record[f], view.cells?.[f])))),
        end: () => '',
      };
    case 'tsv':
      return {
        start: () => `${fields.map(tsvCell).join('\t')}\n`,
        row: (record) => `${fields.map((f) => shownAs(tsvCell(cell(record, f)))).join('\t')}\n`,
        end: () => '',
      };
    case 'table':
      if (onTerminal || tableAskedFor(options)) return tableRenderer(ctx, fields, view);
      return {
        start: () => '',
        row: (record) => `${fields.map((f) => tableCell(record[f], view.cells?.[f])).join('\t')}\n`,
        end: () => '',
      };
  }
}

/** Column headers read as words: `createdAt` → `Created at`, `contactIds` → `Contact IDs`. */
export function headerLabel(field: string): string {
  const words = field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .map((word) => {
      const lower = word.toLowerCase();
      return lower === 'id' ? 'ID' : lower === 'ids' ? 'IDs' : lower;
    });
  const label = words.join(' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/**
 * A bordered table (cli-table3) that fits the terminal, drawn in linear time: column widths
 * come from the first rows (a sample), cells wrap to them (never cut), and the rows are drawn
 * a chunk at a time with no rule between them. When even that cannot fit the terminal
 * readably, each row is printed as a block of `Label  value` lines instead.
 */
function tableRenderer(ctx: Context, fields: string[], view: View): Renderer {
  const colour = ctx.colour('stdout');
  const Table = loadTable(colour);
  const style = { head: colour ? ['bold'] : [], border: colour ? ['grey'] : [] };
  const header = fields.map(headerLabel);
  const screen = ctx.io.columns > 0 ? ctx.io.columns : 80;
  let layout: Layout | undefined;
  let pending: string[][] = [];
  let keys = fields.map(() => true);
  let drawnRows = 0;
  let bottom = '';

  const drawTable = (widths: number[], rows: string[][], last: boolean): string => {
    const colWidths = widths.map((w) => w + 2);
    let out = '';
    if (drawnRows === 0) {
      const head = new Table({
        head: header.map((h, i) => wrapCell(h, widths[i] ?? 1)),
        colWidths,
        style,
      });
      const lines = head.toString().split('\n');
      // The header's bottom border becomes the rule under it when rows follow.
      if (rows.length > 0) lines[lines.length - 1] = ruleUnderHeader(lines.at(-1) ?? '');
      out += `${lines.join('\n')}\n`;
    }
    if (rows.length > 0) {
      const body = new Table({ colWidths, style, chars: noRowRules });
      for (const row of rows) body.push(row.map((text, i) => wrapCell(text, widths[i] ?? 1)));
      // Chunks join into one table: each loses its top border, and all but the last their bottom.
      const lines = body.toString().split('\n').slice(1);
      if (!last) bottom = lines.pop() ?? '';
      out += `${lines.join('\n')}\n`;
    }
    return out;
  };

  const drawRecords = (rows: string[][]): string => {
    const labelWidth = header.reduce((widest, h) => Math.max(widest, displayWidth(h)), 0);
    const valueWidth = Math.max(screen - labelWidth - 2, 10);
    const rule = '─'.repeat(Math.min(screen, labelWidth + 2 + valueWidth));
    let out = '';
    rows.forEach((row, n) => {
      if (drawnRows + n > 0) out += `${colour ? `\u001b[90m${rule}\u001b[39m` : rule}\n`;
      header.forEach((label, i) => {
        const [first = '', ...rest] = wrapWords(row[i] ?? '', valueWidth);
        const shown =
          first === '' ? label : label + ' '.repeat(labelWidth + 2 - displayWidth(label));
        out += `${colour ? `\u001b[1m${shown}\u001b[22m` : shown}${first}\n`;
        for (const line of rest) out += `${' '.repeat(labelWidth + 2)}${line}\n`;
      });
    });
    return out;
  };

  const draw = (rows: string[][], last: boolean): string => {
    // The first chunk is the sample the columns are sized by.
    layout ??= tableLayout(header, rows, keys, screen, !last);
    const out = layout.kind === 'table' ? drawTable(layout.widths, rows, last) : drawRecords(rows);
    drawnRows += rows.length;
    return out;
  };

  return {
    start: () => '',
    row(record) {
      pending.push(fields.map((f) => tableCell(record[f], view.cells?.[f])));
      if (!layout) keys = keys.map((key, i) => key && isKeyValue(record[fields[i] ?? '']));
      // A chunk is drawn once a row after it arrives: so the table knows whether more follow.
      if (pending.length <= tableChunk) return '';
      const out = draw(pending.slice(0, tableChunk), false);
      pending = pending.slice(tableChunk);
      return out;
    },
    end() {
      const rows = pending;
      pending = [];
      if (drawnRows === 0 && rows.length === 0)
        return drawTable(fittedWidths(header, screen), [], true);
      if (rows.length > 0) return draw(rows, true);
      // Every row drawn already: the last chunk's bottom border closes the table.
      return layout?.kind === 'table' ? `${bottom}\n` : '';
    },
  };
}

/** Rows drawn per cli-table3 table: its layout costs grow faster than the rows it holds. */
const tableChunk = 100;

const noRowRules = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function ruleUnderHeader(bottom: string): string {
  return bottom.replace('└', '├').replaceAll('┴', '┼').replace('┘', '┤');
}

/** Ids, numbers and times: values people read whole, so their columns keep their full width. */
function isKeyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  return typeof value === 'string' && /^(\d{1,15}|\d{4}-\d\d-\d\dT[\d:.]+Z?)$/.test(value);
}

type Layout = { kind: 'table'; widths: number[] } | { kind: 'records' };

/** Narrower than this (or its content), a column is no longer worth reading as a column. */
const readableWidth = 5;

/**
 * Widths (without padding) that fit `columns`: everything at full width when it fits; else
 * the key columns (ids, numbers, times) keep theirs and the others share what is left, the
 * narrow ones whole first. When the others would get less than a readable width, records.
 * Rows after the sample that are wider than it wrap like any other cell.
 */
function tableLayout(
  header: string[],
  sample: string[][],
  key: boolean[],
  columns: number,
  more: boolean,
): Layout {
  const widest = (i: number) =>
    sample.reduce((w, row) => Math.max(w, displayWidth(row[i] ?? '')), 0);
  // Ids and counts grow down a long list: with rows to come, room for one more digit.
  const growing = (i: number) => more && sample.every((row) => /^\d*$/.test(row[i] ?? ''));
  const content = header.map((_, i) => widest(i) + (growing(i) ? 1 : 0));
  const natural = header.map((h, i) => Math.max(displayWidth(h), content[i] ?? 0, 1));
  const budget = tableBudget(header.length, columns);
  if (sum(natural) <= budget) return { kind: 'table', widths: natural };
  const headerWord = header.map((h) =>
    h.split(' ').reduce((w, word) => Math.max(w, displayWidth(word)), 1),
  );
  const widths = natural.map((_, i) => Math.max(content[i] ?? 0, headerWord[i] ?? 1));
  const others = natural.map((_, i) => i).filter((i) => !key[i]);
  const left = budget - sum(widths.filter((_, i) => key[i]));
  const floor = others.map((i) => Math.min(natural[i] ?? 1, readableWidth));
  if (left < sum(floor)) return { kind: 'records' };
  // A header may wrap between its words: what a column wants is its content or its longest word.
  const shared = share(
    others.map((i) => widths[i] ?? 1),
    left,
    floor,
  );
  others.forEach((column, j) => {
    widths[column] = shared[j] ?? 1;
  });
  return { kind: 'table', widths };
}

/** The header alone (an empty list): its labels, wrapped if the screen is narrow. */
function fittedWidths(header: string[], columns: number): number[] {
  const natural = header.map((h) => Math.max(displayWidth(h), 1));
  const budget = tableBudget(header.length, columns);
  return sum(natural) <= budget
    ? natural
    : share(
        natural,
        budget,
        natural.map(() => 1),
      );
}

/** Each column costs its padding (2) and one border; the table one more border. */
function tableBudget(count: number, columns: number): number {
  return Math.max(columns - 3 * count - 1, count);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Splits `budget` among columns that want `wanted`: the narrow ones get all they want first. */
function share(wanted: number[], budget: number, floor: number[]): number[] {
  const widths = wanted.slice();
  const order = wanted.map((_, i) => i).sort((a, b) => (wanted[a] ?? 0) - (wanted[b] ?? 0));
  let left = budget;
  let count = order.length;
  for (const i of order) {
    const width = Math.max(floor[i] ?? 1, Math.min(wanted[i] ?? 0, Math.floor(left / count)));
    widths[i] = width;
    left -= width;
    count--;
  }
  return widths;
}

/** A cell's text wrapped to `width` columns: at spaces, and inside words longer than a line. */
function wrapCell(text: string, width: number): string {
  return displayWidth(text) <= width ? text : wrapWords(text, width).join('\n');
}

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const word of text.split(' ')) {
    const size = displayWidth(word);
    if (line !== '' && used + 1 + size <= width) {
      line += ` ${word}`;
      used += 1 + size;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    used = 0;
    if (size <= width) {
      line = word;
      used = size;
      continue;
    }
    for (const char of word) {
      const charWidth = displayWidth(char);
      if (line !== '' && used + charWidth > width) {
        lines.push(line);
        line = '';
        used = 0;
      }
      line += char;
      used += charWidth;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

const printableAscii = /^[\x20-\x7E]*$/;
let stringWidth: ((text: string) => number) | undefined;

/** Columns a text takes on a terminal: wide (CJK) characters count 2, combining marks 0. */
function displayWidth(text: string): number {
  if (printableAscii.test(text)) return text.length;
  stringWidth ??= loadStringWidth();
  return stringWidth(text);
}

/** The width function cli-table3 itself measures with, so that our wrapping and its layout agree. */
function loadStringWidth(): (text: string) => number {
  try {
    return createRequire(require.resolve('cli-table3'))('string-width') as (text: string) => number;
  } catch {
    return (text) => [...text].length;
  }
}

const chunkBytes = 1 << 16;

/**
 * Buffers output and writes it in large pieces, waiting when the reader is slower
 * (backpressure). The text is copied into a Buffer as it comes, outside the JavaScript heap:
 * the rows' strings then die young, and the heap stays the same size however long the list.
 * For any long output to a stream: `if (writer.add(text)) await writer.flush();` per piece,
 * `await writer.flush()` at the end; stop when `closed` (the reader went away).
 */
export class OutputWriter {
  private chunk = Buffer.allocUnsafeSlow(chunkBytes);
  private used = 0;
  private readonly full: Buffer[] = [];
  closed = false;

  constructor(private readonly stream: Writable) {}

  /** Adds text; true when enough is buffered that the caller should `await flush()`. */
  add(text: string): boolean {
    if (text === '') return this.full.length > 0;
    const size = Buffer.byteLength(text);
    if (this.used + size > this.chunk.length) {
      if (this.used > 0) this.full.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafeSlow(Math.max(chunkBytes, size));
      this.used = 0;
    }
    this.used += this.chunk.write(text, this.used);
    return this.full.length > 0;
  }

  async flush(): Promise<void> {
    if (this.used > 0) {
      this.full.push(this.chunk.subarray(0, this.used));
      // The stream holds on to what it was given until it is written: a new chunk for more.
      this.chunk = Buffer.allocUnsafeSlow(chunkBytes);
      this.used = 0;
    }
    for (const piece of this.full.splice(0)) {
      if (this.closed) return;
      if (!this.stream.writable) {
        // The reader went away (`| head`): stop reading the store for nobody.
        this.closed = true;
        return;
      }
      if (!this.stream.write(piece)) await drained(this.stream);
    }
    if (!this.stream.writable) this.closed = true;
  }
}

function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

const require = createRequire(import.meta.url);

/**
 * cli-table3, colouring exactly when `colour` says. It paints through @colors/colors, which
 * otherwise decides by itself from the process's TERM, FORCE_COLOR and argv, not from this
 * run's streams (a TTY with TERM unset got no colours; FORCE_COLOR=0 disagreed with ours).
 */
export function loadTable(colour: boolean): typeof CliTable3 {
  const Table = require('cli-table3') as typeof CliTable3;
  try {
    const colors = createRequire(require.resolve('cli-table3'))('@colors/colors/safe') as {
      enabled: boolean;
    };
    colors.enabled = colour;
  } catch {
    // An optional dependency of cli-table3: without it, tables simply have no colours.
  }
  return Table;
}
