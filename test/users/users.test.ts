import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { allPermissions } from '../../src/users/permissions.js';
import { newStore } from '../helpers.js';

const admin = userInfo().username;
const now = '2026-03-01T09:00:00.000Z';

interface UserJson {
  id: number;
  login: string;
  name: string;
  role: string;
  supervisor: string | null;
  createdAt: string;
}

interface RoleJson {
  name: string;
  builtin: boolean;
  permissions: string[];
  users: number;
}

describe('user add / list / show', () => {
  it('adds a user, prints the login on stdout and a note on stderr', async () => {
    const { cli } = await newStore({ now });
    const added = await cli([
      'user',
      'add',
      'anna',
      '--name',
      'Anna Novak',
      '--role',
      'supervisor',
    ]);
    expect(added).toMatchObject({
      exitCode: 0,
      stdout: 'anna\n',
      stderr: 'Added user anna (supervisor)\n',
    });

    const shown = await cli(['user', 'show', 'anna', '--json']);
    expect(shown.exitCode).toBe(0);
    expect(shown.json()).toEqual({
      id: 2,
      login: 'anna',
      name: 'Anna Novak',
      role: 'supervisor',
      supervisor: null,
      createdAt: now,
    });
  });

  it('defaults to the employee role, the login as name, and links a supervisor', async () => {
    const { cli } = await newStore({ now });
    await cli(['user', 'add', 'anna', '--role', 'supervisor']);
    const added = await cli(['user', 'add', 'bob', '--supervisor', 'anna', '--json']);
    expect(added.exitCode).toBe(0);
    expect(added.json<UserJson>()).toMatchObject({
      login: 'bob',
      name: 'bob',
      role: 'employee',
      supervisor: 'anna',
    });
  });

  it('lists users by login; piped table is tab-separated without a header', async () => {
    const { cli } = await newStore({ now });
    await cli(['user', 'add', 'zed', '--name', 'Zed Z', '--role', 'employee']);
    await cli(['user', 'add', 'anna', '--name', 'Anna N', '--role', 'supervisor']);
    const list = await cli(['user', 'list']);
    expect(list.exitCode).toBe(0);
    const rows = [
      ['anna', 'Anna N', 'supervisor', ''],
      [admin, admin, 'admin', ''],
      ['zed', 'Zed Z', 'employee', ''],
    ].sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
    expect(list.stdout).toBe(rows.map((r) => `${r.join('\t')}\n`).join(''));

    const json = await cli(['user', 'list', '--json', '--fields', 'login,role']);
    expect(json.json()).toEqual(rows.map(([login, , role]) => ({ login, role })));
  });

  it('refuses a duplicate login (any case) with exit 5, and bad logins with exit 2', async () => {
    const { cli } = await newStore({ now });
    await cli(['user', 'add', 'anna']);
    const again = await cli(['user', 'add', 'ANNA']);
    expect(again.exitCode).toBe(5);
    expect(again.stderr).toBe('error: user "ANNA" already exists\n');
    for (const bad of ['system', 'has space', '-dash', 'a'.repeat(65), 'semi;colon']) {
      const result = await cli(['user', 'add', '--', bad]);
      expect(result.exitCode, bad).toBe(2);
      expect(result.stderr, bad).toContain('is not a usable login');
    }
    const list = await cli(['user', 'list', '--json', '--fields', 'login']);
    expect(list.json<{ login: string }[]>().map((u) => u.login)).toEqual(['anna', admin].sort());
  });

  it('refuses an unknown role or supervisor with exit 4 and adds nobody', async () => {
    const { cli } = await newStore({ now });
    const role = await cli(['user', 'add', 'anna', '--role', 'boss']);
    expect(role.exitCode).toBe(4);
    expect(role.stderr).toBe('error: no role "boss"; roles: admin, employee, supervisor\n');
    const supervisor = await cli(['user', 'add', 'anna', '--supervisor', 'ghost']);
    expect(supervisor.exitCode).toBe(4);
    expect(supervisor.stderr).toBe('error: no user "ghost" (see crmctl user list)\n');
    expect((await cli(['user', 'show', 'anna'])).exitCode).toBe(4);
  });

  it('shows a user as field/value lines when piped', async () => {
    const { cli } = await newStore({ now });
    await cli(['user', 'add', 'anna', '--name', 'Anna Novak']);
    const shown = await cli(['user', 'show', 'anna']);
    expect(shown.stdout).toBe(
      `id\t2\nlogin\tanna\nname\tAnna Novak\nrole\temployee\nsupervisor\t\ncreatedAt\t${now}\n`,
    );
  });
});

