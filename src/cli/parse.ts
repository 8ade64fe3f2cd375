import type { Command, OptionValues } from '@commander-js/extra-typings';
import { type Clock, parseSince } from '../clock.js';
import { isCountryCode } from '../contact-details/phone.js';
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

/** Amounts are stored as numbers: at most this many decimals and significant digits stay exact. */
const amountDecimals = 4;
const amountDigits = 15;

/**
 * An amount of 0 or more, written in decimal (1200.50, 1.2e3), that a stored number holds
 * exactly: at most 4 decimals and 15 significant digits. Anything else is refused, never rounded.
 */
export function parseAmount(value: string): number {
  const text = value.trim();
  // Decimal only: Number() would also read 0x10, 0b11 and 0o7.
  const match = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d{1,6}))?$/i.exec(text);
  if (!match || !/\d/.test((match[1] ?? '') + (match[2] ?? ''))) {
    throw new UsageError(`--amount takes a number of 0 or more such as 1200.50, not "${value}"`);
  }
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  const exponent = Number(match[3] ?? '0');
  // The digits as one integer and the power of ten it is scaled by: 12.50e1 → 1250 × 10^-2.
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  const significant = digits.replace(/0+$/, '');
  const scale = exponent - fraction.length + (digits.length - significant.length);
  if (significant !== '' && -scale > amountDecimals) {
    throw new UsageError(
      `--amount ${text}: at most ${amountDecimals} decimals, so that it is stored exactly`,
    );
  }
  if (significant.length + Math.max(0, scale) > amountDigits) {
    throw new UsageError(
      `--amount ${text}: at most ${amountDigits} digits, so that it is stored exactly`,
    );
  }
  return significant === '' ? 0 : Number(`${significant}e${scale}`);
}

/** For options given several times: `--phone a --phone b`. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * `--field key=value`, repeatable, into an object without a prototype, so that a field called
 * `__proto__` or `toString` is a field like any other.
 */
export function collectField(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError(`--field takes key=value, not "${value}"`);
  const fields: Record<string, string> = Object.assign(Object.create(null), previous);
  fields[value.slice(0, at).trim()] = value.slice(at + 1);
  return fields;
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

/** A country flag (`--country GB`): a known ISO code, upper-cased; a usage error naming the flag. */
export function parseCountry(value: string | undefined, flag = '--country'): string | undefined {
  if (value === undefined) return undefined;
  if (!isCountryCode(value))
    throw new UsageError(`${flag} "${value}" is not a known ISO country code such as GB or US`);
  return value.trim().toUpperCase();
}

/** A `--since`/`--until` flag when given: an ISO time, or a duration meaning that long before now. */
export function parseSinceFlag(
  value: string | undefined,
  flag: string,
  clock: Clock,
): Date | undefined {
  return value === undefined ? undefined : parseSince(value, flag, clock);
}
