import { UsageError } from '../errors.js';
import {
  dayMs,
  earliestInstantsAt,
  minuteMs,
  offsetAt,
  wallTimeOf,
  type Zone,
  zoneNamed,
} from './zone.js';

/**
 * The company's working-time calendar (DESIGN §2 `--working-hours`, §4 auto-block): working
 * days, the hours of a working day, the time zone they are read in, and holidays.
 *
 * - A working day runs from `from` up to, not including, `to`: [09:00, 19:00) — 09:00 is working
 *   time, 19:00 is not. `to` may be 24:00 (the end of the day); a day never runs past midnight.
 * - Days and holidays are dates in the calendar's zone, not in UTC.
 * - Each boundary is the earliest instant the zone's clock reads that time or later on that
 *   date: a time the clocks skip (spring forward) starts or ends at the jump, a time they pass
 *   twice (fall back) at its first occurrence.
 */

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** A calendar as stored (JSON): treat it as immutable; the ones made here are frozen. */
export interface WorkingTime {
  /** In week order, Monday first, each once. */
  readonly days: readonly Weekday[];
  /** `HH:MM`, 24-hour, 00:00–23:59. */
  readonly from: string;
  /** `HH:MM`, after `from`, up to 24:00. */
  readonly to: string;
  /** An IANA zone name (`Europe/London`, `UTC`). */
  readonly timeZone: string;
  /** `YYYY-MM-DD` dates in the zone, ascending, each once. */
  readonly holidays: readonly string[];
}

/** Monday to Friday, 09:00–19:00, in UTC: crmctl never guesses a zone from the machine it runs on. */
export const defaultWorkingTime: WorkingTime = freezeCalendar({
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  from: '09:00',
  to: '19:00',
  timeZone: 'UTC',
  holidays: [],
});

/** The flags of `settings working-time`, as given. */
export interface WorkingTimeFlags {
  days?: string;
  from?: string;
  to?: string;
  tz?: string;
  holidays?: readonly string[];
  clearHolidays?: boolean;
}

/**
 * A calendar from `base` with what the flags change: `--days`, `--from`, `--to` and `--tz`
 * replace, `--holiday` adds to the holidays (after `--clear-holidays` empties them). Each bad
 * value is a UsageError naming its flag.
 */
export function parseWorkingTime(
  flags: WorkingTimeFlags,
  base: WorkingTime = defaultWorkingTime,
): WorkingTime {
  const days = flags.days === undefined ? base.days : parseDays(flags.days);
  const from = flags.from === undefined ? base.from : parseTimeOfDay(flags.from, '--from');
  const to = flags.to === undefined ? base.to : parseTimeOfDay(flags.to, '--to');
  checkDayLength(from, to, flags);
  const timeZone = flags.tz === undefined ? base.timeZone : parseTimeZone(flags.tz);
  const added = (flags.holidays ?? []).map(parseHoliday);
  const holidays = [...(flags.clearHolidays ? [] : base.holidays), ...added];
  return freezeCalendar({ days, from, to, timeZone, holidays: [...new Set(holidays)].sort() });
}

/**
 * A calendar read back (from the store, or made by hand), checked as the flags are; throws a
 * UsageError saying what is wrong.
 */
export function checkWorkingTime(value: unknown): WorkingTime {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(
      'a working-time calendar is an object with days, from, to, timeZone, holidays',
    );
  }
  const record = value as Record<string, unknown>;
  const strings = (key: string): string[] => {
    const list = record[key];
    if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string')) {
      throw new UsageError(`a working-time calendar's ${key} is a list of strings`);
    }
    return list;
  };
  const string = (key: string): string => {
    const text = record[key];
    if (typeof text !== 'string')
      throw new UsageError(`a working-time calendar's ${key} is a string`);
    return text;
  };
  const days = strings('days');
  if (days.some((day) => !(weekdays as readonly string[]).includes(day))) {
    throw new UsageError(`days ${JSON.stringify(days)}: each is one of ${weekdays.join(', ')}`);
  }
  return parseWorkingTime(
    {
      days: days.join(','),
      from: string('from'),
      to: string('to'),
      tz: string('timeZone'),
      holidays: strings('holidays'),
      clearHolidays: true,
    },
    defaultWorkingTime,
  );
}

