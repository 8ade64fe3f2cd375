import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

// DESIGN §8: an empty or blank value given to an option is a usage error naming it, never
// "match everything" (an empty --comment filter used to remove every entry).

describe('options given an empty value', () => {
  it.each([
    [['exceptions', 'remove', '--comment', '', '--yes'], '--comment'],
    [['exceptions', 'remove', '--value', ' ', '--yes'], '--value'],
    [['exceptions', 'list', '--added-by', ''], '--added-by'],
    [['item', 'list', '--search', ''], '--search'],
    [['history', '--actor', '  '], '--actor'],
    [['--as', '', 'item', 'list'], '--as'],
    [['--now', '', 'item', 'list'], '--now'],
    [['db', 'backup', 'x.db', '--db', ''], '--db'],
  ])('%j is a usage error naming %s, and removes nothing', async (argv, flag) => {
    const { cli } = await newStore();
    expect(
      (await cli(['exceptions', 'add', 'a@spam.example;supplier', 'b@spam.example'])).exitCode,
    ).toBe(0);
    const result = await cli(argv);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(flag);
    const listed = (await cli(['exceptions', 'list', '--json'])).json<unknown[]>();
    expect(listed).toHaveLength(2);
  });

  it('accepts an empty email subject, which real mail has', async () => {
    const { cli } = await newStore();
    const result = await cli(['email', 'incoming', '--from', 'anna@example.com', '--subject', '']);
    expect(result.exitCode).toBe(0);
  });
});
