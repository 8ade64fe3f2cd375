import { parseDuration } from '../clock.js';

/** Reading numbers, dates and clock-relative values, shared by the parser and the evaluator. */

const NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** A decimal number (`10`, `-2.5`, `1e6`), or undefined. -0 reads as 0. */
export function readNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return undefined;
  return value === 0 ? 0 : value;
}

/** A date-only value compares by its day; a date-time by its instant. */
export type DateValue = { dateOnly: true; day: string } | { dateOnly: false; ms: number };

const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An ISO-8601 date (`2026-05-01`) or date-time (`2026-05-01T09:30`, seconds, fraction and zone
 * optional; no zone means UTC, as `--now` reads it), or undefined. Impossible dates are refused.
 */
export function readDate(text: string): DateValue | undefined {
  const match = DATE.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  const dayMs = utcMs(year, month, day);
  if (new Date(dayMs).getUTCDate() !== day || month < 1 || month > 12) return undefined;
  if (h === undefined) return { dateOnly: true, day: `${y}-${mo}-${d}` };
  const [hour, minute, second] = [Number(h), Number(mi), Number(s ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const [zh, zm] = [Number(digits.slice(1, 3)), Number(digits.slice(3, 5))];
    if (zh > 23 || zm > 59) return undefined;
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (zh * 60 + zm);
  }
  const ms = dayMs + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
  return { dateOnly: false, ms };
}

/** The canonical spelling of a date literal: `T` between date and time, `Z` upper-cased. */
export function canonicalDate(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= 10) return trimmed;
  return `${trimmed.slice(0, 10)}T${trimmed.slice(11).replace(/z$/, 'Z')}`;
}

function utcMs(year: number, month: number, day: number): number {
  // Date.UTC reads the years 0–99 as 1900–1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (`YYYY-MM-DD`) of an instant in a time zone. */
export function dayOf(ms: number, timeZone: string): string {
  if (timeZone === 'UTC') return new Date(ms).toISOString().slice(0, 10);
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

export function addDays(day: string, days: number): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(utcMs(year, month, date) + days * dayMs).toISOString().slice(0, 10);
}

const dayMs = 86_400_000;

export type Relative = { base: 'now' | 'today'; offsetMs: number };

const RELATIVE = /^(now|today)(?:([+-])(.*))?$/i;

/**
 * `now`, `today`, or either moved by a duration (`now-3d`, `today+1w`, `now+1d4h`), written
 * without spaces; `today` moves in whole days. Undefined when the text is not of that shape at
 * all, a reason when it starts like one but is wrong.
 */
export function readRelative(text: string): Relative | { problem: string } | undefined {
  const match = RELATIVE.exec(text);
  if (!match) return undefined;
  const base = (match[1] ?? '').toLowerCase() as Relative['base'];
  const [, , sign] = match;
  const duration = (match[3] ?? '').toLowerCase();
  if (sign === undefined) return { base, offsetMs: 0 };
  if (!/^(\d+[smhdw])+$/.test(duration)) {
    return { problem: `expected a duration after "${base}${sign}", such as ${base}${sign}3d` };
  }
  let ms: number;
  try {
    ms = parseDuration(`${sign}${duration}`, base);
  } catch {
    return { problem: `${base} can move by at most 100 years (36500d)` };
  }
  if (base === 'today' && ms % dayMs !== 0) {
    return { problem: `today moves in whole days (today${sign}1d); for hours use now${sign}…` };
  }
  return { base, offsetMs: ms === 0 ? 0 : ms };
}

/** Looks like `now…` / `today…` to the parser: such a text is quoted where it is text. */
export function looksRelative(text: string): boolean {
  return /^(now|today)([+-]|$)/i.test(text);
}

/** `-3d`, `+1d4h`, or '' for no offset: what readRelative reads back. */
export function formatOffset(offsetMs: number): string {
  if (offsetMs === 0) return '';
  let rest = Math.abs(offsetMs) / 1000;
  let text = '';
  for (const [unit, seconds] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const amount = Math.floor(rest / seconds);
    if (amount > 0) text += `${amount}${unit}`;
    rest -= amount * seconds;
  }
  return `${offsetMs < 0 ? '-' : '+'}${text}`;
}

export function resolveRelative(relative: Relative, now: Date, timeZone: string): DateValue {
  if (relative.base === 'now') return { dateOnly: false, ms: now.getTime() + relative.offsetMs };
  return {
    dateOnly: true,
    day: addDays(dayOf(now.getTime(), timeZone), relative.offsetMs / dayMs),
  };
}
