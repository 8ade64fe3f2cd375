import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { QueuedEvent } from '../../src/session.js';
import { Session } from '../../src/session.js';
import { openStore } from '../../src/store/store.js';
import { expireBlacklist } from '../../src/telephony/blacklist.js';
import { osLogin } from '../e2e/support.js';
import { tempDir } from '../helpers.js';
import { at, callAt, ok, storeWith } from './support.js';

const number = '+442079460018';
type Entry = { number: string; comment: string; source: string; expiresAt: string | null };

describe('blacklist add, list, check, remove, undo', () => {
  it('adds numbers in any spelling once, with comment and expiry; check exits 0 / 1', async () => {
    const { cli } = await storeWith([['settings', 'set', 'default-country', 'GB']]);
    const added = await cli(
      [
        'blacklist',
        'add',
        '020 7946 0018;robocaller',
        '+44 20 7946 0019',
        '00442079460018',
        'x@y.com',
        '12',
      ],
      { now: at('10:00') },
    );
    expect(added.exitCode).toBe(3);
    expect(added.stdout).toBe('+442079460018\n+442079460019\n');
    expect(added.stderr).toContain('x@y.com: not-a-number: "x@y.com" is an email address');
    expect(added.stderr).toContain('12: too-short');
    expect(added.stderr).toContain('+442079460018 is already listed');
    const timed = await cli(['blacklist', 'add', '+1 650 253 0000', '--expires', '7d', '--json'], {
      now: at('10:00'),
    });
    expect(ok(timed).json()).toMatchObject({
      added: [{ number: '+16502530000', expiresAt: '2026-06-08T10:00:00.000Z', source: 'manual' }],
    });
    const list = ok(await cli(['blacklist', 'list', '--json'])).json<Entry[]>();
    expect(list.map((e) => [e.number, e.comment, e.expiresAt])).toEqual([
      [number, 'robocaller', null],
      ['+442079460019', '', null],
      ['+16502530000', '', '2026-06-08T10:00:00.000Z'],
    ]);
    const filtered = ok(await cli(['blacklist', 'list', '--number', '020 7946 0019', '--json']));
    expect(filtered.json<Entry[]>().map((e) => e.number)).toEqual(['+442079460019']);
    expect((await cli(['blacklist', 'check', '(020) 7946-0018'])).exitCode).toBe(0);
    const missing = await cli(['blacklist', 'check', '+44 20 7946 0999']);
    expect(missing).toMatchObject({ exitCode: 1, stdout: '+442079460999 is not listed\n' });
    const later = await cli(['blacklist', 'check', '+16502530000'], {
      now: '2026-06-08T10:00:00Z',
    });
    expect(later.exitCode).toBe(1);
    expect(later.stdout).toContain('its entry expired at 2026-06-08T10:00:00.000Z');
    expect((await cli(['blacklist', 'check', 'not a number'])).exitCode).toBe(2);
  });

  it('remove takes numbers off; undo puts them back; exit 4 when none was listed', async () => {
    const { cli } = await storeWith([['blacklist', 'add', `${number};keep me`, '+442079460019']]);
    const dry = ok(await cli(['blacklist', 'remove', '+44 20 7946 0018', '--dry-run', '--json']));
    expect(dry.json()).toMatchObject({ operationId: null, dryRun: true, removed: [{ number }] });
    expect((await cli(['blacklist', 'check', number])).exitCode).toBe(0);
    const removed = await cli(['blacklist', 'remove', '+44 20 7946 0018', '--json']);
    const { operationId } = ok(removed).json<{ operationId: number }>();
    expect((await cli(['blacklist', 'check', number])).exitCode).toBe(1);
    expect((await cli(['blacklist', 'remove', '+442079460999'])).exitCode).toBe(4);
    expect((await cli(['blacklist', 'remove', number, '+442079460019'])).exitCode).toBe(3);
    // The later remove of +442079460019 does not depend on the first one: undo goes ahead.
    ok(await cli(['undo', String(operationId)]));
    const list = ok(await cli(['blacklist', 'list', '--json'])).json<Entry[]>();
    expect(list.map((e) => [e.number, e.comment])).toEqual([[number, 'keep me']]);
    const add = ok(await cli(['blacklist', 'add', '+442079460020', '--json'])).json<{
      operationId: number;
    }>();
    ok(await cli(['undo', String(add.operationId)]));
    expect((await cli(['blacklist', 'check', '+442079460020'])).exitCode).toBe(1);
    expect((await cli(['undo', String(add.operationId)])).exitCode).toBe(5);
  });

  it('needs telephony.settings for everything, reading included', async () => {
    const { cli } = await storeWith([
      ['blacklist', 'add', number],
      ['user', 'add', 'sam', '--role', 'supervisor'],
    ]);
    for (const argv of [
      ['blacklist', 'list'],
      ['blacklist', 'check', number],
      ['blacklist', 'export'],
      ['blacklist', 'settings'],
      ['blacklist', 'allowed'],
      ['blacklist', 'explain', number],
      ['blacklist', 'add', '+442079460019'],
      ['blacklist', 'remove', number],
      ['blacklist', 'allow', number],
    ]) {
      const result = await cli(argv, { as: 'sam' });
      expect(result.exitCode, argv.join(' ')).toBe(6);
      expect(result.stderr).toContain('telephony.settings');
    }
  });

  it('an expired entry comes off with expireBlacklist (the cleanup task), recorded and undoable', async () => {
    const { cli, db } = await storeWith([
      ['blacklist', 'add', number, '--expires', '1h'],
      ['blacklist', 'add', '+442079460019'],
    ]);
    const store = openStore(db, { busyTimeoutMs: 1000 });
    try {
      const session = new Session({
        store,
        clock: fixedClock(new Date(at('14:00'))),
        actor: { login: osLogin, cause: { kind: 'system', id: null }, command: 'cleanup' },
      });
      const result = session.write(() => expireBlacklist(session));
      expect(result).toMatchObject({ expired: 1, numbers: [number] });
      expect(session.write(() => expireBlacklist(session))).toMatchObject({
        expired: 0,
        operationId: null,
      });
      const list = ok(await cli(['blacklist', 'list', '--json'])).json<Entry[]>();
      expect(list.map((e) => e.number)).toEqual(['+442079460019']);
      const history = ok(await cli(['history', '--json'])).json<{ action: string }[]>();
      expect(history.map((h) => h.action)).toContain('expired');
      ok(await cli(['undo', String(result.operationId)]));
      expect((await cli(['blacklist', 'list', '--json'])).json<Entry[]>()).toHaveLength(2);
    } finally {
      store.close();
    }
  });
});

