import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestVersion } from '../../src/store/migrations.js';
import { binPath, type CliResult, tempDir } from '../helpers.js';
import {
  builtModule,
  crmctlFor,
  initStore,
  linesOf,
  ok,
  osLogin,
  Sqlite,
  snapshot,
  withDb,
} from './support.js';

// DESIGN §8 "Store": created only in a missing or empty file, marked with application_id, any
// other file refused with exit 7 before anything in it changes; a command that only reads never
// creates one (exit 4); mode 0600 from the first byte.

const NOW = '2026-09-01T07:00:00Z';
const crmctlId = 0x43524d43;

type StoreModule = typeof import('../../src/store/store.js');

/** Runs the built binary through `sh -c`, after `setup` (a umask, a ulimit), as `uid` if given. */
function shellCli(
  setup: string,
  args: string[],
  env: Record<string, string | undefined>,
  uid?: number,
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      '/bin/sh',
      ['-c', `${setup}; exec "$0" "$@"`, process.execPath, binPath, ...args],
      {
        env: { PATH: process.env.PATH, HOME: tempDir(), CRMCTL_NOW: NOW, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(uid === undefined ? {} : { uid, gid: uid }),
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({
        stdout,
        stderr,
        exitCode: code ?? -1,
        json: <T>() => JSON.parse(stdout) as T,
      }),
    );
  });
}

function header(path: string) {
  const bytes = readFileSync(path);
  return {
    // 1 = rollback journal, 2 = WAL (bytes 18 and 19 of the SQLite header)
    journal: `${bytes[18]}/${bytes[19]}`,
    userVersion: bytes.readInt32BE(60),
    applicationId: bytes.readInt32BE(68),
  };
}

function expectRefused(result: CliResult, exitCode: number, message: RegExp): void {
  expect(result.exitCode, result.stderr).toBe(exitCode);
  expect(result.stdout).toBe('');
  expect(linesOf(result.stderr)).toEqual([expect.stringMatching(message)]);
  expect(result.stderr).not.toMatch(/\n\s+at |bug in crmctl/);
}

/** A store as crmctl before application_id made it: the same tables, application_id 0, in rollback-journal mode. */
function unstamp(path: string): void {
  withDb(path, (db) => {
    db.pragma('application_id = 0');
    db.pragma('journal_mode = DELETE');
  });
}

describe('a new store (§1.8)', () => {
  it('is stamped with crmctl’s application_id, in the same transaction as its tables', async () => {
    const crm = await initStore({ now: NOW });
    const { latestVersion } =
      await builtModule<typeof import('../../src/store/migrations.js')>('store/migrations.js');
    withDb(crm.db, (db) => {
      expect(db.pragma('application_id', { simple: true })).toBe(crmctlId);
      expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    });
  });
});

