import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

const admin = userInfo().username;
const now = '2026-03-01T09:00:00.000Z';

/**
 * 1 lead  "Wardrobe enquiry"  phone +442079460958, email Olivia@Example.com, responsible bob
 * 2 deal  "Oak table"         contact 1 (+447911123456, james@example.com), stage Won
 * 3 deal  "Sofa 50% off"      company 1 (+442079460958), responsible bob
 * 4 deal  "Oak_chair"         Furniture pipeline, stage Measure, contact 1 + company 1
 * 5 quote "Oak desk quote"
 */
async function catalogue() {
  const store = await newStore({ now });
  const { cli } = store;
  const steps = [
    ['settings', 'set', 'default-country', 'GB'],
    ['user', 'add', 'bob'],
    ['pipeline', 'add', 'Furniture', '--stages', 'New,Measure,Won:success,Lost:failure'],
    [
      'contact',
      'add',
      '--name',
      'James',
      '--phone',
      '07911 123456',
      '--email',
      'james@example.com',
    ],
    ['company', 'add', '--name', 'Acme', '--phone', '020 7946 0958'],
    [
      'item',
      'add',
      '--type',
      'lead',
      '--title',
      'Wardrobe enquiry',
      '--phone',
      '+44 20 7946 0958',
      '--email',
      'Olivia@Example.com',
      '--responsible',
      'bob',
    ],
    ['item', 'add', '--title', 'Oak table', '--contact', '1', '--stage', 'Won'],
    ['item', 'add', '--title', 'Sofa 50% off', '--company', '1', '--responsible', 'bob'],
    [
      'item',
      'add',
      '--pipeline',
      'Furniture',
      '--stage',
      'Measure',
      '--title',
      'Oak_chair',
      '--contact',
      '1',
      '--company',
      '1',
    ],
    ['item', 'add', '--type', 'quote', '--title', 'Oak desk quote'],
  ];
  for (const argv of steps) {
    const result = await cli(argv);
    if (result.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
  }
  return store;
}

type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

async function ids(cli: Cli, filters: string[], options: { env?: Record<string, string> } = {}) {
  const result = await cli(['item', 'list', ...filters, '--fields', 'id'], options);
  expect(result.exitCode, `${filters.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.split('\n').filter(Boolean).map(Number);
}

describe('item list', () => {
  it('lists everything by id, as a plain table when piped', async () => {
    const { cli } = await catalogue();
    const list = await cli(['item', 'list']);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toBe(
      [
        '1\tlead\tDefault\tNew\tWardrobe enquiry\t\tbob',
        `2\tdeal\tDefault\tWon\tOak table\t\t${admin}`,
        '3\tdeal\tDefault\tNew\tSofa 50% off\t\tbob',
        `4\tdeal\tFurniture\tMeasure\tOak_chair\t\t${admin}`,
        `5\tquote\tDefault\tDraft\tOak desk quote\t\t${admin}`,
        '',
      ].join('\n'),
    );
  });

  it('filters by type, pipeline, stage and responsible', async () => {
    const { cli } = await catalogue();
    expect(await ids(cli, ['--type', 'deal'])).toEqual([2, 3, 4]);
    expect(await ids(cli, ['--type', 'lead'])).toEqual([1]);
    expect(await ids(cli, ['--pipeline', 'furniture'])).toEqual([4]);
    // --stage without --pipeline: of the default pipeline of --type (deal).
    expect(await ids(cli, ['--stage', 'won'])).toEqual([2]);
    expect(await ids(cli, ['--stage', 'New'])).toEqual([3]);
    expect(await ids(cli, ['--type', 'lead', '--stage', 'New'])).toEqual([1]);
    expect(await ids(cli, ['--pipeline', 'Furniture', '--stage', 'Measure'])).toEqual([4]);
    expect(await ids(cli, ['--responsible', 'bob'])).toEqual([1, 3]);
    expect(await ids(cli, ['--responsible', 'bob', '--type', 'deal'])).toEqual([3]);
  });

  it('finds items by phone in any spelling: own, contact’s or company’s', async () => {
    const { cli } = await catalogue();
    // Lead 1 holds it, deal 3 and deal 4 through company 1.
    for (const spelling of [
      '+44 20 7946 0958',
      '+442079460958',
      '(020) 7946-0958',
      '020.7946.0958',
      '+44 (0)20 7946 0958',
    ]) {
      expect(await ids(cli, ['--phone', spelling]), spelling).toEqual([1, 3, 4]);
    }
    // Through contact 1.
    expect(await ids(cli, ['--phone', '07911123456'])).toEqual([2, 4]);
    // A national number of another country with --country.
    expect(await ids(cli, ['--phone', '06 12 34 56 78', '--country', 'FR'])).toEqual([]);
  });

  it('a national phone needs --country or default-country (exit 2)', async () => {
    const { cli } = await newStore({ now });
    const result = await cli(['item', 'list', '--phone', '020 7946 0958']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('(needs-country)');
    const withCountry = await cli([
      'item',
      'list',
      '--phone',
      '020 7946 0958',
      '--country',
      'GB',
      '--json',
    ]);
    expect(withCountry.exitCode).toBe(0);
    expect(withCountry.json()).toEqual([]);
    const garbage = await cli(['item', 'list', '--phone', 'call me']);
    expect(garbage.exitCode).toBe(2);
  });

  it('finds items by email, case-insensitively', async () => {
    const { cli } = await catalogue();
    expect(await ids(cli, ['--email', 'olivia@example.com'])).toEqual([1]);
    expect(await ids(cli, ['--email', 'OLIVIA@EXAMPLE.COM'])).toEqual([1]);
    expect(await ids(cli, ['--email', 'James@Example.Com'])).toEqual([2, 4]);
    expect(await ids(cli, ['--email', 'nobody@example.com'])).toEqual([]);
    expect((await cli(['item', 'list', '--email', 'not an email'])).exitCode).toBe(2);
  });

  it('--search matches the title, with % and _ taken literally', async () => {
    const { cli } = await catalogue();
    expect(await ids(cli, ['--search', 'oak'])).toEqual([2, 4, 5]);
    expect(await ids(cli, ['--search', '50%'])).toEqual([3]);
    expect(await ids(cli, ['--search', '%'])).toEqual([3]);
    expect(await ids(cli, ['--search', 'Oak_'])).toEqual([4]);
    expect(await ids(cli, ['--search', '_'])).toEqual([4]);
  });

  it('combines filters: all must hold', async () => {
    const { cli } = await catalogue();
    expect(await ids(cli, ['--search', 'oak', '--type', 'deal'])).toEqual([2, 4]);
    expect(await ids(cli, ['--phone', '+442079460958', '--responsible', 'bob'])).toEqual([1, 3]);
    expect(await ids(cli, ['--phone', '+442079460958', '--email', 'james@example.com'])).toEqual([
      4,
    ]);
    expect(await ids(cli, ['--phone', '+447911123456', '--email', 'olivia@example.com'])).toEqual(
      [],
    );
  });

  it('--limit and --offset page through the result, also with two value filters', async () => {
    const { cli } = await catalogue();
    expect(await ids(cli, ['--limit', '2'])).toEqual([1, 2]);
    expect(await ids(cli, ['--limit', '2', '--offset', '2'])).toEqual([3, 4]);
    expect(await ids(cli, ['--offset', '4'])).toEqual([5]);
    expect(await ids(cli, ['--offset', '9'])).toEqual([]);
    expect(await ids(cli, ['--limit', '0'])).toEqual([]);
    expect(await ids(cli, ['--type', 'deal', '--limit', '1', '--offset', '1'])).toEqual([3]);
    // Items 3 and 4 hold both the company phone and … only 4 the contact email: page 2 of
    // "phone and email" must still be computed over all matches, not over page 2 of the first.
    await cli(['item', 'update', '3', '--contact', '1']);
    expect(await ids(cli, ['--phone', '+442079460958', '--email', 'james@example.com'])).toEqual([
      3, 4,
    ]);
    expect(
      await ids(cli, [
        '--phone',
        '+442079460958',
        '--email',
        'james@example.com',
        '--limit',
        '1',
        '--offset',
        '1',
      ]),
    ).toEqual([4]);
    for (const bad of [
      ['--limit', '-1'],
      ['--limit', 'ten'],
      ['--offset', '1.5'],
    ]) {
      expect((await cli(['item', 'list', ...bad])).exitCode, bad.join(' ')).toBe(2);
    }
  });

  it('unknown filters values are not found (4) naming what exists', async () => {
    const { cli } = await catalogue();
    const stage = await cli(['item', 'list', '--stage', 'Nope']);
    expect(stage.exitCode).toBe(4);
    expect(stage.stderr).toBe(
      'error: no stage "Nope" in pipeline "Default"; stages: New, Preparing documents, Prepayment invoice, In progress, Final invoice, Won, Lost\n',
    );
    expect((await cli(['item', 'list', '--responsible', 'ghost'])).exitCode).toBe(4);
    expect((await cli(['item', 'list', '--pipeline', 'Ghost'])).exitCode).toBe(4);
  });

  it('an empty result is not an error', async () => {
    const { cli } = await catalogue();
    for (const [format, expected] of [
      ['json', '[]\n'],
      ['jsonl', ''],
    ] as const) {
      const result = await cli(['item', 'list', '--search', 'zzz', '-o', format]);
      expect(result).toMatchObject({ exitCode: 0, stdout: expected, stderr: '' });
    }
    // Piped, the default table is rows without a header: none; -o table is a table, its header.
    expect(await cli(['item', 'list', '--search', 'zzz'])).toMatchObject({
      exitCode: 0,
      stdout: '',
      stderr: '',
    });
    const table = await cli(['item', 'list', '--search', 'zzz', '-o', 'table']);
    expect(table.stdout.split('\n')[1]).toMatch(/^│ ID +│ Type +│/);
  });
});
