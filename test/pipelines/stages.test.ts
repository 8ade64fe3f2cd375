import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

const now = '2026-03-01T09:00:00.000Z';

interface StageJson {
  id: number;
  name: string;
  position: number;
  semantic: string;
  items: number;
}

type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

/** A deal pipeline "Shop": New, Measure, Won, Lost, Spam. */
async function shop() {
  const store = await newStore({ now });
  const added = await store.cli([
    'pipeline',
    'add',
    'Shop',
    '--stages',
    'New,Measure,Won:success,Lost:failure,Spam:failure',
  ]);
  expect(added.exitCode, added.stderr).toBe(0);
  return store;
}

async function stages(cli: Cli, pipeline = 'Shop'): Promise<string[]> {
  const result = await cli(['stage', 'list', '--pipeline', pipeline, '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return result
    .json<StageJson[]>()
    .map((s) => `${s.name}${s.semantic === 'process' ? '' : `:${s.semantic}`}`);
}

describe('stage list', () => {
  it('lists the stages of the default deal pipeline with positions and item counts', async () => {
    const { cli } = await newStore({ now });
    await cli(['item', 'add', '--title', 'x', '--stage', 'In progress']);
    const list = await cli(['stage', 'list']);
    expect(list.stdout).toBe(
      [
        '6\t0\tNew\tprocess\t0',
        '7\t1\tPreparing documents\tprocess\t0',
        '8\t2\tPrepayment invoice\tprocess\t0',
        '9\t3\tIn progress\tprocess\t1',
        '10\t4\tFinal invoice\tprocess\t0',
        '11\t5\tWon\tsuccess\t0',
        '12\t6\tLost\tfailure\t0',
        '',
      ].join('\n'),
    );
    const lead = await cli(['stage', 'list', '--type', 'lead', '--fields', 'name']);
    expect(lead.stdout).toBe('New\nIn progress\nProcessed\nGood lead\nJunk lead\n');
  });
});

describe('stage add', () => {
  it('adds a process stage before the finals by default, or after a named stage', async () => {
    const { cli } = await shop();
    const added = await cli(['stage', 'add', 'Delivery', '--pipeline', 'shop']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.stderr).toBe('Added stage "Delivery"\n');
    expect(added.stdout).toMatch(/^\d+\n$/);
    expect(await stages(cli)).toEqual([
      'New',
      'Measure',
      'Delivery',
      'Won:success',
      'Lost:failure',
      'Spam:failure',
    ]);

    expect(
      (await cli(['stage', 'add', 'Call back', '--pipeline', 'Shop', '--after', 'new'])).exitCode,
    ).toBe(0);
    expect(await stages(cli)).toEqual([
      'New',
      'Call back',
      'Measure',
      'Delivery',
      'Won:success',
      'Lost:failure',
      'Spam:failure',
    ]);
    const positions = (await cli(['stage', 'list', '--pipeline', 'Shop', '--json']))
      .json<StageJson[]>()
      .map((s) => s.position);
    expect(positions).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('adds a failure stage last', async () => {
    const { cli } = await shop();
    const added = await cli([
      'stage',
      'add',
      'Duplicate',
      '--pipeline',
      'Shop',
      '--semantic',
      'failure',
    ]);
    expect(added.exitCode).toBe(0);
    expect(await stages(cli)).toEqual([
      'New',
      'Measure',
      'Won:success',
      'Lost:failure',
      'Spam:failure',
      'Duplicate:failure',
    ]);
  });

  it('refuses a second success stage, a process stage among finals, and a duplicate name (5)', async () => {
    const { cli } = await shop();
    const before = await stages(cli);
    const success = await cli([
      'stage',
      'add',
      'Paid',
      '--pipeline',
      'Shop',
      '--semantic',
      'success',
    ]);
    expect(success.exitCode).toBe(5);
    expect(success.stderr).toBe('error: pipeline "Shop" already has its one success stage "Won"\n');

    const afterFinal = await cli(['stage', 'add', 'Late', '--pipeline', 'Shop', '--after', 'Won']);
    expect(afterFinal.exitCode).toBe(5);
    expect(afterFinal.stderr).toBe(
      'error: stage "Late" (process) cannot come after "Won" (success): final stages come last, success before failures\n',
    );

    const failureBeforeSuccess = await cli([
      'stage',
      'add',
      'Gone',
      '--pipeline',
      'Shop',
      '--semantic',
      'failure',
      '--after',
      'Measure',
    ]);
    expect(failureBeforeSuccess.exitCode).toBe(5);
    expect(failureBeforeSuccess.stderr).toBe(
      'error: stage "Won" (success) cannot come after "Gone" (failure): final stages come last, success before failures\n',
    );

    const duplicate = await cli(['stage', 'add', 'MEASURE', '--pipeline', 'Shop']);
    expect(duplicate.exitCode).toBe(5);
    expect(duplicate.stderr).toBe('error: pipeline "Shop" already has a stage "MEASURE"\n');

    expect(await stages(cli)).toEqual(before);
    expect(
      (await cli(['stage', 'add', 'X', '--pipeline', 'Shop', '--after', 'Nope'])).exitCode,
    ).toBe(4);
    expect(
      (await cli(['stage', 'add', 'X', '--pipeline', 'Shop', '--semantic', 'maybe'])).exitCode,
    ).toBe(2);
    expect(await stages(cli)).toEqual(before);
  });
});

describe('stage rename / move', () => {
  it('renames by name in any case, refusing a name another stage has', async () => {
    const { cli } = await shop();
    const renamed = await cli(['stage', 'rename', 'measure', 'Measure room', '--pipeline', 'Shop']);
    expect(renamed.exitCode).toBe(0);
    expect(renamed.stderr).toBe('Renamed to "Measure room"\n');
    expect(await stages(cli)).toEqual([
      'New',
      'Measure room',
      'Won:success',
      'Lost:failure',
      'Spam:failure',
    ]);
    const clash = await cli(['stage', 'rename', 'Measure room', 'won', '--pipeline', 'Shop']);
    expect(clash.exitCode).toBe(5);
    expect(clash.stderr).toBe('error: pipeline "Shop" already has a stage "won"\n');
    expect((await cli(['stage', 'rename', 'Nope', 'X', '--pipeline', 'Shop'])).exitCode).toBe(4);
    // Renaming to the same name changes nothing and records nothing; a change of case is a rename.
    const renames = async () =>
      (await cli(['history', '--json']))
        .json<{ action: string }[]>()
        .filter((h) => h.action === 'renamed');
    expect(await renames()).toHaveLength(1);
    expect(
      (await cli(['stage', 'rename', 'Measure room', 'Measure room', '--pipeline', 'Shop']))
        .exitCode,
    ).toBe(0);
    expect(await renames()).toHaveLength(1);
    expect(
      (await cli(['stage', 'rename', 'measure ROOM', 'Measure Room', '--pipeline', 'Shop']))
        .exitCode,
    ).toBe(0);
    expect(await renames()).toHaveLength(2);
    expect(await stages(cli)).toContain('Measure Room');
  });

  it('moves a process stage and prints the new order', async () => {
    const { cli } = await shop();
    await cli(['stage', 'add', 'Delivery', '--pipeline', 'Shop']);
    const moved = await cli([
      'stage',
      'move',
      'delivery',
      '--first',
      '--pipeline',
      'Shop',
      '--fields',
      'name,position',
    ]);
    expect(moved.exitCode, moved.stderr).toBe(0);
    expect(moved.stdout).toBe('Delivery\t0\nNew\t1\nMeasure\t2\nWon\t3\nLost\t4\nSpam\t5\n');
    const after = await cli([
      'stage',
      'move',
      'Delivery',
      '--after',
      'Measure',
      '--pipeline',
      'Shop',
    ]);
    expect(after.exitCode).toBe(0);
    expect(await stages(cli)).toEqual([
      'New',
      'Measure',
      'Delivery',
      'Won:success',
      'Lost:failure',
      'Spam:failure',
    ]);
    // Failure stages may be reordered among themselves.
    expect(
      (await cli(['stage', 'move', 'Lost', '--after', 'Spam', '--pipeline', 'Shop'])).exitCode,
    ).toBe(0);
    expect(await stages(cli)).toEqual([
      'New',
      'Measure',
      'Delivery',
      'Won:success',
      'Spam:failure',
      'Lost:failure',
    ]);
  });

  it('keeps finals last when moving (5) and needs a place (2)', async () => {
    const { cli } = await shop();
    const before = await stages(cli);
    const first = await cli(['stage', 'move', 'Won', '--first', '--pipeline', 'Shop']);
    expect(first.exitCode).toBe(5);
    expect(first.stderr).toBe(
      'error: stage "New" (process) cannot come after "Won" (success): final stages come last, success before failures\n',
    );
    const intoFinals = await cli(['stage', 'move', 'New', '--after', 'Lost', '--pipeline', 'Shop']);
    expect(intoFinals.exitCode).toBe(5);
    const failureFirst = await cli([
      'stage',
      'move',
      'Spam',
      '--after',
      'Measure',
      '--pipeline',
      'Shop',
    ]);
    expect(failureFirst.exitCode).toBe(5);
    const nowhere = await cli(['stage', 'move', 'New', '--pipeline', 'Shop']);
    expect(nowhere.exitCode).toBe(2);
    expect(nowhere.stderr).toBe('error: say where: --after STAGE or --first\n');
    expect(await stages(cli)).toEqual(before);
  });
});

describe('stage remove', () => {
  it('removes an empty stage and renumbers the rest', async () => {
    const { cli } = await shop();
    const removed = await cli(['stage', 'remove', 'measure', '--pipeline', 'Shop', '--json']);
    expect(removed.exitCode).toBe(0);
    expect(removed.json()).toMatchObject({ name: 'Measure', semantic: 'process', items: 0 });
    const list = (await cli(['stage', 'list', '--pipeline', 'Shop', '--json'])).json<StageJson[]>();
    expect(list.map((s) => [s.name, s.position])).toEqual([
      ['New', 0],
      ['Won', 1],
      ['Lost', 2],
      ['Spam', 3],
    ]);
  });

  it('keeps one success stage and at least one failure stage (5)', async () => {
    const { cli } = await shop();
    const success = await cli(['stage', 'remove', 'Won', '--pipeline', 'Shop']);
    expect(success.exitCode).toBe(5);
    expect(success.stderr).toBe('error: pipeline "Shop" must keep exactly one success stage\n');
    expect((await cli(['stage', 'remove', 'Lost', '--pipeline', 'Shop'])).exitCode).toBe(0);
    const lastFailure = await cli(['stage', 'remove', 'Spam', '--pipeline', 'Shop']);
    expect(lastFailure.exitCode).toBe(5);
    expect(lastFailure.stderr).toBe(
      'error: pipeline "Shop" must keep at least one failure stage\n',
    );
    expect(await stages(cli)).toEqual(['New', 'Measure', 'Won:success', 'Spam:failure']);
  });

  it('a stage holding items needs --move-items-to; the moves are in history', async () => {
    const { cli } = await shop();
    const ids: string[] = [];
    for (const title of ['a', 'b']) {
      const added = await cli([
        'item',
        'add',
        '--pipeline',
        'Shop',
        '--stage',
        'Measure',
        '--title',
        title,
      ]);
      ids.push(added.stdout.trim());
    }
    const refused = await cli(['stage', 'remove', 'Measure', '--pipeline', 'Shop']);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toBe(
      'error: stage "Measure" holds items: name where they go with --move-items-to\n',
    );
    expect(await stages(cli)).toContain('Measure');

    const removed = await cli(
      ['stage', 'remove', 'Measure', '--pipeline', 'Shop', '--move-items-to', 'new'],
      { now: '2026-03-05T00:00:00Z' },
    );
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stderr).toBe('Removed stage "Measure"; moved 2 items\n');
    expect(await stages(cli)).toEqual(['New', 'Won:success', 'Lost:failure', 'Spam:failure']);
    for (const id of ids) {
      const item = (await cli(['item', 'show', id, '--json'])).json<{
        stage: { name: string };
        updatedAt: string;
        timeline: { at: string; command: string; changes: unknown }[];
      }>();
      expect(item.stage.name).toBe('New');
      expect(item.updatedAt).toBe('2026-03-05T00:00:00.000Z');
      expect(item.timeline.at(-1)).toMatchObject({
        at: '2026-03-05T00:00:00.000Z',
        command: 'stage remove',
        changes: { stage: { from: 'Measure', to: 'New' } },
      });
    }
  });

  it('--move-items-to an unknown stage is exit 4 and changes nothing', async () => {
    const { cli } = await shop();
    const id = (
      await cli(['item', 'add', '--pipeline', 'Shop', '--stage', 'Measure', '--title', 'a'])
    ).stdout.trim();
    const result = await cli([
      'stage',
      'remove',
      'Measure',
      '--pipeline',
      'Shop',
      '--move-items-to',
      'Nowhere',
    ]);
    expect(result.exitCode).toBe(4);
    expect(
      (await cli(['item', 'show', id, '--json'])).json<{ stage: { name: string } }>().stage.name,
    ).toBe('Measure');
  });
});

describe('stage names', () => {
  it('are matched case-insensitively by every command that takes one', async () => {
    const { cli } = await shop();
    const id = (
      await cli(['item', 'add', '--pipeline', 'shop', '--stage', 'mEaSuRe', '--title', 'x'])
    ).stdout.trim();
    expect(
      (await cli(['item', 'list', '--pipeline', 'SHOP', '--stage', 'measure', '--fields', 'id']))
        .stdout,
    ).toBe(`${id}\n`);
    expect((await cli(['item', 'move', id, '--stage', 'WON'])).exitCode).toBe(0);
    expect(
      (await cli(['item', 'show', id, '--json'])).json<{ stage: { name: string } }>().stage.name,
    ).toBe('Won');
  });

  it('are also addressed by id', async () => {
    const { cli } = await shop();
    const list = (await cli(['stage', 'list', '--pipeline', 'Shop', '--json'])).json<StageJson[]>();
    const measure = list.find((s) => s.name === 'Measure');
    const renamed = await cli([
      'stage',
      'rename',
      String(measure?.id),
      'Survey',
      '--pipeline',
      'Shop',
    ]);
    expect(renamed.exitCode).toBe(0);
    expect(await stages(cli)).toContain('Survey');
  });
});
