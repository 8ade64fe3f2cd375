import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newStore, tempDir } from '../helpers.js';

/**
 * DESIGN §7: an unknown user or a missing permission is refused with exit 6 and a message
 * naming the permission, and nothing is changed. One representative mutating command per
 * feature, each checked against the store afterwards.
 */
async function storeWithPeople() {
  const store = await newStore({ now: '2026-03-01T09:00:00Z' });
  const { cli } = store;
  const setup = [
    ['user', 'add', 'emma', '--role', 'employee'],
    ['user', 'add', 'sue', '--role', 'supervisor'],
    ['role', 'add', 'viewer', '--permissions', 'items.view'],
    ['user', 'add', 'vic', '--role', 'viewer'],
    ['role', 'add', 'blind', '--permissions', 'exceptions.view'],
    ['user', 'add', 'bea', '--role', 'blind'],
    ['item', 'add', '--title', 'Existing deal'],
  ];
  for (const argv of setup) {
    const result = await cli(argv);
    if (result.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
  }
  return store;
}

type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

interface Case {
  name: string;
  argv: (dir: string) => string[];
  permission: string;
  /** A user whose role lacks `permission`. */
  lacking: string;
  /** Reads the store (or disk) in a way that shows whether the command changed anything. */
  state: (cli: Cli, dir: string) => Promise<unknown>;
}

const json = async (cli: Cli, argv: string[]) => {
  const result = await cli(argv);
  expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
  return result.json();
};

const cases: Case[] = [
  {
    name: 'user add',
    argv: () => ['user', 'add', 'newbie'],
    permission: 'users.manage',
    lacking: 'sue',
    state: (cli) => json(cli, ['user', 'list', '--json']),
  },
  {
    name: 'pipeline add',
    argv: () => ['pipeline', 'add', 'Wholesale', '--type', 'deal'],
    permission: 'pipelines.edit',
    lacking: 'emma',
    state: (cli) => json(cli, ['pipeline', 'list', '--json']),
  },
  {
    name: 'stage add',
    argv: () => ['stage', 'add', 'Measure room', '--after', 'New'],
    permission: 'pipelines.edit',
    lacking: 'emma',
    state: (cli) => json(cli, ['stage', 'list', '--json']),
  },
  {
    name: 'type add',
    argv: () => ['type', 'add', 'delivery'],
    permission: 'pipelines.edit',
    lacking: 'emma',
    state: (cli) => json(cli, ['type', 'list', '--json']),
  },
  {
    name: 'item add',
    argv: () => ['item', 'add', '--title', 'Sofa'],
    permission: 'items.edit',
    lacking: 'vic',
    state: (cli) => json(cli, ['item', 'list', '--json']),
  },
  {
    name: 'item move',
    argv: () => ['item', 'move', '1', '--stage', 'Won'],
    permission: 'items.edit',
    lacking: 'vic',
    state: (cli) => json(cli, ['item', 'show', '1', '--json']),
  },
  {
    name: 'contact add',
    argv: () => ['contact', 'add', '--name', 'Olivia', '--email', 'o@example.com'],
    permission: 'items.edit',
    lacking: 'vic',
    state: (cli) => json(cli, ['contact', 'list', '--json']),
  },
  {
    name: 'settings set',
    argv: () => ['settings', 'set', 'currency', 'EUR'],
    permission: 'users.manage',
    lacking: 'sue',
    state: (cli) => json(cli, ['settings', 'list', '--json']),
  },
  {
    name: 'db backup',
    argv: (dir) => ['db', 'backup', join(dir, 'backup.db')],
    permission: 'users.manage',
    lacking: 'sue',
    state: async (_cli, dir) => existsSync(join(dir, 'backup.db')),
  },
];

describe('every command refuses an unknown user or a missing permission (exit 6)', () => {
  for (const c of cases) {
    it(`${c.name}: needs ${c.permission}; nothing changes when refused`, async () => {
      const { cli } = await storeWithPeople();
      const dir = tempDir();
      const before = await c.state(cli, dir);
      const historyBefore = await json(cli, ['history', '--json']);

      const unknown = await cli(c.argv(dir), { as: 'ghost' });
      expect(unknown.exitCode).toBe(6);
      expect(unknown.stdout).toBe('');
      expect(unknown.stderr).toBe(
        `error: unknown user "ghost": ask an admin to run 'crmctl user add ghost --role employee', or act as another user with --as\n`,
      );

      const lacking = await cli(c.argv(dir), { as: c.lacking });
      expect(lacking.exitCode).toBe(6);
      expect(lacking.stdout).toBe('');
      expect(lacking.stderr).toMatch(
        new RegExp(
          `^error: permission denied: "${c.lacking}" lacks ${c.permission.replace('.', '\\.')} \\(.+\\)\\n$`,
        ),
      );

      // Under -o json the error is one JSON object on stderr, still naming the permission.
      const asJson = await cli([...c.argv(dir), '--json'], { as: c.lacking });
      expect(asJson.exitCode).toBe(6);
      const error = JSON.parse(asJson.stderr) as { error: Record<string, unknown> };
      expect(error.error).toMatchObject({ code: 'permission-denied', exitCode: 6 });
      expect(error.error.message).toContain(`lacks ${c.permission}`);

      expect(await c.state(cli, dir)).toEqual(before);
      expect(await json(cli, ['history', '--json'])).toEqual(historyBefore);
    });
  }

  it('the same commands succeed for a user who holds the permission', async () => {
    const { cli } = await storeWithPeople();
    const dir = tempDir();
    const holders: Record<string, string> = {
      'users.manage': 'root-like',
      'pipelines.edit': 'sue',
      'items.edit': 'emma',
    };
    await cli(['user', 'add', 'root-like', '--role', 'admin']);
    for (const c of cases) {
      const result = await cli(c.argv(dir), { as: holders[c.permission] });
      expect(result.exitCode, `${c.name}: ${result.stderr}`).toBe(0);
    }
    expect(existsSync(join(dir, 'backup.db'))).toBe(true);
  });

  it('viewing needs items.view; listing users needs only a known user', async () => {
    const { cli } = await storeWithPeople();
    for (const argv of [
      ['item', 'list'],
      ['item', 'show', '1'],
      ['pipeline', 'list'],
      ['pipeline', 'show'],
      ['stage', 'list'],
      ['contact', 'list'],
      ['history'],
      ['settings', 'list'],
    ]) {
      const denied = await cli(argv, { as: 'bea' });
      expect(denied.exitCode, argv.join(' ')).toBe(6);
      expect(denied.stderr, argv.join(' ')).toContain('"bea" lacks items.view');
      expect((await cli(argv, { as: 'vic' })).exitCode, argv.join(' ')).toBe(0);
    }
    expect((await cli(['user', 'list'], { as: 'bea' })).exitCode).toBe(0);
    expect((await cli(['role', 'list'], { as: 'bea' })).exitCode).toBe(0);
    expect((await cli(['user', 'list'], { as: 'ghost' })).exitCode).toBe(6);
  });

  it('--as and CRMCTL_USER pick the acting user, and history records it', async () => {
    const { cli } = await storeWithPeople();
    const byFlag = await cli(['--as', 'emma', 'item', 'add', '--title', 'By flag']);
    const byEnv = await cli(['item', 'add', '--title', 'By env'], { as: 'sue' });
    expect(byFlag.exitCode).toBe(0);
    expect(byEnv.exitCode).toBe(0);
    const items = (await cli(['item', 'list', '--json'])).json<
      { title: string; responsible: string }[]
    >();
    expect(items.slice(-2).map((i) => [i.title, i.responsible])).toEqual([
      ['By flag', 'emma'],
      ['By env', 'sue'],
    ]);
    const history = (await cli(['history', '--actor', 'emma', '--json'])).json<
      { actor: string; command: string }[]
    >();
    expect(history).toEqual([expect.objectContaining({ actor: 'emma', command: 'item add' })]);
    // The flag wins over the environment.
    const both = await cli(['--as', 'ghost', 'item', 'list'], { as: 'sue' });
    expect(both.exitCode).toBe(6);
  });
});
