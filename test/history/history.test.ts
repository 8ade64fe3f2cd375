import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

const admin = userInfo().username;

interface HistoryJson {
  id: number;
  at: string;
  actor: string;
  cause: { kind: string; id: number | null };
  command: string | null;
  action: string;
  entity: { type: string; id: number };
  changes: Record<string, unknown>;
}

/**
 * init at 2026-03-01 (system), then:
 *   03-01 10:00  admin adds user bob
 *   03-02 10:00  bob adds item 1
 *   03-05 10:00  admin adds item 2
 *   03-08 10:00  bob moves item 1 to Won
 *   03-09 09:00  bob updates item 2
 */
async function timeline() {
  const store = await newStore({ now: '2026-03-01T09:00:00Z' });
  const { cli } = store;
  const steps: [string[], string, string?][] = [
    [['user', 'add', 'bob'], '2026-03-01T10:00:00Z'],
    [['item', 'add', '--title', 'one'], '2026-03-02T10:00:00Z', 'bob'],
    [['item', 'add', '--title', 'two'], '2026-03-05T10:00:00Z'],
    [['item', 'move', '1', '--stage', 'Won'], '2026-03-08T10:00:00Z', 'bob'],
    [['item', 'update', '2', '--title', 'two!'], '2026-03-09T09:00:00Z', 'bob'],
  ];
  for (const [argv, now, as] of steps) {
    const result = await cli(argv, { now, as });
    if (result.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
  }
  const all = (await cli(['history', '--json'])).json<HistoryJson[]>();
  return { ...store, all, now: '2026-03-10T10:00:00Z' };
}

describe('history', () => {
  it('starts with the store’s creation by the system, then every change in time order', async () => {
    const { all } = await timeline();
    const setup = all.filter((e) => e.command === 'init');
    expect(setup).toEqual([
      {
        id: expect.any(Number),
        at: '2026-03-01T09:00:00.000Z',
        actor: 'system',
        cause: { kind: 'system', id: null },
        command: 'init',
        action: 'created',
        entity: { type: 'user', id: 1 },
        changes: { login: admin, role: 'admin', supervisor: null },
      },
    ]);
    expect(
      all.slice(1).map((e) => [e.at, e.actor, e.command, e.action, e.entity.type, e.entity.id]),
    ).toEqual([
      ['2026-03-01T10:00:00.000Z', admin, 'user add', 'created', 'user', 2],
      ['2026-03-02T10:00:00.000Z', 'bob', 'item add', 'created', 'item', 1],
      ['2026-03-05T10:00:00.000Z', admin, 'item add', 'created', 'item', 2],
      ['2026-03-08T10:00:00.000Z', 'bob', 'item move', 'stage-changed', 'item', 1],
      ['2026-03-09T09:00:00.000Z', 'bob', 'item update', 'updated', 'item', 2],
    ]);
    expect(all.slice(1).every((e) => e.cause.kind === 'user' && e.cause.id === null)).toBe(true);
  });

  it('--item shows one item’s changes', async () => {
    const { cli } = await timeline();
    const entries = (await cli(['history', '--item', '1', '--json'])).json<HistoryJson[]>();
    expect(entries.map((e) => e.action)).toEqual(['created', 'stage-changed']);
    expect(entries[1]?.changes).toEqual({ stage: { from: 'New', to: 'Won' } });
    expect((await cli(['history', '--item', '99', '--json'])).json()).toEqual([]);
  });

  it('--actor filters by who, in any case', async () => {
    const { cli } = await timeline();
    const bob = (await cli(['history', '--actor', 'BOB', '--json'])).json<HistoryJson[]>();
    expect(bob.map((e) => e.command)).toEqual(['item add', 'item move', 'item update']);
    const system = (await cli(['history', '--actor', 'system', '--json'])).json<HistoryJson[]>();
    expect(system.map((e) => e.command)).toEqual(['init']);
    expect((await cli(['history', '--actor', 'ghost', '--json'])).json()).toEqual([]);
  });

  it('--since takes an ISO time or a duration back from the clock', async () => {
    const { cli, now } = await timeline();
    const at = async (since: string) =>
      (await cli(['history', '--since', since, '--json'], { now }))
        .json<HistoryJson[]>()
        .map((e) => e.at);
    expect(await at('2026-03-08T10:00:00Z')).toEqual([
      '2026-03-08T10:00:00.000Z',
      '2026-03-09T09:00:00.000Z',
    ]);
    expect(await at('2026-03-05')).toEqual([
      '2026-03-05T10:00:00.000Z',
      '2026-03-08T10:00:00.000Z',
      '2026-03-09T09:00:00.000Z',
    ]);
    // 7d before 03-10 10:00 is 03-03 10:00.
    expect(await at('7d')).toEqual([
      '2026-03-05T10:00:00.000Z',
      '2026-03-08T10:00:00.000Z',
      '2026-03-09T09:00:00.000Z',
    ]);
    // 1d1h before is 03-09 09:00: inclusive.
    expect(await at('1d1h')).toEqual(['2026-03-09T09:00:00.000Z']);
    expect(await at('12h')).toEqual([]);
    for (const bad of ['yesterday', '-7d', '7 days']) {
      const result = await cli(['history', '--since', bad], { now });
      expect(result.exitCode, bad).toBe(2);
      expect(result.stderr, bad).toContain('--since');
    }
  });

  it('filters combine; --limit and --offset page in time order', async () => {
    const { cli, all, now } = await timeline();
    const combined = (
      await cli(['history', '--actor', 'bob', '--since', '5d', '--item', '1', '--json'], { now })
    ).json<HistoryJson[]>();
    expect(combined.map((e) => e.action)).toEqual(['stage-changed']);
    const page = (await cli(['history', '--limit', '2', '--offset', '1', '--json'])).json<
      HistoryJson[]
    >();
    expect(page).toEqual(all.slice(1, 3));
    expect((await cli(['history', '--offset', '100', '--json'])).json()).toEqual([]);
    for (const bad of [
      ['--limit', 'x'],
      ['--offset', '-1'],
      ['--item', 'abc'],
      ['--item', '0'],
    ]) {
      expect((await cli(['history', ...bad])).exitCode, bad.join(' ')).toBe(2);
    }
  });

  it('reads as a plain table when piped, with changes described', async () => {
    const { cli } = await timeline();
    const text = await cli(['history', '--item', '1']);
    expect(text.stdout).toBe(
      [
        '2026-03-02T10:00:00.000Z\tbob\tuser\tcreated\titem #1\ttype: deal; pipeline: Default; stage: New; title: one; source: manual',
        '2026-03-08T10:00:00.000Z\tbob\tuser\tstage-changed\titem #1\tstage: New → Won',
        '',
      ].join('\n'),
    );
    const csv = await cli([
      'history',
      '--item',
      '1',
      '-o',
      'csv',
      '--fields',
      'actor,command,changes',
    ]);
    expect(csv.stdout).toBe(
      'actor,command,changes\r\nbob,item add,type: deal; pipeline: Default; stage: New; title: one; source: manual\r\nbob,item move,stage: New → Won\r\n',
    );
  });
});
