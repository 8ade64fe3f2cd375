import { describe, expect, it } from 'vitest';
import {
  checkWorkingTime,
  defaultWorkingTime,
  describeDays,
  describeWorkingTime,
  parseDays,
  parseHoliday,
  parseTimeOfDay,
  parseTimeZone,
  parseWorkingTime,
} from '../../src/calendar/working-time.js';
import { UsageError } from '../../src/errors.js';

describe('parseDays', () => {
  it.each([
    ['mon-fri', ['mon', 'tue', 'wed', 'thu', 'fri']],
    ['mon,wed,fri', ['mon', 'wed', 'fri']],
    ['mon-wed,fri', ['mon', 'tue', 'wed', 'fri']],
    ['Monday - Friday', ['mon', 'tue', 'wed', 'thu', 'fri']],
    ['SAT,sun', ['sat', 'sun']],
    ['sun-thu', ['mon', 'tue', 'wed', 'thu', 'sun']],
    ['fri-mon', ['mon', 'fri', 'sat', 'sun']],
    ['tue', ['tue']],
    ['tue-tue', ['tue']],
    ['mon-sun', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']],
    ['fri,mon,fri,', ['mon', 'fri']],
    ['thurs,tues', ['tue', 'thu']],
  ])('%s', (text, days) => {
    expect(parseDays(text)).toEqual(days);
  });

  it.each([
    ['', /--days needs at least one working day/],
    [',', /--days needs at least one working day/],
    ['mnd', /--days: "mnd" is not a day or a range of days; days are mon tue/],
    ['mon-', /--days: "mon-" is not a day/],
    ['mon-fri-sun', /--days: "mon-fri-sun" is not a day/],
    ['1-5', /--days: "1-5" is not a day/],
    ['__proto__', /--days: "__proto__" is not a day/],
    ['constructor', /--days: "constructor" is not a day/],
  ])('refuses %j', (text, message) => {
    expect(() => parseDays(text)).toThrow(UsageError);
    expect(() => parseDays(text)).toThrow(message);
  });

  it.each([
    [['mon', 'tue', 'wed', 'thu', 'fri'], 'mon-fri'],
    [['mon', 'tue', 'wed', 'thu', 'sun'], 'sun-thu'],
    [['mon', 'fri', 'sat', 'sun'], 'fri-mon'],
    [['mon', 'wed', 'fri'], 'mon,wed,fri'],
    [['sat', 'sun'], 'sat,sun'],
    [['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], 'mon-sun'],
    [['mon', 'tue', 'wed', 'fri', 'sat', 'sun'], 'fri-wed'],
  ])('describes %j as %s', (days, text) => {
    expect(describeDays(days)).toBe(text);
  });
});

describe('parseTimeOfDay', () => {
  it('reads 24-hour times, 9:00 as 09:00; --to may be 24:00', () => {
    expect(parseTimeOfDay('9:00', '--from')).toBe('09:00');
    expect(parseTimeOfDay(' 00:00 ', '--from')).toBe('00:00');
    expect(parseTimeOfDay('23:59', '--from')).toBe('23:59');
    expect(parseTimeOfDay('24:00', '--to')).toBe('24:00');
  });

  it.each([
    ['24:00', '--from'],
    ['24:01', '--to'],
    ['25:00', '--to'],
    ['09:60', '--from'],
    ['9am', '--from'],
    ['0900', '--from'],
    ['09:00:00', '--to'],
    ['9:0', '--to'],
    ['', '--from'],
    ['-1:00', '--from'],
    ['٠٩:٠٠', '--from'],
  ] as const)('refuses %j for %s, naming the flag', (text, flag) => {
    expect(() => parseTimeOfDay(text, flag)).toThrow(
      new RegExp(`^${flag} takes a 24-hour time HH:MM from`),
    );
  });
});

describe('parseTimeZone', () => {
  it('takes IANA names in any case, written as the zone database spells them', () => {
    expect(parseTimeZone('Europe/London')).toBe('Europe/London');
    expect(parseTimeZone('europe/london')).toBe('Europe/London');
    expect(parseTimeZone(' utc ')).toBe('UTC');
    expect(parseTimeZone('Pacific/Chatham')).toBe('Pacific/Chatham');
    // A link the platform knows under another name is kept as written.
    expect(parseTimeZone('US/Pacific')).toBe('US/Pacific');
  });

  it.each(['Europe/Lodnon', 'Mars/Olympus', '', ' ', 'a'.repeat(65), '\0', 'Europe/London/'])(
    'refuses %j',
    (text) => {
      expect(() => parseTimeZone(text)).toThrow(
        /^--tz: ".*" is not a time zone this system knows/s,
      );
    },
  );
});

describe('parseHoliday', () => {
  it('takes real dates', () => {
    expect(parseHoliday('2026-12-25')).toBe('2026-12-25');
    expect(parseHoliday('2028-02-29')).toBe('2028-02-29');
  });

  it.each([
    ['2026-02-29', /is not a real date/],
    ['2026-13-01', /is not a real date/],
    ['2026-12-32', /is not a real date/],
    ['0000-01-01', /is not a real date from 1970 to 9999/],
    ['1969-12-31', /is not a real date from 1970 to 9999/],
    ['25/12/2026', /--holiday takes a date as YYYY-MM-DD/],
    ['2026-12-25T00:00', /--holiday takes a date as YYYY-MM-DD/],
    ['20261225', /--holiday takes a date as YYYY-MM-DD/],
  ])('refuses %s', (text, message) => {
    expect(() => parseHoliday(text)).toThrow(message);
  });
});

describe('parseWorkingTime', () => {
  it('changes what the flags give, keeping the rest of the base', () => {
    const base = parseWorkingTime({ tz: 'Europe/London', holidays: ['2026-12-25'] });
    expect(parseWorkingTime({ from: '08:30' }, base)).toEqual({
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      from: '08:30',
      to: '19:00',
      timeZone: 'Europe/London',
      holidays: ['2026-12-25'],
    });
    expect(
      parseWorkingTime({ holidays: ['2026-12-28', '2026-01-01', '2026-12-25'] }, base).holidays,
    ).toEqual(['2026-01-01', '2026-12-25', '2026-12-28']);
    expect(
      parseWorkingTime({ clearHolidays: true, holidays: ['2027-01-01'] }, base).holidays,
    ).toEqual(['2027-01-01']);
    expect(parseWorkingTime({ clearHolidays: true }, base).holidays).toEqual([]);
  });

  it('the default is mon-fri 09:00-19:00 UTC without holidays', () => {
    expect(parseWorkingTime({})).toEqual(defaultWorkingTime);
    expect(describeWorkingTime(defaultWorkingTime)).toBe('mon-fri 09:00-19:00 UTC');
    expect(
      describeWorkingTime(
        parseWorkingTime({ days: 'sun-thu', tz: 'Asia/Jerusalem', holidays: ['2026-09-12'] }),
      ),
    ).toBe('sun-thu 09:00-19:00 Asia/Jerusalem, 1 holiday');
  });

  it('is frozen: a calendar is a value', () => {
    const calendar = parseWorkingTime({});
    expect(Object.isFrozen(calendar)).toBe(true);
    expect(Object.isFrozen(calendar.days)).toBe(true);
    expect(Object.isFrozen(calendar.holidays)).toBe(true);
  });

  it('a working day starts before it ends, on the same day', () => {
    expect(() => parseWorkingTime({ from: '22:00', to: '06:00' })).toThrow(
      '--from 22:00 must be before --to 06:00: a working day ends on the day it starts (no overnight shifts; --to 24:00 is the end of the day)',
    );
    expect(() => parseWorkingTime({ from: '09:00', to: '09:00' })).toThrow(/must be before/);
    expect(() => parseWorkingTime({ from: '20:00' })).toThrow(
      /^--from 20:00 must be before the end of the working day, 19:00 \(give --to too\)/,
    );
    expect(() => parseWorkingTime({ to: '08:00' })).toThrow(
      /^--to 08:00 must be after the start of the working day, 09:00 \(give --from too\)/,
    );
    expect(parseWorkingTime({ from: '00:00', to: '24:00' }).to).toBe('24:00');
  });
});

describe('checkWorkingTime', () => {
  it('reads back a stored calendar, normalised', () => {
    expect(
      checkWorkingTime({
        days: ['fri', 'mon'],
        from: '9:00',
        to: '17:30',
        timeZone: 'europe/paris',
        holidays: ['2026-12-25', '2026-05-01'],
      }),
    ).toEqual({
      days: ['mon', 'fri'],
      from: '09:00',
      to: '17:30',
      timeZone: 'Europe/Paris',
      holidays: ['2026-05-01', '2026-12-25'],
    });
  });

  it.each([
    [null, /is an object/],
    [[], /is an object/],
    ['mon-fri', /is an object/],
    [{ ...defaultWorkingTime, days: 'mon-fri' }, /days is a list of strings/],
    [{ ...defaultWorkingTime, days: ['monday'] }, /each is one of mon, tue/],
    [{ ...defaultWorkingTime, days: [] }, /at least one working day/],
    [{ ...defaultWorkingTime, from: 9 }, /from is a string/],
    [{ ...defaultWorkingTime, timeZone: 'Nowhere' }, /not a time zone/],
    [{ ...defaultWorkingTime, holidays: ['2026-02-30'] }, /not a real date/],
    [{ ...defaultWorkingTime, holidays: [20261225] }, /holidays is a list of strings/],
  ])('refuses %j', (value, message) => {
    expect(() => checkWorkingTime(value)).toThrow(message);
  });
});
