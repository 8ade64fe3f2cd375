import { describe, expect, it } from 'vitest';
import type { Prompter } from '../../src/cli/prompter.js';
import { snapshot, withDb } from '../e2e/support.js';
import { type Cli, ok, writeInput } from '../exceptions/support.js';
import { newStore, tempDir } from '../helpers.js';

// Issue 8 §4, DESIGN §7a: `crmctl undo OP` takes back everything one operation did, in one
// transaction, exactly: the list's rows (ids, raw spellings, comments, sources, authors, dates,
// batches) and the comment changes an import recorded come back as they were.

const t0 = '2026-08-01T09:00:00.000Z';
const t1 = '2026-08-02T09:00:00.000Z';
const t2 = '2026-08-03T09:00:00.000Z';

/** Every row the list keeps, as stored: what "restores exactly" compares. */
function listRows(db: string) {
  return withDb(db, (d) => ({
    exceptions: d.prepare('SELECT * FROM exceptions ORDER BY id').all(),
    commentChanges: d
      .prepare('SELECT * FROM exception_comment_changes ORDER BY operation_id, exception_id')
      .all(),
  }));
}

/** Imports `text` (some lines may be rejected: exit 3) and returns its batch. */
async function importText(cli: Cli, text: string, ...flags: string[]): Promise<number> {
  const file = writeInput(tempDir(), 'in.txt', text);
  const result = await cli(['exceptions', 'import', file, '--json', ...flags]);
  expect([0, 3], result.stderr).toContain(result.exitCode);
  return result.json<{ batchId: number }>().batchId;
}

interface UndoJson {
  operationId: number | null;
  undone: number;
  kind: string;
  dryRun: boolean;
  changes: Record<string, Record<string, number>>;
  notes: string[];
  forced: { operationId: number | null; kind: string | null; reason: string }[];
}

