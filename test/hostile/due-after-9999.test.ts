import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

// Job times are ISO text compared as text: past 9999 toISOString writes "+010099-…", which sorts
// before "9999-…", so such a job used to run at once under any --until.
describe('a rule timed after the year 9999', () => {
  it('fails as too late to schedule instead of running at once', async () => {
    const { cli } = await newStore({ now: '2026-12-01T09:00:00Z' });
    const ok = async (argv: string[]) => {
      const r = await cli(argv);
      expect(r.exitCode, r.stderr).toBe(0);
      return r;
    };
    await ok([
      'rule',
      'add',
      '--stage',
      'Won',
      '--action',
      'notify',
      '--param',
      'text=x',
      '--at-field',
      'fields.due',
      '--offset',
      '+36500d',
    ]);
    const id = (await ok(['item', 'add', '--title', 'T', '--json'])).json<{ id: number }>().id;
    await ok(['item', 'update', String(id), '--field', 'due=9999-12-31T23:59:59Z']);
    await ok(['item', 'move', String(id), '--stage', 'Won']);
    await ok(['automation', 'run', '--until', '9999-12-31T23:59:59Z']);
    const entries = (await ok(['automation', 'log', '--item', String(id), '--json'])).json<
      { status: string; detail: string; dueAt: string | null }[]
    >();
    const rule = entries.filter((e) => e.detail?.includes('9999') || e.status === 'done');
    expect(rule).toEqual([
      expect.objectContaining({ status: 'failed', detail: expect.stringContaining('too late') }),
    ]);
    expect(entries.some((e) => e.dueAt?.startsWith('+'))).toBe(false);
  });

  it('a wait that would end after 9999 fails too', async () => {
    const { cli } = await newStore({ now: '9999-12-01T09:00:00Z' });
    const add = await cli([
      'rule',
      'add',
      '--stage',
      'Won',
      '--action',
      'wait',
      '--param',
      'for=36500d',
    ]);
    expect(add.exitCode, add.stderr).toBe(0);
    const id = (await cli(['item', 'add', '--title', 'T', '--json'])).json<{ id: number }>().id;
    expect((await cli(['item', 'move', String(id), '--stage', 'Won'])).exitCode).toBe(0);
    const entries = (await cli(['automation', 'log', '--item', String(id), '--json'])).json<
      { status: string; detail: string }[]
    >();
    expect(entries.at(-1)).toEqual(
      expect.objectContaining({ status: 'failed', detail: expect.stringContaining('too late') }),
    );
  });
});
