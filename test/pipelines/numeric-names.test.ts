import { describe, expect, it } from 'vitest';
import { withDb } from '../e2e/support.js';
import { newStore } from '../helpers.js';

// Issue 7 §1.10: a reference of digits only is an id. A pipeline or stage called "7" made
// `pipeline remove 7` remove pipeline #7, not the one named "7": such names are refused, and
// the ones an older store holds are addressed by their id.

const now = '2026-03-01T09:00:00.000Z';

type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

async function pipelineNames(cli: Cli): Promise<string[]> {
  const result = await cli(['pipeline', 'list', '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.json<{ name: string }[]>().map((p) => p.name);
}

/** The stage names of a pipeline; without one, of the default deal pipeline. */
async function stageNames(cli: Cli, pipeline?: string): Promise<string[]> {
  const where = pipeline === undefined ? [] : ['--pipeline', pipeline];
  const result = await cli(['stage', 'list', ...where, '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.json<{ name: string }[]>().map((s) => s.name);
}

describe('names of digits only', () => {
  it('are refused for pipelines and stages, on add, rename and --stages (exit 2)', async () => {
    const { cli } = await newStore({ now });
    expect((await cli(['pipeline', 'add', 'Shop'])).exitCode).toBe(0);
    const before = { pipelines: await pipelineNames(cli), stages: await stageNames(cli, 'Shop') };
    const attempts = [
      ['pipeline', 'add', '7'],
      ['pipeline', 'add', ' 2026 '],
      ['pipeline', 'add', 'Years', '--stages', 'New,2025,Won:success,Lost:failure'],
      ['pipeline', 'add', 'Years', '--stages', 'New,Won:success,404:failure'],
      ['pipeline', 'rename', 'Shop', '12'],
      ['stage', 'add', '3', '--pipeline', 'Shop'],
      ['stage', 'rename', 'New', '0042', '--pipeline', 'Shop'],
    ];
    for (const argv of attempts) {
      const result = await cli(argv);
      expect(result.exitCode, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toMatch(
        /^error: a (pipeline|stage) name cannot be only digits \(".*"\): numbers address (pipeline|stage)s by id\n$/,
      );
    }
    expect(await pipelineNames(cli)).toEqual(before.pipelines);
    expect(await stageNames(cli, 'Shop')).toEqual(before.stages);
    // Digits within a name are fine.
    expect((await cli(['pipeline', 'add', '2026 season'])).exitCode).toBe(0);
    expect((await cli(['stage', 'add', 'Q3', '--pipeline', '2026 season'])).exitCode).toBe(0);
  });

  it('in an older store, the pipeline named "7" is never taken for pipeline #7', async () => {
    const { cli, db } = await newStore({ now });
    // Default lead (#1) … invoice (#4); then Shop (#5), Wholesale (#6), Retail (#7).
    for (const name of ['Shop', 'Wholesale', 'Retail']) {
      expect((await cli(['pipeline', 'add', name])).exitCode).toBe(0);
    }
    withDb(db, (sqlite) => sqlite.prepare("UPDATE pipelines SET name = '7' WHERE id = 5").run());

    // "7" is the id of Retail: it is the one removed, and the message names it.
    const removed = await cli(['pipeline', 'remove', '7', '--json']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.json<{ id: number; name: string }>()).toMatchObject({ id: 7, name: 'Retail' });
    expect(await pipelineNames(cli)).toContain('7');

    // Now no pipeline has id 7: the one named "7" is pointed at, not picked.
    const again = await cli(['pipeline', 'remove', '7']);
    expect(again.exitCode).toBe(4);
    expect(again.stderr).toBe(
      'error: no pipeline with id 7; pipeline #5 is named "7": give its id, or rename it\n',
    );
    expect(await pipelineNames(cli)).toContain('7');
    // Its id reaches it, and a rename makes it addressable by name again.
    expect((await cli(['pipeline', 'rename', '5', 'Seven'])).exitCode).toBe(0);
    expect((await cli(['pipeline', 'show', 'Seven', '--json'])).exitCode).toBe(0);
  });

  it('in an older store, a stage named "2026" is reached by its id', async () => {
    const { cli, db } = await newStore({ now });
    expect(
      (await cli(['pipeline', 'add', 'Years', '--stages', 'Y2025,Y2026,Won:success,Lost:failure']))
        .exitCode,
    ).toBe(0);
    const stages = (await cli(['stage', 'list', '--pipeline', 'Years', '--json'])).json<
      { id: number; name: string }[]
    >();
    const y2026 = stages.find((s) => s.name === 'Y2026');
    withDb(db, (sqlite) =>
      sqlite.prepare("UPDATE stages SET name = '2026' WHERE id = ?").run(y2026?.id),
    );
    const byName = await cli([
      'item',
      'add',
      '--pipeline',
      'Years',
      '--stage',
      '2026',
      '--title',
      'y',
    ]);
    expect(byName.exitCode).toBe(4);
    expect(byName.stderr).toContain(
      `stage #${y2026?.id} is named "2026": give its id, or rename it`,
    );
    const byId = await cli([
      'item',
      'add',
      '--pipeline',
      'Years',
      '--stage',
      String(y2026?.id),
      '--title',
      'y',
      '--json',
    ]);
    expect(byId.exitCode, byId.stderr).toBe(0);
    expect(byId.json<{ stage: { name: string } }>().stage.name).toBe('2026');
  });
});

describe('--move-items-to the very thing being removed', () => {
  it('pipeline remove X --move-items-to X is a usage error that says why; nothing moves', async () => {
    const { cli } = await newStore({ now });
    expect((await cli(['pipeline', 'add', 'Shop'])).exitCode).toBe(0);
    expect((await cli(['item', 'add', '--pipeline', 'Shop', '--title', 'Sofa'])).exitCode).toBe(0);
    for (const target of ['Shop', 'shop', '5']) {
      const result = await cli(['pipeline', 'remove', 'Shop', '--move-items-to', target]);
      expect(result.exitCode, target).toBe(2);
      expect(result.stderr).toBe(
        'error: --move-items-to names the pipeline being removed ("Shop"): name another deal pipeline for its items\n',
      );
    }
    expect(await pipelineNames(cli)).toContain('Shop');
    const items = (await cli(['item', 'list', '--json'])).json<{ pipeline: { name: string } }[]>();
    expect(items.map((i) => i.pipeline.name)).toEqual(['Shop']);
  });

  it('even when the pipeline is empty', async () => {
    const { cli } = await newStore({ now });
    expect((await cli(['pipeline', 'add', 'Shop'])).exitCode).toBe(0);
    expect((await cli(['pipeline', 'remove', 'Shop', '--move-items-to', 'Shop'])).exitCode).toBe(2);
    expect(await pipelineNames(cli)).toContain('Shop');
  });

  it('stage remove S --move-items-to S is a usage error that says why; nothing moves', async () => {
    const { cli } = await newStore({ now });
    expect((await cli(['item', 'add', '--title', 'Sofa', '--stage', 'In progress'])).exitCode).toBe(
      0,
    );
    const result = await cli(['stage', 'remove', 'In progress', '--move-items-to', 'in progress']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'error: --move-items-to names the stage being removed ("In progress"): name another stage of "Default" for its items\n',
    );
    expect(await stageNames(cli)).toContain('In progress');
    // Another stage works as before.
    const moved = await cli(['stage', 'remove', 'In progress', '--move-items-to', 'New']);
    expect(moved.exitCode, moved.stderr).toBe(0);
  });
});
