import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

const admin = userInfo().username;
const t0 = '2026-03-01T09:00:00.000Z';
const t1 = '2026-03-02T10:00:00.000Z';
const t2 = '2026-03-03T11:00:00.000Z';

interface ItemJson {
  id: number;
  type: string;
  pipeline: { id: number; name: string };
  stage: { id: number; name: string; semantic: string };
  title: string;
  amount: number | null;
  currency: string | null;
  responsible: string | null;
  contactId: number | null;
  companyId: number | null;
  phones: string[];
  emails: string[];
  fields: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  timeline: HistoryJson[];
}

interface HistoryJson {
  id: number;
  at: string;
  actor: string;
  cause: { kind: string; id: number | null };
  command: string;
  action: string;
  entity: { type: string; id: number };
  changes: Record<string, unknown>;
}

type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

async function show(cli: Cli, id: number | string): Promise<ItemJson> {
  const result = await cli(['item', 'show', String(id), '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.json<ItemJson>();
}

async function add(cli: Cli, argv: string[]): Promise<number> {
  const result = await cli(['item', 'add', ...argv]);
  expect(result.exitCode, result.stderr).toBe(0);
  return Number(result.stdout);
}

describe('item update', () => {
  it('changes fields, records each change from → to, and stamps updatedAt', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['user', 'add', 'bob']);
    await cli(['contact', 'add', '--name', 'Olivia']);
    await cli(['company', 'add', '--name', 'Acme']);
    const id = await add(cli, ['--title', 'Sofa', '--amount', '100', '--field', 'colour=grey']);
    const updated = await cli(
      [
        'item',
        'update',
        String(id),
        '--title',
        'Corner sofa',
        '--amount',
        '120.5',
        '--currency',
        'eur',
        '--responsible',
        'bob',
        '--contact',
        '1',
        '--company',
        '1',
        '--field',
        'deadline=2026-12-01',
        '--field',
        'colour=',
      ],
      { now: t1 },
    );
    expect(updated).toMatchObject({
      exitCode: 0,
      stdout: `${id}\n`,
      stderr: `Updated item #${id}\n`,
    });
    const item = await show(cli, id);
    expect(item).toMatchObject({
      title: 'Corner sofa',
      amount: 120.5,
      currency: 'EUR',
      responsible: 'bob',
      contactId: 1,
      companyId: 1,
      fields: { deadline: '2026-12-01' },
      createdAt: t0,
      updatedAt: t1,
    });
    expect(item.timeline.at(-1)).toEqual({
      id: expect.any(Number),
      at: t1,
      actor: admin,
      cause: { kind: 'user', id: null },
      command: 'item update',
      action: 'updated',
      entity: { type: 'item', id },
      changes: {
        title: { from: 'Sofa', to: 'Corner sofa' },
        amount: { from: 100, to: 120.5 },
        currency: { from: 'USD', to: 'EUR' },
        responsible: { from: admin, to: 'bob' },
        contactId: { from: null, to: 1 },
        companyId: { from: null, to: 1 },
        'fields.deadline': { from: null, to: '2026-12-01' },
        'fields.colour': { from: 'grey', to: null },
      },
    });
  });

  it('none clears the contact, company, responsible and amount', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['contact', 'add', '--name', 'Olivia', '--email', 'o@example.com']);
    await cli(['company', 'add', '--name', 'Acme']);
    const id = await add(cli, [
      '--title',
      'x',
      '--amount',
      '5',
      '--contact',
      '1',
      '--company',
      '1',
    ]);
    expect((await show(cli, id)).emails).toEqual(['o@example.com']);
    const cleared = await cli(
      [
        'item',
        'update',
        String(id),
        '--contact',
        'none',
        '--company',
        'NONE',
        '--responsible',
        'none',
        '--amount',
        'none',
      ],
      { now: t1 },
    );
    expect(cleared.exitCode, cleared.stderr).toBe(0);
    const item = await show(cli, id);
    expect(item).toMatchObject({
      contactId: null,
      companyId: null,
      responsible: null,
      amount: null,
      currency: null,
      emails: [],
      updatedAt: t1,
    });
    expect(item.timeline.at(-1)?.changes).toEqual({
      amount: { from: 5, to: null },
      currency: { from: 'USD', to: null },
      responsible: { from: admin, to: null },
      contactId: { from: 1, to: null },
      companyId: { from: 1, to: null },
    });
  });

  it('an update that changes nothing records nothing and keeps updatedAt', async () => {
    const { cli } = await newStore({ now: t0 });
    const id = await add(cli, ['--title', 'Same', '--amount', '5']);
    const result = await cli(['item', 'update', String(id), '--title', 'Same', '--amount', '5'], {
      now: t1,
    });
    expect(result.exitCode).toBe(0);
    const item = await show(cli, id);
    expect(item.updatedAt).toBe(t0);
    expect(item.timeline).toHaveLength(1);
  });

  it('replaces a lead’s phones or emails, keeping the other kind', async () => {
    const { cli } = await newStore({ now: t0 });
    const id = await add(cli, [
      '--type',
      'lead',
      '--title',
      'L',
      '--phone',
      '+442079460958',
      '--email',
      'a@example.com',
    ]);
    await cli(
      ['item', 'update', String(id), '--phone', '+33 6 12 34 56 78', '--phone', '+1 650 253 0000'],
      { now: t1 },
    );
    const item = await show(cli, id);
    expect(item.phones).toEqual(['+33612345678', '+16502530000']);
    expect(item.emails).toEqual(['a@example.com']);
    expect(item.timeline.at(-1)?.changes).toEqual({
      phones: { from: ['+442079460958'], to: ['+33612345678', '+16502530000'] },
    });
    expect(await listIds(cli, ['--phone', '+442079460958'])).toEqual([]);
    expect(await listIds(cli, ['--phone', '+16502530000'])).toEqual([id]);
  });

  it('compares a lead’s own phones, not those it shows from its contact', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['contact', 'add', '--name', 'B', '--phone', '+16502530000']);
    const id = await add(cli, [
      '--type',
      'lead',
      '--title',
      'L',
      '--phone',
      '+442079460958',
      '--contact',
      '1',
    ]);
    expect((await show(cli, id)).phones).toEqual(['+442079460958', '+16502530000']);
    await cli(['item', 'update', String(id), '--phone', '+44 20 7946 0958'], { now: t1 });
    const same = await show(cli, id);
    expect(same.updatedAt).toBe(t0);
    expect(same.timeline).toHaveLength(1);
    await cli(['item', 'update', String(id), '--phone', '+33612345678'], { now: t1 });
    const changed = await show(cli, id);
    expect(changed.phones).toEqual(['+33612345678', '+16502530000']);
    expect(changed.timeline.at(-1)?.changes).toEqual({
      phones: { from: ['+442079460958'], to: ['+33612345678'] },
    });
  });

  it('refuses phones on a deal (2), unknown links (4) and bad values (2), changing nothing', async () => {
    const { cli } = await newStore({ now: t0 });
    const id = String(await add(cli, ['--title', 'Deal', '--amount', '1']));
    const before = await show(cli, id);
    const cases: [string[], number][] = [
      [['--phone', '+442079460958'], 2],
      [['--email', 'a@example.com'], 2],
      [['--contact', '7'], 4],
      [['--company', '7'], 4],
      [['--responsible', 'ghost'], 4],
      [['--amount', '-3'], 2],
      [['--currency', 'E'], 2],
      [['--title', ''], 2],
      [['--field', '9=x'], 2],
      [['--contact', '0'], 2],
    ];
    for (const [flags, code] of cases) {
      const result = await cli(['item', 'update', id, '--title', 'Changed?', ...flags], {
        now: t1,
      });
      expect(result.exitCode, flags.join(' ')).toBe(code);
    }
    expect(await show(cli, id)).toEqual(before);
    expect((await cli(['item', 'update', '99', '--title', 'x'])).exitCode).toBe(4);
  });
});