describe('user set-role / remove', () => {
  it('changes a role and records it in history', async () => {
    const { cli } = await newStore({ now });
    await cli(['user', 'add', 'bob']);
    const changed = await cli(['user', 'set-role', 'bob', 'supervisor'], {
      now: '2026-03-02T00:00:00Z',
    });
    expect(changed).toMatchObject({
      exitCode: 0,
      stdout: 'bob\n',
      stderr: 'bob is now supervisor\n',
    });
    expect((await cli(['user', 'show', 'bob', '--json'])).json<UserJson>().role).toBe('supervisor');
    const history = await cli(['history', '--json']);
    const entry = history.json<{ action: string; changes: unknown; at: string }[]>().at(-1);
    expect(entry).toMatchObject({
      action: 'role-changed',
      at: '2026-03-02T00:00:00.000Z',
      changes: { role: { from: 'employee', to: 'supervisor' } },
    });
  });

  it('removes a user; their items keep no responsible person', async () => {
    const { cli } = await newStore({ now });
    await cli(['user', 'add', 'bob']);
    const id = (
      await cli(['item', 'add', '--title', 'Sofa', '--responsible', 'bob'])
    ).stdout.trim();
    const removed = await cli(['user', 'remove', 'bob']);
    expect(removed).toMatchObject({ exitCode: 0, stdout: 'bob\n', stderr: 'Removed user bob\n' });
    expect((await cli(['user', 'show', 'bob'])).exitCode).toBe(4);
    const item = await cli(['item', 'show', id, '--json']);
    expect(item.json<{ responsible: string | null }>().responsible).toBeNull();
    expect((await cli(['user', 'remove', 'bob'])).exitCode).toBe(4);
  });

  it('never demotes or removes the last user who can manage users (exit 5)', async () => {
    const { cli } = await newStore({ now });
    const demote = await cli(['user', 'set-role', admin, 'employee']);
    expect(demote.exitCode).toBe(5);
    expect(demote.stderr).toBe(
      `error: "${admin}" is the last user who can manage users: keep one admin\n`,
    );
    const remove = await cli(['user', 'remove', admin]);
    expect(remove.exitCode).toBe(5);
    expect(remove.stderr).toBe(demote.stderr);
    expect((await cli(['user', 'show', admin, '--json'])).json<UserJson>().role).toBe('admin');

    // With a second admin, the first may step down.
    await cli(['user', 'add', 'root2', '--role', 'admin']);
    expect((await cli(['user', 'set-role', admin, 'employee'])).exitCode).toBe(0);
    const last = await cli(['user', 'remove', 'root2'], { as: 'root2' });
    expect(last.exitCode).toBe(5);
  });

  it('setting the same role is a no-op without a history entry', async () => {
    const { cli } = await newStore({ now });
    await cli(['user', 'add', 'bob']);
    const before = (await cli(['history', '--json'])).json<unknown[]>().length;
    expect((await cli(['user', 'set-role', 'bob', 'employee'])).exitCode).toBe(0);
    expect((await cli(['history', '--json'])).json<unknown[]>()).toHaveLength(before);
  });
});

