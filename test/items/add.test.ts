import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

const admin = userInfo().username;
const now = '2026-03-01T09:00:00.000Z';

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
  source: string;
  phones: string[];
  emails: string[];
  fields: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

describe('item add', () => {
  it('defaults: a deal in the default deal pipeline, first stage, responsible = the acting user', async () => {
    const { cli } = await newStore({ now });
    const added = await cli(['item', 'add', '--title', 'Sofa for Anna', '--amount', '1200.50']);
    expect(added).toMatchObject({
      exitCode: 0,
      stdout: '1\n',
      stderr: 'Added deal #1 "Sofa for Anna" in Default → New\n',
    });
    const shown = (await cli(['item', 'show', '1', '--json'])).json<
      ItemJson & {
        timeline: unknown[];
        automation: unknown;
        tasks: unknown[];
        documents: unknown[];
        outbox: unknown[];
      }
    >();
    const { timeline, automation, tasks, documents, outbox, ...item } = shown;
    expect(automation).toEqual({ log: [], open: [] });
    expect({ tasks, documents, outbox }).toEqual({ tasks: [], documents: [], outbox: [] });
    expect(item).toEqual({
      id: 1,
      type: 'deal',
      pipeline: { id: 2, name: 'Default' },
      stage: { id: 6, name: 'New', semantic: 'process' },
      title: 'Sofa for Anna',
      amount: 1200.5,
      currency: 'USD',
      responsible: admin,
      contactId: null,
      companyId: null,
      source: 'manual',
      phones: [],
      emails: [],
      fields: {},
      createdAt: now,
      updatedAt: now,
    });
    expect(timeline).toHaveLength(1);
  });

  it('reads amounts in decimal notation', async () => {
    const { cli } = await newStore({ now });
    for (const [text, amount] of [
      ['1200.50', 1200.5],
      [' 7 ', 7],
      ['.5', 0.5],
      ['0', 0],
      ['1e3', 1000],
    ] as const) {
      const added = await cli(['item', 'add', '--title', 'x', '--amount', text, '--json']);
      expect(added.json<ItemJson>().amount, text).toBe(amount);
    }
  });

  it('takes the currency from settings, and --currency over it', async () => {
    const { cli } = await newStore({ now });
    await cli(['settings', 'set', 'currency', 'eur']);
    const fromSettings = await cli(['item', 'add', '--title', 'a', '--amount', '10', '--json']);
    expect(fromSettings.json<ItemJson>().currency).toBe('EUR');
    const given = await cli([
      'item',
      'add',
      '--title',
      'b',
      '--amount',
      '10',
      '--currency',
      'gbp',
      '--json',
    ]);
    expect(given.json<ItemJson>().currency).toBe('GBP');
    // A currency given without an amount is kept, not dropped.
    const noAmount = await cli(['item', 'add', '--title', 'c', '--currency', 'CHF', '--json']);
    expect(noAmount.json<ItemJson>()).toMatchObject({ amount: null, currency: 'CHF' });
    const bad = await cli(['item', 'add', '--title', 'd', '--currency', 'EURO']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe('error: "EURO" is not a three-letter currency code\n');
  });

  it('places the item in a named pipeline and stage, with fields, source and a responsible user', async () => {
    const { cli } = await newStore({ now });
    await cli(['user', 'add', 'bob']);
    await cli(['pipeline', 'add', 'Furniture', '--stages', 'New,Measure,Won:success,Lost:failure']);
    const added = await cli([
      'item',
      'add',
      '--pipeline',
      'furniture',
      '--stage',
      'measure',
      '--title',
      'Oak table',
      '--responsible',
      'bob',
      '--field',
      'deadline=2026-12-01',
      '--field',
      'colour=oak = light',
      '--source',
      'call',
      '--json',
    ]);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.json<ItemJson>()).toMatchObject({
      type: 'deal',
      pipeline: { name: 'Furniture' },
      stage: { name: 'Measure' },
      responsible: 'bob',
      source: 'call',
      fields: { deadline: '2026-12-01', colour: 'oak = light' },
      amount: null,
      currency: null,
    });
  });

  it('takes the type from the pipeline, and refuses a pipeline of another type', async () => {
    const { cli } = await newStore({ now });
    const quote = await cli(['item', 'add', '--type', 'quote', '--title', 'Q', '--json']);
    expect(quote.json<ItemJson>()).toMatchObject({ type: 'quote', stage: { name: 'Draft' } });
    await cli(['pipeline', 'add', 'Furniture']);
    const mismatch = await cli([
      'item',
      'add',
      '--type',
      'lead',
      '--pipeline',
      'Furniture',
      '--title',
      'x',
    ]);
    expect(mismatch.exitCode).toBe(4);
    const byId = await cli(['item', 'add', '--pipeline', '5', '--title', 'y', '--json']);
    expect(byId.json<ItemJson>()).toMatchObject({
      type: 'deal',
      pipeline: { id: 5, name: 'Furniture' },
    });
  });

  it('leads hold their own phones and emails, normalised', async () => {
    const { cli } = await newStore({ now });
    await cli(['settings', 'set', 'default-country', 'GB']);
    const lead = await cli([
      'item',
      'add',
      '--type',
      'lead',
      '--title',
      'Website enquiry',
      '--phone',
      '+44 20 7946 0958',
      '--phone',
      '+44 (20) 7946-0958',
      '--phone',
      '06 12 34 56 78',
      '--country',
      'FR',
      '--email',
      'Olivia.Brown@Example.CO.UK',
      '--json',
    ]);
    expect(lead.exitCode, lead.stderr).toBe(0);
    // --country wins over the default-country setting for national numbers; duplicates merge.
    expect(lead.json<ItemJson>()).toMatchObject({
      type: 'lead',
      pipeline: { name: 'Default' },
      stage: { name: 'New' },
      phones: ['+442079460958', '+33612345678'],
      emails: ['Olivia.Brown@example.co.uk'],
    });
    const gb = await cli([
      'item',
      'add',
      '--type',
      'lead',
      '--title',
      'x',
      '--phone',
      '020 7946 0958',
      '--json',
    ]);
    expect(gb.json<ItemJson>().phones).toEqual(['+442079460958']);
  });

  it('rejects a bad phone or email with its reason (exit 2) and adds nothing', async () => {
    const { cli } = await newStore({ now });
    const national = await cli([
      'item',
      'add',
      '--type',
      'lead',
      '--title',
      'x',
      '--phone',
      '020 7946 0958',
    ]);
    expect(national.exitCode).toBe(2);
    expect(national.stderr).toContain('(needs-country)');
    const ext = await cli([
      'item',
      'add',
      '--type',
      'lead',
      '--title',
      'x',
      '--phone',
      '+44 20 7946 0958 ext 12',
    ]);
    expect(ext.exitCode).toBe(2);
    expect(ext.stderr).toContain('(extension)');
    const email = await cli(['item', 'add', '--type', 'lead', '--title', 'x', '--email', 'a@@b']);
    expect(email.exitCode).toBe(2);
    expect(email.stderr).toContain('(not-an-email)');
    expect((await cli(['item', 'list', '--json'])).json()).toEqual([]);
  });

  it('deals refuse their own phones and emails (exit 2) and take them from contact and company', async () => {
    const { cli } = await newStore({ now });
    const own = await cli(['item', 'add', '--title', 'Deal', '--phone', '+442079460958']);
    expect(own.exitCode).toBe(2);
    expect(own.stderr).toBe(
      'error: a deal takes its phones and emails from its contact or company: add them there (crmctl contact add --phone …) and link it with --contact\n',
    );
    const ownEmail = await cli([
      'item',
      'add',
      '--type',
      'quote',
      '--title',
      'Q',
      '--email',
      'a@b.co',
    ]);
    expect(ownEmail.exitCode).toBe(2);
    expect((await cli(['item', 'list', '--json'])).json()).toEqual([]);

    await cli([
      'contact',
      'add',
      '--name',
      'Olivia',
      '--phone',
      '+44 20 7946 0958',
      '--email',
      'o@example.com',
    ]);
    await cli([
      'company',
      'add',
      '--name',
      'Acme',
      '--phone',
      '+1 650 253 0000',
      '--email',
      'sales@acme.example',
    ]);
    const deal = await cli([
      'item',
      'add',
      '--title',
      'Deal',
      '--contact',
      '1',
      '--company',
      '1',
      '--json',
    ]);
    expect(deal.json<ItemJson>()).toMatchObject({
      contactId: 1,
      companyId: 1,
      phones: ['+442079460958', '+16502530000'],
      emails: ['o@example.com', 'sales@acme.example'],
    });
    // A change to the contact shows on the deal.
    await cli(['contact', 'update', '1', '--email', 'olivia@example.com']);
    const shown = (await cli(['item', 'show', '1', '--json'])).json<ItemJson>();
    expect(shown.emails).toEqual(['olivia@example.com', 'sales@acme.example']);
  });

  it('refuses links to missing records (4) and bad values (2), adding nothing', async () => {
    const { cli } = await newStore({ now });
    const cases: [string[], number, string][] = [
      [['--contact', '9'], 4, 'error: no contact with id 9 (see crmctl contact list)\n'],
      [['--company', '9'], 4, 'error: no company with id 9 (see crmctl company list)\n'],
      [['--responsible', 'ghost'], 4, 'error: no user "ghost" (see crmctl user list)\n'],
      [['--stage', 'Nope'], 4, ''],
      [['--type', 'ship'], 4, ''],
      [
        ['--amount', '-1'],
        2,
        'error: --amount takes a number of 0 or more such as 1200.50, not "-1"\n',
      ],
      [['--amount', 'lots'], 2, ''],
      [['--amount', 'Infinity'], 2, ''],
      [
        ['--amount', '0x10'],
        2,
        'error: --amount takes a number of 0 or more such as 1200.50, not "0x10"\n',
      ],
      [['--amount', '0b11'], 2, ''],
      [['--amount', '1e400'], 2, ''],
      [['--amount', '1,5'], 2, ''],
      [['--field', 'novalue'], 2, 'error: --field takes key=value, not "novalue"\n'],
      [['--field', '1bad=x'], 2, ''],
      [['--field', 'empty='], 2, 'error: --field empty= needs a value\n'],
      [['--source', 'pigeon'], 2, ''],
      [['--contact', 'abc'], 2, 'error: --contact must be a positive whole number, not "abc"\n'],
    ];
    for (const [flags, code, message] of cases) {
      const result = await cli(['item', 'add', '--title', 'x', ...flags]);
      expect(result.exitCode, flags.join(' ')).toBe(code);
      if (message) expect(result.stderr, flags.join(' ')).toBe(message);
    }
    const noTitle = await cli(['item', 'add']);
    expect(noTitle.exitCode).toBe(2);
    expect(noTitle.stderr).toContain("required option '--title <title>' not specified");
    expect((await cli(['item', 'list', '--json'])).json()).toEqual([]);
    expect(
      (await cli(['history', '--json']))
        .json<{ entity: { type: string } }[]>()
        .some((h) => h.entity.type === 'item'),
    ).toBe(false);
  });

  it('records the creation in history with actor, cause, command and time', async () => {
    const { cli } = await newStore({ now });
    await cli(['user', 'add', 'bob']);
    await cli(['item', 'add', '--title', 'Sofa', '--source', 'form'], {
      as: 'bob',
      now: '2026-03-04T05:06:07.089Z',
    });
    const history = (await cli(['history', '--item', '1', '--json'])).json();
    expect(history).toEqual([
      {
        id: expect.any(Number),
        at: '2026-03-04T05:06:07.089Z',
        actor: 'bob',
        cause: { kind: 'user', id: null },
        command: 'item add',
        action: 'created',
        entity: { type: 'item', id: 1 },
        changes: { type: 'deal', pipeline: 'Default', stage: 'New', title: 'Sofa', source: 'form' },
      },
    ]);
    const item = (await cli(['item', 'show', '1', '--json'])).json<ItemJson>();
    expect(item).toMatchObject({
      responsible: 'bob',
      createdAt: '2026-03-04T05:06:07.089Z',
      updatedAt: '2026-03-04T05:06:07.089Z',
    });
  });

  it('--now on the command line wins over CRMCTL_NOW; a bad --now is exit 2', async () => {
    const { cli } = await newStore({ now });
    const added = await cli([
      '--now',
      '2026-05-06T07:08:09+02:00',
      'item',
      'add',
      '--title',
      'x',
      '--json',
    ]);
    expect(added.json<ItemJson>().createdAt).toBe('2026-05-06T05:08:09.000Z');
    const bad = await cli(['--now', 'yesterday', 'item', 'add', '--title', 'y']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe(
      'error: --now takes an ISO-8601 time such as 2026-11-23T09:30:00Z, not "yesterday"\n',
    );
    const badEnv = await cli(['item', 'add', '--title', 'z'], { now: 'soon' });
    expect(badEnv.exitCode).toBe(2);
    expect(badEnv.stderr).toContain('CRMCTL_NOW takes an ISO-8601 time');
    expect((await cli(['item', 'list', '--json'])).json<unknown[]>()).toHaveLength(1);
  });
});
