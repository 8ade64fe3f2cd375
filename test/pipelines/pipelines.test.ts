import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

const now = '2026-03-01T09:00:00.000Z';

interface StageJson {
  id: number;
  pipelineId: number;
  name: string;
  position: number;
  semantic: 'process' | 'success' | 'failure';
  items?: number;
}

interface PipelineJson {
  id: number;
  type: string;
  name: string;
  isDefault: boolean;
  stages: StageJson[];
  createdAt: string;
}

type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

const stagesOf = (pipeline: PipelineJson) =>
  pipeline.stages.map((s) => `${s.name}${s.semantic === 'process' ? '' : `:${s.semantic}`}`);

async function showPipeline(cli: Cli, ref?: string, type?: string): Promise<PipelineJson> {
  const argv = ['pipeline', 'show', ...(ref ? [ref] : []), ...(type ? ['--type', type] : [])];
  const result = await cli([...argv, '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.json<PipelineJson>();
}

async function historyOf(cli: Cli) {
  return (await cli(['history', '--json'])).json<
    { action: string; command: string; entity: { type: string; id: number }; changes: unknown }[]
  >();
}

describe('default pipelines', () => {
  it('every built-in type starts with one default pipeline with the documented stages', async () => {
    const { cli } = await newStore({ now });
    const list = await cli(['pipeline', 'list', '--json']);
    expect(list.exitCode).toBe(0);
    const pipelines = list.json<PipelineJson[]>();
    expect(
      Object.fromEntries(pipelines.map((p) => [p.type, [p.name, p.isDefault, stagesOf(p)]])),
    ).toEqual({
      deal: [
        'Default',
        true,
        [
          'New',
          'Preparing documents',
          'Prepayment invoice',
          'In progress',
          'Final invoice',
          'Won:success',
          'Lost:failure',
        ],
      ],
      lead: [
        'Default',
        true,
        ['New', 'In progress', 'Processed', 'Good lead:success', 'Junk lead:failure'],
      ],
      quote: ['Default', true, ['Draft', 'Sent to client', 'Approved:success', 'Declined:failure']],
      invoice: ['Default', true, ['New', 'Sent', 'Paid:success', 'Cancelled:failure']],
    });
    for (const p of pipelines) {
      expect(p.createdAt).toBe(now);
      expect(p.stages.map((s) => s.position)).toEqual(p.stages.map((_, i) => i));
    }
  });

  it('type list shows which types may have many pipelines', async () => {
    const { cli } = await newStore({ now });
    const types = await cli(['type', 'list']);
    expect(types.stdout).toBe(
      [
        'deal\tDeal\ttrue\ttrue\t1',
        'invoice\tInvoice\ttrue\tfalse\t1',
        'lead\tLead\ttrue\tfalse\t1',
        'quote\tQuote\ttrue\tfalse\t1',
        '',
      ].join('\n'),
    );
  });
});

describe('pipeline add', () => {
  it('leads, quotes and invoices have exactly one pipeline (exit 5)', async () => {
    const { cli } = await newStore({ now });
    for (const type of ['lead', 'quote', 'invoice']) {
      const result = await cli(['pipeline', 'add', 'Second', '--type', type]);
      expect(result.exitCode, type).toBe(5);
      expect(result.stderr).toBe(
        `error: a ${type} has exactly one pipeline; add stages to it instead\n`,
      );
      const list = await cli(['pipeline', 'list', '--type', type, '--json']);
      expect(list.json<unknown[]>()).toHaveLength(1);
    }
  });

  it('deals may have many; without --stages the type’s default stages are used', async () => {
    const { cli } = await newStore({ now });
    const added = await cli(['pipeline', 'add', 'Wholesale']);
    expect(added).toMatchObject({
      exitCode: 0,
      stdout: '5\n',
      stderr:
        'Added deal pipeline "Wholesale" with stages New → Preparing documents → Prepayment invoice → In progress → Final invoice → Won → Lost\n',
    });
    const second = await cli(['pipeline', 'add', 'Retail', '--type', 'deal', '--json']);
    expect(second.json<PipelineJson>()).toMatchObject({
      id: 6,
      type: 'deal',
      name: 'Retail',
      isDefault: false,
    });
    const list = await cli(['pipeline', 'list', '--type', 'deal', '--fields', 'id,name,isDefault']);
    expect(list.stdout).toBe('2\tDefault\ttrue\n5\tWholesale\tfalse\n6\tRetail\tfalse\n');
  });

  it('takes --stages with :success and :failure marks', async () => {
    const { cli } = await newStore({ now });
    const added = await cli([
      'pipeline',
      'add',
      'Furniture store',
      '--stages',
      'New, Prepare documents,Prepayment,Delivery,Won:success,Lost:failure,Spam:FAILURE',
      '--json',
    ]);
    expect(added.exitCode).toBe(0);
    expect(stagesOf(added.json<PipelineJson>())).toEqual([
      'New',
      'Prepare documents',
      'Prepayment',
      'Delivery',
      'Won:success',
      'Lost:failure',
      'Spam:failure',
    ]);
  });

  it('adds the type’s default final stages that --stages leaves out', async () => {
    const { cli } = await newStore({ now });
    const none = await cli(['pipeline', 'add', 'A', '--stages', 'One,Two', '--json']);
    expect(stagesOf(none.json<PipelineJson>())).toEqual([
      'One',
      'Two',
      'Won:success',
      'Lost:failure',
    ]);
    const onlySuccess = await cli([
      'pipeline',
      'add',
      'B',
      '--stages',
      'One,Done:success',
      '--json',
    ]);
    expect(stagesOf(onlySuccess.json<PipelineJson>())).toEqual([
      'One',
      'Done:success',
      'Lost:failure',
    ]);
  });

  it('refuses two success stages (5), a stage listed twice (2), duplicate names (5)', async () => {
    const { cli } = await newStore({ now });
    const twoSuccess = await cli(['pipeline', 'add', 'X', '--stages', 'A,W:success,V:success']);
    expect(twoSuccess.exitCode).toBe(5);
    expect(twoSuccess.stderr).toBe('error: pipeline "X" must keep exactly one success stage\n');
    const twice = await cli(['pipeline', 'add', 'X', '--stages', 'New,new']);
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toBe('error: stage "new" is listed twice\n');
    await cli(['pipeline', 'add', 'Retail']);
    const taken = await cli(['pipeline', 'add', 'RETAIL']);
    expect(taken.exitCode).toBe(5);
    expect(taken.stderr).toBe('error: deal pipeline "RETAIL" already exists\n');
    const names = (await cli(['pipeline', 'list', '--type', 'deal', '--json'])).json<
      PipelineJson[]
    >();
    expect(names.map((p) => p.name)).toEqual(['Default', 'Retail']);
  });

  it('refuses empty and control-character names with exit 2', async () => {
    const { cli } = await newStore({ now });
    for (const name of ['', '   ', 'a\tb', 'x'.repeat(101)]) {
      const result = await cli(['pipeline', 'add', name]);
      expect(result.exitCode, JSON.stringify(name)).toBe(2);
      expect(result.stderr).toContain('a pipeline name needs 1 to 100 printable characters');
    }
  });
});

describe('pipeline rename / remove', () => {
  it('renames (also just the case) and records it', async () => {
    const { cli } = await newStore({ now });
    await cli(['pipeline', 'add', 'Wholesale']);
    const renamed = await cli(['pipeline', 'rename', 'wholesale', 'Wholesale B2B']);
    expect(renamed).toMatchObject({
      exitCode: 0,
      stdout: '5\n',
      stderr: 'Renamed to "Wholesale B2B"\n',
    });
    expect((await cli(['pipeline', 'rename', '5', 'WHOLESALE b2b'])).exitCode).toBe(0);
    expect((await showPipeline(cli, '5')).name).toBe('WHOLESALE b2b');
    const clash = await cli(['pipeline', 'rename', '5', 'default']);
    expect(clash.exitCode).toBe(5);
    const history = await historyOf(cli);
    expect(history.filter((h) => h.action === 'renamed').map((h) => h.changes)).toEqual([
      { name: { from: 'Wholesale', to: 'Wholesale B2B' } },
      { name: { from: 'Wholesale B2B', to: 'WHOLESALE b2b' } },
    ]);
  });

  it('refuses to remove a default pipeline (5) and removes an empty one', async () => {
    const { cli } = await newStore({ now });
    const isDefault = await cli(['pipeline', 'remove', 'Default', '--type', 'deal']);
    expect(isDefault.exitCode).toBe(5);
    expect(isDefault.stderr).toBe(
      'error: "Default" is the default deal pipeline and cannot be removed\n',
    );
    await cli(['pipeline', 'add', 'Empty']);
    const removed = await cli(['pipeline', 'remove', 'empty']);
    expect(removed).toMatchObject({
      exitCode: 0,
      stdout: '5\n',
      stderr: 'Removed pipeline "Empty"\n',
    });
    expect((await cli(['pipeline', 'show', 'Empty'])).exitCode).toBe(4);
  });

  it('a pipeline holding items needs --move-items-to; items go to the stage of the same name, else kind', async () => {
    const { cli } = await newStore({ now });
    await cli([
      'pipeline',
      'add',
      'Furniture',
      '--stages',
      'New,Measure,Won:success,Lost:failure,Spam:failure',
    ]);
    const add = async (title: string, stage: string) =>
      (
        await cli(['item', 'add', '--pipeline', 'Furniture', '--title', title, '--stage', stage])
      ).stdout.trim();
    const inNew = await add('in new', 'New');
    const inMeasure = await add('in measure', 'Measure');
    const inSpam = await add('in spam', 'Spam');
    const inWon = await add('in won', 'Won');

    const refused = await cli(['pipeline', 'remove', 'Furniture']);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toBe(
      'error: pipeline "Furniture" holds items: move them first with --move-items-to\n',
    );
    expect((await showPipeline(cli, 'Furniture')).name).toBe('Furniture');

    const removed = await cli(
      ['pipeline', 'remove', 'Furniture', '--move-items-to', 'Default', '--json'],
      { now: '2026-03-02T10:00:00Z' },
    );
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.json()).toMatchObject({ name: 'Furniture', movedItems: 4 });

    const stageOf = async (id: string) =>
      (await cli(['item', 'show', id, '--json'])).json<{
        pipeline: { name: string };
        stage: { name: string };
      }>();
    expect((await stageOf(inNew)).stage.name).toBe('New');
    expect((await stageOf(inMeasure)).stage.name).toBe('New'); // first process stage
    expect((await stageOf(inSpam)).stage.name).toBe('Lost'); // first failure stage
    expect((await stageOf(inWon)).stage.name).toBe('Won');
    expect((await stageOf(inWon)).pipeline.name).toBe('Default');

    const moves = (await historyOf(cli)).filter((h) => h.action === 'stage-changed');
    expect(moves.map((m) => [m.entity.id, m.command, m.changes])).toEqual([
      [
        Number(inNew),
        'pipeline remove',
        { stage: { from: 'New', to: 'New' }, pipeline: { from: 'Furniture', to: 'Default' } },
      ],
      [
        Number(inMeasure),
        'pipeline remove',
        { stage: { from: 'Measure', to: 'New' }, pipeline: { from: 'Furniture', to: 'Default' } },
      ],
      [
        Number(inWon),
        'pipeline remove',
        { stage: { from: 'Won', to: 'Won' }, pipeline: { from: 'Furniture', to: 'Default' } },
      ],
      [
        Number(inSpam),
        'pipeline remove',
        { stage: { from: 'Spam', to: 'Lost' }, pipeline: { from: 'Furniture', to: 'Default' } },
      ],
    ]);
    expect((await showPipeline(cli)).stages.map((s) => s.items)).toEqual([2, 0, 0, 0, 0, 1, 1]);
  });
});

describe('pipeline show', () => {
  it('draws the stages as columns with their item counts', async () => {
    const { cli } = await newStore({ now });
    await cli(['item', 'add', '--title', 'a']);
    await cli(['item', 'add', '--title', 'b', '--stage', 'won']);
    await cli(['item', 'add', '--title', 'c', '--stage', 'WON']);
    const shown = await cli(['pipeline', 'show']);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toBe(
      [
        'Default (deal pipeline #2, default)',
        '┌──────────────┬─────────────────────┬────────────────────┬──────────────┬───────────────┬──────────────┬──────────────┐',
        '│ New          │ Preparing documents │ Prepayment invoice │ In progress  │ Final invoice │ Won ✓        │ Lost ✗       │',
        '├──────────────┼─────────────────────┼────────────────────┼──────────────┼───────────────┼──────────────┼──────────────┤',
        '│ 1 item       │ 0 items             │ 0 items            │ 0 items      │ 0 items       │ 2 items      │ 0 items      │',
        '└──────────────┴─────────────────────┴────────────────────┴──────────────┴───────────────┴──────────────┴──────────────┘',
        '',
      ].join('\n'),
    );
  });

  it('wraps the columns into bands that fit a narrow terminal', async () => {
    const { cli } = await newStore({ now });
    const shown = await cli(['pipeline', 'show', '--type', 'quote'], { tty: true, columns: 40 });
    expect(shown.exitCode).toBe(0);
    const lines = shown.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toBe('Default (quote pipeline #3, default)');
    for (const line of lines.slice(1)) {
      expect([...stripVTControlCharacters(line)].length).toBeLessThanOrEqual(40);
    }
    const text = stripVTControlCharacters(shown.stdout);
    for (const title of ['Draft', 'Sent to client', 'Approved ✓', 'Declined ✗']) {
      expect(text).toContain(title);
    }
    expect(text.match(/┌/g)?.length).toBeGreaterThan(1);
  });

  it('--format mermaid draws a flowchart: process stages in a row, finals branching', async () => {
    const { cli } = await newStore({ now });
    await cli(['item', 'add', '--type', 'quote', '--title', 'q "1"']);
    const shown = await cli(['pipeline', 'show', '--type', 'quote', '--format', 'mermaid']);
    expect(shown.stdout).toBe(
      [
        'flowchart LR',
        '  s13["Draft<br/>1 item"]',
        '  s14["Sent to client<br/>0 items"]',
        '  s15["Approved ✓<br/>0 items"]',
        '  s16["Declined ✗<br/>0 items"]',
        '  s13 --> s14',
        '  s14 -.-> s15',
        '  s14 -.-> s16',
        '',
      ].join('\n'),
    );
  });

  it('--json gives the pipeline with each stage’s item count', async () => {
    const { cli } = await newStore({ now });
    await cli(['item', 'add', '--type', 'invoice', '--title', 'i1', '--stage', 'Sent']);
    const pipeline = await showPipeline(cli, undefined, 'invoice');
    // Each stage's automation too (pipeline show draws it): none here.
    const none = { triggers: [], rules: [] };
    expect(pipeline).toEqual({
      id: 4,
      type: 'invoice',
      name: 'Default',
      isDefault: true,
      createdAt: now,
      stages: [
        { id: 17, pipelineId: 4, name: 'New', position: 0, semantic: 'process', items: 0, ...none },
        {
          id: 18,
          pipelineId: 4,
          name: 'Sent',
          position: 1,
          semantic: 'process',
          items: 1,
          ...none,
        },
        {
          id: 19,
          pipelineId: 4,
          name: 'Paid',
          position: 2,
          semantic: 'success',
          items: 0,
          ...none,
        },
        {
          id: 20,
          pipelineId: 4,
          name: 'Cancelled',
          position: 3,
          semantic: 'failure',
          items: 0,
          ...none,
        },
      ],
    });
    expect(
      (await cli(['pipeline', 'show', '--type', 'invoice', '--format', 'json'])).json(),
    ).toEqual(pipeline);
  });

  it('takes the shared output options: -o json/jsonl the structure, csv/tsv one record', async () => {
    const { cli } = await newStore({ now });
    await cli(['item', 'add', '--type', 'invoice', '--title', 'i1', '--stage', 'Sent']);
    const argv = ['pipeline', 'show', '--type', 'invoice'];
    const json = await cli([...argv, '-o', 'json']);
    expect(json.exitCode).toBe(0);
    const pipeline = json.json<{ stages: { name: string; items: number }[] }>();
    expect(pipeline.stages.map((s) => [s.name, s.items])).toEqual([
      ['New', 0],
      ['Sent', 1],
      ['Paid', 0],
      ['Cancelled', 0],
    ]);
    expect((await cli([...argv, '-o', 'jsonl'])).stdout).toBe(`${JSON.stringify(pipeline)}\n`);
    expect((await cli([...argv, '-o', 'csv', '--fields', 'id,name,stages'])).stdout).toBe(
      'id,name,stages\r\n4,Default,"New (0), Sent (1), Paid (0), Cancelled (0)"\r\n',
    );
    expect((await cli([...argv, '--json', '--fields', 'name,isDefault'])).json()).toEqual({
      name: 'Default',
      isDefault: true,
    });
    // -o table is the drawing, as without -o.
    expect((await cli([...argv, '-o', 'table'])).stdout).toBe((await cli(argv)).stdout);
  });

  it('a drawing format with another output format is a usage error naming both', async () => {
    const { cli } = await newStore({ now });
    for (const [argv, message] of [
      [['--format', 'mermaid', '--json'], '--format mermaid and --json'],
      [['--format', 'text', '-o', 'csv'], '--format text and -o csv'],
      [['--format', 'json', '-o', 'tsv'], '--format json and -o tsv'],
      [['--json', '-o', 'csv'], '--json and -o csv'],
    ] as const) {
      const result = await cli(['pipeline', 'show', ...argv]);
      expect(result.exitCode, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain(`${message} ask for different formats`);
    }
    expect((await cli(['pipeline', 'show', '--format', 'json', '--json'])).exitCode).toBe(0);
    expect((await cli(['pipeline', 'show', '--format', 'mermaid', '-o', 'table'])).exitCode).toBe(
      0,
    );
  });

  it('its help says what it draws: stages with their item counts', async () => {
    const { cli } = await newStore({ now });
    const help = await cli(['pipeline', 'show', '--help']);
    expect(help.stdout).not.toContain('with their items');
    expect(help.stdout).toMatch(/how many\s+items it\s+holds/);
    for (const option of ['-o, --output <format>', '--json', '--fields <names>', '--format']) {
      expect(help.stdout).toContain(option);
    }
  });

  it('an unknown pipeline is exit 4 listing the pipelines; an unknown format exit 2', async () => {
    const { cli } = await newStore({ now });
    const missing = await cli(['pipeline', 'show', 'Nope']);
    expect(missing.exitCode).toBe(4);
    expect(missing.stderr).toBe(
      'error: no pipeline "Nope"; pipelines: Default (deal #2), Default (invoice #4), Default (lead #1), Default (quote #3)\n',
    );
    expect((await cli(['pipeline', 'show', '--format', 'svg'])).exitCode).toBe(2);
    expect((await cli(['pipeline', 'show', '--type', 'ship'])).exitCode).toBe(4);
  });

  it('"Default" names four pipelines: ambiguous without --type (exit 2)', async () => {
    const { cli } = await newStore({ now });
    const ambiguous = await cli(['pipeline', 'show', 'default']);
    expect(ambiguous.exitCode).toBe(2);
    expect(ambiguous.stderr).toContain('several pipelines are called "default"');
    expect((await showPipeline(cli, 'default', 'lead')).type).toBe('lead');
  });
});

describe('type add', () => {
  it('adds a smart process with a default pipeline, which may have more', async () => {
    const { cli } = await newStore({ now });
    const added = await cli(['type', 'add', 'delivery', '--title', 'Deliveries']);
    expect(added).toMatchObject({
      exitCode: 0,
      stdout: 'delivery\n',
      stderr: 'Added type delivery\n',
    });
    const pipeline = await showPipeline(cli, undefined, 'delivery');
    expect(pipeline).toMatchObject({ type: 'delivery', name: 'Default', isDefault: true });
    expect(stagesOf(pipeline)).toEqual([
      'New',
      'In progress',
      'Success:success',
      'Failure:failure',
    ]);
    expect((await cli(['pipeline', 'add', 'Express', '--type', 'delivery'])).exitCode).toBe(0);
    const item = await cli(['item', 'add', '--type', 'delivery', '--title', 'Van 1', '--json']);
    expect(item.json()).toMatchObject({
      type: 'delivery',
      pipeline: { name: 'Default' },
      stage: { name: 'New' },
    });
    const types = (await cli(['type', 'list', '--json'])).json<
      { name: string; pipelines: number }[]
    >();
    expect(types.find((t) => t.name === 'delivery')).toMatchObject({
      title: 'Deliveries',
      builtin: false,
      manyPipelines: true,
      pipelines: 2,
    });
  });

  it('refuses a taken name (5) and unusable or reserved names (2)', async () => {
    const { cli } = await newStore({ now });
    expect((await cli(['type', 'add', 'deal'])).exitCode).toBe(5);
    for (const name of ['contact', 'Delivery', 'x', 'has space', '9lives']) {
      expect((await cli(['type', 'add', name])).exitCode, name).toBe(2);
    }
    expect((await cli(['type', 'list', '--json'])).json<unknown[]>()).toHaveLength(4);
  });
});
