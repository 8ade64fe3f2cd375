import { describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers.js';
import { runBuilt } from './support.js';

// DESIGN §8: every command has a description and examples. The walk discovers the commands
// from the help itself, so a command added later is checked without touching this test.

/** The names listed under "Commands:" in a help text. */
function subcommandsOf(help: string): string[] {
  const section = /\nCommands:\n([\s\S]*?)(\n\n|$)/.exec(help)?.[1] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** What is wrong with one command's help: no description, or no examples. */
function problemsOf(path: string[], help: string): string[] {
  const problems: string[] = [];
  const [usage, description] = help.split('\n\n');
  if (!usage?.startsWith(`Usage: crmctl ${path.join(' ')}`.trimEnd())) {
    problems.push(`does not start with its usage: ${JSON.stringify(usage)}`);
  }
  if (!description || /^(Options|Arguments|Commands):/.test(description.trim())) {
    problems.push('has no description');
  }
  const examples = /\nExamples:\n((?: {2}\$ .+\n?)+)/.exec(help)?.[1]?.trim().split('\n') ?? [];
  const itself = `crmctl ${path.join(' ')}`.trimEnd();
  if (examples.length === 0) problems.push('has no "Examples:" section with "  $ …" lines');
  else if (!examples.some((example) => example.includes(itself))) {
    problems.push(`has no example of itself: ${examples.join(' | ')}`);
  }
  return problems.map((p) => `${`crmctl ${path.join(' ')}`.trimEnd()} ${p}`);
}

describe('help', () => {
  it('crmctl --help (the real binary) lists the commands, with a description and examples', async () => {
    const result = await spawnCli(['--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(problemsOf([], result.stdout)).toEqual([]);
    expect(subcommandsOf(result.stdout)).toEqual(
      expect.arrayContaining([
        'init',
        'item',
        'contact',
        'pipeline',
        'stage',
        'history',
        'user',
        'role',
        'db',
        'help',
      ]),
    );
  });

  it('every command and subcommand has a description and an "Examples:" section', async () => {
    const problems: string[] = [];
    const visited: string[] = [];
    const walk = async (path: string[]) => {
      const result = await runBuilt([...path, '--help']);
      visited.push(path.join(' '));
      if (result.exitCode !== 0 || result.stderr !== '') {
        problems.push(
          `crmctl ${path.join(' ')} --help exited ${result.exitCode}: ${result.stderr}`,
        );
        return;
      }
      problems.push(...problemsOf(path, result.stdout));
      for (const name of subcommandsOf(result.stdout)) {
        // commander's own `help [command]` of a group is not one of ours.
        if (path.length > 0 && name === 'help') continue;
        await walk([...path, name]);
      }
    };
    await walk([]);
    expect(problems).toEqual([]);
    // The walk really went down to the verbs.
    expect(visited).toEqual(
      expect.arrayContaining([
        'item add',
        'item move',
        'user add',
        'db backup',
        'history',
        'completion',
      ]),
    );
    expect(visited.length).toBeGreaterThan(40);
  });

  it('`crmctl help COMMAND` shows the same help as `COMMAND --help`', async () => {
    const viaHelp = await spawnCli(['help', 'item', 'move']);
    const viaFlag = await spawnCli(['item', 'move', '--help']);
    expect(viaHelp.exitCode).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toContain('Examples:');
  });

  it.each([
    ['exit-codes', '75'],
    ['formatting', 'jsonl'],
    ['environment', 'CRMCTL_DB'],
  ])('has the topic %s', async (topic, mentions) => {
    const result = await spawnCli(['help', topic]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(mentions);
  });

  it('an unknown help topic is a usage error', async () => {
    const result = await spawnCli(['help', 'nonsense']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/no command or help topic "nonsense"/);
  });
});
