import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

describe('task add --deadline past the year 9999', () => {
  it('is refused (exit 2) instead of stored as "+010099-…"', async () => {
    const { cli } = await newStore({ now: '9999-06-01T00:00:00Z' });
    const id = (await cli(['item', 'add', '--title', 'T', '--json'])).json<{ id: number }>().id;
    const add = await cli([
      'task',
      'add',
      '--item',
      String(id),
      '--title',
      'x',
      '--deadline',
      '36500d',
    ]);
    expect(add.exitCode).toBe(2);
    expect(add.stderr).toContain('after 9999-12-31');
    const near = await cli([
      'task',
      'add',
      '--item',
      String(id),
      '--title',
      'x',
      '--deadline',
      '1d',
    ]);
    expect(near.exitCode, near.stderr).toBe(0);
  });
});

describe('a create-task rule whose deadline lands after 9999', () => {
  it('fails the rule with the reason and makes no task', async () => {
    const { cli } = await newStore({ now: '9999-06-01T00:00:00Z' });
    const add = await cli([
      'rule',
      'add',
      '--stage',
      'Won',
      '--action',
      'create-task',
      '--param',
      'title=x',
      '--param',
      'deadline=36500d',
    ]);
    expect(add.exitCode, add.stderr).toBe(0);
    const id = (await cli(['item', 'add', '--title', 'T', '--json'])).json<{ id: number }>().id;
    expect((await cli(['item', 'move', String(id), '--stage', 'Won'])).exitCode).toBe(0);
    const entries = (await cli(['automation', 'log', '--item', String(id), '--json'])).json<
      { status: string; detail: string }[]
    >();
    expect(entries.at(-1)).toEqual(
      expect.objectContaining({ status: 'failed', detail: expect.stringContaining('9999-12-31') }),
    );
    expect((await cli(['task', 'list', '--json'])).json()).toEqual([]);
  });
});