describe('blacklist settings and the allow-list', () => {
  it('shows the defaults, changes what is given, refuses bad values', async () => {
    const { cli } = await storeWith([['user', 'add', 'anna', '--role', 'employee']]);
    const defaults = ok(await cli(['blacklist', 'settings', '--json'])).json();
    expect(defaults).toEqual({
      autoBlock: false,
      calls: 5,
      minutes: 5,
      notify: null,
      banMinutes: null,
      registerInCrm: false,
    });
    const changed = await cli([
      'blacklist',
      'settings',
      '--auto-block',
      'on',
      '--calls',
      '3',
      '--minutes',
      '10',
      '--notify',
      'anna',
      '--ban-minutes',
      '60',
      '--register-in-crm',
      'on',
      '--json',
    ]);
    expect(ok(changed).json()).toEqual({
      autoBlock: true,
      calls: 3,
      minutes: 10,
      notify: 'anna',
      banMinutes: 60,
      registerInCrm: true,
    });
    for (const bad of [
      ['--calls', '0'],
      ['--minutes', '-1'],
      ['--calls', '1.5'],
      ['--ban-minutes', 'forever'],
      ['--auto-block', 'yes'],
      ['--calls', '9'.repeat(20)],
    ]) {
      expect((await cli(['blacklist', 'settings', ...bad])).exitCode, bad.join(' ')).toBe(2);
    }
    expect((await cli(['blacklist', 'settings', '--notify', 'nobody'])).exitCode).toBe(4);
    expect((await cli(['blacklist', 'settings', '--notify', ''])).exitCode).toBe(2);
    const plain = ok(
      await cli(['blacklist', 'settings', '--ban-minutes', 'permanent', '--no-notify']),
    );
    expect(plain.stdout).toContain('banMinutes\tpermanent');
    expect(plain.stdout).toContain('notify\t(nobody)');
    const read = await cli(['blacklist', 'settings'], {
      env: { CRMCTL_DB: join(tempDir(), 'none.db') },
    });
    expect(read.exitCode).toBe(4);
  });

  it('allow, disallow, allowed; a manual add of an allowed number warns', async () => {
    const { cli } = await storeWith([]);
    ok(await cli(['blacklist', 'allow', '+44 20 7946 0018', '--comment', 'night porter']));
    const allowed = ok(await cli(['blacklist', 'allowed', '--json'])).json();
    expect(allowed).toMatchObject([{ number, comment: 'night porter' }]);
    const add = await cli(['blacklist', 'add', number]);
    expect(add.exitCode).toBe(0);
    expect(add.stderr).toContain(`warning: ${number} is allow-listed`);
    ok(await cli(['blacklist', 'disallow', number]));
    expect((await cli(['blacklist', 'disallow', number])).exitCode).toBe(4);
    expect(ok(await cli(['blacklist', 'allowed', '--json'])).json()).toEqual([]);
  });
});

