import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

// Issue 7 §2.2: what the exceptions list holds needs exceptions.view. Without it, `history`
// showed the values of exceptions operations, and `email incoming` / `email log` told whether
// an address was listed. Now history entries about the exceptions list are hidden from such a
// user, and a communication that was not saved says only "not saved to the CRM".

const now = '2026-06-01T09:00:00.000Z';

/** An admin's store with a listed address; "dora" may edit items but not see the list. */
async function storeWithLister() {
  const store = await newStore({ now });
  for (const argv of [
    ['role', 'add', 'desk', '--permissions', 'items.view,items.edit'],
    ['user', 'add', 'dora', '--role', 'desk'],
    ['user', 'add', 'emma', '--role', 'employee'],
    ['exceptions', 'add', 'offers@spam.example;newsletter'],
    ['item', 'add', '--title', 'Sofa'],
  ]) {
    const result = await store.cli(argv);
    expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
  }
  return store;
}

interface HistoryJson {
  entity: { type: string };
  changes: unknown;
}

describe('history of the exceptions list', () => {
  it('is hidden from users without exceptions.view, in every format', async () => {
    const { cli } = await storeWithLister();
    const dora = await cli(['history', '--json'], { as: 'dora' });
    expect(dora.exitCode, dora.stderr).toBe(0);
    const entries = dora.json<HistoryJson[]>();
    expect(entries.some((e) => e.entity.type === 'item')).toBe(true);
    expect(entries.filter((e) => e.entity.type === 'exceptions')).toEqual([]);
    for (const format of ['table', 'csv', 'tsv', 'jsonl']) {
      const result = await cli(['history', '-o', format], { as: 'dora' });
      expect(result.exitCode).toBe(0);
      expect(result.stdout, format).not.toContain('spam.example');
    }
    // --limit counts what the user may see.
    const limited = (await cli(['history', '--json', '--limit', '100'], { as: 'dora' })).json<
      HistoryJson[]
    >();
    expect(limited).toEqual(entries);
  });

  it('is shown to users with exceptions.view, values included', async () => {
    const { cli } = await storeWithLister();
    for (const login of [undefined, 'emma']) {
      const entries = (await cli(['history', '--json'], { as: login })).json<HistoryJson[]>();
      const listed = entries.filter((e) => e.entity.type === 'exceptions');
      expect(listed, login).toHaveLength(1);
      expect(JSON.stringify(listed[0]?.changes)).toContain('offers@spam.example');
    }
  });
});

describe('inbound results and logs', () => {
  it('email incoming from a listed address: "not saved to the CRM", without the reason', async () => {
    const { cli } = await storeWithLister();
    const result = await cli(
      ['email', 'incoming', '--from', 'offers@spam.example', '--subject', 'Deal!'],
      { as: 'dora' },
    );
    expect(result).toMatchObject({ exitCode: 0, stdout: '', stderr: 'Not saved to the CRM\n' });
    const json = await cli(
      ['email', 'incoming', '--from', 'offers@spam.example', '--subject', 'Again', '--json'],
      { as: 'dora' },
    );
    expect(json.exitCode).toBe(0);
    expect(json.stdout).not.toContain('exceptions');
    expect(json.json<{ communication: { reason: string } }>().communication.reason).toBe(
      'not saved to the CRM',
    );
  });

  it('email log: the reason is withheld without exceptions.view, shown with it', async () => {
    const { cli } = await storeWithLister();
    await cli(['email', 'incoming', '--from', 'offers@spam.example', '--subject', 'Deal!']);
    await cli(['email', 'incoming', '--from', 'anna@example.com', '--subject', 'Sofa?']);
    const reasons = async (login?: string) =>
      (await cli(['email', 'log', '--json'], { as: login }))
        .json<{ from: string; status: string; reason: string }[]>()
        .map((e) => [e.from, e.status, e.reason]);
    expect(await reasons('dora')).toEqual([
      ['offers@spam.example', 'blocked', 'not saved to the CRM'],
      ['anna@example.com', 'saved', 'no open item holds anna@example.com'],
    ]);
    expect(await reasons('emma')).toEqual([
      [
        'offers@spam.example',
        'blocked',
        'offers@spam.example is on the exceptions list: not saved to the CRM',
      ],
      ['anna@example.com', 'saved', 'no open item holds anna@example.com'],
    ]);
    for (const format of ['table', 'csv', 'tsv', 'jsonl']) {
      const result = await cli(['email', 'log', '-o', format], { as: 'dora' });
      expect(result.stdout, format).not.toContain('exceptions list');
    }
  });
});