describe('an SQLite file that is not a crmctl store is refused with exit 7, untouched (§1.8)', () => {
  const commands = [
    ['user', 'list'],
    ['init'],
    ['user', 'add', 'bob'],
    ['exceptions', 'add', 'spam@example.com'],
    ['db', 'check'],
    ['db', 'backup', 'copy.db'],
  ];

  async function expectUntouched(file: string, message: RegExp) {
    const dir = join(file, '..');
    const before = readFileSync(file);
    const listing = readdirSync(dir);
    for (const args of commands) {
      const crm = crmctlFor(file, { now: NOW });
      expectRefused(await crm(args), 7, message);
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(listing);
  }

  it('another program’s database with a users table (it gave exit 70)', async () => {
    const file = join(tempDir(), 'app.db');
    withDb2(file, (db) => {
      db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
               INSERT INTO users (email) VALUES ('anna@example.com');`);
    });
    await expectUntouched(
      file,
      /app\.db is not a crmctl store: .*another program \(tables: users\)/,
    );
    expect(header(file).journal).toBe('1/1');
  });

  it('an empty-looking database of another program (its own application_id, no tables)', async () => {
    const file = join(tempDir(), 'other.db');
    withDb2(file, (db) => {
      db.pragma('application_id = 1');
      db.exec('CREATE TABLE t (x); DROP TABLE t;');
    });
    await expectUntouched(file, /belongs to another program \(application_id 0x00000001\)/);
  });

  it('a store of a newer crmctl, before its journal mode is switched to WAL', async () => {
    const crm = await initStore({ now: NOW });
    withDb(crm.db, (db) => {
      db.pragma('journal_mode = DELETE');
      db.pragma('user_version = 99');
    });
    expect(header(crm.db)).toMatchObject({ journal: '1/1', userVersion: 99 });
    await expectUntouched(
      crm.db,
      new RegExp(
        `newer crmctl \\(schema version 99; this one knows versions 1 to ${latestVersion}\\)`,
      ),
    );
    expect(header(crm.db)).toMatchObject({ journal: '1/1', userVersion: 99 });
  });

  it.each([
    ['2 while the tables of the latest version exist', 2, true],
    ['0', 0, true],
    ['-1', -1, true],
    ['99, on a store made before the stamp', 99, false],
  ])('a store whose user_version was changed by hand to %s', async (_what, version, stamped) => {
    const crm = await initStore({ now: NOW });
    withDb(crm.db, (db) => {
      db.pragma('journal_mode = DELETE');
      if (!stamped) db.pragma('application_id = 0');
      db.pragma(`user_version = ${version}`);
    });
    await expectUntouched(
      crm.db,
      new RegExp(
        `changed by hand: its user_version is ${version}, but its tables are those of version ${latestVersion}`,
      ),
    );
  });
});

/** Makes an SQLite file with the driver, in rollback-journal mode (SQLite's default). */
function withDb2(path: string, work: (db: InstanceType<typeof Sqlite>) => void): void {
  const db = new Sqlite(path);
  try {
    work(db);
  } finally {
    db.close();
  }
}

describe('a store made before crmctl stamped its application_id (§1.8)', () => {
  it('is recognised by its tables, used, and stamped', async () => {
    const crm = await initStore({ now: NOW });
    ok(await crm(['exceptions', 'add', 'spam@example.com', '--json']));
    unstamp(crm.db);
    const before = snapshot(crm.db);
    expect(header(crm.db).applicationId).toBe(0);
    expect((await crm(['exceptions', 'check', 'spam@example.com'])).exitCode).toBe(0);
    expect(header(crm.db).applicationId).toBe(crmctlId);
    expect(snapshot(crm.db)).toEqual(before);
  });

  it('of schema version 1: migrated and stamped', async () => {
    const db = join(tempDir(), 'v1.db');
    const { openStore } = await builtModule<StoreModule>('store/store.js');
    const old = openStore(db, { busyTimeoutMs: 1000, migrateTo: 1 });
    old.write(() => {
      old.db.exec(`
        INSERT INTO roles (name, description, builtin) VALUES ('admin', 'everything', 1);
        INSERT INTO role_permissions (role, permission) VALUES ('admin', 'users.manage');
        INSERT INTO users (login, name, role, created_at)
          VALUES ('vera', 'Vera Old', 'admin', '2025-01-01T00:00:00.000Z');
      `);
    });
    old.close();
    unstamp(db);
    const crm = crmctlFor(db, { now: NOW });
    expect(ok<{ login: string }[]>(await crm(['user', 'list', '--json'], { as: 'vera' }))).toEqual([
      expect.objectContaining({ login: 'vera' }),
    ]);
    expect(header(db)).toMatchObject({
      applicationId: crmctlId,
      userVersion: latestVersion,
      journal: '2/2',
    });
  });
});

describe('a missing store (§1.9)', () => {
  it('a command that only reads exits 4 naming the path, and creates nothing', async () => {
    const dir = tempDir();
    const mistyped = join(dir, 'nested', 'crm.bd');
    const crm = crmctlFor(mistyped, { now: NOW });
    for (const args of [
      ['exceptions', 'check', 'spam@example.com'],
      ['exceptions', 'list'],
      ['exceptions', 'export'],
      ['exceptions', 'batches'],
      ['item', 'list'],
      ['item', 'show', '1'],
      ['contact', 'list'],
      ['pipeline', 'show', 'Default'],
      ['history'],
      ['email', 'log'],
      ['user', 'list'],
      ['settings', 'get', 'currency'],
      ['db', 'check'],
      ['db', 'backup', join(dir, 'copy.db')],
    ]) {
      const result = await crm(args);
      expectRefused(
        result,
        4,
        new RegExp(
          `^error: no store at ${mistyped}, and this command only reads: create the store with crmctl init`,
        ),
      );
    }
    for (const args of [
      ['exceptions', 'check', 'x@example.com'],
      ['item', 'list'],
      ['db', 'check'],
    ]) {
      const json = await crm([...args, '--json']);
      expect(JSON.parse(json.stderr)).toMatchObject({
        error: { code: 'not-found', exitCode: 4, message: expect.stringContaining(mistyped) },
      });
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an empty file is no store for a command that reads either', async () => {
    const file = join(tempDir(), 'empty.db');
    writeFileSync(file, '', { mode: 0o600 });
    const result = await crmctlFor(file)(['exceptions', 'check', 'spam@example.com']);
    expectRefused(result, 4, /empty\.db is empty, not a store yet, and this command only reads/);
    expect(statSync(file).size).toBe(0);
  });

  it('a command that writes creates it and says so on stderr, keeping stdout for data', async () => {
    const db = join(tempDir(), 'new', 'crm.db');
    const crm = crmctlFor(db, { now: NOW });
    const added = await crm(['exceptions', 'add', 'spam@example.com', '--json', '--quiet']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.stderr).toBe(`Created a new store at ${db}\n`);
    expect(added.json()).toMatchObject({
      added: [expect.objectContaining({ value: 'spam@example.com' })],
    });
    expect((await crm(['exceptions', 'check', 'spam@example.com'])).exitCode).toBe(0);
    // Once only.
    const again = await crm(['exceptions', 'add', 'more@example.com']);
    expect(again.stderr).not.toContain('Created');
    // It is a full store, as `crmctl init` makes it.
    expect(ok(await crm(['user', 'list', '--json']))).toEqual([
      expect.objectContaining({ login: osLogin, role: 'admin' }),
    ]);
  });

  it('init still creates it, in its own words', async () => {
    const db = join(tempDir(), 'crm.db');
    const init = await crmctlFor(db, { now: NOW })(['init']);
    expect(init.exitCode).toBe(0);
    expect(init.stderr).toBe(`Created ${db}; ${osLogin} is its admin\n`);
  });

  it('help, --version and completion never open a store', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'not-a-store');
    const missing = join(dir, 'missing', 'crm.db');
    await new Promise<void>((done, fail) =>
      spawn('mkfifo', [fifo]).on('exit', (code) => (code === 0 ? done() : fail(code))),
    );
    for (const db of [fifo, missing]) {
      const crm = crmctlFor(db, { now: NOW });
      for (const args of [
        ['--help'],
        ['--version'],
        ['help'],
        ['help', 'exit-codes'],
        ['item', '--help'],
        ['exceptions', 'list', '--help'],
        ['completion', 'bash'],
      ]) {
        const result = await crm(args);
        expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      }
    }
    expect(readdirSync(dir)).toEqual(['not-a-store']);
  });
});

describe('file modes (§2.3)', () => {
  it('the store, its -wal and -shm are 0600 from the first byte, whatever the umask', async () => {
    const db = join(tempDir(), 'crm.db');
    const result = await shellCli('umask 000', ['exceptions', 'add', 'a@example.com'], {
      CRMCTL_DB: db,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    // A second process keeps the store open while we look at its -wal and -shm.
    withDb(db, (handle) => {
      handle.prepare('SELECT count(*) FROM exceptions').get();
      for (const file of [db, `${db}-wal`, `${db}-shm`]) {
        expect(statSync(file).mode & 0o777, file).toBe(0o600);
      }
    });
  });

  it('a dangling symlink as --db: the store is made at its target, 0600', async () => {
    const dir = tempDir();
    const link = join(dir, 'crm.db');
    const target = join(dir, 'real-store.db');
    symlinkSync(target, link);
    const result = await shellCli('umask 000', ['init', '--quiet'], { CRMCTL_DB: link });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(header(target).applicationId).toBe(crmctlId);
  });

  it('an existing empty file with a looser mode is made 0600 before the store is written', async () => {
    const file = join(tempDir(), 'crm.db');
    writeFileSync(file, '');
    chmodSync(file, 0o666);
    const result = await crmctlFor(file, { now: NOW })(['init', '--quiet']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(header(file).applicationId).toBe(crmctlId);
  });

  it('a backup is 0600 whatever the umask', async () => {
    const crm = await initStore({ now: NOW });
    const copy = join(tempDir(), 'copy.db');
    const result = await shellCli('umask 000', ['db', 'backup', copy], { CRMCTL_DB: crm.db });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(statSync(copy).mode & 0o777).toBe(0o600);
  });

  it('special files are refused (exit 7) before SQLite opens them', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'fifo');
    await new Promise<void>((done, fail) =>
      spawn('mkfifo', [fifo]).on('exit', (code) => (code === 0 ? done() : fail(code))),
    );
    const besides = ['/dev/null-journal', '/dev/null-wal', '/dev/null-shm'].map(
      (file) => [file, statSync(file, { throwIfNoEntry: false })?.mtimeMs] as const,
    );
    const socket = join(dir, 'socket');
    const server = createServer();
    await new Promise<void>((done) => server.listen(socket, done));
    try {
      const cases: [string, RegExp][] = [
        ['/dev/null', /^error: \/dev\/null is a device, not a store file/],
        ['/dev/zero', /^error: \/dev\/zero is a device, not a store file/],
        [fifo, /fifo is a named pipe \(FIFO\), not a store file/],
        [socket, /socket is a socket, not a store file/],
        [dir, /is a directory, not a store file/],
      ];
      for (const [path, message] of cases) {
        for (const args of [['init'], ['item', 'list'], ['db', 'check']]) {
          expectRefused(await crmctlFor(path, { now: NOW })(args), 7, message);
        }
      }
      // Nothing was made beside them (no -journal, -wal or -shm).
      expect(readdirSync(dir).sort()).toEqual(['fifo', 'socket']);
    } finally {
      server.close();
    }
    // Another program on this machine may have left one; this test must not make or touch it.
    for (const [file, mtime] of besides) {
      expect(statSync(file, { throwIfNoEntry: false })?.mtimeMs, file).toBe(mtime);
    }
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});

describe('db backup (§4)', () => {
  it('an empty FILE is a usage error', async () => {
    const crm = await initStore({ now: NOW });
    expectRefused(await crm(['db', 'backup', '']), 2, /db backup needs a file/);
    expectRefused(await crm(['db', 'backup', '  ']), 2, /db backup needs a file/);
  });

  it('onto the store itself, or one of its files, is refused whatever the spelling', async () => {
    const crm = await initStore({ now: NOW });
    ok(await crm(['exceptions', 'add', 'keep@example.com', '--json']));
    const before = snapshot(crm.db);
    const dir = join(crm.db, '..');
    const link = join(tempDir(), 'link.db');
    symlinkSync(crm.db, link);
    for (const target of [crm.db, link, join(dir, '.', 'crm.db'), `${crm.db}-wal`]) {
      expectRefused(
        await crm(['db', 'backup', target, '--force']),
        2,
        /is the store itself \(or one of its files\)/,
      );
    }
    expect(snapshot(crm.db)).toEqual(before);
    expect(readdirSync(dir).filter((f) => !/^crm\.db(-wal|-shm)?$/.test(f))).toEqual([]);
  });

  it('a special file is never replaced, even with --force', async () => {
    const crm = await initStore({ now: NOW });
    for (const force of [[], ['--force']]) {
      expectRefused(
        await crm(['db', 'backup', '/dev/null', ...force]),
        2,
        /\/dev\/null is not a regular file: a backup never replaces it/,
      );
    }
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('a failed backup (the file size limit is reached) names the destination and leaves nothing', async () => {
    const crm = await initStore({ now: NOW });
    const dir = tempDir();
    const copy = join(dir, 'copy.db');
    // 64 blocks of 512 bytes: room for the store's 32 KiB -shm, not for the copy.
    const result = await shellCli('trap "" XFSZ; ulimit -f 64', ['db', 'backup', copy], {
      CRMCTL_DB: crm.db,
    });
    expectRefused(
      result,
      74,
      new RegExp(`^error: db backup: could not write ${copy}: .*Nothing was written there`),
    );
    expect(readdirSync(dir)).toEqual([]);
    expect(ok(await crm(['db', 'check', '--json']))).toMatchObject({ ok: true });
  });

  it.skipIf(process.getuid?.() !== 0)(
    'into a folder the user cannot write: exit 2 naming the destination',
    async () => {
      const uid = 65534;
      const home = tempDir();
      chmodSync(home, 0o755);
      const storeDir = join(home, 'store');
      mkdirSync(storeDir);
      chownSync(storeDir, uid, uid);
      const store = join(storeDir, 'crm.db');
      const made = await shellCli('true', ['init', '--quiet'], { CRMCTL_DB: store }, uid);
      expect(made.exitCode, made.stderr).toBe(0);
      const locked = join(home, 'locked');
      mkdirSync(locked, { mode: 0o755 });
      const copy = join(locked, 'copy.db');
      const result = await shellCli('true', ['db', 'backup', copy], { CRMCTL_DB: store }, uid);
      expectRefused(
        result,
        2,
        new RegExp(`^error: db backup: cannot write ${copy}: permission denied`),
      );
      expect(readdirSync(locked)).toEqual([]);
    },
  );
});

interface Layout {
  /** The root page of the exceptions table. */
  root: number;
  pageCount: number;
}

/**
 * A store of 3,000 exceptions, and a copy of it with garbage written over the pages `pages`
 * picks (counted from 1) from its layout.
 */
async function damagedCopy(pages: (layout: Layout) => number[]) {
  const crm = await initStore({ now: NOW });
  const lines = Array.from({ length: 3000 }, (_, i) => `user${i}@example.com;comment ${i}`);
  const imported = await crm(['exceptions', 'import', '-', '--quiet'], {
    input: `${lines.join('\n')}\n`,
  });
  expect(imported.exitCode, imported.stderr).toBe(0);
  const layout = withDb(crm.db, (db) => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    return {
      root: db
        .prepare("SELECT rootpage FROM sqlite_master WHERE name = 'exceptions'")
        .pluck()
        .get() as number,
      pageCount: db.pragma('page_count', { simple: true }) as number,
    };
  });
  const path = join(tempDir(), 'damaged.db');
  const bytes = readFileSync(crm.db);
  const pageSize = bytes.readUInt16BE(16);
  for (const page of pages(layout)) {
    for (let i = 0; i < pageSize; i++) bytes[(page - 1) * pageSize + i] = (i * 7 + 13) & 255;
  }
  writeFileSync(path, bytes, { mode: 0o600 });
  return { path, crm: crmctlFor(path, { now: NOW }) };
}

describe('a damaged store (§4)', () => {
  it('db check lists what integrity_check found, at most 20 problems, and exits 7', async () => {
    // The table's root page; or the last 40 pages, written by the import (leaves of the
    // table and its indexes, beyond the schema's own pages).
    const damages = [
      ({ root }: Layout) => [root],
      ({ pageCount }: Layout) => Array.from({ length: 40 }, (_, i) => pageCount - i),
    ];
    for (const pages of damages) {
      const { crm, path } = await damagedCopy(pages);
      const result = await crm(['db', 'check', '--json']);
      expect(result.exitCode, result.stderr).toBe(7);
      const report = result.json<{ ok: boolean; path: string; integrity: string[] }>();
      expect(report.ok).toBe(false);
      expect(report.path).toBe(path);
      expect(report.integrity.length).toBeGreaterThan(0);
      expect(report.integrity.length).toBeLessThanOrEqual(21);
      if (pages === damages[0]) {
        // A lost root page orphans every page of the table: far more than 20 problems.
        expect(report.integrity).toHaveLength(21);
        expect(report.integrity[20]).toBe('… and more (only the first 20 are shown)');
      }
      expect(report.integrity.join('\n')).toMatch(/page \d+/);
      expect(report.integrity.join('\n')).not.toContain('*** in database');
      expect(result.stderr).toMatch(/damaged\.db is damaged\. Restore it from a backup/);
      const table = await crm(['db', 'check']);
      expect(table.exitCode).toBe(7);
      expect(table.stdout).toMatch(/^ok\tfalse\n/);
      expect(table.stdout).toMatch(/integrity\t.*page \d+/);
    }
  });

  it('db check reports a store whose schema page is damaged, too', async () => {
    const { crm, path } = await damagedCopy(() => []);
    const bytes = readFileSync(path);
    bytes.fill(0x41, 100, 3000);
    writeFileSync(path, bytes);
    const result = await crm(['db', 'check', '--json']);
    expect(result.exitCode, result.stderr).toBe(7);
    expect(result.json()).toEqual({
      ok: false,
      path,
      schemaVersion: null,
      integrity: [expect.stringMatching(/cannot be opened: database disk image is malformed/)],
      foreignKeyViolations: [],
    });
    expectRefused(
      await crm(['exceptions', 'list']),
      7,
      /damaged\.db is damaged: database disk image is malformed\. See what is wrong with crmctl db check/,
    );
  });

  it('a damaged page met while reading is exit 7 suggesting db check, never 70', async () => {
    const { crm } = await damagedCopy(({ root }) => [root]);
    for (const args of [
      ['exceptions', 'list'],
      ['exceptions', 'export'],
      ['exceptions', 'list', '-o', 'csv'],
    ]) {
      const result = await crm(args);
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(7);
      expect(result.stderr).toMatch(/db check/);
      expect(result.stderr).not.toMatch(/bug in crmctl|\n\s+at /);
    }
  });
});

describe.skipIf(process.getuid?.() !== 0)('a -shm left by another user’s read session (§4)', () => {
  it('says which file, whose, and how to fix it (exit 7), for writes and reads', async () => {
    const owner = 65534;
    const reader = 65533;
    const dir = tempDir();
    chmodSync(dir, 0o1777);
    const db = join(dir, 'crm.db');
    const env = { CRMCTL_DB: db, CRMCTL_USER: 'nobody' };
    const init = await shellCli('true', ['init', '--quiet'], env, owner);
    expect(init.exitCode, init.stderr).toBe(0);
    chmodSync(db, 0o644); // the owner lets others read it
    const read = await shellCli('true', ['exceptions', 'list'], env, reader);
    expect(read.exitCode, read.stderr).toBe(0);
    expect(statSync(`${db}-shm`).uid).toBe(reader); // ...and the reader's -shm stays behind

    const write = await shellCli('true', ['exceptions', 'add', 'spam@example.com'], env, owner);
    const advice = new RegExp(
      `cannot use the store: ${db}-shm \\(mode 0644, \\d+ bytes\\) belongs to uid ${reader}, and you cannot write it: ` +
        `another user's session of the store left it behind\\. See ls -l ${db}\\*; .*remove crm\\.db-shm`,
    );
    expectRefused(write, 7, advice);

    chmodSync(`${db}-shm`, 0o600); // now the owner cannot even read it: SQLITE_CANTOPEN
    expectRefused(
      await shellCli('true', ['exceptions', 'list'], env, owner),
      7,
      /0600.*belongs to uid 65533/,
    );
  });
});
