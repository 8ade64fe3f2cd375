import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CountryCode, Examples, PhoneNumber } from 'libphonenumber-js';
import { expect } from 'vitest';
import type { ExceptionEntry } from '../../src/exceptions/service.js';
import type { ImportSummary, ReportedLine } from '../../src/imports/run.js';
import type { CliResult, newStore } from '../helpers.js';

/** Helpers shared by the exceptions-list tests (in-process and end-to-end). */

export type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

// The JSON shapes scripts read (DESIGN §8a), as the program declares them.
export type EntryJson = ExceptionEntry;
export type SummaryJson = ImportSummary;
export type ReportedJson = ReportedLine;

/** Asserts exit 0 (with stderr in the failure) and parses stdout as JSON. */
export function ok<T>(result: CliResult): T {
  expect(result.exitCode, `stderr: ${result.stderr}\nstdout: ${result.stdout}`).toBe(0);
  return result.json<T>();
}

/** The whole list, as `exceptions list --json` prints it. */
export async function entries(cli: Cli, filters: string[] = []): Promise<EntryJson[]> {
  return ok<EntryJson[]>(await cli(['exceptions', 'list', ...filters, '--json']));
}

/** What import → export → import must keep: type, value and comment, in list order. */
export async function listed(cli: Cli, filters: string[] = []) {
  return (await entries(cli, filters)).map(({ type, value, comment }) => ({
    type,
    value,
    comment,
  }));
}

/** Writes `content` to `dir/name` and returns the path. */
export function writeInput(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A CSV file's rows as objects keyed by its header. */
export function csvRecords(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true }) as Record<string, string>[];
}

/** The JSON lines a command printed (on stderr under -o json). */
export function jsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as T);
}

/** The non-blank lines that are not `#` comments: what an import's `lines` counts. */
export function countedLines(content: string): number {
  return content
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#')).length;
}

const require = createRequire(import.meta.url);
const phoneLibrary = require('libphonenumber-js/max') as {
  getCountries(): CountryCode[];
  getExampleNumber(country: CountryCode, examples: Examples): PhoneNumber | undefined;
};
const mobileExamples = require('libphonenumber-js/mobile/examples') as Examples;

export interface ExamplePhone {
  country: CountryCode;
  /** E.164, as the list stores it. */
  e164: string;
  international: string;
  national: string;
}

/** One valid mobile number per country, from libphonenumber-js's own examples. */
export const examplePhones: ExamplePhone[] = phoneLibrary.getCountries().flatMap((country) => {
  const example = phoneLibrary.getExampleNumber(country, mobileExamples);
  return example
    ? [
        {
          country,
          e164: example.number,
          international: example.formatInternational(),
          national: example.formatNational(),
        },
      ]
    : [];
});

export function examplePhone(country: CountryCode): ExamplePhone {
  const phone = examplePhones.find((p) => p.country === country);
  if (!phone) throw new Error(`no example number for ${country}`);
  return phone;
}

/** A cell as crmctl's CSV export guards it: a leading ' before = + - @ tab CR. */
export function guardCell(value: string): string {
  return /^'*[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV row, every cell quoted (RFC 4180), CRLF-terminated. */
export function csvLine(cells: string[]): string {
  return `${cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')}\r\n`;
}
