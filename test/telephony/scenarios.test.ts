import { describe, expect, it } from 'vitest';
import { osLogin } from '../e2e/support.js';
import { at, callAt, ok, storeWith, verdicts } from './support.js';

// Issue 11, acceptance: the auto-block on the clock (--now), through the CLI. Defaults: 5 calls
// within 5 minutes; working time mon-fri 09:00–19:00 UTC; 1 June 2026 is a Monday.

const caller = '+442079460018';
const autoBlock = ['blacklist', 'settings', '--auto-block', 'on'];

describe('auto-block after N calls in M minutes outside working time', () => {
  it('5 calls in 5 minutes after hours: blocked on the 5th, declined by the blacklist after', async () => {
    const { cli } = await storeWith([autoBlock]);
    const times = ['20:00', '20:01', '20:02', '20:03', '20:04', '20:05'].map(at);
    expect(await verdicts(cli, caller, times)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'declined:auto-block',
      'declined:blacklist',
    ]);
    const check = await cli(['blacklist', 'check', caller, '--json'], { now: at('20:06') });
    expect(check.exitCode).toBe(0);
    expect(check.json()).toMatchObject({
      listed: true,
      entry: { number: caller, source: 'auto', createdBy: 'system', expiresAt: null },
    });
    const log = ok(await cli(['call', 'log', '--status', 'declined', '--json'])).json<
      { at: string; code: number; statusText: string; declinedBy: string }[]
    >();
    expect(log.map((c) => [c.at, c.code, c.statusText, c.declinedBy])).toEqual([
      [at('20:04'), 423, 'Hungup call by blacklist', 'auto-block'],
      [at('20:05'), 423, 'Hungup call by blacklist', 'blacklist'],
    ]);
  });

  it('the same during working hours: never blocked', async () => {
    const { cli } = await storeWith([autoBlock]);
    const times = ['10:00', '10:01', '10:02', '10:03', '10:04', '10:04:30', '10:04:59'].map(at);
    expect(new Set(await verdicts(cli, caller, times))).toEqual(new Set(['accepted']));
    expect((await cli(['blacklist', 'check', caller])).exitCode).toBe(1);
  });

  it('4 calls then a pause longer than the window: not blocked', async () => {
    const { cli } = await storeWith([autoBlock]);
    const times = ['20:00', '20:01', '20:02', '20:03', '20:09', '20:10'].map(at);
    expect(new Set(await verdicts(cli, caller, times))).toEqual(new Set(['accepted']));
  });

  it('calls straddling the end of the working day: only those after 19:00 count', async () => {
    const { cli } = await storeWith([autoBlock]);
    const times = ['18:57', '18:58', '18:59', '19:00', '19:01', '19:02', '19:03', '19:04'].map(at);
    expect(await verdicts(cli, caller, times)).toEqual([
      ...Array(7).fill('accepted'),
      'declined:auto-block',
    ]);
    const explain = ok(
      await cli(['blacklist', 'explain', caller, '--json'], { now: at('19:04:30') }),
    ).json<{ listed: boolean; entry: { calls?: unknown; createdAt: string } }>();
    expect(explain).toMatchObject({ listed: true, entry: { createdAt: at('19:04') } });
  });

  it('an allow-listed number is never auto-blocked', async () => {
    const { cli } = await storeWith([autoBlock, ['blacklist', 'allow', '+44 20 7946 0018']]);
    const times = Array.from({ length: 10 }, (_, i) => at(`20:0${i}`));
    expect(new Set(await verdicts(cli, caller, times))).toEqual(new Set(['accepted']));
    const allowed = ok(await cli(['blacklist', 'allowed', '--json'])).json<{ number: string }[]>();
    expect(allowed.map((a) => a.number)).toEqual([caller]);
  });

  it('an auto-block with --ban-minutes expires: the number rings again, counted afresh', async () => {
    const { cli } = await storeWith([[...autoBlock, '--ban-minutes', '60']]);
    const first = ['20:00', '20:01', '20:02', '20:03', '20:04'].map(at);
    expect((await verdicts(cli, caller, first)).at(-1)).toBe('declined:auto-block');
    const block = await callAt(cli, at('20:30'), caller);
    expect(block.telephony).toMatchObject({ verdict: 'declined', by: 'blacklist' });
    expect(block.telephony.reason).toContain(`until ${at('21:04')}`);
    const expired = await cli(['blacklist', 'check', caller, '--json'], { now: at('21:04') });
    expect(expired.exitCode).toBe(1);
    expect(expired.json()).toMatchObject({ listed: false, expired: true });
    // The count starts again after the block: four more calls ring, the fifth is blocked again.
    const again = ['21:04', '21:05', '21:06', '21:07', '21:08'].map(at);
    expect(await verdicts(cli, caller, again)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'declined:auto-block',
    ]);
    const entries = ok(await cli(['blacklist', 'list', '--json'])).json<{ createdAt: string }[]>();
    expect(entries.map((e) => e.createdAt)).toEqual([at('21:08')]);
  });

  it('a number blacklisted as +44 20 7946 0018 is declined in any spelling', async () => {
    const { cli } = await storeWith([
      ['settings', 'set', 'default-country', 'GB'],
      ['blacklist', 'add', '+44 20 7946 0018'],
    ]);
    for (const spelling of ['020 7946 0018', '00442079460018', '+44 (20) 7946-0018']) {
      const call = await callAt(cli, at('10:00'), spelling);
      expect(call.telephony, spelling).toMatchObject({
        verdict: 'declined',
        by: 'blacklist',
        code: 423,
      });
      expect(call.call).toMatchObject({ from: caller, status: 'declined', code: 423 });
    }
    expect((await cli(['blacklist', 'check', '020 7946 0018'])).exitCode).toBe(0);
    expect((await cli(['blacklist', 'check', '00442079460018'])).exitCode).toBe(0);
  });

  it('the --notify user is named on the auto-block, and N and M come from the settings', async () => {
    const { cli } = await storeWith([
      ['user', 'add', 'anna', '--role', 'supervisor'],
      [...autoBlock, '--calls', '2', '--minutes', '1', '--notify', 'anna'],
    ]);
    expect(await verdicts(cli, caller, [at('23:00:00'), at('23:01:01')])).toEqual([
      'accepted',
      'accepted',
    ]);
    const blocked = await callAt(cli, at('23:01:30'), caller);
    expect(blocked.telephony).toMatchObject({ verdict: 'declined', by: 'auto-block' });
    expect(blocked.blacklisted).toMatchObject({ number: caller, source: 'auto' });
    const history = ok(await cli(['history', '--json'])).json<
      { action: string; entity: { type: string }; actor: string; changes: { notify?: string } }[]
    >();
    expect(history.find((h) => h.entity.type === 'blacklist')).toMatchObject({
      action: 'added',
      actor: 'system',
      changes: { notify: 'anna' },
    });
    const [operation] = ok(
      await cli(['operation', 'list', '--kind', 'call-incoming', '--json']),
    ).json<{ actor: string }[]>();
    expect(operation).toMatchObject({ actor: osLogin });
    expect(blocked.notified).toBe('anna');
    const notices = ok(await cli(['notification', 'list', '--json'], { as: 'anna' })).json<
      { user: string; text: string; source: string }[]
    >();
    expect(notices).toEqual([
      expect.objectContaining({
        user: 'anna',
        source: 'telephony',
        text: expect.stringMatching(
          /^\+442079460018 was auto-blocked permanently: Hungup call by blacklist/,
        ),
      }),
    ]);
    // A --notify user removed since: the next auto-block still happens, nobody is told.
    ok(await cli(['user', 'remove', 'anna']));
    const other = '+442079460019';
    await callAt(cli, at('23:10:00'), other);
    const unnoticed = await callAt(cli, at('23:10:10'), other);
    expect(unnoticed).toMatchObject({ notified: null, blacklisted: { number: other } });
  });
});
