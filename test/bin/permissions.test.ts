import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

// Issue 9 §5 (DESIGN §6): people see and restore what they deleted; bin.manage everything;
// bin.purge purges and deletes permanently.

const now = '2026-03-01T10:00:00Z';

async function store() {
  const { cli } = await newStore({ now });
  const run = async (argv: string[], as?: string) => cli(argv, { as });
  for (const [login, role] of [
    ['emma', 'employee'],
    ['eric', 'employee'],
    ['sue', 'supervisor'],
  ] as const) {
    expect((await run(['user', 'add', login, '--role', role])).exitCode).toBe(0);
  }
  for (const title of ['Emma’s deal', 'Eric’s deal']) {
    expect((await run(['item', 'add', '--title', title])).exitCode).toBe(0);
  }
  expect((await run(['item', 'delete', '1'], 'emma')).exitCode).toBe(0);
  expect((await run(['item', 'delete', '2'], 'eric')).exitCode).toBe(0);
  return run;
}

describe('who sees, restores and purges the recycle bin', () => {
  it('an employee sees only their own deletions and cannot ask for another’s (exit 6 naming bin.manage)', async () => {
    const run = await store();
    const own = (await run(['recycle-bin', 'list', '--json'], 'emma')).json<
      { entityId: number }[]
    >();
    expect(own.map((e) => e.entityId)).toEqual([1]);
    for (const argv of [
      ['recycle-bin', 'list', '--deleted-by', 'eric'],
      ['recycle-bin', 'show', '2'],
      ['recycle-bin', 'restore', '2'],
    ]) {
      const refused = await run(argv, 'emma');
      expect(refused.exitCode, argv.join(' ')).toBe(6);
      expect(refused.stderr).toMatch(/bin\.manage/);
    }
    expect((await run(['item', 'show', '2'])).exitCode).toBe(4);
    expect((await run(['recycle-bin', 'restore', '1'], 'emma')).exitCode).toBe(0);
  });

  it('a role with bin.manage sees and restores everyone’s, but cannot purge; bin.purge can', async () => {
    const run = await store();
    const all = (await run(['recycle-bin', 'list', '--json'], 'sue')).json<
      { deletedBy: string }[]
    >();
    expect(all.map((e) => e.deletedBy)).toEqual(['emma', 'eric']);
    expect(
      (await run(['recycle-bin', 'list', '--deleted-by', 'ERIC', '--json'], 'sue')).json(),
    ).toHaveLength(1);
    expect((await run(['recycle-bin', 'show', '2', '--json'], 'sue')).exitCode).toBe(0);
    for (const argv of [
      ['recycle-bin', 'purge', '--yes'],
      ['recycle-bin', 'settings', '--retention-days', '7'],
      ['cleanup'],
      ['item', 'delete', '1', '--permanently'],
    ]) {
      const refused = await run(argv, 'sue');
      expect(refused.exitCode, argv.join(' ')).toBe(6);
      expect(refused.stderr).toMatch(/bin\.purge/);
    }
    expect((await run(['recycle-bin', 'restore', '2'], 'sue')).exitCode).toBe(0);
    const purged = await run(['recycle-bin', 'purge', '--yes']);
    expect(purged).toMatchObject({ exitCode: 0, stdout: '1\n' });
    expect((await run(['recycle-bin', 'list', '--json'])).json()).toEqual([]);
  });

  it('undo of another’s delete by an employee is refused like a restore', async () => {
    const run = await store();
    const ops = (await run(['operation', 'list', '--json'])).json<
      { id: number; actor: string; kind: string }[]
    >();
    const erics = ops.find((o) => o.actor === 'eric' && o.kind === 'item-delete');
    const refused = await run(['undo', String(erics?.id)], 'emma');
    expect(refused.exitCode).toBe(6);
    expect(refused.stderr).toMatch(/bin\.manage/);
  });
});
