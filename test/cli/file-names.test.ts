import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

// A path that cannot be one (a NUL, a name over NAME_MAX, a folder) is a clear error naming
// it, never an internal one (issue 7 §3: the fuzz found each of these as exit 70).

const long = 'é'.repeat(60_000);

describe('file names that cannot be used', () => {
  it.each([
    [['exceptions', 'import', long], 7, /cannot read .*: the name is too long/],
    [['exceptions', 'import', 'a\0b'], 2, /NUL character/],
    [['exceptions', 'export', long, '--force'], 2, /the name is too long/],
    [['exceptions', 'export', '..', '--force'], 2, /\.\./],
    [['exceptions', 'remove', '--file', long], 7, /the name is too long/],
    [['db', 'backup', long], 2, /too long/],
    [['db', 'backup', 'a\0b'], 2, /NUL|\\x00/],
  ])(
    'case %# exits as it should, with a message naming the problem',
    async (argv, code, message) => {
      const { cli } = await newStore();
      const result = await cli(argv as string[]);
      expect(result.exitCode, result.stderr).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain('    at ');
      expect(result.stderr.length).toBeLessThan(400);
    },
  );
});
