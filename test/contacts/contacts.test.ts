import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

const t0 = '2026-03-01T09:00:00.000Z';
const t1 = '2026-03-02T10:00:00.000Z';

interface PartyJson {
  id: number;
  name: string;
  phones: string[];
  emails: string[];
  companyIds?: number[];
  contactIds?: number[];
  createdAt: string;
  updatedAt: string;
}

type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

async function show(cli: Cli, kind: 'contact' | 'company', id: number): Promise<PartyJson> {
  const result = await cli([kind, 'show', String(id), '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.json<PartyJson>();
}

async function ids(cli: Cli, kind: 'contact' | 'company', filters: string[]): Promise<number[]> {
  const result = await cli([kind, 'list', ...filters, '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.json<PartyJson[]>().map((p) => p.id);
}

describe('contact add / show', () => {
  it('adds a contact with normalised phones and emails, printing its id', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['settings', 'set', 'default-country', 'GB']);
    const added = await cli([
      'contact',
      'add',
      '--name',
      '  Olivia Brown  ',
      '--phone',
      '020 7946 0958',
      '--phone',
      '+44 20 7946 0958',
      '--phone',
      '+1 (650) 253-0000',
      '--email',
      ' Olivia.Brown@EXAMPLE.co.uk ',
    ]);
    expect(added).toMatchObject({
      exitCode: 0,
      stdout: '1\n',
      stderr: 'Added contact #1 Olivia Brown\n',
    });
    expect(await show(cli, 'contact', 1)).toEqual({
      id: 1,
      name: 'Olivia Brown',
      phones: ['+442079460958', '+16502530000'],
      emails: ['Olivia.Brown@example.co.uk'],
      companyIds: [],
      createdAt: t0,
      updatedAt: t0,
    });
    const piped = await cli(['contact', 'show', '1']);
    expect(piped.stdout).toBe(
      `id\t1\nname\tOlivia Brown\nphones\t+442079460958, +16502530000\nemails\tOlivia.Brown@example.co.uk\ncompanyIds\t\ncreatedAt\t${t0}\nupdatedAt\t${t0}\n`,
    );
  });

  it('a national phone uses --country over default-country', async () => {
    const { cli } = await newStore({ now: t0 });
    const refused = await cli(['contact', 'add', '--name', 'A', '--phone', '06 12 34 56 78']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('(needs-country)');
    await cli(['settings', 'set', 'default-country', 'GB']);
    const fr = await cli([
      'contact',
      'add',
      '--name',
      'A',
      '--phone',
      '06 12 34 56 78',
      '--country',
      'fr',
      '--json',
    ]);
    expect(fr.json<PartyJson>().phones).toEqual(['+33612345678']);
    const badCountry = await cli([
      'contact',
      'add',
      '--name',
      'B',
      '--phone',
      '0612345678',
      '--country',
      'ZZ',
    ]);
    expect(badCountry.exitCode).toBe(2);
    expect(badCountry.stderr).toContain('(invalid-country)');
  });

  it('refuses bad input (2) and unknown links (4), adding nothing', async () => {
    const { cli } = await newStore({ now: t0 });
    const cases: [string[], number][] = [
      [['--name', 'A', '--phone', 'Phone: +44 20 7946 0958'], 2],
      [['--name', 'A', '--phone', '+44 20 7946 0958 ext. 7'], 2],
      [['--name', 'A', '--email', 'Anna <a@example.com>'], 2],
      [['--name', '   '], 2],
      [['--name', 'x'.repeat(201)], 2],
      [['--name', 'A', '--company', '3'], 4],
      [['--name', 'A', '--company', 'x'], 2],
      [[], 2],
    ];
    for (const [flags, code] of cases) {
      const result = await cli(['contact', 'add', ...flags]);
      expect(result.exitCode, flags.join(' ')).toBe(code);
    }
    expect((await cli(['contact', 'list', '--json'])).json()).toEqual([]);
    expect((await cli(['contact', 'show', '1'])).exitCode).toBe(4);
  });
});

describe('links between contacts and companies', () => {
  it('are visible from both sides, whichever side made them', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['company', 'add', '--name', 'Acme']);
    await cli(['company', 'add', '--name', 'Globex']);
    await cli(['contact', 'add', '--name', 'Olivia', '--company', '1', '--company', '2']);
    await cli(['company', 'add', '--name', 'Initech', '--contact', '1']);
    expect((await show(cli, 'contact', 1)).companyIds).toEqual([1, 2, 3]);
    expect((await show(cli, 'company', 1)).contactIds).toEqual([1]);
    expect((await show(cli, 'company', 3)).contactIds).toEqual([1]);

    // --company on update replaces the links.
    await cli(['contact', 'update', '1', '--company', '2'], { now: t1 });
    expect((await show(cli, 'contact', 1)).companyIds).toEqual([2]);
    expect((await show(cli, 'company', 1)).contactIds).toEqual([]);
    const list = await cli(['company', 'list', '--fields', 'id,name,contactIds']);
    expect(list.stdout).toBe('1\tAcme\t\n2\tGlobex\t1\n3\tInitech\t\n');
  });
});

describe('contact / company update', () => {
  it('changes the name, replaces phones or emails, and records the change', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli([
      'contact',
      'add',
      '--name',
      'Olivia',
      '--phone',
      '+442079460958',
      '--email',
      'o@example.com',
    ]);
    const updated = await cli(
      ['contact', 'update', '1', '--name', 'Olivia Brown', '--email', 'OLIVIA@Example.com'],
      { now: t1 },
    );
    expect(updated).toMatchObject({ exitCode: 0, stdout: '1\n', stderr: 'Updated contact #1\n' });
    expect(await show(cli, 'contact', 1)).toMatchObject({
      name: 'Olivia Brown',
      phones: ['+442079460958'],
      emails: ['OLIVIA@example.com'],
      createdAt: t0,
      updatedAt: t1,
    });
    const history = (await cli(['history', '--json'])).json<
      { action: string; command: string; entity: unknown; changes: unknown; at: string }[]
    >();
    expect(history.at(-1)).toMatchObject({
      at: t1,
      action: 'updated',
      command: 'contact update',
      entity: { type: 'contact', id: 1 },
      changes: {
        name: { from: 'Olivia', to: 'Olivia Brown' },
        emails: { from: ['o@example.com'], to: ['OLIVIA@example.com'] },
      },
    });
    // The old email no longer finds it; the new one does, in any case.
    expect(await ids(cli, 'contact', ['--email', 'o@example.com'])).toEqual([]);
    expect(await ids(cli, 'contact', ['--email', 'olivia@EXAMPLE.com'])).toEqual([1]);
  });

  it('an update that changes nothing records nothing and keeps updatedAt', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['company', 'add', '--name', 'Acme']);
    await cli(['contact', 'add', '--name', 'Olivia', '--phone', '+442079460958', '--company', '1']);
    const historyBefore = (await cli(['history', '--json'])).stdout;
    const same = await cli(
      [
        'contact',
        'update',
        '1',
        '--name',
        'Olivia',
        '--phone',
        '+44 20 7946 0958',
        '--company',
        '1',
      ],
      { now: t1 },
    );
    expect(same.exitCode).toBe(0);
    expect((await show(cli, 'contact', 1)).updatedAt).toBe(t0);
    expect((await cli(['history', '--json'])).stdout).toBe(historyBefore);
  });

  it('updates a company the same way', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['contact', 'add', '--name', 'Olivia']);
    await cli(['company', 'add', '--name', 'Acme']);
    const updated = await cli(
      [
        'company',
        'update',
        '1',
        '--name',
        'Acme Ltd',
        '--phone',
        '+1 650 253 0000',
        '--contact',
        '1',
        '--json',
      ],
      { now: t1 },
    );
    expect(updated.json()).toEqual({
      id: 1,
      name: 'Acme Ltd',
      phones: ['+16502530000'],
      emails: [],
      contactIds: [1],
      createdAt: t0,
      updatedAt: t1,
    });
    expect((await cli(['company', 'update', '9', '--name', 'x'])).exitCode).toBe(4);
    expect((await cli(['company', 'update', '1', '--contact', '9'])).exitCode).toBe(4);
    expect((await show(cli, 'company', 1)).contactIds).toEqual([1]);
  });
});