async function listIds(cli: Cli, filters: string[]): Promise<number[]> {
  const result = await cli(['item', 'list', ...filters, '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.json<{ id: number }[]>().map((i) => i.id);
}

describe('item move', () => {
  it('moves one item, printing "id<TAB>from → to" and a summary note', async () => {
    const { cli } = await newStore({ now: t0 });
    const id = await add(cli, ['--title', 'Sofa']);
    const moved = await cli(['item', 'move', String(id), '--stage', 'prepayment invoice'], {
      now: t1,
    });
    expect(moved).toMatchObject({
      exitCode: 0,
      stdout: `${id}\tNew → Prepayment invoice\n`,
      stderr: 'Moved 1 item(s); 0 already there\n',
    });
    const item = await show(cli, id);
    expect(item).toMatchObject({
      stage: { name: 'Prepayment invoice' },
      updatedAt: t1,
      createdAt: t0,
    });
    expect(item.timeline.at(-1)).toEqual({
      id: expect.any(Number),
      at: t1,
      actor: admin,
      cause: { kind: 'user', id: null },
      command: 'item move',
      action: 'stage-changed',
      entity: { type: 'item', id },
      changes: { stage: { from: 'New', to: 'Prepayment invoice' } },
    });
  });

  it('moves many, counting items already there as unchanged', async () => {
    const { cli } = await newStore({ now: t0 });
    const a = await add(cli, ['--title', 'a']);
    const b = await add(cli, ['--title', 'b', '--stage', 'Won']);
    const c = await add(cli, ['--title', 'c']);
    const moved = await cli(
      ['item', 'move', String(a), String(b), String(c), '--stage', 'Won', '--json'],
      { now: t1 },
    );
    expect(moved.exitCode).toBe(0);
    expect(moved.json()).toEqual({
      dryRun: false,
      moved: 2,
      unchanged: 1,
      moves: [
        {
          id: a,
          from: { pipeline: 'Default', stage: 'New' },
          to: { pipeline: 'Default', stage: 'Won' },
        },
        {
          id: c,
          from: { pipeline: 'Default', stage: 'New' },
          to: { pipeline: 'Default', stage: 'Won' },
        },
      ],
    });
    expect((await show(cli, b)).timeline).toHaveLength(1);
    expect(await listIds(cli, ['--stage', 'Won'])).toEqual([a, b, c]);
  });

  it('--from-stage moves every item in a stage (of --from-pipeline)', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli([
      'pipeline',
      'add',
      'Shop',
      '--stages',
      'New,Final invoice,Paid:success,Lost:failure',
    ]);
    const a = await add(cli, ['--pipeline', 'Shop', '--stage', 'Final invoice', '--title', 'a']);
    const b = await add(cli, ['--pipeline', 'Shop', '--stage', 'Final invoice', '--title', 'b']);
    const other = await add(cli, ['--stage', 'Final invoice', '--title', 'in Default']);
    const moved = await cli(
      [
        'item',
        'move',
        '--from-stage',
        'final invoice',
        '--from-pipeline',
        'Shop',
        '--stage',
        'Lost',
        '--json',
      ],
      { now: t1 },
    );
    expect(moved.json()).toMatchObject({ moved: 2, unchanged: 0 });
    expect(await listIds(cli, ['--pipeline', 'Shop', '--stage', 'Lost'])).toEqual([a, b]);
    expect((await show(cli, other)).stage.name).toBe('Final invoice');
    // An empty stage is not an error.
    const again = await cli([
      'item',
      'move',
      '--from-stage',
      'Final invoice',
      '--from-pipeline',
      'Shop',
      '--stage',
      'Lost',
      '--json',
    ]);
    expect(again.exitCode).toBe(0);
    expect(again.json()).toMatchObject({ moved: 0, unchanged: 0, moves: [] });
  });

  it('--pipeline moves a deal to another pipeline of its type, recording both changes', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['pipeline', 'add', 'Shop', '--stages', 'Start,Won:success,Lost:failure']);
    const id = await add(cli, ['--title', 'x']);
    const moved = await cli(
      ['item', 'move', String(id), '--pipeline', 'shop', '--stage', 'start'],
      { now: t1 },
    );
    expect(moved.stdout).toBe(`${id}\tNew → Start\n`);
    const item = await show(cli, id);
    expect(item).toMatchObject({ pipeline: { name: 'Shop' }, stage: { name: 'Start' } });
    expect(item.timeline.at(-1)?.changes).toEqual({
      stage: { from: 'New', to: 'Start' },
      pipeline: { from: 'Default', to: 'Shop' },
    });
    // A lead cannot move into a deal pipeline; a stage of another pipeline is not found.
    const lead = await add(cli, ['--type', 'lead', '--title', 'L']);
    expect(
      (await cli(['item', 'move', String(lead), '--pipeline', 'Shop', '--stage', 'Start']))
        .exitCode,
    ).toBe(4);
    expect(
      (await cli(['item', 'move', String(id), '--stage', 'Prepayment invoice'])).exitCode,
    ).toBe(4);
    expect((await show(cli, lead)).pipeline.name).toBe('Default');
  });

  it('--pipeline without --stage keeps each item’s stage by name, else by kind', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli([
      'pipeline',
      'add',
      'Shop',
      '--stages',
      'Start,In progress,Paid:success,Lost:failure,Spam:failure',
    ]);
    const inProgress = await add(cli, ['--title', 'a', '--stage', 'In progress']);
    const won = await add(cli, ['--title', 'b', '--stage', 'Won']);
    const lost = await add(cli, ['--title', 'c', '--stage', 'Lost']);
    const prepayment = await add(cli, ['--title', 'd', '--stage', 'Prepayment invoice']);
    const moved = await cli(
      [
        'item',
        'move',
        String(inProgress),
        String(won),
        String(lost),
        String(prepayment),
        '--pipeline',
        'Shop',
        '--json',
      ],
      { now: t1 },
    );
    expect(moved.exitCode, moved.stderr).toBe(0);
    const to = (pipeline: string, stage: string) => ({ pipeline, stage });
    expect(moved.json()).toEqual({
      dryRun: false,
      moved: 4,
      unchanged: 0,
      moves: [
        { id: inProgress, from: to('Default', 'In progress'), to: to('Shop', 'In progress') },
        { id: won, from: to('Default', 'Won'), to: to('Shop', 'Paid') },
        { id: lost, from: to('Default', 'Lost'), to: to('Shop', 'Lost') },
        { id: prepayment, from: to('Default', 'Prepayment invoice'), to: to('Shop', 'Start') },
      ],
    });
    expect(await listIds(cli, ['--pipeline', 'Shop'])).toEqual([inProgress, won, lost, prepayment]);
    // Moving again to the pipeline they are in changes nothing.
    const again = await cli(['item', 'move', String(won), '--pipeline', 'Shop', '--json']);
    expect(again.json()).toMatchObject({ moved: 0, unchanged: 1 });
  });

  it('--dry-run does the move, reports the real counts with dryRun: true, and rolls back', async () => {
    const { cli } = await newStore({ now: t0 });
    const a = await add(cli, ['--title', 'a']);
    const b = await add(cli, ['--title', 'b', '--stage', 'Lost']);
    const historyBefore = (await cli(['history', '--json'])).stdout;
    const dry = await cli(
      ['item', 'move', String(a), String(b), '--stage', 'Lost', '--dry-run', '--json'],
      { now: t1 },
    );
    expect(dry.exitCode).toBe(0);
    expect(dry.json()).toEqual({
      dryRun: true,
      moved: 1,
      unchanged: 1,
      moves: [
        {
          id: a,
          from: { pipeline: 'Default', stage: 'New' },
          to: { pipeline: 'Default', stage: 'Lost' },
        },
      ],
    });
    expect((await show(cli, a)).stage.name).toBe('New');
    expect((await show(cli, a)).updatedAt).toBe(t0);
    expect((await cli(['history', '--json'])).stdout).toBe(historyBefore);

    const text = await cli(['item', 'move', String(a), '--stage', 'Lost', '--dry-run']);
    expect(text).toMatchObject({
      stdout: `${a}\tNew → Lost\n`,
      stderr: 'Would move 1 item(s); 0 already there\n',
    });
    expect((await show(cli, a)).stage.name).toBe('New');
  });

  it('needs ids or --from-stage, and --stage (exit 2); a missing item is exit 4 and moves none', async () => {
    const { cli } = await newStore({ now: t0 });
    const a = await add(cli, ['--title', 'a']);
    const none = await cli(['item', 'move', '--stage', 'Won']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toBe('error: name the items to move: ids, or --from-stage STAGE\n');
    const nowhere = await cli(['item', 'move', String(a)]);
    expect(nowhere.exitCode).toBe(2);
    expect(nowhere.stderr).toBe(
      'error: say where: --stage STAGE, or --pipeline PIPELINE to keep each item’s stage by name or kind\n',
    );
    const missing = await cli(['item', 'move', String(a), '42', '--stage', 'Won']);
    expect(missing.exitCode).toBe(4);
    expect(missing.stderr).toBe('error: no item with id 42 (see crmctl item list)\n');
    // One transaction: the first item did not move either.
    expect((await show(cli, a)).stage.name).toBe('New');
  });
});

