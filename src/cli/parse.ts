import type { Command, OptionValues } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';

/** Examples block for a command's help; every command has one (a test checks). */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}`;
}

export function parseId(value: string, what = 'id'): number {
  if (!/^\d{1,15}$/.test(value.trim()) || Number(value) < 1) {
    throw new UsageError(`${what} must be a positive whole number, not "${value}"`);
  }
  return Number(value);
}

export function parseIds(values: string[], what = 'id'): number[] {
  return values.map((v) => parseId(v, what));
}

export function parseLimit(value: string): number {
  if (!/^\d{1,9}$/.test(value.trim()))
    throw new UsageError(`--limit takes a whole number, not "${value}"`);
  return Number(value);
}

export function parseOffset(value: string): number {
  if (!/^\d{1,12}$/.test(value.trim()))
    throw new UsageError(`--offset takes a whole number, not "${value}"`);
  return Number(value);
}

export function parseAmount(value: string): number {
  const amount = Number(value.trim());
  // Decimal only: Number() would also read 0x10, 0b11 and 0o7.
  const decimal = /^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(value.trim());
  if (!decimal || !Number.isFinite(amount) || amount < 0) {
    throw new UsageError(`--amount takes a number of 0 or more such as 1200.50, not "${value}"`);
  }
  return amount;
}

/** For options given several times: `--phone a --phone b`. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--field key=value`, repeatable, into an object. */
export function collectField(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError(`--field takes key=value, not "${value}"`);
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1) };
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** `--limit N` and `--offset N` for list commands, parsed to numbers. */
export function withPaging<
  Args extends unknown[],
  Opts extends OptionValues,
  Globals extends OptionValues,
>(command: Command<Args, Opts, Globals>) {
  return command
    .option('--limit <n>', 'at most this many', parseLimit)
    .option('--offset <n>', 'skip this many first', parseOffset);
}