describe('crmctl undo restores exactly', () => {
  it('an import: what it added goes, the comments it overwrote come back', async () => {
    const { db, cli } = await newStore({ now: t0 });
    await cli(['exceptions', 'add', 'a@example.com;original', '+44 20 7946 0958;caller']);
    await importText(cli, 'b@example.com;from the first\n');
    const before = listRows(db);
    const batch = await importText(
      cli,
      'a@example.com;overwritten\nc@example.com;new\n+442079460958\nnope\n',
      '--update-comments',
    );
    expect(listRows(db)).not.toEqual(before);
    const undo = await cli(['undo', String(batch)], { now: t1 });
    expect(undo.exitCode, undo.stderr).toBe(0);
    expect(undo.stderr).toBe(
      `Undid operation ${batch} (exceptions-import): exceptions: removed 1 entry it added, restored 1 comment\n`,
    );
    const undoOperation = Number(undo.stdout);
    expect(undoOperation).toBeGreaterThan(batch);
    expect(listRows(db)).toEqual(before);
    // The same as exceptions undo-import would have done: the batch is marked undone.
    const batches = ok<{ id: number; undoneAt: string | null }[]>(
      await cli(['exceptions', 'batches', '--json']),
    );
    expect(batches.find((b) => b.id === batch)?.undoneAt).toBe(t1);
  });

  it('an add: its entries go, the rest of the list stays as it was', async () => {
    const { db, cli } = await newStore({ now: t0 });
    await cli(['exceptions', 'add', 'keep@example.com;kept']);
    const before = listRows(db);
    const added = ok<{ operationId: number }>(
      await cli(
        ['exceptions', 'add', 'x@example.com;one', '020 7946 0000', '--country', 'GB', '--json'],
        { now: t1, as: undefined },
      ),
    );
    const undo = await cli(['undo', String(added.operationId), '--json'], { now: t2 });
    expect(undo.exitCode, undo.stderr).toBe(0);
    expect(undo.json<UndoJson>()).toEqual({
      operationId: expect.any(Number),
      undone: added.operationId,
      kind: 'exceptions-add',
      dryRun: false,
      changes: {
        exceptions: {
          removed: 2,
          restored: 0,
          notRestored: 0,
          commentsRestored: 0,
          commentsKept: 0,
        },
      },
      notes: [],
      forced: [],
    });
    expect(listRows(db)).toEqual(before);
  });

  it('a remove of values, of a --file, by filter and after a confirmation: every row back as it was', async () => {
    const { db, cli } = await newStore({ now: t0 });
    const batch = await importText(
      cli,
      '+44 20 7946 0958;printing supplier\noffers@spam.example;newsletter\nsales@spam.example\n',
    );
    await cli(['exceptions', 'add', 'x@example.com;by hand', 'y@example.com'], { as: undefined });
    // A comment an import changed: its record must survive the remove and the undo.
    await importText(cli, 'x@example.com;changed by an import\n', '--update-comments');
    const before = listRows(db);
    const file = writeInput(
      tempDir(),
      'mistakes.txt',
      'offers@spam.example\nnot-listed@example.com\n',
    );
    const removes: [string, string[]][] = [
      ['values', ['exceptions', 'remove', '020 7946 0958', 'x@example.com', '--country', 'GB']],
      ['file', ['exceptions', 'remove', '--file', file]],
      ['filter', ['exceptions', 'remove', '--batch', String(batch), '--yes']],
    ];
    for (const [what, argv] of removes) {
      const removed = await cli([...argv, '--json'], { now: t1 });
      expect([0, 3], `${what}: ${removed.stderr}`).toContain(removed.exitCode);
      const { operationId } = removed.json<{ operationId: number }>();
      expect(listRows(db), what).not.toEqual(before);
      const undo = await cli(['undo', String(operationId)], { now: t2 });
      expect(undo.exitCode, `${what}: ${undo.stderr}`).toBe(0);
      expect(undo.stderr, what).toMatch(/exceptions: put back \d+ (entry|entries) it removed\n$/);
      expect(listRows(db), what).toEqual(before);
    }
    // The comment change came back with its entry: undoing that import still restores the
    // comment from before it.
    const reimport = ok<{ id: number; kind: string }[]>(
      await cli(['operation', 'list', '--kind', 'exceptions-import', '--json']),
    );
    const later = reimport.at(-1)?.id as number;
    expect((await cli(['exceptions', 'undo-import', String(later)])).exitCode).toBe(0);
    expect(
      withDb(db, (d) =>
        d.prepare("SELECT comment FROM exceptions WHERE value = 'x@example.com'").pluck().get(),
      ),
    ).toBe('by hand');
  });

  it('a remove confirmed on a terminal (by ids) comes back too', async () => {
    const { db, cli } = await newStore({ now: t0 });
    await cli([
      'exceptions',
      'add',
      'a@example.com;supplier',
      'b@example.com;supplier',
      'c@example.com',
    ]);
    const before = listRows(db);
    const prompter: Prompter = {
      confirm: async () => true,
      input: async () => {
        throw new Error('not asked');
      },
      select: async () => {
        throw new Error('not asked');
      },
    };
    const removed = await cli(['exceptions', 'remove', '--comment', 'supplier', '--json'], {
      tty: true,
      prompter,
    });
    expect(removed.exitCode, removed.stderr).toBe(0);
    const { operationId } = removed.json<{ operationId: number }>();
    expect((await cli(['undo', String(operationId)])).exitCode).toBe(0);
    expect(listRows(db)).toEqual(before);
  });
});

