import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkWorkingTime,
  describeDays,
  isWorkingTime,
  nextWorkingTime,
  parseDays,
  parseWorkingTime,
  type WorkingTime,
  weekdays,
  workingPeriodAt,
} from '../../src/calendar/working-time.js';

const minute = 60_000;
const day = 86_400_000;

/** Zones with DST both ways, odd offsets, half-hour changes, and dates east and west of UTC. */
const zones = [
  'UTC',
  'Europe/London',
  'America/New_York',
  'Asia/Tokyo',
  'Pacific/Chatham',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Pacific/Kiritimati',
  'America/Santiago',
];

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Minutes of the day, with the ones DST changes happen at more often than chance. */
const minuteOfDay = fc.oneof(
  fc.integer({ min: 0, max: 1439 }),
  fc.constantFrom(0, 60, 90, 120, 150, 165, 180, 1380),
);

const calendars: fc.Arbitrary<WorkingTime> = fc
  .record({
    days: fc.subarray([...weekdays], { minLength: 1 }),
    from: minuteOfDay,
    length: fc.integer({ min: 1, max: 1440 }),
    tz: fc.constantFrom(...zones),
    holidays: fc.array(
      fc
        .integer({ min: 0, max: 400 })
        .map((n) => new Date(Date.UTC(2025, 11, 1) + n * day).toISOString().slice(0, 10)),
      { maxLength: 12 },
    ),
  })
  .map(({ days, from, length, tz, holidays }) =>
    parseWorkingTime({
      days: days.join(','),
      from: hhmm(from),
      to: hhmm(Math.min(1440, from + length)),
      tz,
      holidays,
    }),
  );

/** Instants from December 2025 to January 2027, to the millisecond. */
const instants = fc
  .integer({ min: Date.UTC(2025, 11, 1), max: Date.UTC(2027, 0, 31) })
  .map((t) => new Date(t));

const working = (calendar: WorkingTime, t: number) => isWorkingTime(calendar, new Date(t));

describe('working-time properties', () => {
  it('nextWorkingTime is working time, not before the instant, with no working time between', () => {
    fc.assert(
      fc.property(calendars, instants, (calendar, instant) => {
        const t = instant.getTime();
        const next = nextWorkingTime(calendar, instant).getTime();
        expect(next).toBeGreaterThanOrEqual(t);
        expect(working(calendar, next)).toBe(true);
        if (next > t) expect(working(calendar, next - 1)).toBe(false);
        // Every minute from the instant to it (in a bounded window) is outside working time.
        const scanned = Math.min(next, t + 21 * day);
        let firstWorking: number | undefined;
        for (let at = t; at < scanned && firstWorking === undefined; at += minute) {
          if (working(calendar, at)) firstWorking = at;
        }
        expect(firstWorking && new Date(firstWorking)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('workingPeriodAt agrees with isWorkingTime and nextWorkingTime', () => {
    fc.assert(
      fc.property(calendars, instants, (calendar, instant) => {
        const period = workingPeriodAt(calendar, instant);
        expect(period.working).toBe(isWorkingTime(calendar, instant));
        expect(period.start.getTime()).toBeLessThan(period.end.getTime());
        expect(working(calendar, period.start.getTime())).toBe(true);
        expect(working(calendar, period.end.getTime() - 1)).toBe(true);
        if (!period.working) expect(period.start).toEqual(nextWorkingTime(calendar, instant));
        else expect(period.start.getTime()).toBeLessThanOrEqual(instant.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('away from clock changes, agrees with reading the wall clock (Intl, independently)', () => {
    const clocks = new Map<string, Intl.DateTimeFormat>();
    const read = (zone: string, t: number) => {
      let format = clocks.get(zone);
      if (!format) {
        format = new Intl.DateTimeFormat('en-GB', {
          timeZone: zone,
          weekday: 'short',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
          timeZoneName: 'longOffset',
        });
        clocks.set(zone, format);
      }
      return Object.fromEntries(format.formatToParts(t).map((p) => [p.type, p.value]));
    };
    fc.assert(
      fc.property(calendars, instants, (calendar, instant) => {
        const t = instant.getTime();
        const zone = calendar.timeZone;
        // Skip instants within three hours of a change of offset.
        fc.pre(
          read(zone, t - 3 * 3_600_000).timeZoneName === read(zone, t + 3 * 3_600_000).timeZoneName,
        );
        const parts = read(zone, t);
        const date = `${parts.year}-${parts.month}-${parts.day}`;
        const time = `${parts.hour}:${parts.minute}`;
        const weekday = (parts.weekday ?? '').toLowerCase().slice(0, 3);
        const expected =
          calendar.days.includes(weekday as never) &&
          !calendar.holidays.includes(date) &&
          calendar.from <= time &&
          time < calendar.to;
        expect(isWorkingTime(calendar, instant)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('a calendar survives JSON, and days read back as they are written', () => {
    fc.assert(
      fc.property(calendars, (calendar) => {
        expect(checkWorkingTime(JSON.parse(JSON.stringify(calendar)))).toEqual(calendar);
        expect(parseDays(describeDays(calendar.days))).toEqual(calendar.days);
      }),
    );
  });
});
