import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { InputError } from '../errors.js';
import { latestVersion, migrate } from './migrations.js';

export type Database = BetterSqlite3.Database;

/** The SQLite store: one connection, and the one way to write (`BEGIN IMMEDIATE`). */
export interface Store {
  readonly db: Database;
  readonly path: string;
  /**
   * Runs `work` in a write transaction begun with `BEGIN IMMEDIATE`; nested calls become
   * savepoints. With `dryRun`, the work runs for real and is then rolled back, so its result
   * (counts, conflicts) is the real one.
   */
  write<T>(work: () => T, options?: { dryRun?: boolean }): T;
  /**
   * The same for work that awaits (streaming an import): one `BEGIN IMMEDIATE` transaction
   * held across the awaits, committed at the end or rolled back on error or dry run.
   */
  writeAsync<T>(work: () => Promise<T>, options?: { dryRun?: boolean }): Promise<T>;
  close(): void;
}

export interface OpenStoreOptions {
  /** How long to wait for another writer before failing with SQLITE_BUSY. */
  busyTimeoutMs: number;
  /** Runs inside the migration transaction when the store is brand new (seed data). */
  onCreate?: (store: Store) => void;
  /** Stop migrating at this version (tests that build an old store). */
  migrateTo?: number;
}

// better-sqlite3 is a native addon: load it only when a command actually opens the store.
const require = createRequire(import.meta.url);
let DatabaseClass: typeof BetterSqlite3 | undefined;
function loadDriver(): typeof BetterSqlite3 {
  DatabaseClass ??= require('better-sqlite3') as typeof BetterSqlite3;
  return DatabaseClass;
}

const mappedBytes = 2 ** 30;

/**
 * The compiled addon's path. Given explicitly, better-sqlite3 skips the `bindings` package,
 * which probes a dozen candidate paths on every start (a few milliseconds of each command).
 */
function nativeBinding(): string | undefined {
  try {
    return require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return undefined;
  }
}

export function openStore(path: string, options: OpenStoreOptions): Store {
  const inMemory = path === ':memory:';
  if (!inMemory) createPrivateFile(path);
  const Driver = loadDriver();
  const db = new Driver(path, { timeout: options.busyTimeoutMs, nativeBinding: nativeBinding() });
  const store: Store = {
    db,
    path,
    write: (work, options) =>
      options?.dryRun ? rehearse(db, work) : db.transaction(work).immediate(),
    writeAsync: async (work, options) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        db.exec(options?.dryRun ? 'ROLLBACK' : 'COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
    close: () => db.close(),
  };
  try {
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Reads through a memory map: full scans of large tables (a search by comment in millions
    // of exceptions) run about twice as fast. Bulk writers switch it off to keep memory flat.
    if (!inMemory) db.pragma(`mmap_size = ${mappedBytes}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latestVersion) {
      throw new InputError(
        `${path} was made by a newer crmctl (schema ${version}, this one knows ${latestVersion}): upgrade crmctl`,
      );
    }
    const target = options.migrateTo ?? latestVersion;
    if (version < target) {
      store.write(() => {
        const created = migrate(db, target);
        if (created) options.onCreate?.(store);
      });
    }
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') {
      throw new InputError(`${path} is not a crmctl store (not an SQLite database): check --db`);
    }
    throw error;
  }
  return store;
}

const rollback = Symbol('rollback');

function rehearse<T>(db: Database, work: () => T): T {
  let result: T | undefined;
  try {
    db.transaction(() => {
      result = work();
      throw rollback;
    }).immediate();
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return result as T;
}

/** Creates the store file (and its folder) readable by its owner only, before SQLite opens it. */
function createPrivateFile(path: string): void {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) {
      throw new InputError(`${path} is a directory, not a store file: check --db`);
    }
    return;
  }
  try {
    makeFolders(dirname(path));
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST') return;
    throw new InputError(`cannot create the store ${path}: ${message}`);
  }
}

/**
 * `mkdir -p` with mode 0700, one level at a time: Node's recursive mkdir spins forever where a
 * parent exists but refuses children with ENOENT (e.g. under /proc).
 */
function makeFolders(folder: string): void {
  if (existsSync(folder)) return;
  const parent = dirname(folder);
  if (parent !== folder) makeFolders(parent);
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