const dayNames = new Map<string, Weekday>([
  ...weekdays.map((day) => [day, day] as const),
  ['monday', 'mon'],
  ['tuesday', 'tue'],
  ['tues', 'tue'],
  ['wednesday', 'wed'],
  ['thursday', 'thu'],
  ['thur', 'thu'],
  ['thurs', 'thu'],
  ['friday', 'fri'],
  ['saturday', 'sat'],
  ['sunday', 'sun'],
]);

const daysHelp =
  'days are mon tue wed thu fri sat sun, in ranges (mon-fri) and lists (mon,wed,fri)';

/**
 * `mon-fri`, `mon,wed,fri`, `mon-wed,fri`, full names, any case; a range may wrap past Sunday
 * (`sun-thu`, `fri-mon`). In week order, Monday first, each once.
 */
export function parseDays(text: string): Weekday[] {
  const chosen = new Set<number>();
  const indexOf = (name: string, token: string): number => {
    const day = dayNames.get(name.trim().toLowerCase());
    if (day === undefined) {
      throw new UsageError(
        `--days: "${token.trim()}" is not a day or a range of days; ${daysHelp}`,
      );
    }
    return weekdays.indexOf(day);
  };
  for (const token of text.split(',')) {
    if (token.trim() === '') continue;
    const range = /^([^-]+)-([^-]+)$/.exec(token);
    if (range) {
      const first = indexOf(range[1] ?? '', token);
      const last = indexOf(range[2] ?? '', token);
      for (let day = first; ; day = (day + 1) % 7) {
        chosen.add(day);
        if (day === last) break;
      }
    } else {
      chosen.add(indexOf(token, token));
    }
  }
  if (chosen.size === 0) {
    throw new UsageError(`--days needs at least one working day, such as mon-fri; ${daysHelp}`);
  }
  return weekdays.filter((_, index) => chosen.has(index));
}

/** `9:00` or `09:00`, 24-hour, as `HH:MM`; `--to` may be 24:00, the end of the day. */
export function parseTimeOfDay(text: string, flag: '--from' | '--to'): string {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  const endOfDay = flag === '--to' && hours === 24 && minutes === 0;
  if (!match || minutes > 59 || (hours > 23 && !endOfDay)) {
    const range = flag === '--to' ? '00:01 to 24:00' : '00:00 to 23:59';
    throw new UsageError(
      `${flag} takes a 24-hour time HH:MM from ${range}, such as ${flag === '--to' ? '19:00' : '09:00'}, not "${text}"`,
    );
  }
  return `${String(hours).padStart(2, '0')}:${match[2]}`;
}

function checkDayLength(from: string, to: string, flags: WorkingTimeFlags): void {
  if (from < to) return;
  const why =
    'a working day ends on the day it starts (no overnight shifts; --to 24:00 is the end of the day)';
  if (flags.from !== undefined && flags.to !== undefined) {
    throw new UsageError(`--from ${from} must be before --to ${to}: ${why}`);
  }
  if (flags.from !== undefined) {
    throw new UsageError(
      `--from ${from} must be before the end of the working day, ${to} (give --to too): ${why}`,
    );
  }
  throw new UsageError(
    `--to ${to} must be after the start of the working day, ${from} (give --from too): ${why}`,
  );
}

/**
 * An IANA zone the platform's Intl knows, any case; kept as written, in the zone database's
 * case when it knows the name (`europe/london` → `Europe/London`, `utc` → `UTC`).
 */
export function parseTimeZone(text: string): string {
  const name = text.trim();
  const refused = () =>
    new UsageError(
      `--tz: "${text}" is not a time zone this system knows; give an IANA name such as Europe/London, America/New_York or UTC`,
    );
  // No zone name is this long; a long value is refused before Intl reads it.
  if (name === '' || name.length > 64) throw refused();
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw refused();
  }
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}

const holidayYears = { min: 1970, max: 9999 };