describe('roles', () => {
  it('has the built-in roles with their permissions', async () => {
    const { cli } = await newStore({ now });
    const roles = (await cli(['role', 'list', '--json'])).json<RoleJson[]>();
    expect(roles.map((r) => [r.name, r.builtin, r.users])).toEqual([
      ['admin', true, 1],
      ['employee', true, 0],
      ['supervisor', true, 0],
    ]);
    const byName = Object.fromEntries(roles.map((r) => [r.name, r.permissions]));
    expect(byName.admin).toEqual([...allPermissions].sort());
    expect(byName.supervisor).toEqual([
      'automation.edit',
      'bin.manage',
      'exceptions.edit',
      'exceptions.view',
      'items.delete',
      'items.edit',
      'items.view',
      'pipelines.edit',
    ]);
    expect(byName.employee).toEqual([
      'exceptions.view',
      'items.delete',
      'items.edit',
      'items.view',
    ]);
    expect(allPermissions).toEqual([
      'items.view',
      'items.edit',
      'items.delete',
      'pipelines.edit',
      'automation.edit',
      'exceptions.view',
      'exceptions.edit',
      'telephony.settings',
      'bin.manage',
      'bin.purge',
      'users.manage',
    ]);
  });

  it('adds a custom role, gives it to a user, and removes it once nobody holds it', async () => {
    const { cli } = await newStore({ now });
    const added = await cli([
      'role',
      'add',
      'support',
      '--permissions',
      'items.view, bin.manage,items.view',
      '--description',
      'Support desk',
    ]);
    expect(added).toMatchObject({
      exitCode: 0,
      stdout: 'support\n',
      stderr: 'Added role support\n',
    });
    const shown = await cli(['role', 'show', 'support', '--json']);
    expect(shown.json()).toMatchObject({
      name: 'support',
      description: 'Support desk',
      builtin: false,
      permissions: ['bin.manage', 'items.view'],
      users: 0,
    });

    await cli(['user', 'add', 'sam', '--role', 'support']);
    // The role's permissions are what the user may do.
    expect((await cli(['item', 'list'], { as: 'sam' })).exitCode).toBe(0);
    const denied = await cli(['item', 'add', '--title', 'x'], { as: 'sam' });
    expect(denied.exitCode).toBe(6);

    const held = await cli(['role', 'remove', 'support']);
    expect(held.exitCode).toBe(5);
    expect(held.stderr).toBe(
      'error: role "support" is held by 1 user(s): give them another role first (crmctl user set-role)\n',
    );
    await cli(['user', 'set-role', 'sam', 'employee']);
    const removed = await cli(['role', 'remove', 'support']);
    expect(removed).toMatchObject({ exitCode: 0, stdout: 'support\n' });
    expect((await cli(['role', 'show', 'support'])).exitCode).toBe(4);
  });

  it('refuses to remove a built-in role, duplicates, bad names and unknown permissions', async () => {
    const { cli } = await newStore({ now });
    const builtin = await cli(['role', 'remove', 'employee']);
    expect(builtin.exitCode).toBe(5);
    expect(builtin.stderr).toBe('error: "employee" is a built-in role and stays\n');
    expect((await cli(['role', 'add', 'Admin', '--permissions', 'items.view'])).exitCode).toBe(2);
    expect((await cli(['role', 'add', 'admin', '--permissions', 'items.view'])).exitCode).toBe(5);
    const unknown = await cli(['role', 'add', 'x', '--permissions', 'items.view,items.fly']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown permission "items.fly"; known: items.view,');
    const missing = await cli(['role', 'add', 'x']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("required option '--permissions <list>' not specified");
    expect((await cli(['role', 'show', 'x'])).exitCode).toBe(4);
  });

  it('lists the permission catalogue in `role --help`', async () => {
    const { cli } = await newStore({ now });
    const help = await cli(['role', '--help']);
    expect(help.exitCode).toBe(0);
    for (const permission of allPermissions) expect(help.stdout).toContain(`  ${permission} `);
  });
});
