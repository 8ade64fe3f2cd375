import { describe, expect, it, vi } from 'vitest';
import {
  defaultWorkingTime,
  isWorkingTime,
  localTimeAt,
  nextWorkingTime,
  parseWorkingTime,
  type WorkingTimeFlags,
  workingPeriodAt,
} from '../../src/calendar/working-time.js';

const calendar = (flags: WorkingTimeFlags) => parseWorkingTime(flags);
const london = calendar({ tz: 'Europe/London', holidays: ['2026-12-25'] });
const newYork = calendar({ tz: 'America/New_York' });
const chatham = calendar({ tz: 'Pacific/Chatham' });
/** Tokyo from 06:00: 06:00–09:00 local is the evening before in UTC. */
const tokyo = calendar({ tz: 'Asia/Tokyo', from: '06:00', holidays: ['2026-03-30'] });

const zones = { london, newYork, chatham, tokyo };
type Named = keyof typeof zones;

const working = (cal: typeof london, iso: string) => isWorkingTime(cal, new Date(iso));
const next = (cal: typeof london, iso: string) => nextWorkingTime(cal, new Date(iso)).toISOString();

describe('isWorkingTime', () => {
  it.each([
    // [calendar, instant, working?, why]
    ['london', '2026-01-05T08:59:59.999Z', false, 'Monday, a moment before 09:00 GMT'],
    ['london', '2026-01-05T09:00:00.000Z', true, '09:00 is working time'],
    ['london', '2026-01-05T18:59:59.999Z', true, 'the last moment before 19:00'],
    ['london', '2026-01-05T19:00:00.000Z', false, '19:00 is not working time: [from, to)'],
    ['london', '2026-06-01T07:59:59.999Z', false, 'summer: 08:59 BST'],
    ['london', '2026-06-01T08:00:00.000Z', true, 'summer: 09:00 BST is 08:00 UTC'],
    ['london', '2026-06-01T17:59:59.999Z', true, 'summer: 18:59 BST'],
    ['london', '2026-06-01T18:00:00.000Z', false, 'summer: 19:00 BST'],
    ['london', '2026-01-03T12:00:00.000Z', false, 'Saturday'],
    ['london', '2026-01-04T12:00:00.000Z', false, 'Sunday'],
    ['london', '2026-12-24T12:00:00.000Z', true, 'the day before the holiday'],
    ['london', '2026-12-25T12:00:00.000Z', false, 'a holiday'],
    ['newYork', '2026-01-05T13:59:59.999Z', false, '08:59 EST'],
    ['newYork', '2026-01-05T14:00:00.000Z', true, '09:00 EST'],
    ['newYork', '2026-01-06T00:00:00.000Z', false, '19:00 EST, the next day in UTC'],
    ['newYork', '2026-01-05T23:59:59.999Z', true, '18:59 EST, Monday in NY'],
    ['newYork', '2026-01-10T00:30:00.000Z', false, 'Friday 19:30 in NY, Saturday in UTC'],
    ['newYork', '2026-01-09T23:30:00.000Z', true, 'Friday 18:30 in NY'],
    ['tokyo', '2026-03-26T21:30:00.000Z', true, 'Friday 06:30 in Tokyo, Thursday in UTC'],
    ['tokyo', '2026-03-27T20:59:59.999Z', false, 'Saturday 05:59 in Tokyo, Friday in UTC'],
    ['tokyo', '2026-03-27T21:00:00.000Z', false, 'Saturday 06:00 in Tokyo, Friday in UTC'],
    ['tokyo', '2026-03-29T21:30:00.000Z', false, 'Monday 06:30 in Tokyo: the holiday'],
    ['tokyo', '2026-03-30T21:30:00.000Z', true, 'Tuesday 06:30 in Tokyo; the holiday is over'],
    ['chatham', '2026-05-31T20:14:59.999Z', false, 'Monday 08:59 at +12:45'],
    ['chatham', '2026-05-31T20:15:00.000Z', true, 'Monday 09:00 at +12:45, Sunday in UTC'],
    ['chatham', '2026-06-01T06:14:59.999Z', true, 'Monday 18:59 at +12:45'],
    ['chatham', '2026-06-01T06:15:00.000Z', false, 'Monday 19:00 at +12:45'],
    ['chatham', '2026-01-05T19:15:00.000Z', true, 'Tuesday 09:00 at +13:45 (summer)'],
    ['chatham', '2026-01-05T19:14:59.999Z', false, 'Tuesday 08:59 at +13:45'],
  ] as const)('%s: %s is working time: %s (%s)', (name: Named, iso, expected, _why) => {
    expect(working(zones[name], iso)).toBe(expected);
  });

  it('reads the default as mon-fri 09:00-19:00 UTC', () => {
    expect(working(defaultWorkingTime, '2026-01-05T09:00:00Z')).toBe(true);
    expect(working(defaultWorkingTime, '2026-01-05T19:00:00Z')).toBe(false);
    expect(working(defaultWorkingTime, '2026-01-10T12:00:00Z')).toBe(false);
  });

  it('--to 24:00 runs to midnight; every day 00:00-24:00 is always working time', () => {
    const late = calendar({ tz: 'Europe/London', to: '24:00' });
    expect(working(late, '2026-01-05T23:59:59.999Z')).toBe(true);
    expect(working(late, '2026-01-06T00:00:00.000Z')).toBe(false);
    const always = calendar({ tz: 'Europe/London', days: 'mon-sun', from: '00:00', to: '24:00' });
    for (
      let t = Date.parse('2026-03-28T00:00Z');
      t < Date.parse('2026-04-01T00:00Z');
      t += 600_000
    ) {
      expect(isWorkingTime(always, new Date(t))).toBe(true);
    }
    expect(next(always, '2026-03-29T01:30:00Z')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('refuses an invalid date rather than guessing', () => {
    expect(() => isWorkingTime(london, new Date(Number.NaN))).toThrow(RangeError);
    expect(() => nextWorkingTime(london, new Date('nope'))).toThrow(RangeError);
  });
});

describe('nextWorkingTime', () => {
  it.each([
    ['london', '2026-01-05T10:00:00.000Z', '2026-01-05T10:00:00.000Z', 'working time: itself'],
    ['london', '2026-01-05T06:00:00.000Z', '2026-01-05T09:00:00.000Z', 'early: today at 09:00'],
    ['london', '2026-01-09T19:00:00.000Z', '2026-01-12T09:00:00.000Z', 'Friday evening: Monday'],
    ['london', '2026-01-10T12:00:00.000Z', '2026-01-12T09:00:00.000Z', 'Saturday: Monday'],
    ['london', '2026-12-24T19:00:00.000Z', '2026-12-28T09:00:00.000Z', 'over the Friday holiday'],
    [
      'london',
      '2026-03-27T19:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
      'over spring DST: 09:00 BST',
    ],
    [
      'london',
      '2026-10-23T18:00:00.000Z',
      '2026-10-26T09:00:00.000Z',
      'over autumn DST: 09:00 GMT',
    ],
    ['newYork', '2026-03-07T00:00:00.000Z', '2026-03-09T13:00:00.000Z', 'NY over spring DST'],
    ['newYork', '2026-10-30T23:00:00.000Z', '2026-11-02T14:00:00.000Z', 'NY over autumn DST'],
    [
      'tokyo',
      '2026-03-27T10:00:00.000Z',
      '2026-03-30T21:00:00.000Z',
      'Tokyo over the Monday holiday',
    ],
    ['tokyo', '2026-03-31T10:00:00.000Z', '2026-03-31T21:00:00.000Z', 'Tokyo: 06:00 tomorrow'],
    ['chatham', '2026-06-05T06:15:00.000Z', '2026-06-07T20:15:00.000Z', 'Chatham: Monday 09:00'],
    ['chatham', '2026-04-03T05:15:00.000Z', '2026-04-05T20:15:00.000Z', 'Chatham over its DST end'],
  ] as const)('%s: from %s to %s (%s)', (name: Named, from, expected, _why) => {
    expect(next(zones[name], from)).toBe(expected);
  });

  it('skips consecutive holidays and a holiday on Monday', () => {
    const cal = calendar({
      tz: 'Europe/London',
      holidays: ['2026-12-25', '2026-12-28', '2026-12-29'],
    });
    expect(next(cal, '2026-12-24T19:00:00Z')).toBe('2026-12-30T09:00:00.000Z');
  });

  it('finds the next working day of a calendar with one working day a week and many holidays', () => {
    const mondays = Array.from({ length: 20 }, (_, i) =>
      new Date(Date.UTC(2026, 0, 5 + 7 * i)).toISOString().slice(0, 10),
    );
    const cal = calendar({ tz: 'UTC', days: 'mon', holidays: mondays });
    expect(next(cal, '2026-01-01T00:00:00Z')).toBe('2026-05-25T09:00:00.000Z');
  });
});

describe('DST gaps and overlaps', () => {
  it('a start the clocks skip (spring forward) is the moment they jump', () => {
    // 2026-03-29, London: 01:00 GMT becomes 02:00 BST at 01:00 UTC; 01:30 never happens.
    const cal = calendar({ tz: 'Europe/London', days: 'sun', from: '01:30', to: '02:30' });
    expect(working(cal, '2026-03-29T00:59:59.999Z')).toBe(false);
    expect(working(cal, '2026-03-29T01:00:00.000Z')).toBe(true);
    expect(working(cal, '2026-03-29T01:29:59.999Z')).toBe(true);
    expect(working(cal, '2026-03-29T01:30:00.000Z')).toBe(false); // 02:30 BST
    expect(next(cal, '2026-03-28T12:00:00Z')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('an end the clocks skip is the moment they jump', () => {
    // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    const cal = calendar({ tz: 'America/New_York', days: 'sun', from: '01:00', to: '02:30' });
    expect(workingPeriodAt(cal, new Date('2026-03-08T06:30:00Z'))).toEqual({
      working: true,
      date: '2026-03-08',
      start: new Date('2026-03-08T06:00:00Z'),
      end: new Date('2026-03-08T07:00:00Z'),
    });
    expect(working(cal, '2026-03-08T07:00:00Z')).toBe(false);
  });

  it('a time the clocks pass twice (fall back) is its first occurrence', () => {
    // 2026-10-25, London: 02:00 BST becomes 01:00 GMT at 01:00 UTC; 01:00–02:00 happens twice.
    const cal = calendar({ tz: 'Europe/London', days: 'sun', from: '01:30', to: '02:30' });
    expect(working(cal, '2026-10-25T00:29:59.999Z')).toBe(false);
    expect(working(cal, '2026-10-25T00:30:00.000Z')).toBe(true); // 01:30 BST
    expect(working(cal, '2026-10-25T01:15:00.000Z')).toBe(true); // 01:15 GMT, inside the period
    expect(working(cal, '2026-10-25T02:29:59.999Z')).toBe(true); // 02:29 GMT
    expect(working(cal, '2026-10-25T02:30:00.000Z')).toBe(false);
    // An end in the repeated hour ends at its first occurrence: the second pass is not working.
    const short = calendar({ tz: 'Europe/London', days: 'sun', from: '00:30', to: '01:30' });
    expect(working(short, '2026-10-25T00:29:59.999Z')).toBe(true); // 01:29 BST
    expect(working(short, '2026-10-25T00:30:00.000Z')).toBe(false); // 01:30 BST
    expect(working(short, '2026-10-25T01:15:00.000Z')).toBe(false); // 01:15 GMT, again
  });

  it('finds a change in the middle of a UTC hour (Lord Howe moves 30 minutes at 15:30 UTC)', () => {
    // 2026-10-04, Australia/Lord_Howe: 02:00 (+10:30) becomes 02:30 (+11:00) at 15:30 UTC.
    const cal = calendar({ tz: 'Australia/Lord_Howe', days: 'sun', from: '02:15', to: '03:00' });
    expect(next(cal, '2026-10-03T12:00:00Z')).toBe('2026-10-03T15:30:00.000Z');
    expect(working(cal, '2026-10-03T15:29:59.999Z')).toBe(false);
    expect(working(cal, '2026-10-03T15:59:59.999Z')).toBe(true); // 02:59 +11:00
    expect(working(cal, '2026-10-03T16:00:00.000Z')).toBe(false);
  });

  it('a date the zone skipped altogether has no working time (Samoa, 2011-12-30)', () => {
    const apia = calendar({ tz: 'Pacific/Apia', days: 'mon-sun' });
    // Thursday 29th 19:00 at -10:00 → Saturday 31st 09:00 at +14:00.
    expect(next(apia, '2011-12-30T05:00:00Z')).toBe('2011-12-30T19:00:00.000Z');
    expect(localTimeAt(apia, new Date('2011-12-30T19:00:00Z'))).toEqual({
      date: '2011-12-31',
      weekday: 'sat',
      time: '09:00',
    });
  });
});

describe('workingPeriodAt and localTimeAt', () => {
  it('tells when the working period ends, or when the next one starts', () => {
    expect(workingPeriodAt(london, new Date('2026-06-01T12:00:00Z'))).toEqual({
      working: true,
      date: '2026-06-01',
      start: new Date('2026-06-01T08:00:00Z'),
      end: new Date('2026-06-01T18:00:00Z'),
    });
    expect(workingPeriodAt(london, new Date('2026-12-24T20:00:00Z'))).toEqual({
      working: false,
      date: '2026-12-28',
      start: new Date('2026-12-28T09:00:00Z'),
      end: new Date('2026-12-28T19:00:00Z'),
    });
  });

  it('reads the zone’s clock', () => {
    expect(localTimeAt(london, new Date('2026-06-01T18:00:00Z'))).toEqual({
      date: '2026-06-01',
      weekday: 'mon',
      time: '19:00',
    });
    expect(localTimeAt(chatham, new Date('2026-05-31T20:15:00Z'))).toEqual({
      date: '2026-06-01',
      weekday: 'mon',
      time: '09:00',
    });
  });
});

describe('cost', () => {
  it('asks Intl only for the hours it has not seen: a week of a million calls, a few hundred', () => {
    const cal = calendar({ tz: 'Europe/Berlin', holidays: ['2026-03-31'] });
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      const start = Date.parse('2026-03-26T00:00:00Z');
      const step = (7 * 86_400_000) / 1_000_000;
      let inside = 0;
      for (let i = 0; i < 1_000_000; i++) {
        if (isWorkingTime(cal, new Date(start + i * step))) inside++;
      }
      // Thu, Fri, Mon (the clocks changed on Sunday), Wed: four days of ten hours.
      expect(Math.abs(inside - (4 * 10 * 3_600_000) / step)).toBeLessThan(2);
      expect(spy.mock.calls.length).toBeLessThan(400);
    } finally {
      spy.mockRestore();
    }
  });
});
