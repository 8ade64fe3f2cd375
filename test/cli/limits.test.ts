import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../src/cli/parse.js';
import { UsageError } from '../../src/errors.js';
import { newStore } from '../helpers.js';

// Issue 7 §3 and §4: values the program cannot honour are clear usage errors (exit 2), never an
// internal error (exit 70), a silent rounding, or "match everything".

const now = '2026-03-01T09:00:00Z';

type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

async function refused(cli: Cli, argv: string[], env: Record<string, string> = {}) {
  const result = await cli(argv, { env });
  expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n')).toHaveLength(2);
  return result.stderr;
}

describe('--wait and CRMCTL_WAIT', () => {
  it.each([['2147484'], ['86401'], ['-0'], ['-1'], ['1e3'], ['0x10'], ['Infinity'], ['5 s']])(
    '--wait %s is refused with the range',
    async (value) => {
      const { cli } = await newStore({ now });
      expect(await refused(cli, ['--wait', value, 'item', 'add', '--title', 'x'])).toBe(
        `error: --wait takes a number of seconds from 0 to 86400 (a day), not "${value}"\n`,
      );
      expect((await cli(['item', 'list', '--json'])).json()).toEqual([]);
    },
  );

  it('CRMCTL_WAIT=5000000 is refused, naming CRMCTL_WAIT', async () => {
    const { cli } = await newStore({ now });
    expect(await refused(cli, ['item', 'add', '--title', 'x'], { CRMCTL_WAIT: '5000000' })).toBe(
      'error: CRMCTL_WAIT takes a number of seconds from 0 to 86400 (a day), not "5000000"\n',
    );
  });

  it('accepts 0 to a day, fractions included', async () => {
    const { cli } = await newStore({ now });
    for (const value of ['0', '0.5', '86400', '60']) {
      const result = await cli(['--wait', value, 'item', 'add', '--title', value]);
      expect(result.exitCode, `${value}: ${result.stderr}`).toBe(0);
    }
  });
});

describe('--now and CRMCTL_NOW', () => {
  it.each([
    ['0000-01-01'],
    ['1969-12-31T23:59:59Z'],
    ['9999-12-31T23:00:00-05:00'],
    ['0001-01-01T00:00:00+01:00'],
  ])('--now %s is outside 1970-9999: refused', async (value) => {
    const { cli } = await newStore({ now });
    expect(await refused(cli, ['--now', value, 'item', 'add', '--title', 'x'])).toBe(
      `error: --now takes a time in the years 1970 to 9999, not "${value}"\n`,
    );
  });

  it('--now "" is a usage error; CRMCTL_NOW="" means not set', async () => {
    const { cli } = await newStore({ now });
    expect(await refused(cli, ['--now', '', 'item', 'list'])).toBe(
      'error: --now needs a value, not an empty one\n',
    );
    const unset = await cli(['item', 'add', '--title', 'x', '--json'], { now: '' });
    expect(unset.exitCode, unset.stderr).toBe(0);
  });

  it('accepts the first and last moments of the range', async () => {
    const { cli } = await newStore({ now });
    for (const value of ['1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z']) {
      const result = await cli(['--now', value, 'item', 'add', '--title', 'x', '--json']);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.json<{ createdAt: string }>().createdAt).toBe(new Date(value).toISOString());
    }
  });
});

