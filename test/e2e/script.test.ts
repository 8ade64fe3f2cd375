import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { builtModule, crmctlFor, linesOf, ok, osLogin } from './support.js';

// A script driving crmctl the way a cron job does: no terminal, --json everywhere, a fixed
// clock (CRMCTL_NOW, --now), and every output parsed and compared whole.

const T0 = '2026-03-02T09:00:00Z';
const T1 = '2026-03-02T10:15:00Z';
const T2 = '2026-03-03T08:30:00Z';
const T3 = '2026-03-04T12:00:00Z';
const iso = (t: string) => new Date(t).toISOString();

const itemKeys = [
  'id',
  'type',
  'pipeline',
  'stage',
  'title',
  'amount',
  'currency',
  'responsible',
  'contactId',
  'companyId',
  'source',
  'phones',
  'emails',
  'fields',
  'createdAt',
  'updatedAt',
];
const historyKeys = ['id', 'at', 'actor', 'cause', 'action', 'entity', 'changes'];
const contactKeys = ['id', 'name', 'phones', 'emails', 'createdAt', 'updatedAt'];

type Json = Record<string, unknown>;
type Item = Json & { id: number; title: string; timeline?: Json[] };

function expectKeys(record: unknown, keys: string[]) {
  expect(record).toBeTypeOf('object');
  expect(Object.keys(record as Json)).toEqual(expect.arrayContaining(keys));
}

