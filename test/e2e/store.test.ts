import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, tempDir, tempStorePath } from '../helpers.js';
import {
  builtModule,
  collectOutput,
  crmctlFor,
  exitOf,
  initStore,
  ok,
  osLogin,
  snapshot,
  withDb,
} from './support.js';

// DESIGN §8 "Store": a private file, online backups, migrations by user_version.

const NOW = '2026-09-01T07:00:00Z';

type StoreModule = typeof import('../../src/store/store.js');
type MigrationsModule = typeof import('../../src/store/migrations.js');

describe('the store file', () => {
  it('is created with mode 0600 (in a 0700 folder) by the first command that writes', async () => {
    const folder = join(tempDir(), 'nested', 'crmctl');
    const db = join(folder, 'crm.db');
    const crm = crmctlFor(db, { now: NOW });
    expect((await crm(['item', 'list', '--json'])).exitCode).toBe(4);
    expect(ok(await crm(['item', 'add', '--title', 'First', '--json']))).toMatchObject({ id: 1 });
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    // ...and it is a full store, made as `crmctl init` would make it.
    expect(ok(await crm(['init', '--json']))).toMatchObject({ created: false, you: osLogin });
    expect(ok<{ login: string; role: string }[]>(await crm(['user', 'list', '--json']))).toEqual([
      expect.objectContaining({ login: osLogin, role: 'admin' }),
    ]);
  });

  it('is created once when several processes use a new path at the same moment', async () => {
    const db = join(tempDir(), 'crm.db');
    const runs = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, [binPath, 'init', '--json'], {
        env: { PATH: process.env.PATH, HOME: tempDir(), CRMCTL_DB: db, CRMCTL_NOW: NOW },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output = collectOutput(child);
      return exitOf(child).then((exit) => ({ exit, ...output() }));
    });
    const results = await Promise.all(runs);
    for (const result of results)
      expect(result.exit, result.stderr).toEqual({ code: 0, signal: null });
    const created = results.map((r) => (JSON.parse(r.stdout) as { created: boolean }).created);
    expect(created.filter(Boolean)).toHaveLength(1);
    const crm = crmctlFor(db, { now: NOW });
    expect(ok<unknown[]>(await crm(['user', 'list', '--json']))).toHaveLength(1);
    expect(ok<unknown[]>(await crm(['role', 'list', '--json']))).toHaveLength(3);
    expect(ok(await crm(['db', 'check', '--json']))).toMatchObject({ ok: true });
  });
});

describe('db backup', () => {
  it('writes a private copy that opens, passes db check and holds the same data', async () => {
    const crm = await initStore({ now: NOW });
    ok(
      await crm([
        'contact',
        'add',
        '--name',
        'Olivia Brown',
        '--phone',
        '+44 20 7946 0958',
        '--json',
      ]),
    );
    for (const title of ['Oak table', 'Pine chair']) {
      ok(await crm(['item', 'add', '--title', title, '--contact', '1', '--json']));
    }
    ok(await crm(['item', 'move', '1', '--stage', 'Won', '--json']));
    const backup = join(tempDir(), 'crm-backup.db');

    const result = ok<{ path: string; totalPages: number }>(
      await crm(['db', 'backup', backup, '--json']),
    );
    expect(result).toEqual({ path: backup, totalPages: expect.any(Number) });
    expect(result.totalPages).toBeGreaterThan(0);
    expect(statSync(backup).mode & 0o777).toBe(0o600);

    const copy = crmctlFor(backup, { now: NOW });
    const { latestVersion } = await builtModule<MigrationsModule>('store/migrations.js');
    expect(ok(await copy(['db', 'check', '--json']))).toEqual({
      ok: true,
      path: backup,
      schemaVersion: latestVersion,
      integrity: ['ok'],
      foreignKeyViolations: [],
    });
    expect(snapshot(backup)).toEqual(snapshot(crm.db));
    expect(ok(await copy(['item', 'list', '--json']))).toEqual(
      ok(await crm(['item', 'list', '--json'])),
    );

    // An existing file is not replaced unless asked.
    const again = await crm(['db', 'backup', backup]);
    expect(again.exitCode).toBe(5);
    expect(again.stderr).toMatch(/exists.*--force/);
    ok(await crm(['item', 'add', '--title', 'After the backup', '--json']));
    ok(await crm(['db', 'backup', backup, '--force', '--json']));
    expect(ok<unknown[]>(await copy(['item', 'list', '--json']))).toHaveLength(3);
  });

  it('backup into a missing folder or onto a folder is a usage error that says why', async () => {
    const crm = crmctlFor(tempStorePath(), { now: NOW });
    ok(await crm(['init', '--json']));
    const dir = tempDir();
    const missing = join(dir, 'no-such-folder', 'crm.db');
    expect(await crm(['db', 'backup', missing])).toMatchObject({
      exitCode: 2,
      stderr: `error: db backup: cannot write ${missing}: its folder does not exist\n`,
    });
    expect(await crm(['db', 'backup', dir, '--force'])).toMatchObject({
      exitCode: 2,
      stderr: `error: db backup: cannot write ${dir}: it is a folder\n`,
    });
    const underFile = join(crm.db, 'crm.db');
    expect(await crm(['db', 'backup', underFile])).toMatchObject({
      exitCode: 2,
      stderr: `error: db backup: cannot write ${underFile}: part of the path is not a folder\n`,
    });
  });
});

