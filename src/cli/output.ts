import { createRequire } from 'node:module';
import type { Command, OptionValues } from '@commander-js/extra-typings';
import { Option } from '@commander-js/extra-typings';
import type CliTable3 from 'cli-table3';
import { UsageError } from '../errors.js';
import { csvRow, guardFormula, tsvCell } from '../formats/csv.js';
import type { Context } from './context.js';

export const outputFormats = ['table', 'json', 'jsonl', 'csv', 'tsv'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export interface OutputOptions {
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

/** Adds `-o/--output`, `--json` and `--fields` to a list or show command (DESIGN §8). */
export function withOutputOptions<
  Args extends unknown[],
  Opts extends OptionValues,
  Globals extends OptionValues,
>(command: Command<Args, Opts, Globals>) {
  return command
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(outputFormats)
        .default('table' as OutputFormat),
    )
    .option('--json', 'short for -o json')
    .option('--fields <names>', 'comma-separated fields to show (see --help for the list)');
}

export function formatOf(options: OutputOptions): OutputFormat {
  return options.json ? 'json' : (options.output ?? 'table');
}

/** True when the command's result should be JSON on stdout (summaries included). */
export function wantsJson(options: OutputOptions): boolean {
  return formatOf(options) === 'json' || formatOf(options) === 'jsonl';
}

export async function printList(
  ctx: Context,
  list: readonly object[],
  options: OutputOptions,
  view: View,
): Promise<void> {
  const records = list as AnyRecord[];
  const format = formatOf(options);
  const fields = chosenFields(options, view);
  const picked = options.fields ? records.map((r) => pick(r, fields)) : records;
  const write = (text: string) => ctx.io.stdout.write(text);
  switch (format) {
    case 'json':
      write(`${JSON.stringify(picked, null, 2)}\n`);
      return;
    case 'jsonl':
      for (const record of picked) write(`${JSON.stringify(record)}\n`);
      return;
    case 'csv':
      write(csvRow(fields));
      for (const record of records)
        write(csvRow(fields.map((f) => guardCell(record[f], view.cells?.[f]))));
      return;
    case 'tsv':
      write(`${fields.map(tsvCell).join('\t')}\n`);
      for (const record of records) {
        write(`${fields.map((f) => tsvCell(textOf(record[f], view.cells?.[f]))).join('\t')}\n`);
      }
      return;
    case 'table':
      if (ctx.io.stdoutIsTTY) write(await renderTable(ctx, fields, records, view));
      else {
        for (const record of records) {
          write(`${fields.map((f) => plainCell(record[f], view.cells?.[f])).join('\t')}\n`);
        }
      }
      return;
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
  if (ctx.io.stdoutIsTTY) {
    const paint = await ctx.paint('stdout');
    const width = Math.max(...fields.map((f) => f.length));
    for (const field of fields) {
      ctx.io.stdout.write(
        `${paint.bold(field.padEnd(width))}  ${plainCell(record[field], view.cells?.[field])}\n`,
      );
    }
  } else {
    for (const field of fields) {
      ctx.io.stdout.write(`${field}\t${plainCell(record[field], view.cells?.[field])}\n`);
    }
  }
}

export function printJson(ctx: Context, value: unknown): void {
  ctx.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
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
      `unknown field ${unknown.map((f) => `"${f}"`).join(', ') || '(none given)'}; available: ${view.fields.join(', ')}`,
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
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
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
  return typeof value === 'number' && !format ? String(value) : guardFormula(textOf(value, format));
}

/**
 * One line of text for a table cell: line breaks and tabs become spaces, and other control
 * characters (a stored escape sequence could repaint the terminal) become U+FFFD.
 */
function plainCell(value: unknown, format: CellFormat): string {
  return textOf(value, format)
    .replace(/[\t\r\n]+/g, ' ')
    .replace(/\p{Cc}/gu, '\uFFFD');
}

/** A bordered table (cli-table3) that fits the terminal: the widest columns give way first. */
async function renderTable(
  ctx: Context,
  fields: string[],
  records: AnyRecord[],
  view: View,
): Promise<string> {
  const header = fields.map((f) => f.toUpperCase());
  const rows = records.map((record) => fields.map((f) => plainCell(record[f], view.cells?.[f])));
  const widths = header.map(
    (h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)) + 2,
  );
  const budget = Math.max(ctx.io.columns - (fields.length + 1), fields.length * 6);
  while (widths.reduce((a, b) => a + b, 0) > budget) {
    const widest = widths.indexOf(Math.max(...widths));
    if ((widths[widest] ?? 0) <= 6) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  const colour = ctx.colour('stdout');
  const Table = loadTable(colour);
  const table = new Table({
    head: header,
    colWidths: widths,
    wordWrap: false,
    truncate: '…',
    style: { head: colour ? ['bold'] : [], border: colour ? ['grey'] : [] },
  });
  for (const row of rows) table.push(row);
  return `${table.toString()}\n`;
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