describe('blacklist import and export', () => {
  it('imports through the shared machine: reasons, rejects file, dry run, strict, undo', async () => {
    const dir = tempDir();
    const file = join(dir, 'numbers.txt');
    writeFileSync(
      file,
      '\uFEFF# blocked\r\n+44 20 7946 0018;robo;caller\r\n020 7946 0019\r\nanna@example.com;mail\r\n\r\n+442079460018\r\n12\r\n',
    );
    const { cli } = await storeWith([['settings', 'set', 'default-country', 'GB']]);
    const dry = await cli(['blacklist', 'import', file, '--dry-run', '--json']);
    expect(dry.exitCode).toBe(3);
    expect(dry.json()).toMatchObject({
      dryRun: true,
      batchId: null,
      added: 2,
      duplicates: 1,
      rejected: 2,
    });
    expect(ok(await cli(['blacklist', 'list', '--json'])).json()).toEqual([]);
    expect((await cli(['blacklist', 'import', file, '--strict'])).exitCode).toBe(7);
    const rejects = join(dir, 'rejects.csv');
    const real = await cli(['blacklist', 'import', file, '--rejects', rejects, '--json']);
    expect(real.exitCode).toBe(3);
    const summary = real.json<{ batchId: number; rejectedByReason: Record<string, number> }>();
    expect(summary.rejectedByReason).toEqual({ 'not-a-number': 1, 'too-short': 1 });
    const report = readFileSync(rejects, 'utf8');
    expect(report).toContain('4,anna@example.com;mail,not-a-number');
    expect(report).toContain("6,'+442079460018,duplicate");
    const list = ok(await cli(['blacklist', 'list', '--json'])).json<Entry[]>();
    expect(list.map((e) => [e.number, e.comment, e.source])).toEqual([
      [number, 'robo;caller', 'manual'],
      ['+442079460019', '', 'manual'],
    ]);
    ok(await cli(['undo', String(summary.batchId)]));
    expect(ok(await cli(['blacklist', 'list', '--json'])).json()).toEqual([]);
  });

  it('export → import into an empty list reproduces it (lines and CSV, formula guards)', async () => {
    const { cli } = await storeWith([
      [
        'blacklist',
        'add',
        `${number};=HYPERLINK("x")`,
        '+442079460019;a, "quoted" one',
        '+16502530000',
      ],
    ]);
    for (const format of ['lines', 'csv']) {
      const exported = ok(await cli(['blacklist', 'export', '--format', format]));
      const other = await storeWith([]);
      const imported = await other.cli(['blacklist', 'import', '-', '--format', format], {
        stdin: exported.stdout,
      });
      ok(imported, format);
      const pairs = async (c: typeof cli) =>
        ok(await c(['blacklist', 'list', '--json']))
          .json<Entry[]>()
          .map((e) => [e.number, e.comment]);
      expect(await pairs(other.cli), format).toEqual(await pairs(cli));
    }
  });
});