describe('migrations', () => {
  it('bring a schema-1 store up to date on the next command and keep its data', async () => {
    const db = join(tempDir(), 'old.db');
    const { openStore } = await builtModule<StoreModule>('store/store.js');
    const { latestVersion } = await builtModule<MigrationsModule>('store/migrations.js');
    const old = openStore(db, { busyTimeoutMs: 1000, migrateTo: 1 });
    old.write(() => {
      old.db.exec(`
        INSERT INTO settings (key, value) VALUES ('default-country', 'GB');
        INSERT INTO roles (name, description, builtin) VALUES ('admin', 'everything', 1);
        INSERT INTO role_permissions (role, permission)
          VALUES ('admin', 'items.view'), ('admin', 'items.edit'), ('admin', 'users.manage'),
                 ('admin', 'pipelines.edit');
        INSERT INTO users (login, name, role, created_at)
          VALUES ('vera', 'Vera Old', 'admin', '2025-01-01T00:00:00.000Z');
        INSERT INTO entity_types (name, title, builtin, many_pipelines, created_at)
          VALUES ('deal', 'Deals', 1, 1, '2025-01-01T00:00:00.000Z');
        INSERT INTO pipelines (type, name, is_default, created_at)
          VALUES ('deal', 'Legacy', 1, '2025-01-01T00:00:00.000Z');
        INSERT INTO stages (pipeline_id, name, position, semantic)
          VALUES (1, 'Open', 0, 'process'), (1, 'Won', 1, 'success'), (1, 'Lost', 2, 'failure');
      `);
    });
    old.close();
    expect(withDb(db, (d) => d.pragma('user_version', { simple: true }))).toBe(1);
    const before = snapshot(db);

    const crm = crmctlFor(db, { now: NOW });
    const users = ok<{ login: string; name: string; role: string }[]>(
      await crm(['user', 'list', '--json'], { as: 'vera' }),
    );
    expect(users).toEqual([
      {
        id: 1,
        login: 'vera',
        name: 'Vera Old',
        role: 'admin',
        supervisor: null,
        createdAt: '2025-01-01T00:00:00.000Z',
      },
    ]);
    expect(withDb(db, (d) => d.pragma('user_version', { simple: true }))).toBe(latestVersion);
    // Every row of the old tables is still there, unchanged.
    const after = snapshot(db);
    for (const [table, rows] of Object.entries(before)) {
      if (table !== 'userVersion') expect(after[table], table).toEqual(rows);
    }
    expect(
      ok(await crm(['settings', 'get', 'default-country', '--json'], { as: 'vera' })),
    ).toMatchObject({
      value: 'GB',
    });
    // The new tables work: an item in the old pipeline, with its history.
    const item = ok<{ pipeline: { name: string }; stage: { name: string } }>(
      await crm(['item', 'add', '--title', 'First after upgrade', '--json'], { as: 'vera' }),
    );
    expect(item).toMatchObject({ pipeline: { name: 'Legacy' }, stage: { name: 'Open' } });
    expect(ok<unknown[]>(await crm(['history', '--json'], { as: 'vera' }))).toHaveLength(1);
    expect(ok(await crm(['init', '--json'], { as: 'vera' }))).toMatchObject({
      created: false,
      schemaVersion: latestVersion,
    });
    expect(ok(await crm(['db', 'check', '--json']))).toMatchObject({
      ok: true,
      schemaVersion: latestVersion,
    });
    // No seeding happened on upgrade: the OS login was not made an admin of someone's store.
    expect(ok<unknown[]>(await crm(['user', 'list', '--json'], { as: 'vera' }))).toHaveLength(1);
  });

  it('re-key emails stored with a punycode domain (version 4), merging the list entries it repeats', async () => {
    const db = join(tempDir(), 'v3.db');
    const crm = crmctlFor(db, { now: NOW });
    ok(await crm(['init', '--json']));
    ok(await crm(['exceptions', 'add', 'old@bücher.de;first', 'dup@bücher.de;unicode', '--json']));
    ok(await crm(['contact', 'add', '--name', 'Bea', '--email', 'bea@bücher.de', '--json']));
    // What a version-3 store held for the same addresses typed in punycode.
    withDb(db, (d) => {
      d.exec(`
        UPDATE exceptions SET value = 'old@xn--bcher-kva.de', match_key = 'old@xn--bcher-kva.de'
          WHERE value = 'old@bücher.de';
        INSERT INTO exceptions (type, value, match_key, raw, comment, source, created_at, created_by)
          VALUES ('email', 'dup@xn--bcher-kva.de', 'dup@xn--bcher-kva.de', 'dup@xn--bcher-kva.de',
                  'punycode', 'manual', '${NOW}', '${osLogin}');
        UPDATE contact_points SET value = 'bea@xn--bcher-kva.de', match_key = 'bea@xn--bcher-kva.de';
        DROP TABLE automation_rules;
        DROP TABLE automation_triggers;
        DROP TABLE automation_jobs;
        DROP TABLE automation_log;
        DROP TABLE exception_removals;
        DROP INDEX exceptions_by_comment;
        DROP INDEX history_by_operation;
        ALTER TABLE history DROP COLUMN operation_id;
        DROP TABLE calls; DROP TABLE blacklist; DROP TABLE blacklist_removals;
        DROP TABLE blacklist_comment_changes; DROP TABLE blacklist_allowed; DROP TABLE telephony_settings;
        DROP INDEX communications_by_message_id;
        CREATE INDEX communications_by_message ON communications(message_id);
        ALTER TABLE communications DROP COLUMN decision;
        ALTER TABLE communications DROP COLUMN declined_reason;
        DROP TABLE outbox; DROP TABLE tasks; DROP TABLE documents; DROP TABLE notifications;
        DROP TABLE bin_keys; DROP TABLE bin_entries; DROP TABLE bin_settings;
        PRAGMA user_version = 3;
      `);
    });

    for (const spelling of ['old@bücher.de', 'old@XN--BCHER-KVA.de']) {
      expect((await crm(['exceptions', 'check', spelling])).exitCode, spelling).toBe(0);
    }
    const entries = ok<{ value: string; comment: string }[]>(
      await crm(['exceptions', 'list', '--json']),
    );
    expect(entries.map(({ value, comment }) => ({ value, comment }))).toEqual([
      { value: 'old@bücher.de', comment: 'first' },
      { value: 'dup@bücher.de', comment: 'unicode' },
    ]);
    const contacts = ok<{ name: string; emails: string[] }[]>(
      await crm(['contact', 'list', '--email', 'BEA@xn--bcher-kva.de', '--json']),
    );
    expect(contacts).toMatchObject([{ name: 'Bea', emails: ['bea@bücher.de'] }]);
    expect(ok(await crm(['db', 'check', '--json']))).toMatchObject({ ok: true });
  });
});