describe('crmctl undo refuses', () => {
  it('twice: exit 5, saying when it was undone, changing nothing', async () => {
    const { db, cli } = await newStore({ now: t0 });
    const added = ok<{ operationId: number }>(
      await cli(['exceptions', 'add', 'a@example.com', '--json']),
    );
    expect((await cli(['undo', String(added.operationId)], { now: t1 })).exitCode).toBe(0);
    const before = snapshot(db);
    const again = await cli(['undo', String(added.operationId)], { now: t2 });
    expect(again).toMatchObject({
      exitCode: 5,
      stdout: '',
      stderr: `error: operation ${added.operationId} (exceptions-add) was already undone at ${t1}\n`,
    });
    expect(snapshot(db)).toEqual(before);
  });

  it('an operation a later remove depends on (exit 5, naming it); --force goes ahead', async () => {
    const { db, cli } = await newStore({ now: t0 });
    const added = ok<{ operationId: number }>(
      await cli(['exceptions', 'add', 'a@example.com', 'b@example.com', '--json']),
    );
    const removed = ok<{ operationId: number }>(
      await cli(['exceptions', 'remove', 'a@example.com', '--json']),
    );
    const before = snapshot(db);
    const refused = await cli(['undo', String(added.operationId)]);
    expect(refused).toMatchObject({
      exitCode: 5,
      stdout: '',
      stderr:
        `error: operation ${added.operationId} (exceptions-add) cannot be undone: a later operation depends on it: ` +
        `operation ${removed.operationId} (exceptions-remove) removed 1 entry it added or re-commented (a@example.com): ` +
        'undo it first, or add --force to undo it anyway\n',
    });
    expect(snapshot(db)).toEqual(before);
    const forced = await cli(['undo', String(added.operationId), '--force', '--json']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.json<UndoJson>()).toMatchObject({
      changes: { exceptions: { removed: 1 } },
      forced: [{ operationId: removed.operationId, kind: 'exceptions-remove' }],
    });
    expect(forced.stderr).toContain(
      `went past operation ${removed.operationId} (exceptions-remove) removed 1 entry`,
    );
    expect(withDb(db, (d) => d.prepare('SELECT count(*) FROM exceptions').pluck().get())).toBe(0);
    // The remove took an entry of an operation now undone: undoing it brings nothing back.
    const undoRemove = await cli(['undo', String(removed.operationId), '--json']);
    expect(undoRemove.json<UndoJson>().changes.exceptions).toMatchObject({ restored: 0 });
    expect(withDb(db, (d) => d.prepare('SELECT count(*) FROM exceptions').pluck().get())).toBe(0);
  });

  it('a remove whose value was listed again since (exit 5 naming the add); --force leaves the later entry', async () => {
    const { db, cli } = await newStore({ now: t0 });
    const first = ok<{ operationId: number }>(
      await cli(['exceptions', 'add', 'a@example.com;first', 'b@example.com', '--json']),
    );
    const removed = ok<{ operationId: number }>(
      await cli(['exceptions', 'remove', 'a@example.com', 'b@example.com', '--json']),
    );
    const again = ok<{ operationId: number }>(
      await cli(['exceptions', 'add', 'A@example.com;second', '--json']),
    );
    const before = snapshot(db);
    const refused = await cli(['undo', String(removed.operationId)]);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toContain(
      `operation ${again.operationId} (exceptions-add) listed again a value it removed (A@example.com)`,
    );
    expect(snapshot(db)).toEqual(before);
    const forced = await cli(['undo', String(removed.operationId), '--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.stderr).toContain(
      '1 entry it removed stay off the list: their values are listed again since',
    );
    const rows = withDb(db, (d) =>
      d.prepare('SELECT value, comment, operation_id FROM exceptions ORDER BY id').all(),
    );
    expect(rows).toEqual([
      { value: 'b@example.com', comment: '', operation_id: first.operationId },
      { value: 'A@example.com', comment: 'second', operation_id: again.operationId },
    ]);
  });

  it('an import a later import re-commented (exit 5 naming it)', async () => {
    const { cli } = await newStore({ now: t0 });
    const first = await importText(cli, 'n@example.com;one\n');
    const second = await importText(cli, 'n@example.com;two\n', '--update-comments');
    const refused = await cli(['undo', String(first)]);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toContain(
      `operation ${second} (exceptions-import) changed the comments of 1 entry it added (n@example.com)`,
    );
  });

  it('an operation undo cannot take back (an item move), an undo, an unknown id', async () => {
    const { cli } = await newStore({ now: t0 });
    const item = ok<{ id: number }>(await cli(['item', 'add', '--title', 'Sofa', '--json']));
    await cli(['item', 'move', String(item.id), '--stage', 'Won']);
    const moves = ok<{ id: number }[]>(
      await cli(['operation', 'list', '--kind', 'item-move', '--json']),
    );
    const move = moves[0]?.id as number;
    const refused = await cli(['undo', String(move)]);
    expect(refused).toMatchObject({
      exitCode: 5,
      stderr: `error: operation ${move} (item-move) cannot be undone: undo does not take back item stage-changed yet\n`,
    });
    const added = ok<{ operationId: number }>(
      await cli(['exceptions', 'add', 'a@example.com', '--json']),
    );
    const undo = Number((await cli(['undo', String(added.operationId)])).stdout);
    const undoUndo = await cli(['undo', String(undo)]);
    expect(undoUndo.exitCode).toBe(5);
    expect(undoUndo.stderr).toBe(
      `error: operation ${undo} (undo) is an undo: it cannot be undone; run what it undid again\n`,
    );
    const batch = Number(
      (await cli(['exceptions', 'import', '-'], { stdin: 'z@example.com\n' })).stdout,
    );
    const legacy = Number(
      (await cli(['exceptions', 'undo-import', String(batch), '--json'])).json<{
        batchId: number;
      }>().batchId,
    );
    expect(legacy).toBe(batch);
    const undoImports = ok<{ id: number }[]>(
      await cli(['operation', 'list', '--kind', 'exceptions-undo-import', '--json']),
    );
    const legacyUndo = undoImports[0]?.id as number;
    expect((await cli(['undo', String(legacyUndo)])).stderr).toContain('is an undo');
    expect((await cli(['undo', '999'])).exitCode).toBe(4);
    expect((await cli(['undo', 'last'])).exitCode).toBe(2);
  });

  it('without exceptions.edit: exit 6, nothing changed', async () => {
    const { db, cli } = await newStore({ now: t0 });
    await cli(['role', 'add', 'desk', '--permissions', 'items.view,exceptions.view']);
    await cli(['user', 'add', 'dora', '--role', 'desk']);
    const added = ok<{ operationId: number }>(
      await cli(['exceptions', 'add', 'a@example.com', '--json']),
    );
    const before = snapshot(db);
    const refused = await cli(['undo', String(added.operationId)], { as: 'dora' });
    expect(refused.exitCode).toBe(6);
    expect(refused.stderr).toContain('exceptions.edit');
    expect(snapshot(db)).toEqual(before);
  });
});

describe('crmctl undo --dry-run', () => {
  it('reports the real counts and changes nothing, naming no operation', async () => {
    const { db, cli } = await newStore({ now: t0 });
    await cli(['exceptions', 'add', 'a@example.com;original']);
    const batch = await importText(
      cli,
      'a@example.com;new\nb@example.com\nc@example.com\n',
      '--update-comments',
    );
    const before = snapshot(db);
    const dry = await cli(['undo', String(batch), '--dry-run', '--json']);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.json<UndoJson>()).toMatchObject({
      operationId: null,
      undone: batch,
      dryRun: true,
      changes: { exceptions: { removed: 2, commentsRestored: 1 } },
    });
    expect(snapshot(db)).toEqual(before);
    const plain = await cli(['undo', String(batch), '--dry-run']);
    expect(plain).toMatchObject({
      exitCode: 0,
      stdout: '',
      stderr: `Would undo operation ${batch} (exceptions-import): exceptions: removed 2 entries it added, restored 1 comment\n`,
    });
    expect(snapshot(db)).toEqual(before);
  });
});

describe('the undo is an operation of its own', () => {
  it('with its kind, summary and history', async () => {
    const { cli } = await newStore({ now: t0 });
    const added = ok<{ operationId: number }>(
      await cli(['exceptions', 'add', 'a@example.com', '--json']),
    );
    const undo = Number((await cli(['undo', String(added.operationId)], { now: t1 })).stdout);
    const shown = ok<{
      kind: string;
      summary: unknown;
      command: string;
      history: { action: string; entity: unknown; changes: Record<string, unknown> }[];
    }>(await cli(['operation', 'show', String(undo), '--json']));
    expect(shown).toMatchObject({
      kind: 'undo',
      command: `crmctl undo ${added.operationId}`,
      summary: { undone: added.operationId, exceptions: { removed: 1 } },
    });
    expect(shown.history.map((h) => [h.action, h.entity])).toEqual([
      ['undone', { type: 'exceptions', id: added.operationId }],
      ['undone', { type: 'operation', id: added.operationId }],
    ]);
    expect(shown.history[0]?.changes).toMatchObject({ removed: 1, values: ['a@example.com'] });
  });
});