describe('item show', () => {
  it('shows the item and its timeline in order; piped as field/value lines then the timeline', async () => {
    const { cli } = await newStore({ now: t0 });
    const id = await add(cli, ['--title', 'Sofa', '--amount', '10', '--field', 'a=1']);
    await cli(['item', 'update', String(id), '--amount', '12'], { now: t1 });
    await cli(['item', 'move', String(id), '--stage', 'Won'], { now: t2 });
    const json = await show(cli, id);
    expect(json.timeline.map((e) => [e.at, e.action, e.command])).toEqual([
      [t0, 'created', 'item add'],
      [t1, 'updated', 'item update'],
      [t2, 'stage-changed', 'item move'],
    ]);
    const text = await cli(['item', 'show', String(id)]);
    expect(text.stdout).toBe(
      [
        `id\t${id}`,
        'type\tdeal',
        'pipeline\tDefault',
        'stage\tWon',
        'title\tSofa',
        'amount\t12',
        'currency\tUSD',
        `responsible\t${admin}`,
        'contactId\t',
        'companyId\t',
        'source\tmanual',
        'phones\t',
        'emails\t',
        'fields\ta=1',
        `createdAt\t${t0}`,
        `updatedAt\t${t2}`,
        '',
        'timeline',
        `${t0}\t${admin}\tuser\tcreated\titem #${id}\ttype: deal; pipeline: Default; stage: New; title: Sofa; source: manual`,
        `${t1}\t${admin}\tuser\tupdated\titem #${id}\tamount: 10 → 12`,
        `${t2}\t${admin}\tuser\tstage-changed\titem #${id}\tstage: New → Won`,
        '',
      ].join('\n'),
    );
  });

  it('--fields picks fields and leaves the timeline out', async () => {
    const { cli } = await newStore({ now: t0 });
    const id = await add(cli, ['--title', 'Sofa']);
    const text = await cli(['item', 'show', String(id), '--fields', 'title,stage']);
    expect(text.stdout).toBe('title\tSofa\nstage\tNew\n');
    const json = await cli(['item', 'show', String(id), '--json', '--fields', 'id,stage']);
    expect(json.json()).toEqual({ id, stage: { id: 6, name: 'New', semantic: 'process' } });
  });

  it('a missing item is exit 4; a malformed id exit 2', async () => {
    const { cli } = await newStore({ now: t0 });
    const missing = await cli(['item', 'show', '7']);
    expect(missing).toMatchObject({
      exitCode: 4,
      stdout: '',
      stderr: 'error: no item with id 7 (see crmctl item list)\n',
    });
    const json = await cli(['item', 'show', '7', '--json']);
    expect(JSON.parse(json.stderr)).toEqual({
      error: {
        code: 'not-found',
        message: 'no item with id 7 (see crmctl item list)',
        exitCode: 4,
      },
    });
  });
});
