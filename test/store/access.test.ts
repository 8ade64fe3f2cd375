import { Command } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { Context, storeAccessOf } from '../../src/cli/context.js';
import { processStreams } from '../../src/cli/io.js';
import { registerCommands } from '../../src/cli/registry.js';

// DESIGN §8: a command that only reads never creates a store (exit 4 on a missing one); the
// list of those commands is decided in one place, storeAccessOf.

async function commandPaths(): Promise<string[]> {
  const program = new Command('crmctl');
  await registerCommands(program, new Context(processStreams(), {}), []);
  const paths: string[] = [];
  const walk = (command: Command, words: string[]) => {
    const subs = command.commands as Command[];
    if (subs.length === 0 && words.length > 0) paths.push(words.join(' '));
    for (const sub of subs) walk(sub, [...words, sub.name()]);
  };
  walk(program as unknown as Command, []);
  return paths;
}

describe('storeAccessOf', () => {
  it('names every command that only reads; all others may create the store', async () => {
    const byAccess: Record<string, string[]> = { read: [], inspect: [], write: [] };
    for (const path of await commandPaths()) byAccess[storeAccessOf(path)]?.push(path);
    expect(byAccess.inspect).toEqual(['db check', 'db backup']);
    expect(byAccess.read).toEqual(
      expect.arrayContaining([
        'item list',
        'item show',
        'contact list',
        'company show',
        'pipeline show',
        'stage list',
        'exceptions batches',
        'exceptions list',
        'exceptions export',
        'exceptions check',
        'email log',
        'history',
        'user list',
        'role show',
        'settings get',
      ]),
    );
    for (const path of byAccess.read ?? []) {
      expect(path, path).toMatch(
        /^history$| (list|show|check|export|log|batches|get|explain|lint)$/,
      );
    }
    expect(byAccess.write).toEqual(
      expect.arrayContaining([
        'init',
        'demo',
        'item add',
        'item move',
        'exceptions import',
        'exceptions add',
        'exceptions remove',
        'exceptions undo-import',
        'email incoming',
        'settings set',
        'user add',
      ]),
    );
  });

  it('a top-level command named like a verb is not a reader by that alone', () => {
    expect(storeAccessOf('check')).toBe('write');
    expect(storeAccessOf('')).toBe('write');
  });
});
