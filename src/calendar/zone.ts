/**
 * Time-zone offsets from the platform's own zone data (ICU, through Intl.DateTimeFormat), with
 * no zone tables of our own. formatToParts costs microseconds, so what it says is remembered:
 * the offset of each UTC hour (with the instant it changes, for the hours that hold a change),
 * in a bounded cache per zone.
 */

export const minuteMs = 60_000;
export const hourMs = 3_600_000;
export const dayMs = 86_400_000;

/** The UTC offset through one UTC hour: `offset` before `switchAt`, `after` from it on. */
interface HourOffset {
  offset: number;
  switchAt: number;
  after: number;
}

export interface Zone {
  readonly name: string;
  readonly format: Intl.DateTimeFormat;
  readonly hours: Map<number, HourOffset>;
}

/** About eleven years of hours per zone; a cache that fills up starts again. */
const maxCachedHours = 100_000;
const maxCachedZones = 1_000;

/**
 * No zone offset has been this far from UTC (the widest, local mean times before 1900, are
 * under 16 hours): the earliest instant a wall time can have lies within it.
 */
const widestOffsetMs = 18 * hourMs;

const zones = new Map<string, Zone>();

/** The zone called `name`; throws Intl's RangeError when the platform does not know it. */
export function zoneNamed(name: string): Zone {
  let zone = zones.get(name);
  if (!zone) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (zones.size >= maxCachedZones) zones.clear();
    zone = { name, format, hours: new Map() };
    zones.set(name, zone);
  }
  return zone;
}

/** The zone's offset from UTC at instant `t` (ms since the epoch), in ms: local − UTC. */
export function offsetAt(zone: Zone, t: number): number {
  const entry = hourEntry(zone, Math.floor(t / hourMs));
  return t < entry.switchAt ? entry.offset : entry.after;
}

function hourEntry(zone: Zone, hour: number): HourOffset {
  let entry = zone.hours.get(hour);
  if (entry === undefined) {
    entry = hourOffset(zone, hour);
    if (zone.hours.size >= maxCachedHours) zone.hours.clear();
    zone.hours.set(hour, entry);
  }
  return entry;
}

/**
 * The earliest instant at which the zone's wall clock reads `wallTime` or later, for each of
 * `wallTimes` (ascending; a wall time is ms since the epoch as if the local time were UTC).
 * A wall time the clocks skip (spring forward) gives the instant they jump; one they pass twice
 * (fall back) its first occurrence.
 */
export function earliestInstantsAt(zone: Zone, wallTimes: readonly number[]): number[] {
  const instants: number[] = [];
  const first = wallTimes[0];
  if (first === undefined) return instants;
  // Walk the timeline a UTC hour at a time; each hour is one or two spans of one offset.
  let next = 0;
  for (let hour = Math.floor((first - widestOffsetMs) / hourMs); next < wallTimes.length; hour++) {
    const start = hour * hourMs;
    const end = start + hourMs;
    const entry = hourEntry(zone, hour);
    const middle = Math.min(entry.switchAt, end);
    next = resolveInSpan(start, middle, entry.offset, wallTimes, next, instants);
    if (middle < end) next = resolveInSpan(middle, end, entry.after, wallTimes, next, instants);
  }
  return instants;
}

/** Resolves the wall times first reached in [start, end), where the offset is `offset`. */
function resolveInSpan(
  start: number,
  end: number,
  offset: number,
  wallTimes: readonly number[],
  next: number,
  instants: number[],
): number {
  let at = next;
  for (let wall = wallTimes[at]; wall !== undefined && wall - offset < end; wall = wallTimes[at]) {
    instants.push(Math.max(start, wall - offset));
    at++;
  }
  return at;
}

/**
 * The offsets through one UTC hour: at its start, and at its end; when they differ, the second
 * the change happens is found by bisection (zones change offset at most once in an hour).
 */
function hourOffset(zone: Zone, hour: number): HourOffset {
  const start = hour * hourMs;
  const end = start + hourMs;
  // An hour's end is the next hour's start: a neighbour already asked for gives it for free.
  const offset = zone.hours.get(hour - 1)?.after ?? offsetFromParts(zone, start);
  const after = zone.hours.get(hour + 1)?.offset ?? offsetFromParts(zone, end);
  if (offset === after) return { offset, switchAt: Number.POSITIVE_INFINITY, after };
  let before = start;
  let changed = end;
  while (changed - before > 1000) {
    const middle = before + Math.floor((changed - before) / 2000) * 1000;
    if (offsetFromParts(zone, middle) === offset) before = middle;
    else changed = middle;
  }
  return { offset, switchAt: changed, after };
}

/** The offset at a whole second `t`, read from the local time Intl writes for it. */
function offsetFromParts(zone: Zone, t: number): number {
  let era = 'AD';
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of zone.format.formatToParts(t)) {
    switch (part.type) {
      case 'era':
        era = part.value;
        break;
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value) % 24;
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
    }
  }
  const astronomicalYear = era === 'BC' || era === 'B' ? 1 - year : year;
  return wallTimeOf(astronomicalYear, month, day, hour * 60 + minute) + second * 1000 - t;
}

/** A wall time: the local date and minute of the day as ms since the epoch, as if it were UTC. */
export function wallTimeOf(year: number, month: number, day: number, minuteOfDay = 0): number {
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime() + minuteOfDay * minuteMs;
}