describe('durations', () => {
  it.each([
    [['history', '--since', '99999999999999999d']],
    [['history', '--since', '36501d']],
    [['email', 'log', '--since', '9999999999999999999999w']],
    [['exceptions', 'list', '--since', '99999999999999999d']],
  ])('%j: a duration over 100 years is a usage error', async (argv) => {
    const { cli } = await newStore({ now });
    expect(await refused(cli, argv)).toMatch(
      /^error: --since takes a duration of at most 100 years \(36500d\), not ".*"\n$/,
    );
  });

  it('100 years back is fine', async () => {
    const { cli } = await newStore({ now });
    const result = await cli(['history', '--since', '36500d', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
  });
});

describe('amounts are stored exactly or refused', () => {
  it.each([
    ['9007199254740993', /at most 15 digits/],
    ['1234567890123456', /at most 15 digits/],
    ['1e400', /at most 15 digits/],
    ['1e-400', /at most 4 decimals/],
    ['0.00001', /at most 4 decimals/],
    ['12.34567', /at most 4 decimals/],
    ['-1', /takes a number of 0 or more/],
    ['0x10', /takes a number of 0 or more/],
    ['NaN', /takes a number of 0 or more/],
    ['.', /takes a number of 0 or more/],
    ['1e9999999', /takes a number of 0 or more/],
  ])('%s is refused', (value, message) => {
    expect(() => parseAmount(value)).toThrow(UsageError);
    expect(() => parseAmount(value)).toThrow(message);
  });

  it.each([
    ['1200.50', 1200.5],
    ['0', 0],
    ['0.0000', 0],
    ['.5', 0.5],
    ['1.', 1],
    ['1.2e3', 1200],
    ['12.3450000', 12.345],
    ['99999999999.9999', 99999999999.9999],
    ['999999999999999', 999999999999999],
    ['1e14', 1e14],
    ['0.0001', 0.0001],
  ])('%s is %d', (value, amount) => {
    expect(parseAmount(value)).toBe(amount);
    expect(String(parseAmount(value))).toBe(String(amount));
  });

  it('item add and update refuse them with exit 2 and store nothing', async () => {
    const { cli } = await newStore({ now });
    await refused(cli, ['item', 'add', '--title', 'x', '--amount', '9007199254740993']);
    expect((await cli(['item', 'add', '--title', 'x', '--amount', '10.25'])).exitCode).toBe(0);
    await refused(cli, ['item', 'update', '1', '--amount', '1e-400']);
    expect((await cli(['item', 'show', '1', '--json'])).json<{ amount: number }>().amount).toBe(
      10.25,
    );
  });
});

describe('search text', () => {
  it.each([
    [['item', 'list', '--search']],
    [['contact', 'list', '--search']],
    [['company', 'list', '--search']],
  ])('%j over 10,000 characters is a usage error, not "LIKE pattern too complex"', async (argv) => {
    const { cli } = await newStore({ now });
    for (const text of ['x'.repeat(60_000), '%'.repeat(30_000), '😀'.repeat(20_000)]) {
      expect(await refused(cli, [...argv, text])).toBe(
        `error: a search text takes at most 10000 characters, not ${text.length}\n`,
      );
    }
    const longest = await cli([...argv, '😀'.repeat(5_000)]);
    expect(longest.exitCode, longest.stderr).toBe(0);
  });
});

describe('arguments that name a pipeline or stage, given empty', () => {
  it.each([
    [['pipeline', 'rename', '', 'Renamed'], 'name a pipeline (its name or id), not an empty one'],
    [['pipeline', 'remove', ' '], 'name a pipeline (its name or id), not an empty one'],
    [['pipeline', 'show', ''], 'name a pipeline (its name or id), not an empty one'],
    [['stage', 'remove', ''], 'name a stage (its name or id), not an empty one'],
    [['stage', 'rename', ' ', 'X'], 'name a stage (its name or id), not an empty one'],
  ])('%j is a usage error, never "the default one"', async (argv, message) => {
    const { cli } = await newStore({ now });
    const before = (await cli(['pipeline', 'list', '--json'])).stdout;
    expect(await refused(cli, argv)).toBe(`error: ${message}\n`);
    expect((await cli(['pipeline', 'list', '--json'])).stdout).toBe(before);
  });
});

describe('filters name real things', () => {
  it('item list --type nosuch exits 4 like --pipeline nosuch', async () => {
    const { cli } = await newStore({ now });
    const type = await cli(['item', 'list', '--type', 'nosuch']);
    expect(type.exitCode).toBe(4);
    expect(type.stderr).toBe('error: no entity type "nosuch"; types: deal, invoice, lead, quote\n');
    expect((await cli(['item', 'list', '--pipeline', 'nosuch'])).exitCode).toBe(4);
  });

  it.each([
    [['email', 'log', '--status', 'nope'], "'--status <status>'", 'saved, blocked'],
    [['chat', 'log', '--status', 'Saved'], "'--status <status>'", 'saved, blocked'],
    [['item', 'add', '--title', 'x', '--source', 'fax'], "'--source <source>'", 'manual, call'],
    [['stage', 'add', 'X', '--semantic', 'won'], "'--semantic <semantic>'", 'process, success'],
    [['exceptions', 'list', '--type', 'fax'], "'--type <type>'", 'phone, email'],
    [['item', 'list', '-o', 'xml'], "'-o, --output <format>'", 'table, json'],
  ])('%j exits 2 listing the valid values', async (argv, option, valid) => {
    const { cli } = await newStore({ now });
    const result = await cli(argv);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`option ${option} argument`);
    expect(result.stderr).toContain(`Allowed choices are ${valid}`);
  });
});