describe('call incoming and call log', () => {
  it('--missed fires call-missed for every open item of the caller; --to and --duration are logged', async () => {
    const events: QueuedEvent[] = [];
    const { cli } = await storeWith([
      ['contact', 'add', '--name', 'Olivia', '--phone', number],
      ['item', 'add', '--type', 'deal', '--title', 'Sofa', '--contact', '1'],
      ['item', 'add', '--type', 'deal', '--title', 'Table', '--contact', '1'],
    ]);
    const result = await cli(
      [
        'call',
        'incoming',
        '--from',
        number,
        '--to',
        '+442079460000',
        '--duration',
        '0',
        '--missed',
      ],
      { subscribers: [(_session, event) => events.push(event)], now: at('11:00') },
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('2\n');
    expect(result.stderr).toContain('Accepted (304 Missed call): auto-block is off');
    expect(result.stderr).toContain('Event: call-missed for item 2, 1');
    expect(events.filter((e) => e.type === 'outside-event')).toEqual([
      expect.objectContaining({
        event: 'call-missed',
        itemId: 2,
        params: { from: number, line: '+442079460000', duration: '0' },
      }),
      expect.objectContaining({ event: 'call-missed', itemId: 1 }),
    ]);
    const log = ok(await cli(['call', 'log', '--json'])).json();
    expect(log).toEqual([
      {
        id: 1,
        at: at('11:00'),
        from: number,
        line: '+442079460000',
        duration: 0,
        status: 'missed',
        code: 304,
        statusText: 'Missed call',
        declinedBy: null,
        outsideWorkingTime: false,
        itemId: 2,
        crm: 'saved',
        reason: `auto-block is off; ${number} belongs to open deal #2`,
      },
    ]);
  });

  it('with leads from calls off, an unknown caller starts no lead (logged not-saved)', async () => {
    const { cli } = await storeWith([['settings', 'set', 'leads-from-calls', 'off']]);
    const call = await callAt(cli, at('10:00'), number);
    expect(call.crm).toMatchObject({ action: 'not-saved' });
    expect(call.call).toMatchObject({ itemId: null, crm: 'not-saved' });
    expect(call.event).toEqual({ name: 'call-incoming', itemIds: [] });
    expect((await cli(['item', 'list', '--json'])).json()).toEqual([]);
    expect((await cli(['settings', 'set', 'leads-from-calls', 'maybe'])).exitCode).toBe(2);
  });

  it('call log filters by number in any spelling, status, since and until', async () => {
    const { cli } = await storeWith([
      ['settings', 'set', 'default-country', 'GB'],
      ['blacklist', 'add', number],
    ]);
    await callAt(cli, at('10:00'), number);
    await callAt(cli, at('11:00'), '+442079460019');
    await callAt(cli, at('12:00'), '+442079460019');
    const log = async (...flags: string[]) =>
      ok(await cli(['call', 'log', ...flags, '--json']))
        .json<{ at: string }[]>()
        .map((c) => c.at);
    expect(await log('--from', '020 7946 0019')).toEqual([at('11:00'), at('12:00')]);
    expect(await log('--status', 'declined')).toEqual([at('10:00')]);
    expect(await log('--since', at('11:00'), '--until', at('12:00'))).toEqual([at('11:00')]);
    expect((await cli(['call', 'log', '--from', 'nope'])).exitCode).toBe(2);
    expect((await cli(['call', 'log', '--status', 'bogus'])).exitCode).toBe(2);
  });

  it('a CLI sample: explain at T says what the call at T gets', async () => {
    const { cli } = await storeWith([
      ['blacklist', 'settings', '--auto-block', 'on', '--calls', '3', '--minutes', '2'],
    ]);
    const times = ['18:58', '19:00', '19:00:30', '19:01', '19:01:30', '19:02', '19:10', '19:11:59'];
    for (const time of times) {
      const explained = ok(
        await cli(['blacklist', 'explain', number, '--json'], { now: at(time) }),
      ).json<{
        next: { telephony: unknown };
      }>();
      const call = await callAt(cli, at(time), number);
      expect(call.telephony, time).toEqual(explained.next.telephony);
    }
    const text = ok(await cli(['blacklist', 'explain', number], { now: at('19:12') }));
    expect(text.stdout).toContain('Blacklisted: yes (auto, since');
    expect(text.stdout).toContain('Next call: declined: Hungup call by blacklist (423)');
  });
});
