import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON read back from the command line
type Json = any;

// Issue 9 §4: purge and the nightly cleanup, at the clock's boundaries.

const limit = Date.parse('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(limit + ms).toISOString();
const day = 86_400_000;

async function binned() {
  const { cli } = await newStore({ now: at(-day) });
  for (const [title, when] of [
    ['just before', -1],
    ['exactly at', 0],
    ['just after', 1],
  ] as const) {
    const added = await cli(['item', 'add', '--title', title], { now: at(when) });
    expect(added.exitCode).toBe(0);
    expect((await cli(['item', 'delete', added.stdout.trim()], { now: at(when) })).exitCode).toBe(
      0,
    );
  }
  const titles = async () =>
    (await cli(['recycle-bin', 'list', '--json'])).json<{ title: string }[]>().map((e) => e.title);
  return { cli, titles };
}

describe('recycle-bin purge', () => {
  it('--older-than 30d purges what was deleted more than 30 days ago: exactly 30 days stays', async () => {
    const { cli, titles } = await binned();
    const now = at(30 * day);
    const dry = await cli(['recycle-bin', 'purge', '--older-than', '30d', '--dry-run', '--json'], {
      now,
    });
    expect(dry.json()).toMatchObject({ dryRun: true, purged: 1, operationId: null });
    expect(await titles()).toEqual(['just before', 'exactly at', 'just after']);
    expect(
      (await cli(['recycle-bin', 'list', '--older-than', '30d', '--json'], { now })).json(),
    ).toHaveLength(1);
    const real = await cli(['recycle-bin', 'purge', '--older-than', '30d', '--yes'], { now });
    expect(real).toMatchObject({ exitCode: 0, stdout: '1\n' });
    expect(await titles()).toEqual(['exactly at', 'just after']);
    const later = await cli(['recycle-bin', 'purge', '--older-than', '30d', '--yes'], {
      now: at(30 * day + 1),
    });
    expect(later.stdout).toBe('1\n');
    expect(await titles()).toEqual(['just after']);
    // The purged item's history stays; the purge is in it too.
    const history = (await cli(['history', '--item', '1', '--json'])).json<{ action: string }[]>();
    expect(history.map((h) => h.action)).toEqual(['created', 'deleted']);
    expect((await cli(['recycle-bin', 'restore', '1'])).exitCode).toBe(4);
  });

  it('needs --yes when not on a terminal, asks on one, and --limit takes the oldest first', async () => {
    const { cli, titles } = await binned();
    const refused = await cli(['recycle-bin', 'purge']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/this purges 3 bin entries for good: add --yes/);
    const declined = await cli(['recycle-bin', 'purge'], {
      tty: true,
      prompter: {
        confirm: async () => false,
        input: async () => '',
        select: async () => '' as never,
      },
    });
    expect(declined.exitCode).toBe(5);
    expect(await titles()).toHaveLength(3);
    expect((await cli(['recycle-bin', 'purge', '--limit', '2', '--yes'])).stdout).toBe('2\n');
    expect(await titles()).toEqual(['just after']);
  });
});

describe('crmctl cleanup', () => {
  it('purges past the retention; twice is once; a dry run reports the same counts and changes nothing', async () => {
    const { cli, titles } = await binned();
    const now = at(30 * day);
    const dry = (await cli(['cleanup', '--dry-run', '--json'], { now })).json<Json>();
    expect(dry).toMatchObject({
      dryRun: true,
      operationId: null,
      tasks: { bin: { purged: 1, retentionDays: 30 } },
    });
    expect(await titles()).toHaveLength(3);
    const first = await cli(['cleanup', '--json'], { now });
    expect(first.exitCode).toBe(0);
    expect(first.json<Json>().tasks).toEqual(dry.tasks);
    const second = await cli(['cleanup'], { now });
    expect(second).toMatchObject({
      exitCode: 0,
      stdout:
        'cleanup: bin: purged 0 recycle-bin entries past 30 days; automation: ran 0 due jobs, 0 still waiting; blacklist: expired 0 entries\n',
    });
    expect(await titles()).toEqual(['exactly at', 'just after']);
    const line = await cli(['cleanup', '-o', 'jsonl'], { now: at(31 * day) });
    expect(line.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(line.stdout)).toMatchObject({ tasks: { bin: { purged: 2 } } });
  });

  it('recycle-bin settings --retention-days changes what cleanup purges', async () => {
    const { cli, titles } = await binned();
    expect((await cli(['recycle-bin', 'settings', '--json'])).json()).toEqual({
      retentionDays: 30,
      isDefault: true,
    });
    const set = await cli(['recycle-bin', 'settings', '--retention-days', '90', '--json']);
    expect(set.json()).toEqual({ retentionDays: 90, isDefault: false });
    expect(
      (await cli(['cleanup', '--json'], { now: at(60 * day) })).json<Json>().tasks.bin.purged,
    ).toBe(0);
    expect(await titles()).toHaveLength(3);
    for (const bad of ['0', '-1', 'x', '36501', '1.5', '']) {
      expect((await cli(['recycle-bin', 'settings', '--retention-days', bad])).exitCode, bad).toBe(
        2,
      );
    }
  });
});
