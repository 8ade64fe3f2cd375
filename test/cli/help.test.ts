import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { runCli, tempDir } from '../helpers.js';

/** Help never needs (or creates) a store. */
async function help(argv: string[]) {
  const db = join(tempDir(), 'never.db');
  const result = await runCli(argv, { env: { CRMCTL_DB: db } });
  expect(existsSync(db)).toBe(false);
  return result;
}

describe('help topics', () => {
  it('exit-codes lists every exit code of DESIGN §8 with its meaning', async () => {
    const result = await help(['help', 'exit-codes']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    const codes = [...result.stdout.matchAll(/^ {2}(\d+) +\S/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 70, 74, 75, 130, 143]);
    expect(codes).toEqual(Object.values(ExitCode).sort((a, b) => a - b));
    const meaning = (code: number) =>
      result.stdout.match(new RegExp(`^ {2}${code} +(.*)$`, 'm'))?.[1] ?? '';
    expect(meaning(0)).toMatch(/success/);
    expect(meaning(1)).toMatch(/not listed.*no error ever exits 1/);
    expect(meaning(2)).toMatch(/usage error/);
    expect(meaning(3)).toMatch(/some input was rejected/);
    expect(meaning(4)).toMatch(/not found/);
    expect(meaning(5)).toMatch(/conflict or refused/);
    expect(meaning(6)).toMatch(/permission denied/);
    expect(meaning(7)).toMatch(/cannot be used at all/);
    expect(meaning(70)).toMatch(/internal error/);
    expect(meaning(75)).toMatch(/busy.*retry later/);
    expect(meaning(74)).toMatch(/could not write output.*committed/);
    expect(meaning(130)).toMatch(/interrupted/);
    expect(meaning(143)).toMatch(/terminated/);
  });

  it('formatting describes every output format, --fields and colour', async () => {
    const result = await help(['help', 'formatting']);
    expect(result.exitCode).toBe(0);
    for (const text of [
      '-o table',
      '-o json',
      '--json',
      '-o jsonl',
      '-o csv',
      '-o tsv',
      '--fields',
      'NO_COLOR',
      'FORCE_COLOR',
      '--no-color',
      'ISO-8601 UTC',
    ]) {
      expect(result.stdout, text).toContain(text);
    }
  });

  it('environment names every variable crmctl reads', async () => {
    const result = await help(['help', 'environment']);
    expect(result.exitCode).toBe(0);
    for (const name of [
      'CRMCTL_DB',
      'XDG_DATA_HOME',
      'CRMCTL_USER',
      'CRMCTL_NOW',
      'CRMCTL_WAIT',
      'CRMCTL_NO_INPUT',
      'CRMCTL_DEBUG',
      'NO_COLOR',
      'FORCE_COLOR',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^ {2}${name} `, 'm'));
    }
  });

  it('`help <command>` shows that command’s help, the same as --help', async () => {
    const viaHelp = await help(['help', 'item', 'move']);
    const viaFlag = await help(['item', 'move', '--help']);
    expect(viaHelp.exitCode).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toMatch(/^Usage: crmctl item move \[options\] \[ids\.\.\.\]\n/);
    expect(viaHelp.stdout).toContain('--dry-run');
    expect(viaHelp.stdout).toContain('Examples:\n  $ crmctl item move 42 --stage Prepayment');
    const group = await help(['help', 'pipeline']);
    expect(group.stdout).toMatch(/^Usage: crmctl pipeline /);
  });

  it('`help` alone shows the program’s help with its commands and topics', async () => {
    const result = await help(['help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Usage: crmctl /);
    const topics = await help(['help', '--help']);
    expect(topics.stdout).toContain('exit-codes');
    expect(topics.stdout).toContain('formatting');
    expect(topics.stdout).toContain('environment');
  });

  it('an unknown topic or command is a usage error (exit 2) listing the topics', async () => {
    for (const argv of [
      ['help', 'nope'],
      ['help', 'item', 'nope'],
      ['help', 'exit-codes', 'extra'],
    ]) {
      const result = await help(argv);
      expect(result.exitCode, argv.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `error: no command or help topic "${argv.slice(1).join(' ')}"; topics: exit-codes, formatting, environment\n`,
      );
    }
  });
});

describe('--version', () => {
  it('prints the package version and exits 0', async () => {
    const result = await help(['--version']);
    expect(result).toMatchObject({ exitCode: 0, stdout: '0.1.0\n' });
  });
});

describe('--fields in each command’s help (issue 7 §7.5)', () => {
  /** The names listed under "Commands:" in a help text. */
  const subcommandsOf = (text: string) =>
    (/\nCommands:\n([\s\S]*?)(\n\n|$)/.exec(text)?.[1] ?? '')
      .split('\n')
      .map((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined && name !== 'help');

  // src/store is not this change's to edit.
  const pending = new Set(['db check', 'db backup']);

  it('every command that takes --fields lists its fields', async () => {
    const missing: string[] = [];
    const listed: Record<string, string[]> = {};
    const walk = async (path: string[]) => {
      const { stdout } = await help([...path, '--help']);
      if (stdout.includes('--fields <names>')) {
        expect(stdout, path.join(' ')).not.toContain('see --help for the list');
        const section = /\nFields for --fields[^\n]*\n((?: {2}.+\n)+)/.exec(stdout)?.[1];
        if (section) {
          listed[path.join(' ')] = section
            .split(',')
            .map((name) => name.trim().replace(/\*$/, ''))
            .filter(Boolean);
        } else if (!pending.has(path.join(' '))) missing.push(path.join(' '));
      }
      for (const name of subcommandsOf(stdout)) await walk([...path, name]);
    };
    await walk([]);
    expect(missing).toEqual([]);
    expect(listed['item list']).toEqual([
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
    ]);
    expect(listed['exceptions list']).toContain('batchId');
    expect(Object.keys(listed).length).toBeGreaterThan(30);
  });

  it('marks the columns a table shows by default', async () => {
    const { stdout } = await help(['user', 'list', '--help']);
    expect(stdout).toContain('  id, login*, name*, role*, supervisor*, createdAt\n');
  });
});
