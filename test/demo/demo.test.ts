import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ok, snapshot } from '../e2e/support.js';
import { newStore, runCli, tempDir } from '../helpers.js';

const admin = userInfo().username;

interface DemoJson {
  store: string;
  pipeline: { name: string; type: string; stages: { name: string; semantic: string }[] };
  automation: {
    stages: {
      name: string;
      items: number;
      rules: { id: number; action: string }[];
      triggers: { id: number; event: string }[];
    }[];
  };
  items: {
    id: number;
    title: string;
    stage: { name: string };
    responsible: string;
    amount: number;
    currency: string;
    phones: string[];
    emails: string[];
  }[];
  timeline: {
    at: string;
    itemId: number;
    item: string;
    by: string;
    what: string;
    detail: string;
  }[];
  log: {
    kind: string;
    status: string;
    itemId: number;
    action: string | null;
    executedAt: string;
  }[];
}

describe('demo', () => {
  it('builds seed 002: the furniture store with its rules and trigger, stage by stage', async () => {
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
      demo.automation.stages
        .filter((s) => s.rules.length + s.triggers.length > 0)
        .map((s) => [s.name, s.triggers.map((t) => t.event), s.rules.map((r) => r.action)]),
    ).toEqual([
      ['New', [], ['send-sms', 'notify']],
      ['Prepare documents', [], ['create-document', 'send-email']],
      ['Prepayment', ['payment-received'], ['create-task']],
      ['Spam', [], ['add-to-exceptions']],
    ]);
  });

  it('plays the items through it: SMS, reminder, document and email, the payment trigger, the warehouse task, the spam deal binned', async () => {
    const db = join(tempDir(), 'demo.db');
    const demo = (await runCli(['--db', db, 'demo', '--json'])).json<DemoJson>();
    expect(
      demo.items.map((i) => [i.title, i.stage.name, i.responsible, i.amount, i.currency]),
    ).toEqual([
      ['Oak dining table for six', 'Delivery', 'bob', 1450, 'GBP'],
      ['Corner sofa, grey linen', 'Lost', 'bob', 2100, 'GBP'],
    ]);
    expect(demo.items[0]?.phones).toEqual(['+442079460958']);
    expect(demo.items[0]?.emails).toEqual(['olivia.brown@example.co.uk']);
    expect(demo.timeline.map((e) => [e.at.slice(0, 16), e.item, e.by, e.what])).toEqual([
      ['2026-11-23T09:15', 'Oak dining table for six', 'bob', 'created'],
      ['2026-11-23T09:15', 'Oak dining table for six', 'rule #1', 'send-sms done'],
      ['2026-11-23T09:15', 'Corner sofa, grey linen', 'bob', 'created'],
      ['2026-11-23T09:15', 'Corner sofa, grey linen', 'rule #1', 'send-sms done'],
      ['2026-11-23T09:15', 'Win a free sofa!!!', 'bob', 'created'],
      ['2026-11-23T09:15', 'Win a free sofa!!!', 'rule #1', 'send-sms done'],
      ['2026-11-23T09:40', 'Oak dining table for six', 'bob', 'moved'],
      ['2026-11-23T09:40', 'Oak dining table for six', 'rule #2', 'notify cancelled'],
      ['2026-11-23T09:40', 'Oak dining table for six', 'rule #3', 'create-document done'],
      ['2026-11-23T09:40', 'Oak dining table for six', 'rule #4', 'send-email done'],
      ['2026-11-23T09:40', 'Win a free sofa!!!', 'anna', 'moved'],
      ['2026-11-23T09:40', 'Win a free sofa!!!', 'rule #2', 'notify cancelled'],
      ['2026-11-23T09:40', 'Win a free sofa!!!', 'rule #6', 'add-to-exceptions done'],
      ['2026-11-23T09:40', 'Win a free sofa!!!', 'rule #6', 'deleted'],
      // Nobody called James within 30 minutes: the reminder reaches Bob's supervisor.
      ['2026-11-23T09:45', 'Corner sofa, grey linen', 'rule #2', 'notify done'],
      ['2026-11-23T11:00', 'Corner sofa, grey linen', 'bob', 'moved'],
      ['2026-11-23T11:00', 'Corner sofa, grey linen', 'rule #3', 'create-document done'],
      ['2026-11-23T11:00', 'Corner sofa, grey linen', 'rule #4', 'send-email skipped'],
      ['2026-11-24T10:00', 'Oak dining table for six', 'trigger #1', 'payment-received done'],
      ['2026-11-24T10:00', 'Oak dining table for six', 'trigger #1', 'moved'],
      ['2026-11-24T10:00', 'Oak dining table for six', 'rule #5', 'create-task done'],
      ['2026-11-24T13:00', 'Oak dining table for six', 'bob', 'moved'],
      ['2026-11-24T13:00', 'Corner sofa, grey linen', 'bob', 'moved'],
    ]);
    const detail = (by: string, item: string) =>
      demo.timeline.find((e) => e.by === by && e.item.startsWith(item))?.detail;
    expect(detail('trigger #1', 'Oak')).toBe('moved the item from Prepare documents to Prepayment');
    expect(detail('rule #5', 'Oak')).toContain('for wendy');
    expect(detail('rule #6', 'Win')).toContain('offers@cheap-loans.example');
    // Every run of the log is in the timeline, and the spam deal's three, which went to the
    // recycle bin with it.
    const runs = demo.timeline.filter(
      (e) => e.by.includes('#') && e.what !== 'moved' && e.what !== 'deleted',
    );
    expect(runs.filter((e) => e.item === 'Win a free sofa!!!')).toHaveLength(3);
    expect(demo.log.length).toBe(runs.length - 3);
  });

  it('leaves a store the other commands read: outbox, documents, tasks, notifications, exceptions, the bin', async () => {
    const db = join(tempDir(), 'demo.db');
    expect((await runCli(['--db', db, 'demo', '--json'])).exitCode).toBe(0);
    const cli = (argv: string[]) => runCli(['--db', db, ...argv]);
    const items = (await cli(['item', 'list', '--fields', 'id,type,pipeline,stage,title'])).stdout;
    expect(items).toBe(
      [
        '1\tlead\tDefault\tNew\tWebsite enquiry: oak wardrobe',
        '2\tdeal\tFurniture store\tDelivery\tOak dining table for six',
        '3\tdeal\tFurniture store\tLost\tCorner sofa, grey linen',
        '',
      ].join('\n'),
    );
    const json = async <T>(argv: string[]) => {
      const result = await cli([...argv, '--json']);
      expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
      return result.json<T[]>();
    };
    // The spam deal's SMS went to the recycle bin with it.
    expect((await json<{ channel: string }>(['outbox', 'list'])).map((m) => m.channel)).toEqual([
      'sms',
      'sms',
      'email',
    ]);
    expect(await json<unknown>(['document', 'list'])).toHaveLength(2);
    expect((await json<{ assignee: string }>(['task', 'list'])).map((t) => t.assignee)).toEqual([
      'wendy',
    ]);
    expect(
      (await json<{ user: string }>(['notification', 'list', '--user', 'anna'])).map((n) => n.user),
    ).toEqual(['anna']);
    expect(
      (await json<{ value: string; source: string; comment: string }>(['exceptions', 'list'])).map(
        (e) => [e.value, e.source, e.comment],
      ),
    ).toEqual([
      ['+442079460999', 'rule', 'Added by automation rule'],
      ['offers@cheap-loans.example', 'rule', 'Added by automation rule'],
    ]);
    expect(
      (await json<{ entityType: string; title: string }>(['recycle-bin', 'list'])).map((e) => [
        e.entityType,
        e.title,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['deal', 'Win a free sofa!!!'],
        ['contact', 'Cheap Loans Ltd'],
      ]),
    );
    expect((await cli(['user', 'list', '--fields', 'login,role,supervisor'])).stdout).toBe(
      [
        ['anna', 'supervisor', ''],
        ['bob', 'employee', 'anna'],
        ['wendy', 'employee', ''],
        [admin, 'admin', ''],
      ]
        .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''))
        .map((r) => `${r.join('\t')}\n`)
        .join(''),
    );
    expect((await cli(['settings', 'get', 'default-country'])).stdout).toBe('GB\n');
    expect((await cli(['settings', 'get', 'currency'])).stdout).toBe('GBP\n');
    expect((await cli(['db', 'check', '--json'])).json()).toMatchObject({ ok: true });
    // The automation log the demo printed is the store's: the spam deal's runs (its SMS, its
    // cancelled reminder, the add-to-exceptions) are in its recycle-bin entry.
    const log = await json<{ status: string }>(['automation', 'log']);
    expect(log.map((e) => e.status).sort()).toEqual(
      [
        ...Array<string>(1).fill('cancelled'),
        ...Array<string>(8).fill('done'),
        ...Array<string>(1).fill('skipped'),
      ].sort(),
    );
    const binned = await json<{ id: number; title: string }>(['recycle-bin', 'list']);
    const spam = binned.find((e) => e.title === 'Win a free sofa!!!');
    const shown = ok<{ deleted: { automation: { log: { what: string; status: string }[] } } }>(
      await cli(['recycle-bin', 'show', String(spam?.id), '--json']),
    );
    expect(shown.deleted.automation.log.map((e) => `${e.what} ${e.status}`)).toEqual([
      'send-sms done',
      'notify cancelled',
      'add-to-exceptions done',
    ]);
  });

  it('twice with the same --now gives the same output; another --now moves the whole timeline', async () => {
    const play = async (now?: string) => {
      const result = await runCli([
        ...(now ? ['--now', now] : []),
        '--db',
        join(tempDir(), 'demo.db'),
        'demo',
      ]);
      expect(result.exitCode, result.stderr).toBe(0);
      return result.stdout;
    };
    const first = await play('2026-12-07T08:00:00Z');
    expect(await play('2026-12-07T08:00:00Z')).toBe(first);
    expect(first).toContain(
      '2026-12-07T08:15:00.000Z\tOak dining table for six\tbob\tcreated\tin New',
    );
    const json = async () => {
      const db = join(tempDir(), 'demo.db');
      const result = await runCli(['--now', '2026-12-07T08:00:00Z', '--db', db, 'demo', '--json']);
      return result.stdout.replace(JSON.stringify(db), '"DB"');
    };
    expect(await json()).toBe(await json());
    // Without --now it starts on Monday 23 November 2026 at 09:00 UTC, every time.
    const plain = await play();
    expect(plain).toContain('2026-11-23T09:15:00.000Z\tOak dining table for six\tbob\tcreated');
    expect(await play()).toBe(plain);
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
        `error: ${db} already holds data (automation_jobs, automation_log, automation_rules, automation_triggers, bin_entries, bin_keys, contact_points, contacts, documents, exceptions, history, items, notifications, operations, outbox, settings, tasks): ` +
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

  it('prints the pipeline picture with its automation and the timeline, and where the store is', async () => {
    const db = join(tempDir(), 'demo.db');
    const result = await runCli(['--db', db, 'demo']);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Furniture store (deal pipeline #5)');
    expect(lines[2]).toMatch(/^│ New +│ Prepare documents +│ Prepayment +│ Delivery +│$/);
    for (const text of [
      '⚑ #1 on payment-received',
      '#1 send-sms "Thank you for',
      '#2 notify supervisor',
      'after 30m',
      '#3 create-document',
      '#4 send-email',
      'after previous',
      '#5 create-task',
      'in working hours',
      '#6 add-to-exceptions',
    ]) {
      expect(result.stdout).toContain(text);
    }
    expect(result.stdout).toContain('\nTimeline\n');
    expect(result.stdout).toContain(
      '2026-11-24T10:00:00.000Z\tOak dining table for six\ttrigger #1\tmoved\tPrepare documents → Prepayment\n',
    );
    expect(result.stderr).toContain(`The demo store is ${db}: explore it with`);
    expect(result.stderr).toContain(`crmctl --db ${db} automation log --item 2 --explain`);
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

  it('starts at any --now that leaves its two days before the end of 9999; a bad one is refused before a store is made', async () => {
    const late = join(tempDir(), 'late.db');
    const played = await runCli([
      '--now',
      '9999-12-29T23:59:59.999Z',
      '--db',
      late,
      'demo',
      '--json',
    ]);
    expect(played.exitCode, played.stderr).toBe(0);
    expect(played.json<DemoJson>().timeline.at(-1)?.at).toBe('9999-12-31T03:59:59.999Z');
    const early = await runCli([
      '--now',
      '1970-01-01T00:00:00Z',
      '--db',
      join(tempDir(), 'early.db'),
      'demo',
    ]);
    expect(early.exitCode, early.stderr).toBe(0);
    for (const now of [
      'garbage',
      '0001-01-01T00:00:00Z',
      '9999-12-30T00:00:00Z',
      'x'.repeat(100_000),
      '',
    ]) {
      const db = join(tempDir(), 'refused.db');
      const refused = await runCli(['--now', now, '--db', db, 'demo']);
      expect(refused.exitCode, now.slice(0, 20)).toBe(2);
      expect(existsSync(db)).toBe(false);
    }
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
