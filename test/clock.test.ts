import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fixedClock,
  parseDuration,
  parseInstant,
  parseSince,
  systemClock,
  VirtualClock,
} from '../src/clock.js';
import { UsageError } from '../src/errors.js';

const iso = (text: string) => parseInstant(text, '--now').toISOString();

describe('parseInstant', () => {
  it('reads ISO-8601 dates and times; no zone means UTC', () => {
    expect(iso('2026-11-23T09:30:00Z')).toBe('2026-11-23T09:30:00.000Z');
    expect(iso('2026-11-23T09:30:00.123Z')).toBe('2026-11-23T09:30:00.123Z');
    expect(iso('2026-11-23T09:30:00')).toBe('2026-11-23T09:30:00.000Z');
    expect(iso('2026-11-23T09:30')).toBe('2026-11-23T09:30:00.000Z');
    expect(iso('2026-11-23 09:30:00')).toBe('2026-11-23T09:30:00.000Z');
    expect(iso('2026-11-23')).toBe('2026-11-23T00:00:00.000Z');
    expect(iso('  2026-11-23T09:30:00Z  ')).toBe('2026-11-23T09:30:00.000Z');
    expect(iso('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('applies offsets, with or without a colon', () => {
    expect(iso('2026-11-23T09:30:00+02:00')).toBe('2026-11-23T07:30:00.000Z');
    expect(iso('2026-11-23T09:30:00+0200')).toBe('2026-11-23T07:30:00.000Z');
    expect(iso('2026-11-23T01:30:00-05:30')).toBe('2026-11-23T07:00:00.000Z');
  });

  it('refuses what is not an ISO time, naming the flag (UsageError, exit 2)', () => {
    for (const bad of [
      '',
      'now',
      'yesterday',
      '23/11/2026',
      '2026-11-23T9:30',
      '1700000000',
      '2026-11',
    ]) {
      expect(() => parseInstant(bad, '--since'), bad).toThrow(UsageError);
      expect(() => parseInstant(bad, '--since'), bad).toThrow(/^--since takes an ISO-8601 time/);
    }
  });

  it('refuses dates that do not exist instead of rolling over', () => {
    for (const bad of [
      '2026-13-01',
      '2026-00-10',
      '2026-02-29',
      '2026-02-30T10:00:00Z',
      '2026-04-31',
      '2026-01-32',
      '2026-01-00',
    ]) {
      expect(() => parseInstant(bad, '--now'), bad).toThrow(/is not a real date/);
    }
  });

  it('round-trips every instant written by toISOString', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          expect(parseInstant(date.toISOString(), '--now').getTime()).toBe(date.getTime());
        },
      ),
    );
  });
});

describe('parseDuration', () => {
  it('reads single units and compound sums', () => {
    expect(parseDuration('90s', 'x')).toBe(90_000);
    expect(parseDuration('30m', 'x')).toBe(1_800_000);
    expect(parseDuration('2h', 'x')).toBe(7_200_000);
    expect(parseDuration('3d', 'x')).toBe(259_200_000);
    expect(parseDuration('1w', 'x')).toBe(604_800_000);
    expect(parseDuration('1d4h', 'x')).toBe(100_800_000);
    expect(parseDuration('1w2d3h4m5s', 'x')).toBe(788_645_000);
    expect(parseDuration('0s', 'x')).toBe(0);
  });

  it('takes a sign', () => {
    expect(parseDuration('+2h', 'x')).toBe(7_200_000);
    expect(parseDuration('-30m', 'x')).toBe(-1_800_000);
    expect(parseDuration('-1d4h', 'x')).toBe(-100_800_000);
  });

  it('refuses anything else, naming the flag', () => {
    for (const bad of ['', '5', '5x', '1.5h', '1d 4h', 'h', '--1h', 'PT1H', '1H']) {
      expect(() => parseDuration(bad, '--every'), bad).toThrow(UsageError);
      expect(() => parseDuration(bad, '--every'), bad).toThrow(/^--every takes a duration/);
    }
  });

  it('is the sum of its parts', () => {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(1000), fc.constantFrom('s', 'm', 'h', 'd', 'w')), {
          minLength: 1,
          maxLength: 5,
        }),
        (parts) => {
          const text = parts.map(([n, u]) => `${n}${u}`).join('');
          const expected = parts.reduce((sum, [n, u]) => sum + n * unit[u], 0);
          expect(parseDuration(text, 'x')).toBe(expected);
          expect(parseDuration(`-${text}`, 'x') === -expected).toBe(true);
        },
      ),
    );
  });
});

describe('parseSince', () => {
  const clock = fixedClock(new Date('2026-03-10T10:00:00Z'));

  it('reads a duration as that long before now', () => {
    expect(parseSince('7d', '--since', clock).toISOString()).toBe('2026-03-03T10:00:00.000Z');
    expect(parseSince('1d4h', '--since', clock).toISOString()).toBe('2026-03-09T06:00:00.000Z');
    expect(parseSince('90s', '--since', clock).toISOString()).toBe('2026-03-10T09:58:30.000Z');
  });

  it('reads anything else as an ISO time', () => {
    expect(parseSince('2026-03-01', '--since', clock).toISOString()).toBe(
      '2026-03-01T00:00:00.000Z',
    );
    expect(parseSince('2026-03-01T12:00:00+01:00', '--since', clock).toISOString()).toBe(
      '2026-03-01T11:00:00.000Z',
    );
    expect(() => parseSince('-7d', '--since', clock)).toThrow(UsageError);
    expect(() => parseSince('a week', '--since', clock)).toThrow(/^--since/);
  });
});

describe('clocks', () => {
  it('a fixed clock always reads the same, and hands out copies', () => {
    const clock = fixedClock(new Date('2026-03-10T10:00:00Z'));
    const first = clock.now();
    first.setUTCFullYear(2000);
    expect(clock.now().toISOString()).toBe('2026-03-10T10:00:00.000Z');
  });

  it('a virtual clock stands still until advanced or set', () => {
    const clock = new VirtualClock(new Date('2026-03-10T10:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-03-10T10:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-03-10T10:00:00.000Z');
    clock.advance(parseDuration('1d4h', 'x'));
    expect(clock.now().toISOString()).toBe('2026-03-11T14:00:00.000Z');
    clock.advance(-3_600_000);
    expect(clock.now().toISOString()).toBe('2026-03-11T13:00:00.000Z');
    clock.set(new Date('2027-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
    const copy = clock.now();
    copy.setUTCFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2027);
  });

  it('the system clock reads the real time', () => {
    const before = Date.now();
    const read = systemClock.now().getTime();
    expect(read).toBeGreaterThanOrEqual(before);
    expect(read).toBeLessThanOrEqual(Date.now());
  });
});