describe('contact / company list', () => {
  async function people() {
    const store = await newStore({ now: t0 });
    const steps = [
      ['settings', 'set', 'default-country', 'GB'],
      [
        'contact',
        'add',
        '--name',
        'Olivia Brown',
        '--phone',
        '020 7946 0958',
        '--email',
        'olivia@example.com',
      ],
      ['contact', 'add', '--name', 'James Brown', '--phone', '07911 123456'],
      [
        'contact',
        'add',
        '--name',
        'Ann 100%',
        '--email',
        'ann@example.com',
        '--phone',
        '020 7946 0958',
      ],
      ['company', 'add', '--name', 'Brown & Sons', '--phone', '+442079460958'],
    ];
    for (const argv of steps) {
      const result = await store.cli(argv);
      if (result.exitCode !== 0) throw new Error(result.stderr);
    }
    return store;
  }

  it('filters by name, phone in any spelling and email, and pages', async () => {
    const { cli } = await people();
    expect(await ids(cli, 'contact', [])).toEqual([1, 2, 3]);
    expect(await ids(cli, 'contact', ['--search', 'brown'])).toEqual([1, 2]);
    expect(await ids(cli, 'contact', ['--search', '100%'])).toEqual([3]);
    expect(await ids(cli, 'contact', ['--phone', '+44 (0)20 7946-0958'])).toEqual([1, 3]);
    expect(await ids(cli, 'contact', ['--phone', '02079460958'])).toEqual([1, 3]);
    expect(await ids(cli, 'company', ['--phone', '020 7946 0958'])).toEqual([1]);
    expect(await ids(cli, 'contact', ['--email', 'ANN@example.com'])).toEqual([3]);
    expect(
      await ids(cli, 'contact', ['--phone', '02079460958', '--email', 'olivia@example.com']),
    ).toEqual([1]);
    expect(await ids(cli, 'contact', ['--phone', '02079460958', '--search', 'ann'])).toEqual([3]);
    expect(await ids(cli, 'contact', ['--limit', '1', '--offset', '1'])).toEqual([2]);
    expect(
      await ids(cli, 'contact', ['--phone', '02079460958', '--limit', '1', '--offset', '1']),
    ).toEqual([3]);
    expect(await ids(cli, 'company', ['--search', 'olivia'])).toEqual([]);
  });

  it('lists as a plain table when piped, and refuses a bad filter value (2)', async () => {
    const { cli } = await people();
    const list = await cli(['contact', 'list']);
    expect(list.stdout).toBe(
      [
        '1\tOlivia Brown\t+442079460958\tolivia@example.com\t',
        '2\tJames Brown\t+447911123456\t\t',
        '3\tAnn 100%\t+442079460958\tann@example.com\t',
        '',
      ].join('\n'),
    );
    expect((await cli(['contact', 'list', '--phone', 'abc'])).exitCode).toBe(2);
    expect((await cli(['contact', 'list', '--email', '@'])).exitCode).toBe(2);
    expect((await cli(['company', 'list', '--limit', 'x'])).exitCode).toBe(2);
  });
});