describe('a script drives crmctl end to end with --json', () => {
  it('sets up users, a pipeline, contacts and items, moves, filters and shows history', async () => {
    const { latestVersion } =
      await builtModule<typeof import('../../src/store/migrations.js')>('store/migrations.js');
    const db = `${tempDir()}/crm.db`;
    const crm = crmctlFor(db, { now: T0 });

    // init: a new store, the OS login as its admin, private to its owner.
    expect(ok(await crm(['init', '--json']))).toEqual({
      path: db,
      created: true,
      schemaVersion: latestVersion,
      you: osLogin,
    });
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect(ok(await crm(['init', '--json']))).toMatchObject({ created: false });

    // users and roles
    const role = ok<Json>(
      await crm([
        'role',
        'add',
        'closer',
        '--permissions',
        'items.view,items.edit',
        '--description',
        'closes deals',
        '--json',
      ]),
    );
    expect(role).toMatchObject({
      name: 'closer',
      description: 'closes deals',
      builtin: false,
      permissions: ['items.edit', 'items.view'],
      users: 0,
    });
    const anna = ok<Json>(
      await crm(['user', 'add', 'anna', '--name', 'Anna Novak', '--role', 'supervisor', '--json']),
    );
    expect(anna).toEqual({
      id: expect.any(Number),
      login: 'anna',
      name: 'Anna Novak',
      role: 'supervisor',
      supervisor: null,
      createdAt: iso(T0),
    });
    const bob = ok<Json>(
      await crm(['user', 'add', 'bob', '--role', 'closer', '--supervisor', 'anna', '--json']),
    );
    expect(bob).toMatchObject({ login: 'bob', name: 'bob', role: 'closer', supervisor: 'anna' });
    const users = ok<Json[]>(await crm(['user', 'list', '--json', '--fields', 'login,role']));
    expect(users).toEqual(
      expect.arrayContaining([
        { login: osLogin, role: 'admin' },
        { login: 'anna', role: 'supervisor' },
        { login: 'bob', role: 'closer' },
      ]),
    );
    expect(users).toHaveLength(3);
    expect((await crm(['settings', 'set', 'default-country', 'GB', '--quiet'])).stdout).toBe(
      'GB\n',
    );

    // a pipeline with stages, and one more stage inserted
    const pipeline = ok<{ id: number; stages: Json[] } & Json>(
      await crm([
        'pipeline',
        'add',
        'Furniture store',
        '--type',
        'deal',
        '--stages',
        'New,Prepare documents,Prepayment,Won:success,Lost:failure,Spam:failure',
        '--json',
      ]),
    );
    expect(pipeline).toMatchObject({ type: 'deal', name: 'Furniture store', isDefault: false });
    expect(pipeline.stages.map((s) => [s.name, s.semantic])).toEqual([
      ['New', 'process'],
      ['Prepare documents', 'process'],
      ['Prepayment', 'process'],
      ['Won', 'success'],
      ['Lost', 'failure'],
      ['Spam', 'failure'],
    ]);
    ok(
      await crm([
        'stage',
        'add',
        'Measure room',
        '--pipeline',
        'Furniture store',
        '--after',
        'New',
        '--json',
      ]),
    );
    const stages = ok<{ id: number; name: string; position: number }[]>(
      await crm(['stage', 'list', '--pipeline', 'Furniture store', '--json']),
    );
    expect(stages.map((s) => s.name)).toEqual([
      'New',
      'Measure room',
      'Prepare documents',
      'Prepayment',
      'Won',
      'Lost',
      'Spam',
    ]);
    const stageId = (name: string) => stages.find((s) => s.name === name)?.id;
    const furniture = { id: pipeline.id, name: 'Furniture store' };

    // contacts, in national and international spellings
    const olivia = ok<Json & { id: number }>(
      await crm([
        'contact',
        'add',
        '--name',
        'Olivia Brown',
        '--phone',
        '020 7946 0958',
        '--email',
        'Olivia@Example.CO.UK',
        '--json',
      ]),
    );
    expectKeys(olivia, contactKeys);
    expect(olivia).toMatchObject({
      name: 'Olivia Brown',
      phones: ['+442079460958'],
      emails: ['Olivia@example.co.uk'],
      createdAt: iso(T0),
      updatedAt: iso(T0),
    });
    const liam = ok<Json & { id: number }>(
      await crm(['contact', 'add', '--name', 'Liam Hart', '--phone', '+44 7911 123456', '--json']),
    );
    expect(liam).toMatchObject({ phones: ['+447911123456'], emails: [] });

    // items: two deals with contacts, one lead with its own phone and email
    const oak = ok<Item>(
      await crm(
        [
          'item',
          'add',
          '--type',
          'deal',
          '--pipeline',
          'Furniture store',
          '--title',
          'Oak table',
          '--amount',
          '1450',
          '--currency',
          'gbp',
          '--contact',
          String(olivia.id),
          '--responsible',
          'bob',
          '--field',
          'deadline=2026-04-01',
          '--json',
        ],
        { now: T1 },
      ),
    );
    const oakAdded = {
      id: oak.id,
      type: 'deal',
      pipeline: furniture,
      stage: { id: stageId('New'), name: 'New', semantic: 'process' },
      title: 'Oak table',
      amount: 1450,
      currency: 'GBP',
      responsible: 'bob',
      contactId: olivia.id,
      companyId: null,
      source: 'manual',
      phones: ['+442079460958'],
      emails: ['Olivia@example.co.uk'],
      fields: { deadline: '2026-04-01' },
      createdAt: iso(T1),
      updatedAt: iso(T1),
    };
    expect(Object.keys(oak)).toEqual(itemKeys);
    expect(oak).toEqual(oakAdded);

    // Without -o, a change prints only the new id, so `id=$(crmctl item add …)` works.
    const chair = await crm(
      [
        'item',
        'add',
        '--pipeline',
        'Furniture store',
        '--title',
        'Pine chair',
        '--contact',
        String(liam.id),
        '--responsible',
        'anna',
      ],
      { now: T1 },
    );
    expect(chair.exitCode).toBe(0);
    expect(chair.stdout).toMatch(/^\d+\n$/);
    const chairId = Number(chair.stdout);
    expect(chair.stderr).toContain('Pine chair');

    const lead = ok<Item>(
      await crm(
        [
          'item',
          'add',
          '--type',
          'lead',
          '--title',
          'Website enquiry: sofa',
          '--phone',
          '07400 123456',
          '--email',
          'Enquiry@Example.com',
          '--source',
          'form',
          '--json',
        ],
        { now: T1 },
      ),
    );
    expect(lead).toMatchObject({
      type: 'lead',
      responsible: osLogin,
      source: 'form',
      phones: ['+447400123456'],
      emails: ['Enquiry@example.com'],
      contactId: null,
      amount: null,
      currency: null,
    });

    // moves: bob moves the oak table twice, anna the chair once
    const move = ok<Json>(
      await crm(['item', 'move', String(oak.id), '--stage', 'Prepayment', '--json'], {
        as: 'bob',
        now: T2,
      }),
    );
    expect(move).toEqual({
      dryRun: false,
      moved: 1,
      unchanged: 0,
      moves: [
        {
          id: oak.id,
          from: { pipeline: 'Furniture store', stage: 'New' },
          to: { pipeline: 'Furniture store', stage: 'Prepayment' },
        },
      ],
    });
    ok(
      await crm(['item', 'move', String(chairId), '--stage', 'measure room', '--json'], {
        as: 'anna',
        now: T2,
      }),
    );
    expect(
      ok(
        await crm(['item', 'move', String(oak.id), String(chairId), '--stage', 'Won', '--json'], {
          as: 'bob',
          now: T3,
        }),
      ),
    ).toMatchObject({ moved: 2, unchanged: 0 });
    expect(
      ok(await crm(['item', 'move', String(oak.id), '--stage', 'Won', '--json'], { now: T3 })),
    ).toMatchObject({ moved: 0, unchanged: 1, moves: [] });

    // list and filter
    const titles = async (...filter: string[]) =>
      ok<Item[]>(await crm(['item', 'list', ...filter, '--json'])).map((i) => i.title);
    const all = ok<Item[]>(await crm(['item', 'list', '--json']));
    expect(all.map((i) => i.title)).toEqual(['Oak table', 'Pine chair', 'Website enquiry: sofa']);
    for (const item of all) expect(Object.keys(item)).toEqual(itemKeys);
    expect(await titles('--type', 'lead')).toEqual(['Website enquiry: sofa']);
    expect(await titles('--type', 'deal')).toEqual(['Oak table', 'Pine chair']);
    expect(await titles('--pipeline', 'furniture STORE')).toEqual(['Oak table', 'Pine chair']);
    expect(await titles('--pipeline', String(pipeline.id), '--stage', 'Won')).toEqual([
      'Oak table',
      'Pine chair',
    ]);
    expect(await titles('--pipeline', 'Furniture store', '--stage', 'New')).toEqual([]);
    expect(await titles('--type', 'lead', '--stage', 'New')).toEqual(['Website enquiry: sofa']);
    expect(await titles('--responsible', 'bob')).toEqual(['Oak table']);
    expect(await titles('--responsible', 'anna')).toEqual(['Pine chair']);
    expect(await titles('--phone', '+44 20 7946 0958')).toEqual(['Oak table']);
    expect(await titles('--phone', '(020) 7946-0958')).toEqual(['Oak table']);
    expect(await titles('--phone', '0044 20 7946 0958')).toEqual(['Oak table']);
    expect(await titles('--phone', '+447400123456')).toEqual(['Website enquiry: sofa']);
    expect(await titles('--phone', '07911 123456')).toEqual(['Pine chair']);
    expect(await titles('--email', 'OLIVIA@EXAMPLE.CO.UK')).toEqual(['Oak table']);
    expect(await titles('--email', 'enquiry@example.com')).toEqual(['Website enquiry: sofa']);
    expect(await titles('--search', 'TABLE')).toEqual(['Oak table']);
    expect(await titles('--search', 'sofa')).toEqual(['Website enquiry: sofa']);
    expect(await titles('--search', '%')).toEqual([]);
    expect(await titles('--type', 'deal', '--phone', '+447400123456')).toEqual([]);
    expect(await titles('--limit', '1', '--offset', '1')).toEqual(['Pine chair']);

    // jsonl: one parsable item per line; --fields keeps exactly the fields asked for, in order
    const jsonl = await crm(['item', 'list', '-o', 'jsonl', '--fields', 'title,stage,id']);
    expect(linesOf(jsonl.stdout).map((line) => JSON.parse(line))).toEqual([
      {
        title: 'Oak table',
        stage: { id: stageId('Won'), name: 'Won', semantic: 'success' },
        id: oak.id,
      },
      {
        title: 'Pine chair',
        stage: { id: stageId('Won'), name: 'Won', semantic: 'success' },
        id: chairId,
      },
      {
        title: 'Website enquiry: sofa',
        stage: expect.objectContaining({ name: 'New', semantic: 'process' }),
        id: lead.id,
      },
    ]);

    // show: the item as added plus where it is now, and its timeline
    const shown = ok<Item>(await crm(['item', 'show', String(oak.id), '--json']));
    expect(Object.keys(shown)).toEqual([
      ...itemKeys,
      'timeline',
      'automation',
      'tasks',
      'documents',
      'outbox',
    ]);
    const { timeline, automation, tasks, documents, outbox, ...item } = shown as Item & {
      automation: unknown;
      tasks: unknown[];
      documents: unknown[];
      outbox: unknown[];
    };
    expect(automation).toEqual({ log: [], open: [] });
    expect([tasks, documents, outbox]).toEqual([[], [], []]);
    expect(item).toEqual({
      ...oakAdded,
      stage: { id: stageId('Won'), name: 'Won', semantic: 'success' },
      updatedAt: iso(T3),
    });
    for (const entry of timeline ?? []) expectKeys(entry, historyKeys);
    expect(timeline).toEqual([
      {
        id: expect.any(Number),
        at: iso(T1),
        actor: osLogin,
        cause: { kind: 'user', id: null },
        command: 'item add',
        action: 'created',
        entity: { type: 'item', id: oak.id },
        changes: {
          type: 'deal',
          pipeline: 'Furniture store',
          stage: 'New',
          title: 'Oak table',
          source: 'manual',
        },
      },
      {
        id: expect.any(Number),
        at: iso(T2),
        actor: 'bob',
        cause: { kind: 'user', id: null },
        command: 'item move',
        action: 'stage-changed',
        entity: { type: 'item', id: oak.id },
        changes: { stage: { from: 'New', to: 'Prepayment' } },
      },
      {
        id: expect.any(Number),
        at: iso(T3),
        actor: 'bob',
        cause: { kind: 'user', id: null },
        command: 'item move',
        action: 'stage-changed',
        entity: { type: 'item', id: oak.id },
        changes: { stage: { from: 'Prepayment', to: 'Won' } },
      },
    ]);

    // history: the whole log, and filtered by item, actor and time
    const history = ok<(Json & { at: string; actor: string; action: string })[]>(
      await crm(['history', '--json']),
    );
    for (const entry of history) expectKeys(entry, historyKeys);
    expect(history.map((e) => e.at)).toEqual([...history.map((e) => e.at)].sort());
    expect(history.filter((e) => e.action === 'stage-changed')).toHaveLength(4);
    expect(history.filter((e) => e.at === iso(T0)).map((e) => e.actor)).toContain('system');
    expect(ok(await crm(['history', '--item', String(oak.id), '--json']))).toEqual(timeline);
    const byBob = ok<Json[]>(await crm(['history', '--actor', 'BOB', '--json']));
    expect(byBob.map((e) => [e.at, e.action, (e.entity as Json).id])).toEqual([
      [iso(T2), 'stage-changed', oak.id],
      [iso(T3), 'stage-changed', oak.id],
      [iso(T3), 'stage-changed', chairId],
    ]);
    const sinceT2 = ok<Json[]>(await crm(['history', '--since', T2, '--json']));
    expect(sinceT2.map((e) => e.at)).toEqual([iso(T2), iso(T2), iso(T3), iso(T3)]);
    const lastDay = ok<Json[]>(await crm(['history', '--since', '1d', '--json'], { now: T3 }));
    expect(lastDay.map((e) => e.at)).toEqual([iso(T3), iso(T3)]);

    // contacts read back
    const contacts = ok<Json[]>(await crm(['contact', 'list', '--json']));
    for (const contact of contacts) expectKeys(contact, contactKeys);
    expect(contacts.map((c) => c.name)).toEqual(['Olivia Brown', 'Liam Hart']);
    expect(ok(await crm(['contact', 'list', '--email', 'olivia@example.co.uk', '--json']))).toEqual(
      [olivia],
    );
  });
});
