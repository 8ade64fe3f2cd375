import { UsageError } from './errors.js';

/** The one source of time. Services never call `new Date()` themselves. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}

/** Parses an ISO-8601 date or date-time; a value without a zone is read as UTC. */
export function parseInstant(text: string, flag: string): Date {
  const trimmed = text.trim();
  const isoLike =
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
  if (!isoLike.test(trimmed)) {
    throw new UsageError(
      `${flag} takes an ISO-8601 time such as 2026-11-23T09:30:00Z, not "${text}"`,
    );
  }
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) && trimmed.length > 10;
  const normalised = trimmed.replace(' ', 'T');
  const date = new Date(hasZone || normalised.length === 10 ? normalised : `${normalised}Z`);
  if (Number.isNaN(date.getTime()) || !isCalendarDate(trimmed)) {
    throw new UsageError(`${flag}: "${text}" is not a real date`);
  }
  return date;
}

/** The years `--now` accepts: a clock before 1970 or past 9999 is a typo, not a simulation. */
const nowYears = { min: 1970, max: 9999 };

/**
 * The last instant a job may be due at: times are stored as ISO text and compared as text, and
 * past 9999 toISOString writes "+010000-…", which sorts before "9999-…".
 */
export const latestDueMs = Date.UTC(nowYears.max, 11, 31, 23, 59, 59, 999);

/** `--now` / `CRMCTL_NOW`: an ISO-8601 time in the years 1970–9999 (UTC). */
export function parseNow(text: string, flag: string): Date {
  const date = parseInstant(text, flag);
  const year = date.getUTCFullYear();
  if (year < nowYears.min || year > nowYears.max) {
    throw new UsageError(
      `${flag} takes a time in the years ${nowYears.min} to ${nowYears.max}, not "${text}"`,
    );
  }
  return date;
}

/** JavaScript rolls 2026-02-30 over to 2 March; a date that does not exist is refused instead. */
function isCalendarDate(text: string): boolean {
  const [year = 0, month = 0, day = 0] = text.slice(0, 10).split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const durationUnits: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** The longest duration anything takes: a hundred years (36500d). */
const maxDurationMs = 36_500 * 86_400_000;

/**
 * Parses `90s`, `30m`, `2h`, `3d`, `1w` or a sum such as `1d4h` (optionally signed) into
 * milliseconds; at most a hundred years either way.
 */
export function parseDuration(text: string, flag: string): number {
  const match = /^([+-]?)((?:\d+[smhdw])+)$/.exec(text.trim());
  if (!match) {
    throw new UsageError(`${flag} takes a duration such as 30m, 2h, 3d or 1d4h, not "${text}"`);
  }
  let ms = 0;
  for (const [, amount, unit] of (match[2] ?? '').matchAll(/(\d+)([smhdw])/g)) {
    ms += Number(amount) * (durationUnits[unit ?? ''] ?? 0);
  }
  if (!(ms <= maxDurationMs)) {
    throw new UsageError(`${flag} takes a duration of at most 100 years (36500d), not "${text}"`);
  }
  return match[1] === '-' ? -ms : ms;
}

/** `--since` style values: an ISO time, or a duration meaning "that long before now". */
export function parseSince(text: string, flag: string, clock: Clock): Date {
  if (/^(\d+[smhdw])+$/.test(text.trim())) {
    return new Date(clock.now().getTime() - parseDuration(text, flag));
  }
  return parseInstant(text, flag);
}

/** A clock that stands still until told to move: simulations and the demo walk it forward. */
export class VirtualClock implements Clock {
  private current: number;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(at: Date): void {
    this.current = at.getTime();
  }
}