/** A real date `YYYY-MM-DD` (1970–9999, the years the clock accepts). */
export function parseHoliday(text: string): string {
  const date = text.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) {
    throw new UsageError(`--holiday takes a date as YYYY-MM-DD, such as 2026-12-25, not "${text}"`);
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (
    year < holidayYears.min ||
    year > holidayYears.max ||
    dateText(Math.floor(wallTimeOf(year, month, day) / dayMs)) !== date
  ) {
    throw new UsageError(
      `--holiday ${date} is not a real date from ${holidayYears.min} to ${holidayYears.max}`,
    );
  }
  return date;
}

/** The working period an instant lies in, or else the next one. */
export interface WorkingPeriod {
  /** True when the instant lies in the period. */
  working: boolean;
  /** The period's local date, `YYYY-MM-DD`. */
  date: string;
  start: Date;
  /** The first instant after the period (half-open). */
  end: Date;
}

/** Whether `instant` is working time: a working day that is no holiday, from ≤ time < to. */
export function isWorkingTime(calendar: WorkingTime, instant: Date): boolean {
  const compiled = compile(calendar);
  const t = timeOf(instant);
  const last = compiled.last;
  const day = last !== undefined && t >= last.start && t < last.end ? last : dayAt(compiled, t);
  return day.working && t >= day.open && t < day.close;
}

/** `instant` itself when it is working time, else the start of the next working period. */
export function nextWorkingTime(calendar: WorkingTime, instant: Date): Date {
  const t = timeOf(instant);
  const day = workingDayFrom(compile(calendar), t);
  return new Date(Math.max(t, day.open));
}

/** The working period `instant` lies in, or the next one: "working time ends at 19:00". */
export function workingPeriodAt(calendar: WorkingTime, instant: Date): WorkingPeriod {
  const t = timeOf(instant);
  const day = workingDayFrom(compile(calendar), t);
  return {
    working: t >= day.open,
    date: dateText(day.number),
    start: new Date(day.open),
    end: new Date(day.close),
  };
}

