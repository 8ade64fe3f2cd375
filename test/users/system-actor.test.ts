import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { PermissionError } from '../../src/errors.js';
import { Session } from '../../src/session.js';
import { openStore } from '../../src/store/store.js';
import { actAsSystem, addUser, authorize, listUsers } from '../../src/users/service.js';
import { newStore, tempDir } from '../helpers.js';

// Issue 7 §2.1: "system" is the automation's own actor. `--as system` and CRMCTL_USER=system
// used to skip every permission check (anyone could add an admin): no command line may act as
// it. An empty CRMCTL_USER means "not set"; `--as ""` is a usage error.

const now = '2026-03-01T09:00:00Z';

async function storeWithEmployee() {
  const store = await newStore({ now });
  expect((await store.cli(['user', 'add', 'emma', '--role', 'employee'])).exitCode).toBe(0);
  return store;
}

describe('acting as system from a command line', () => {
  it.each([
    ['--as system', { argv: ['--as', 'system'], env: {} }],
    ['--as SYSTEM', { argv: ['--as', 'SYSTEM'], env: {} }],
    ['CRMCTL_USER=system', { argv: [], env: { CRMCTL_USER: 'system' } }],
    [
      '--as system over CRMCTL_USER=emma',
      { argv: ['--as', 'system'], env: { CRMCTL_USER: 'emma' } },
    ],
  ])('%s is refused with exit 6, and nothing changes', async (_name, how) => {
    const { cli } = await storeWithEmployee();
    const before = (await cli(['user', 'list', '--json'])).stdout;
    for (const argv of [
      ['user', 'add', 'evil', '--role', 'admin'],
      ['item', 'list'],
      ['user', 'list'],
      ['settings', 'set', 'currency', 'EUR'],
    ]) {
      const result = await cli([...how.argv, ...argv], { env: how.env });
      expect(result.exitCode, argv.join(' ')).toBe(6);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `error: "system" is the automation's own actor: no command line can act as it; act as a user (--as LOGIN, see crmctl user list)\n`,
      );
    }
    expect((await cli(['user', 'list', '--json'])).stdout).toBe(before);
    expect((await cli(['settings', 'get', 'currency'])).stdout).toBe('USD\n');
  });

  it('is refused before a store is created', async () => {
    const db = join(tempDir(), 'crm.db');
    const { runCli } = await import('../helpers.js');
    const result = await runCli(['--as', 'system', 'init'], { env: { CRMCTL_DB: db } });
    expect(result.exitCode).toBe(6);
    expect(existsSync(db)).toBe(false);
  });

  it('authorize has no login that skips the check', async () => {
    const { db } = await newStore({ now });
    const store = openStore(db, { busyTimeoutMs: 1000 });
    try {
      const asSystem = new Session({
        store,
        clock: fixedClock(new Date(now)),
        actor: { login: 'system', cause: { kind: 'user', id: null }, command: null },
      });
      expect(() => authorize(asSystem, 'users.manage')).toThrow(PermissionError);
      expect(() => authorize(asSystem)).toThrow(/unknown user "system"/);
    } finally {
      store.close();
    }
  });

  it('code acts as the automation through a session it makes itself', async () => {
    const { db, cli } = await newStore({ now });
    const store = openStore(db, { busyTimeoutMs: 1000 });
    try {
      const session = actAsSystem(store, fixedClock(new Date(now)), { kind: 'rule', id: 7 });
      session.write(() => addUser(session, { login: 'bot-made', role: 'employee' }));
      expect([...listUsers(session).rows].map((u) => u.login)).toContain('bot-made');
    } finally {
      store.close();
    }
    const history = (await cli(['history', '--json'])).json<
      { actor: string; cause: { kind: string; id: number } }[]
    >();
    expect(history.at(-1)).toMatchObject({ actor: 'system', cause: { kind: 'rule', id: 7 } });
  });
});

describe('CRMCTL_USER and --as given empty', () => {
  it('an empty CRMCTL_USER means not set: the OS login acts', async () => {
    const { cli } = await newStore({ now });
    const result = await cli(['item', 'add', '--title', 'Sofa', '--json'], {
      env: { CRMCTL_USER: '' },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const admin = (await cli(['init', '--json'])).json<{ you: string }>().you;
    expect(result.json<{ responsible: string }>().responsible).toBe(admin);
  });

  it('a blank CRMCTL_USER is a usage error naming it', async () => {
    const { cli } = await newStore({ now });
    const result = await cli(['item', 'list'], { env: { CRMCTL_USER: '  ' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('error: CRMCTL_USER is blank: unset it, or set it to a login\n');
  });

  it.each([[''], [' ']])('--as %j is a usage error naming --as', async (value) => {
    const { cli } = await newStore({ now });
    const result = await cli(['--as', value, 'user', 'add', 'x']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('error: --as needs a value, not an empty one\n');
  });

  it('help environment says both, and that no command line acts as system', async () => {
    const { cli } = await newStore({ now });
    const help = (await cli(['help', 'environment'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain(
      'CRMCTL_USER act as this user (same as --as); default the OS login. Empty means not set; `--as ""` is a usage error.',
    );
    expect(help).toContain(
      'No command line can act as "system", the automation\'s own actor (exit 6)',
    );
  });
});
