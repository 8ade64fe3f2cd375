import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/operations/service.js';
import { ok, writeInput } from '../exceptions/support.js';
import { newStore, tempDir } from '../helpers.js';

// Issue 8 §4, DESIGN §7a, §8a: every command that writes is one operation; `operation list`
// and `operation show` answer "what did last night's cron job do?".

const t0 = '2026-09-01T02:00:00.000Z';
const t1 = '2026-09-02T02:00:00.000Z';

/** DESIGN §8a operation, as the program declares it. */
type OperationJson = Operation;

async function storeWithOperations() {
  const store = await newStore({ now: t0 });
  const { cli } = store;
  await cli(['user', 'add', 'cron', '--role', 'admin']);
  const file = writeInput(tempDir(), 'nightly.txt', 'a@example.com\nb@example.com\nnope\n');
  const imported = await cli(['exceptions', 'import', file, '--json'], { as: 'cron', now: t1 });
  const batch = imported.json<{ batchId: number }>().batchId;
  const added = ok<{ operationId: number }>(
    await cli(['exceptions', 'add', 'c@example.com;by hand', '--json']),
  );
  return { ...store, batch, file, added: added.operationId };
}

describe('operation list', () => {
  it('lists every operation as JSON (§8a shape), in order, filtered by --kind, --actor, --since', async () => {
    const { cli, batch, file, added } = await storeWithOperations();
    const all = ok<OperationJson[]>(await cli(['operation', 'list', '--json']));
    expect(all.map((o) => o.kind)).toEqual(['user-add', 'exceptions-import', 'exceptions-add']);
    expect(Object.keys(all[1] ?? {})).toEqual([
      'id',
      'kind',
      'actor',
      'command',
      'at',
      'summary',
      'undoneAt',
    ]);
    expect(all[1]).toEqual({
      id: batch,
      kind: 'exceptions-import',
      actor: 'cron',
      command: `crmctl exceptions import ${file} --json`,
      at: t1,
      summary: {
        dryRun: false,
        committed: true,
        lines: 3,
        added: 2,
        duplicates: 0,
        updated: 0,
        rejected: 1,
        rejectedByReason: { 'not-a-number': 1 },
        commentLines: 0,
      },
      undoneAt: null,
    });
    // The operation keeps counts; the values are in its history (exceptions.view).
    expect(all[2]).toMatchObject({ id: added, summary: { added: 1, duplicates: 0, rejected: 0 } });
    const ids = async (argv: string[]) =>
      ok<OperationJson[]>(await cli(['operation', 'list', ...argv, '--json'])).map((o) => o.id);
    expect(await ids(['--kind', 'exceptions-import'])).toEqual([batch]);
    expect(await ids(['--actor', 'CRON'])).toEqual([batch]);
    expect(await ids(['--since', t1])).toEqual([batch]);
    expect(await ids(['--limit', '1', '--offset', '1'])).toEqual([batch]);
    expect(await ids(['--kind', 'nothing-like-this'])).toEqual([]);
  });

  it('prints tab-separated rows when piped, counts on one line', async () => {
    const { cli, batch } = await storeWithOperations();
    const result = await cli(['operation', 'list', '--kind', 'exceptions-import']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      `${batch}\t${t1}\texceptions-import\tcron\tdryRun false, committed true, lines 3, added 2, duplicates 0, updated 0, rejected 1, rejectedByReason {"not-a-number":1}, commentLines 0\t\n`,
    );
  });
});

describe('operation show', () => {
  it('shows one operation with what it changed (its history entries), and whether it was undone', async () => {
    const { cli, batch } = await storeWithOperations();
    await cli(['undo', String(batch)]);
    const shown = ok<OperationJson & { history: Record<string, unknown>[] }>(
      await cli(['operation', 'show', String(batch), '--json']),
    );
    expect(shown).toMatchObject({ id: batch, kind: 'exceptions-import', undoneAt: t0 });
    expect(shown.history).toEqual([
      {
        id: expect.any(Number),
        at: t1,
        actor: 'cron',
        cause: { kind: 'user', id: null },
        command: 'exceptions import',
        action: 'imported',
        entity: { type: 'exceptions', id: batch },
        changes: expect.objectContaining({ added: 2, values: ['a@example.com', 'b@example.com'] }),
      },
    ]);
    const fields = await cli([
      'operation',
      'show',
      String(batch),
      '--fields',
      'id,undoneAt',
      '--json',
    ]);
    expect(fields.json()).toEqual({ id: batch, undoneAt: t0 });
  });

  it('hides the exceptions list’s entries from users without exceptions.view', async () => {
    const { cli, added } = await storeWithOperations();
    await cli(['role', 'add', 'desk', '--permissions', 'items.view']);
    await cli(['user', 'add', 'dora', '--role', 'desk']);
    const shown = ok<{ history: unknown[] }>(
      await cli(['operation', 'show', String(added), '--json'], { as: 'dora' }),
    );
    // Its command line named the values: withheld too.
    expect(shown).toMatchObject({ kind: 'exceptions-add', command: null, history: [] });
    const listed = ok<OperationJson[]>(await cli(['operation', 'list', '--json'], { as: 'dora' }));
    expect(listed.map((o) => [o.kind, o.command === null])).toEqual([
      ['user-add', false],
      ['exceptions-import', true],
      ['exceptions-add', true],
      ['role-add', false],
      ['user-add', false],
    ]);
    const table = await cli(['operation', 'show', String(added)], { as: 'dora' });
    expect(table.stdout).not.toContain('c@example.com');
  });

  it('hides the blacklist’s entries from users without telephony.settings, in history too', async () => {
    const { cli } = await newStore({ now: t0 });
    const added = ok<{ operationId: number }>(
      await cli(['blacklist', 'add', '+44 20 7946 0018;nuisance', '--json']),
    );
    await cli(['blacklist', 'settings', '--auto-block', 'on']);
    await cli(['role', 'add', 'desk', '--permissions', 'items.view,exceptions.view']);
    await cli(['user', 'add', 'dora', '--role', 'desk']);
    const shown = ok<{ command: string | null; history: unknown[] }>(
      await cli(['operation', 'show', String(added.operationId), '--json'], { as: 'dora' }),
    );
    expect(shown).toMatchObject({ command: null, history: [] });
    const history = await cli(['history', '--json'], { as: 'dora' });
    expect(history.exitCode, history.stderr).toBe(0);
    expect(history.stdout).not.toContain('blacklist');
    expect(history.stdout).not.toContain('442079460018');
    // The admin, who may manage telephony, sees both.
    const all = ok<{ entity: { type: string } }[]>(await cli(['history', '--json']));
    expect(all.map((entry) => entry.entity.type)).toEqual(
      expect.arrayContaining(['blacklist', 'blacklist-settings']),
    );
  });

  it('an unknown operation is exit 4; a bad id exit 2', async () => {
    const { cli } = await storeWithOperations();
    expect((await cli(['operation', 'show', '999'])).exitCode).toBe(4);
    expect((await cli(['operation', 'show', 'x'])).exitCode).toBe(2);
  });
});