/** The zone's clock at `instant`: its date, weekday and time (`HH:MM`). */
export function localTimeAt(
  calendar: WorkingTime,
  instant: Date,
): { date: string; weekday: Weekday; time: string } {
  const t = timeOf(instant);
  const wall = t + offsetAt(compile(calendar).zone, t);
  const number = Math.floor(wall / dayMs);
  const minuteOfDay = Math.floor((wall - number * dayMs) / minuteMs);
  const time = `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
  return { date: dateText(number), weekday: weekdayOf(number), time };
}

/** `mon-fri 09:00-19:00 Europe/London, 2 holidays`. */
export function describeWorkingTime(calendar: WorkingTime): string {
  const holidays = calendar.holidays.length;
  const more = holidays === 0 ? '' : `, ${holidays} holiday${holidays === 1 ? '' : 's'}`;
  return `${describeDays(calendar.days)} ${calendar.from}-${calendar.to} ${calendar.timeZone}${more}`;
}

/** Days as the shortest text `--days` reads back: `mon-fri`, `sun-thu`, `mon,wed,fri`. */
export function describeDays(days: readonly string[]): string {
  const chosen = weekdays.map((day) => days.includes(day));
  if (chosen.every(Boolean)) return 'mon-sun';
  // Monday first, unless a run goes through Sunday into Monday (fri-mon): then it starts that run.
  const start = chosen[0] && chosen[6] ? chosen.lastIndexOf(false) + 1 : 0;
  const runs: string[] = [];
  let run: Weekday[] = [];
  for (let step = 0; step <= 7; step++) {
    const index = (start + step) % 7;
    if (step < 7 && chosen[index]) {
      run.push(weekdays[index] as Weekday);
      continue;
    }
    if (run.length >= 3) runs.push(`${run[0]}-${run.at(-1)}`);
    else runs.push(...run);
    run = [];
  }
  return runs.join(',');
}

// ——— The compiled calendar: day records, cached, for a hot path well under a microsecond. ———

/** One local date of the calendar: its instants [start, end), and its working period. */
interface Day {
  number: number;
  start: number;
  end: number;
  open: number;
  close: number;
  working: boolean;
}

interface Compiled {
  zone: Zone;
  openMinute: number;
  closeMinute: number;
  workdays: boolean[];
  holidays: Set<number>;
  /** Days scanned before giving up on finding working time: only a calendar without any. */
  searchDays: number;
  days: Map<number, Day>;
  /** The day the last question was about: the next one is most often about it too. */
  last: Day | undefined;
}

const maxCachedDays = 4_096;
const maxCompiledCalendars = 64;
const compiledCalendars = new WeakMap<WorkingTime, Compiled>();
/** Equal calendars in different objects (read again from the store) share their day records. */
const compiledBySignature = new Map<string, Compiled>();

function compile(calendar: WorkingTime): Compiled {
  let compiled = compiledCalendars.get(calendar);
  if (compiled === undefined) {
    const checked = checkWorkingTime(calendar);
    const signature = JSON.stringify(checked);
    compiled = compiledBySignature.get(signature);
    if (compiled === undefined) {
      compiled = {
        zone: zoneNamed(checked.timeZone),
        openMinute: minuteOfDay(checked.from),
        closeMinute: minuteOfDay(checked.to),
        workdays: weekdays.map((day) => checked.days.includes(day)),
        holidays: new Set(checked.holidays.map(dayNumberOf)),
        searchDays: (checked.holidays.length + 3) * 7,
        days: new Map(),
        last: undefined,
      };
      if (compiledBySignature.size >= maxCompiledCalendars) compiledBySignature.clear();
      compiledBySignature.set(signature, compiled);
    }
    compiledCalendars.set(calendar, compiled);
  }
  return compiled;
}

function dayRecord(compiled: Compiled, number: number): Day {
  let day = compiled.days.get(number);
  if (day === undefined) {
    const midnight = number * dayMs;
    const [start, open, close, end] = earliestInstantsAt(compiled.zone, [
      midnight,
      midnight + compiled.openMinute * minuteMs,
      midnight + compiled.closeMinute * minuteMs,
      midnight + dayMs,
    ]) as [number, number, number, number];
    const working =
      compiled.workdays[weekdayIndex(number)] === true &&
      !compiled.holidays.has(number) &&
      open < close;
    day = { number, start, end, open, close, working };
    if (compiled.days.size >= maxCachedDays) compiled.days.clear();
    compiled.days.set(number, day);
  }
  return day;
}

/** The local date whose instants hold `t` (dates follow each other without gaps or overlaps). */
function dayAt(compiled: Compiled, t: number): Day {
  let day = dayRecord(compiled, Math.floor((t + offsetAt(compiled.zone, t)) / dayMs));
  while (t < day.start) day = dayRecord(compiled, day.number - 1);
  while (t >= day.end) day = dayRecord(compiled, day.number + 1);
  compiled.last = day;
  return day;
}

/** The first day, from the one holding `t`, with working time at or after `t`. */
function workingDayFrom(compiled: Compiled, t: number): Day {
  let day = dayAt(compiled, t);
  for (let scanned = 0; scanned <= compiled.searchDays; scanned++) {
    if (day.working && t < day.close) return day;
    day = dayRecord(compiled, day.number + 1);
  }
  throw new Error(
    `the working-time calendar has no working time after ${new Date(t).toISOString()}`,
  );
}

function timeOf(instant: Date): number {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('working time of an invalid date');
  return t;
}

function minuteOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Days since 1970-01-01 (a Thursday) → 0 for Monday … 6 for Sunday. */
function weekdayIndex(number: number): number {
  return (((number + 3) % 7) + 7) % 7;
}

function weekdayOf(number: number): Weekday {
  return weekdays[weekdayIndex(number)] as Weekday;
}

function dayNumberOf(date: string): number {
  return Math.floor(
    wallTimeOf(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))) /
      dayMs,
  );
}

function dateText(number: number): string {
  return new Date(number * dayMs).toISOString().slice(0, 10);
}

function freezeCalendar(calendar: {
  days: readonly Weekday[];
  from: string;
  to: string;
  timeZone: string;
  holidays: readonly string[];
}): WorkingTime {
  return Object.freeze({
    days: Object.freeze([...calendar.days]),
    from: calendar.from,
    to: calendar.to,
    timeZone: calendar.timeZone,
    holidays: Object.freeze([...calendar.holidays]),
  });
}
