import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshot } from '../e2e/support.js';
import { newStore, runCli, tempDir } from '../helpers.js';

const admin = userInfo().username;

interface DemoJson {
  store: string;
  pipeline: { name: string; type: string; stages: { name: string; semantic: string }[] };
  items: {
    id: number;
    title: string;
    stage: { name: string };
    responsible: string;
    amount: number;
    currency: string;
    phones: string[];
    emails: string[];
    createdAt: string;
    updatedAt: string;
  }[];
  timeline: {
    at: string;
    actor: string;
    command: string;
    cause: { kind: string };
    action: string;
    entity: { type: string; id: number };
    changes: Record<string, { from: string; to: string } | string>;
  }[];
}

describe('demo', () => {
  it('builds the furniture store in the given store, items where the timeline leaves them', async () => {
    const db = join(tempDir(), 'demo.db');
    const result = await runCli(['--db', db, 'demo', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const demo = result.json<DemoJson>();
    expect(demo.store).toBe(db);
    expect(demo.pipeline.name).toBe('Furniture store');
    expect(demo.pipeline.stages.map((s) => `${s.name}:${s.semantic}`)).toEqual([
      'New:process',
      'Prepare documents:process',
      'Prepayment:process',
      'Delivery:process',
      'Final invoice:process',
      'Won:success',
      'Lost:failure',
      'Spam:failure',
    ]);
    expect(
      demo.items.map((i) => [i.title, i.stage.name, i.responsible, i.amount, i.currency]),
    ).toEqual([
      ['Oak dining table for six', 'Delivery', 'bob', 1450, 'GBP'],
      ['Corner sofa, grey linen', 'Lost', 'bob', 2100, 'GBP'],
      ['Win a free sofa!!!', 'Spam', 'bob', 0, 'GBP'],
    ]);
    expect(demo.items[0]?.phones).toEqual(['+442079460958']);
    expect(demo.items[0]?.emails).toEqual(['olivia.brown@example.co.uk']);

    const title = (id: number) => demo.items.find((i) => i.id === id)?.title;
    expect(
      demo.timeline.map((e) => {
        const stage = e.changes.stage;
        return [
          e.at,
          e.actor,
          title(e.entity.id),
          e.action,
          typeof stage === 'object' ? `${stage.from} → ${stage.to}` : stage,
        ];
      }),
    ).toEqual([
      ['2026-11-23T09:15:00.000Z', 'bob', 'Oak dining table for six', 'created', 'New'],
      ['2026-11-23T09:15:00.000Z', 'bob', 'Corner sofa, grey linen', 'created', 'New'],
      ['2026-11-23T09:15:00.000Z', 'bob', 'Win a free sofa!!!', 'created', 'New'],
      [
        '2026-11-23T09:40:00.000Z',
        'bob',
        'Oak dining table for six',
        'stage-changed',
        'New → Prepare documents',
      ],
      ['2026-11-23T09:40:00.000Z', 'anna', 'Win a free sofa!!!', 'stage-changed', 'New → Spam'],
      [
        '2026-11-23T11:00:00.000Z',
        'bob',
        'Corner sofa, grey linen',
        'stage-changed',
        'New → Prepare documents',
      ],
      [
        '2026-11-24T09:00:00.000Z',
        'bob',
        'Oak dining table for six',
        'stage-changed',
        'Prepare documents → Prepayment',
      ],
      [
        '2026-11-24T13:00:00.000Z',
        'bob',
        'Oak dining table for six',
        'stage-changed',
        'Prepayment → Delivery',
      ],
      [
        '2026-11-24T13:00:00.000Z',
        'bob',
        'Corner sofa, grey linen',
        'stage-changed',
        'Prepare documents → Lost',
      ],
    ]);
    expect(demo.timeline.every((e) => e.command === 'demo' && e.cause.kind === 'user')).toBe(true);

    // Each item is in the stage its last timeline entry moved it to.
    for (const item of demo.items) {
      const last = demo.timeline.filter((e) => e.entity.id === item.id).at(-1);
      const stage = last?.changes.stage;
      expect(typeof stage === 'object' ? stage.to : stage, item.title).toBe(item.stage.name);
      expect(item.updatedAt).toBe(last?.at);
    }
  });

  it('leaves a store the other commands read: items, users, settings, counts', async () => {
    const db = join(tempDir(), 'demo.db');
    expect((await runCli(['--db', db, 'demo', '--json'])).exitCode).toBe(0);
    const cli = (argv: string[]) => runCli(['--db', db, ...argv]);
    const items = (await cli(['item', 'list', '--fields', 'id,type,pipeline,stage,title'])).stdout;
    expect(items).toBe(
      [
        '1\tlead\tDefault\tNew\tWebsite enquiry: oak wardrobe',
        '2\tdeal\tFurniture store\tDelivery\tOak dining table for six',
        '3\tdeal\tFurniture store\tLost\tCorner sofa, grey linen',
        '4\tdeal\tFurniture store\tSpam\tWin a free sofa!!!',
        '',
      ].join('\n'),
    );
    const pipeline = (await cli(['pipeline', 'show', 'Furniture store', '--json'])).json<{
      stages: { name: string; items: number }[];
    }>();
    expect(pipeline.stages.filter((s) => s.items > 0).map((s) => [s.name, s.items])).toEqual([
      ['Delivery', 1],
      ['Lost', 1],
      ['Spam', 1],
    ]);
    expect((await cli(['user', 'list', '--fields', 'login,role,supervisor'])).stdout).toBe(
      [
        ['anna', 'supervisor', ''],
        ['bob', 'employee', 'anna'],
        [admin, 'admin', ''],
      ]
        .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''))
        .map((r) => `${r.join('\t')}\n`)
        .join(''),
    );
    expect((await cli(['settings', 'get', 'default-country'])).stdout).toBe('GB\n');
    expect((await cli(['settings', 'get', 'currency'])).stdout).toBe('GBP\n');
    // The lead and Olivia's deal share her phone, in any spelling.
    expect((await cli(['item', 'list', '--phone', '020 7946 0958', '--fields', 'id'])).stdout).toBe(
      '1\n2\n',
    );
    expect(
      (await cli(['history', '--actor', 'anna', '--fields', 'at,action,changes'])).stdout,
    ).toBe('2026-11-23T09:40:00.000Z\tstage-changed\tstage: New → Spam\n');
    expect((await cli(['db', 'check', '--json'])).json()).toMatchObject({ ok: true });
  });

  it('refuses a second run on the same store (exit 5), changing nothing', async () => {
    const db = join(tempDir(), 'demo.db');
    expect((await runCli(['--db', db, 'demo', '--json'])).exitCode).toBe(0);
    const before = (await runCli(['--db', db, 'history', '--json'])).stdout;
    const again = await runCli(['--db', db, 'demo']);
    expect(again).toMatchObject({
      exitCode: 5,
      stdout: '',
      stderr:
        `error: ${db} already holds data (contact_points, contacts, history, items, operations, settings): ` +
        'the demo plays only in a new store. Run crmctl demo without --db for a temporary one, ' +
        'or give --db a new file\n',
    });
    const asJson = await runCli(['--db', db, 'demo', '--json']);
    expect(JSON.parse(asJson.stderr)).toMatchObject({ error: { code: 'conflict', exitCode: 5 } });
    expect((await runCli(['--db', db, 'history', '--json'])).stdout).toBe(before);
  });

  it('needs users.manage as well as pipelines.edit: it adds users and changes settings (exit 6)', async () => {
    const db = join(tempDir(), 'demo.db');
    const cli = (argv: string[], as?: string) =>
      runCli(['--db', db, ...argv], { env: { CRMCTL_USER: as } });
    expect((await cli(['user', 'add', 'sue', '--role', 'supervisor'])).exitCode).toBe(0);
    const before = (await cli(['history', '--json'])).stdout;
    const refused = await cli(['demo', '--json'], 'sue');
    expect(refused.exitCode).toBe(6);
    expect(JSON.parse(refused.stderr).error.message).toContain('"sue" lacks users.manage');
    expect((await cli(['history', '--json'])).stdout).toBe(before);
    expect((await cli(['settings', 'get', 'currency'])).stdout).toBe('USD\n');
    expect((await cli(['user', 'show', 'anna'])).exitCode).toBe(4);
    expect((await cli(['demo', '--json'], 'ghost')).exitCode).toBe(6);
  });

  it('prints the pipeline drawing and the timeline for people, and where the store is', async () => {
    const db = join(tempDir(), 'demo.db');
    const result = await runCli(['--db', db, 'demo']);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`Furniture store (deal pipeline #5)`);
    expect(result.stdout).toContain(
      '│ New          │ Prepare documents │ Prepayment   │ Delivery     │',
    );
    expect(result.stdout).toContain(
      '│ 0 items      │ 0 items           │ 0 items      │ 1 item       │',
    );
    expect(result.stdout).toContain('\nTimeline\n');
    expect(result.stdout).toContain(
      '2026-11-24T13:00:00.000Z\tbob\tuser\tstage-changed\titem #3\tstage: Prepare documents → Lost\n',
    );
    expect(result.stderr).toContain(`The demo store is ${db}: explore it with`);
  });

  it('ignores CRMCTL_DB: the real store there is left alone, the demo plays in a temporary one', async () => {
    const { db: real, cli } = await newStore({ now: '2026-03-01T09:00:00Z' });
    expect((await cli(['exceptions', 'add', 'spam@example.com'])).exitCode).toBe(0);
    const before = snapshot(real);
    const result = await runCli(['demo', '--json'], { env: { CRMCTL_DB: real } });
    expect(result.exitCode, result.stderr).toBe(0);
    const { store } = result.json<DemoJson>();
    try {
      expect(store).not.toBe(real);
      expect(store.startsWith(join(tmpdir(), 'crmctl-demo-'))).toBe(true);
      expect(snapshot(real)).toEqual(before);
    } finally {
      rmSync(dirname(store), { recursive: true, force: true });
    }
  });

  it('refuses a --db that holds anything beyond a fresh store (exit 5), saying what, changing nothing', async () => {
    const cases: [string, string[], string][] = [
      [
        'an exceptions entry',
        ['exceptions', 'add', 'spam@example.com'],
        'exceptions, history, operations',
      ],
      // Every command that writes is one operation (DESIGN §7a).
      ['a user', ['user', 'add', 'sue'], 'history, operations'],
      ['a setting', ['settings', 'set', 'currency', 'EUR'], 'history, operations, settings'],
      ['a renamed stage', ['stage', 'rename', 'New', 'Fresh'], 'history, operations'],
    ];
    for (const [what, change, held] of cases) {
      const { db, cli } = await newStore({ now: '2026-03-01T09:00:00Z' });
      expect((await cli(change)).exitCode, what).toBe(0);
      const before = snapshot(db);
      const refused = await runCli(['--db', db, 'demo']);
      expect(refused, what).toMatchObject({
        exitCode: 5,
        stdout: '',
        stderr: `error: ${db} already holds data (${held}): the demo plays only in a new store. Run crmctl demo without --db for a temporary one, or give --db a new file\n`,
      });
      expect(snapshot(db), what).toEqual(before);
    }
  });

  it('plays in a --db that is fresh: just made by init, or an empty file', async () => {
    const { db } = await newStore();
    expect((await runCli(['--db', db, 'demo', '--json'])).exitCode).toBe(0);
    const empty = join(tempDir(), 'empty.db');
    writeFileSync(empty, '');
    const played = await runCli(['--db', empty, 'demo', '--json']);
    expect(played.exitCode, played.stderr).toBe(0);
    expect(played.json<DemoJson>().store).toBe(empty);
  });

  it('says in its help where it plays', async () => {
    const help = (await runCli(['demo', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('CRMCTL_DB is ignored, so the demo never writes into your real store');
    expect(help).toContain('a --db that already holds data is refused (exit 5)');
  });

  it('without --db or CRMCTL_DB it plays in a new temporary store', async () => {
    const result = await runCli(['demo', '--json'], { env: { CRMCTL_DB: undefined } });
    expect(result.exitCode, result.stderr).toBe(0);
    const { store } = result.json<DemoJson>();
    try {
      expect(store.startsWith(join(tmpdir(), 'crmctl-demo-'))).toBe(true);
      expect(existsSync(store)).toBe(true);
    } finally {
      rmSync(dirname(store), { recursive: true, force: true });
    }
  });
});
