import { describe, expect, it } from 'vitest';
import { newStore, runCli } from '../helpers.js';

describe('help on a narrow terminal', () => {
  it('is wrapped to 60 columns, so the terminal never breaks a word', async () => {
    const result = await runCli(['item', 'move', '--help'], { tty: true, columns: 60 });
    expect(result.exitCode).toBe(0);
    const [body = ''] = result.stdout.split('\nExamples:');
    const long = body.split('\n').filter((line) => line.length > 60);
    expect(long).toEqual([]);
  });
});

describe('error messages', () => {
  it('show control characters escaped, never raw', async () => {
    // A store of its own: the default one under $HOME is anybody's.
    const { cli } = await newStore();
    const result = await cli(['item', 'show', '\x1b[31mred']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).not.toContain('\x1b');
    expect(result.stderr).toContain('\\x1b[31mred');
  });

  it('escape what commander itself reports', async () => {
    const result = await runCli(['item', 'list', '--\x1b]0;owned\x07'], {});
    expect(result.exitCode).toBe(2);
    expect(result.stderr).not.toContain('\x07');
    expect(result.stderr).not.toContain('\x1b');
  });
});
