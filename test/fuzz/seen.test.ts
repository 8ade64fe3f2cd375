import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

// Issue 7 §3: the crashes seen before the fuzz test existed, each kept as a named test (the
// --wait, --since, search-length and amount ones are in test/cli/limits.test.ts).

const now = '2026-03-01T09:00:00Z';

describe('JavaScript built-in names are names like any other', () => {
  it('help constructor / __proto__ / toString: no such topic (exit 2)', async () => {
    const { cli } = await newStore({ now });
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const result = await cli(['help', word]);
      expect(result.exitCode, word).toBe(2);
      expect(result.stderr).toBe(
        `error: no command or help topic "${word}"; topics: exit-codes, formatting, environment\n`,
      );
    }
  });

  it('settings set/get constructor: no such setting (exit 4)', async () => {
    const { cli } = await newStore({ now });
    for (const argv of [
      ['settings', 'set', 'constructor', 'x'],
      ['settings', 'set', '__proto__', 'x'],
      ['settings', 'get', 'toString'],
    ]) {
      const result = await cli(argv);
      expect(result.exitCode, argv.join(' ')).toBe(4);
      expect(result.stderr).toMatch(
        /^error: no setting ".*"; settings: default-country, currency, leads-from-calls\n$/,
      );
    }
  });

  it('type add constructor, then pipeline add P --type constructor', async () => {
    const { cli } = await newStore({ now });
    expect((await cli(['type', 'add', 'constructor'])).exitCode).toBe(0);
    const added = await cli(['pipeline', 'add', 'P', '--type', 'constructor', '--json']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.json<{ stages: { name: string }[] }>().stages.map((s) => s.name)).toEqual([
      'New',
      'In progress',
      'Success',
      'Failure',
    ]);
  });

  it('item update --field __proto__=x and toString=x are stored, with history from and to', async () => {
    const { cli } = await newStore({ now });
    expect(
      (await cli(['item', 'add', '--title', 'Sofa', '--field', 'constructor=c'])).exitCode,
    ).toBe(0);
    const updated = await cli([
      'item',
      'update',
      '1',
      '--field',
      '__proto__=x',
      '--field',
      'toString=y',
      '--field',
      'constructor=',
      '--json',
    ]);
    expect(updated.exitCode, updated.stderr).toBe(0);
    const fields = (await cli(['item', 'show', '1', '--json'])).json<{ fields: object }>().fields;
    expect(Object.entries(fields)).toEqual([
      ['__proto__', 'x'],
      ['toString', 'y'],
    ]);
    const history = (await cli(['history', '--item', '1', '--json'])).json<
      { changes: Record<string, unknown> }[]
    >();
    expect(Object.entries(history.at(-1)?.changes ?? {})).toEqual([
      ['fields.__proto__', { from: null, to: 'x' }],
      ['fields.toString', { from: null, to: 'y' }],
      ['fields.constructor', { from: 'c', to: null }],
    ]);
  });

  it('item add --field __proto__=x keeps it', async () => {
    const { cli } = await newStore({ now });
    const added = await cli(['item', 'add', '--title', 'T', '--field', '__proto__=x', '--json']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(Object.entries(added.json<{ fields: object }>().fields)).toEqual([['__proto__', 'x']]);
  });
});
