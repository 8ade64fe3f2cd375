import { describe, expect, it } from 'vitest';
import { newStore, tempDir } from '../helpers.js';
import { type Cli, listed, ok, type SummaryJson, writeInput } from './support.js';

// Issue 7 §1.6, DESIGN §7a: undo puts back the comments an import overwrote, unless a later
// import changed them since; an import whose added entries a later one changed is not undone
// silently.

const now = '2026-06-01T09:00:00.000Z';

async function importLines(cli: Cli, text: string, ...flags: string[]): Promise<number> {
  const file = writeInput(tempDir(), 'in.txt', text);
  const summary = ok<SummaryJson>(
    await cli(['exceptions', 'import', file, '--update-comments', '--json', ...flags]),
  );
  return summary.batchId as number;
}

async function commentOf(cli: Cli, value: string): Promise<string | undefined> {
  return (await listed(cli)).find((e) => e.value === value)?.comment;
}

describe('exceptions undo-import of --update-comments batches, in any order', () => {
  it('undoing the earlier batch keeps the later comment and says so; undoing the later then restores the original', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com;original']);
    const first = await importLines(cli, 'a@example.com;from batch one\n');
    const second = await importLines(cli, 'a@example.com;from batch two\n');

    const undoFirst = await cli(['exceptions', 'undo-import', String(first)]);
    expect(undoFirst.exitCode).toBe(0);
    expect(undoFirst.stderr).toBe(
      `Undid import ${first}: removed 0 entries, restored 0 comments\n` +
        `Kept 1 comments a later import changed since: a@example.com (import ${second}); undo that import to put back the older comment\n`,
    );
    expect(await commentOf(cli, 'a@example.com')).toBe('from batch two');

    const undoSecond = await cli(['exceptions', 'undo-import', String(second), '--json']);
    expect(undoSecond.json()).toEqual({
      batchId: second,
      removed: 0,
      commentsRestored: 1,
      commentsKept: 0,
      keptExamples: [],
    });
    // Neither batch is left: the comment from before both.
    expect(await commentOf(cli, 'a@example.com')).toBe('original');
  });

  it('undoing the later batch first, then the earlier, also ends at the original', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com;original']);
    const first = await importLines(cli, 'a@example.com;one\n');
    const second = await importLines(cli, 'a@example.com;two\n');
    expect((await cli(['exceptions', 'undo-import', String(second)])).exitCode).toBe(0);
    expect(await commentOf(cli, 'a@example.com')).toBe('one');
    expect((await cli(['exceptions', 'undo-import', String(first)])).exitCode).toBe(0);
    expect(await commentOf(cli, 'a@example.com')).toBe('original');
  });

  it('three batches, the middle one undone: the last stays, and undoing it restores the first', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com;original']);
    const batches: number[] = [];
    for (const c of ['one', 'two', 'three'])
      batches.push(await importLines(cli, `a@example.com;${c}\n`));
    const [one, two, three] = batches as [number, number, number];
    await cli(['exceptions', 'undo-import', String(two)]);
    expect(await commentOf(cli, 'a@example.com')).toBe('three');
    await cli(['exceptions', 'undo-import', String(three)]);
    expect(await commentOf(cli, 'a@example.com')).toBe('one');
    await cli(['exceptions', 'undo-import', String(one)]);
    expect(await commentOf(cli, 'a@example.com')).toBe('original');
  });

  it('refuses (exit 5, naming the later import) to undo a batch whose added entry a later batch changed; --force removes it', async () => {
    const { cli } = await newStore({ now });
    const first = await importLines(cli, 'new@example.com;added by one\nother@example.com\n');
    const second = await importLines(cli, 'new@example.com;changed by two\n');
    const refused = await cli(['exceptions', 'undo-import', String(first)]);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toBe(
      `error: later import ${second} changed the comments of 1 entry import ${first} added (new@example.com): undo it first, or add --force to remove those entries anyway\n`,
    );
    expect((await listed(cli)).map((e) => e.value)).toEqual([
      'new@example.com',
      'other@example.com',
    ]);
    const forced = await cli(['exceptions', 'undo-import', String(first), '--force']);
    expect(forced).toMatchObject({ exitCode: 0, stdout: '2\n' });
    expect(await listed(cli)).toEqual([]);
    // The later batch has nothing left to put back.
    const undoSecond = await cli(['exceptions', 'undo-import', String(second), '--json']);
    expect(undoSecond.json()).toMatchObject({ removed: 0, commentsRestored: 0, commentsKept: 0 });
  });
});
