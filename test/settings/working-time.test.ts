import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWorkingTime } from '../../src/calendar/working-time.js';
import { fixedClock } from '../../src/clock.js';
import { Session } from '../../src/session.js';
import { workingTimeOf } from '../../src/settings/working-time.js';
import { openStore } from '../../src/store/store.js';
import { newStore, runCli, tempDir } from '../helpers.js';

const admin = userInfo().username;
const now = '2026-03-01T09:00:00.000Z';
const london = ['--days', 'mon-fri', '--from', '09:00', '--to', '19:00', '--tz', 'Europe/London'];

interface WorkingTimeJson {
  days: string[];
  from: string;
  to: string;
  timeZone: string;
  holidays: string[];
  isDefault: boolean;
  summary: string;
}

function withStore<T>(db: string, work: (session: Session) => T): T {
  const store = openStore(db, { busyTimeoutMs: 1000 });
  try {
    return work(
      new Session({
        store,
        clock: fixedClock(new Date(now)),
        actor: { login: admin, cause: { kind: 'user', id: null }, command: 'test' },
      }),
    );
  } finally {
    store.close();
  }
}

function operationKinds(session: Session): string[] {
  return session.db.prepare('SELECT kind FROM operations ORDER BY id').pluck().all() as string[];
}

describe('settings working-time', () => {
  it('shows the default calendar: mon-fri 09:00-19:00 UTC', async () => {
    const { cli } = await newStore({ now });
    const shown = await cli(['settings', 'working-time']);
    expect(shown).toMatchObject({
      exitCode: 0,
      stderr: '',
      stdout:
        'days\tmon-fri\nfrom\t09:00\nto\t19:00\ntimeZone\tUTC\nholidays\t\nisDefault\ttrue\nsummary\tmon-fri 09:00-19:00 UTC\n',
    });
    expect((await cli(['settings', 'working-time', '--json'])).json()).toEqual({
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      from: '09:00',
      to: '19:00',
      timeZone: 'UTC',
      holidays: [],
      isDefault: true,
      summary: 'mon-fri 09:00-19:00 UTC',
    });
  });

  it('sets it, prints the summary, stores it as JSON and records the change', async () => {
    const { cli, db } = await newStore({ now });
    const set = await cli(
      ['settings', 'working-time', ...london, '--holiday', '2026-12-25', '--holiday', '2026-12-28'],
      { now: '2026-03-02T00:00:00Z' },
    );
    expect(set).toMatchObject({
      exitCode: 0,
      stdout: 'mon-fri 09:00-19:00 Europe/London, 2 holidays\n',
      stderr: 'Working time is now mon-fri 09:00-19:00 Europe/London, 2 holidays\n',
    });
    const shown = (await cli(['settings', 'working-time', '--json'])).json<WorkingTimeJson>();
    expect(shown).toEqual({
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      from: '09:00',
      to: '19:00',
      timeZone: 'Europe/London',
      holidays: ['2026-12-25', '2026-12-28'],
      isDefault: false,
      summary: 'mon-fri 09:00-19:00 Europe/London, 2 holidays',
    });
    const csv = await cli(['settings', 'working-time', '-o', 'csv', '--fields', 'days,holidays']);
    expect(csv.stdout).toBe('days,holidays\r\nmon-fri,"2026-12-25, 2026-12-28"\r\n');
    const stored = withStore(db, (session) =>
      session.db.prepare("SELECT value FROM settings WHERE key = 'working-time'").pluck().get(),
    );
    expect(stored).toBe(
      '{"days":["mon","tue","wed","thu","fri"],"from":"09:00","to":"19:00","timeZone":"Europe/London","holidays":["2026-12-25","2026-12-28"]}',
    );
    const history = (await cli(['history', '--json'])).json<Record<string, unknown>[]>();
    expect(history.at(-1)).toMatchObject({
      at: '2026-03-02T00:00:00.000Z',
      actor: admin,
      command: 'settings working-time',
      action: 'setting-changed',
      entity: { type: 'settings', id: 0 },
      changes: {
        'working-time.timeZone': { from: 'UTC', to: 'Europe/London' },
        'working-time.holidays': { from: [], to: ['2026-12-25', '2026-12-28'] },
      },
    });
    expect(withStore(db, (session) => operationKinds(session))).toEqual(['settings-working-time']);
  });

  it('changes only what the flags give; --holiday adds, --clear-holidays and --reset start over', async () => {
    const { cli } = await newStore({ now });
    await cli(['settings', 'working-time', ...london, '--holiday', '2026-12-25']);
    const json = async (argv: string[]) => {
      const result = await cli(['settings', 'working-time', ...argv, '--json']);
      expect(result.exitCode, result.stderr).toBe(0);
      return result.json<WorkingTimeJson>();
    };
    expect(await json(['--from', '8:30'])).toMatchObject({
      from: '08:30',
      to: '19:00',
      timeZone: 'Europe/London',
      holidays: ['2026-12-25'],
    });
    expect((await json(['--holiday', '2026-01-01'])).holidays).toEqual([
      '2026-01-01',
      '2026-12-25',
    ]);
    expect((await json(['--clear-holidays', '--holiday', '2027-01-01'])).holidays).toEqual([
      '2027-01-01',
    ]);
    expect(await json(['--days', 'sun-thu'])).toMatchObject({
      days: ['mon', 'tue', 'wed', 'thu', 'sun'],
      summary: 'sun-thu 08:30-19:00 Europe/London, 1 holiday',
    });
    expect(await json(['--reset'])).toMatchObject({
      summary: 'mon-fri 09:00-19:00 UTC',
      isDefault: true,
    });
    expect(await json(['--reset', '--tz', 'Asia/Tokyo'])).toMatchObject({
      summary: 'mon-fri 09:00-19:00 Asia/Tokyo',
      isDefault: false,
    });
    // Setting the default's values stores nothing: it is the default again.
    expect(await json(['--tz', 'UTC'])).toMatchObject({ isDefault: true });
  });

  it('a change to the same calendar is no change: no history, no operation', async () => {
    const { cli, db } = await newStore({ now });
    await cli(['settings', 'working-time', ...london]);
    const before = (await cli(['history', '--json'])).json<unknown[]>().length;
    const again = await cli([
      'settings',
      'working-time',
      '--tz',
      'europe/london',
      '--days',
      'fri,mon-thu',
    ]);
    expect(again).toMatchObject({
      exitCode: 0,
      stdout: 'mon-fri 09:00-19:00 Europe/London\n',
      stderr: 'Working time unchanged: mon-fri 09:00-19:00 Europe/London\n',
    });
    expect((await cli(['history', '--json'])).json<unknown[]>()).toHaveLength(before);
    expect(withStore(db, (session) => operationKinds(session))).toEqual(['settings-working-time']);
  });

  it.each([
    [['--days', 'mnd'], /^error: --days: "mnd" is not a day/],
    [['--days', ','], /^error: --days needs at least one working day/],
    [['--days', ''], /^error: --days needs a value/],
    [['--from', '25:00'], /^error: --from takes a 24-hour time HH:MM/],
    [['--to', '7pm'], /^error: --to takes a 24-hour time HH:MM/],
    [['--from', '20:00'], /^error: --from 20:00 must be before the end of the working day, 19:00/],
    [['--from', '22:00', '--to', '06:00'], /^error: --from 22:00 must be before --to 06:00/],
    [['--tz', 'Europe/Lodnon'], /^error: --tz: "Europe\/Lodnon" is not a time zone/],
    [['--holiday', '2026-02-30'], /^error: --holiday 2026-02-30 is not a real date/],
    [['--holiday', 'christmas'], /^error: --holiday takes a date as YYYY-MM-DD/],
    [['--days', 'mon-fri-sun'], /^error: --days: "mon-fri-sun" is not a day or a range of days/],
  ])('refuses %j with exit 2 naming the flag, changing nothing', async (argv, message) => {
    const { cli } = await newStore({ now });
    await cli(['settings', 'working-time', ...london]);
    const before = (await cli(['settings', 'working-time', '--json'])).stdout;
    const history = (await cli(['history', '--json'])).stdout;
    const refused = await cli(['settings', 'working-time', ...argv]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(message);
    expect((await cli(['settings', 'working-time', '--json'])).stdout).toBe(before);
    expect((await cli(['history', '--json'])).stdout).toBe(history);
  });

  it('needs users.manage to change it (exit 6); anyone who sees items may look', async () => {
    const { cli } = await newStore({ now });
    expect((await cli(['user', 'add', 'emma', '--role', 'employee'])).exitCode).toBe(0);
    const refused = await cli(['settings', 'working-time', '--tz', 'Europe/London'], {
      as: 'emma',
    });
    expect(refused.exitCode).toBe(6);
    expect(refused.stderr).toMatch(/users\.manage/);
    const shown = await cli(['settings', 'working-time', '--json'], { as: 'emma' });
    expect(shown.exitCode).toBe(0);
    expect(shown.json<WorkingTimeJson>()).toMatchObject({ timeZone: 'UTC', isDefault: true });
  });

  it('the generic settings commands point to it', async () => {
    const { cli } = await newStore({ now });
    for (const argv of [
      ['settings', 'get', 'working-time'],
      ['settings', 'set', 'working-time', 'mon-fri'],
    ]) {
      const result = await cli(argv);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(
        /^error: working-time has its own command: crmctl settings working-time shows it/,
      );
    }
    const keys = (await cli(['settings', 'list', '--json'])).json<{ key: string }[]>();
    expect(keys.map((s) => s.key)).not.toContain('working-time');
  });

  it('a stored value that cannot be read exits 7, and --reset replaces it', async () => {
    const { cli, db } = await newStore({ now });
    withStore(db, (session) =>
      session.db
        .prepare("INSERT INTO settings (key, value) VALUES ('working-time', ?)")
        .run('{"days":["mon"],"from":"09:00","to":"19:00","timeZone":"Nowhere","holidays":[]}'),
    );
    const shown = await cli(['settings', 'working-time']);
    expect(shown.exitCode).toBe(7);
    expect(shown.stderr).toMatch(
      /^error: the working-time setting in the store cannot be used \(--tz: "Nowhere" is not a time zone.*--reset/,
    );
    expect((await cli(['settings', 'working-time', '--from', '08:00'])).exitCode).toBe(7);
    const reset = await cli(['settings', 'working-time', '--reset', '--tz', 'Europe/Paris']);
    expect(reset).toMatchObject({ exitCode: 0, stdout: 'mon-fri 09:00-19:00 Europe/Paris\n' });
    const history = (await cli(['history', '--json'])).json<Record<string, unknown>[]>();
    expect(history.at(-1)).toMatchObject({
      changes: { 'working-time.timeZone': { from: null, to: 'Europe/Paris' } },
    });
  });

  it('workingTimeOf gives the engine and telephony the stored calendar, the same object each time', async () => {
    const { cli, db } = await newStore({ now });
    const defaults = withStore(db, (session) => workingTimeOf(session));
    expect(defaults).toMatchObject({ timeZone: 'UTC', from: '09:00', to: '19:00' });
    await cli(['settings', 'working-time', ...london, '--holiday', '2026-03-30']);
    withStore(db, (session) => {
      const calendar = workingTimeOf(session);
      expect(calendar).toEqual({
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        from: '09:00',
        to: '19:00',
        timeZone: 'Europe/London',
        holidays: ['2026-03-30'],
      });
      expect(workingTimeOf(session)).toBe(calendar);
      // Friday 27 March is still GMT; Monday 30th (BST from Sunday) is the holiday.
      expect(isWorkingTime(calendar, new Date('2026-03-27T18:59:00Z'))).toBe(true);
      expect(isWorkingTime(calendar, new Date('2026-03-30T10:00:00Z'))).toBe(false);
      expect(isWorkingTime(calendar, new Date('2026-03-31T08:00:00Z'))).toBe(true);
    });
  });
});

describe('settings working-time on a missing store', () => {
  it('shows nothing and creates nothing: showing only reads (exit 4)', async () => {
    const db = join(tempDir(), 'missing.db');
    const result = await runCli(['settings', 'working-time'], { env: { CRMCTL_DB: db } });
    expect(result.exitCode).toBe(4);
    expect(existsSync(db)).toBe(false);
  });
});
