import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CrmError, InputError, NotFoundError } from '../errors.js';
import {
  crmctlApplicationId,
  identifyStore,
  readStoreFacts,
  type StoreIdentity,
} from './identity.js';
import { latestVersion, migrate } from './migrations.js';

export type Database = BetterSqlite3.Database;

export interface WriteOptions {
  /** Do the work for real, then roll it back: its result (counts, conflicts) is the real one. */
  dryRun?: boolean;
}

/**
 * The SQLite store: one connection, and the one way to write (`BEGIN IMMEDIATE`). Commands
 * write through their Session (src/session.ts), which uses these.
 */
export interface Store {
  readonly db: Database;
  readonly path: string;
  /** Runs `work` in a write transaction begun with `BEGIN IMMEDIATE`; nested calls become savepoints. */
  write<T>(work: () => T, options?: WriteOptions): T;
  /**
   * The same for work that awaits (streaming an import): one `BEGIN IMMEDIATE` transaction
   * held across the awaits, committed at the end or rolled back on error or dry run.
   */
  writeAsync<T>(work: () => Promise<T>, options?: WriteOptions): Promise<T>;
  close(): void;
}

export interface OpenStoreOptions {
  /** How long to wait for another writer before failing with SQLITE_BUSY. */
  busyTimeoutMs: number;
  /**
   * Whether a new store may be made at the path (a missing or empty file). Commands that only
   * read say no, so a mistyped path is "not found" (exit 4) rather than a new, empty store.
   */
  create?: boolean;
  /**
   * Whether to bring an older store up to date and switch it to WAL. `db check` and `db backup`
   * say no: they look at the store as it is and change nothing in it.
   */
  migrate?: boolean;
  /** Runs inside the migration transaction when the store is brand new (seed data). */
  onCreate?: (store: Store) => void;
  /** Stop migrating at this version (tests that build an old store). */
  migrateTo?: number;
  /** Called once a writer has waited a second for another, for a person watching. */
  onWaiting?: () => void;
  /** Runs each synchronous write transaction (the CLI lets a signal end it at once). */
  synchronously?: <T>(work: () => T) => T;
}

/** The store's pages cannot be read; `db check` reports it rather than failing. */
export class DamagedStoreError extends InputError {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(
      `${path} is damaged: ${problem}. See what is wrong with crmctl db check, then restore it from a backup`,
    );
  }
}

// better-sqlite3's JavaScript is in the bundle (and its code cache: loading its dozen files took
// 4 ms of every start that opens the store); its native addon is loaded by the first `new
// Database`, through the path nativeBinding() gives, only when a command opens the store.
const require = createRequire(import.meta.url);

const mappedBytes = 2 ** 30;

/**
 * Reads pages with read() instead of the memory map for the rest of this connection: a bulk
 * write, an import or a whole-list read touches much of the store, and mapped pages would stay
 * resident, counting towards this process's memory. (A larger page cache was measured for the
 * bin's bulk delete: no faster, 20 MB more.)
 */
export function readWithoutMemoryMap(db: Database): void {
  db.pragma('mmap_size = 0');
}

/** Pages (4 KiB) the WAL may hold before a commit copies them into the store. */
const walCheckpointPages = 10_000;

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

/**
 * Opens the store at `path`. Everything that could refuse it runs first and only reads: what
 * the file is (a stat, its first 16 bytes), then its application_id, user_version and tables.
 * Only a missing or empty file becomes a new store; nothing in an existing file changes (no
 * migration, no journal mode) until it is known to be a crmctl store this version can use.
 */
export function openStore(path: string, options: OpenStoreOptions): Store {
  const inMemory = path === ':memory:';
  const create = options.create ?? true;
  const change = options.migrate ?? true;
  if (!inMemory) {
    prepareStoreFile(path, create);
    if (create && change) refuseUnwritableStore(path);
  }
  const db = new BetterSqlite3(path, {
    timeout: options.busyTimeoutMs,
    nativeBinding: nativeBinding(),
  });
  const lock = writeLock(db, options.busyTimeoutMs, options.onWaiting);
  const synchronously = options.synchronously ?? ((work) => work());
  const finish = (dryRun: boolean | undefined) => db.exec(dryRun ? 'ROLLBACK' : 'COMMIT');
  const abort = () => {
    if (db.inTransaction) db.exec('ROLLBACK');
  };
  const store: Store = {
    db,
    path,
    write: (work, writeOptions) => {
      if (db.inTransaction) {
        return writeOptions?.dryRun ? rehearse(db, work) : db.transaction(work)();
      }
      return synchronously(() => {
        lock.acquire();
        try {
          const result = work();
          finish(writeOptions?.dryRun);
          return result;
        } catch (error) {
          abort();
          throw error;
        }
      });
    },
    writeAsync: async (work, writeOptions) => {
      if (db.inTransaction) throw new Error('writeAsync cannot run inside another transaction');
      lock.acquire();
      try {
        const result = await work();
        finish(writeOptions?.dryRun);
        return result;
      } catch (error) {
        abort();
        throw error;
      }
    },
    close: () => db.close(),
  };
  try {
    // Settings of this connection, not of the file.
    db.pragma('foreign_keys = ON');
    // Savepoints (each rule's action runs in one) keep the pages they change in memory, not in
    // a temporary file made and removed each time: a move of 100,000 deals into a stage with
    // rules spent 2 s of system time on those files. Set before any transaction: SQLite reads
    // it when one begins.
    db.pragma('temp_store = MEMORY');
    // Reads through a memory map: full scans of large tables (a search by comment in millions
    // of exceptions) run about twice as fast. Bulk writers switch it off to keep memory flat.
    if (!inMemory) db.pragma(`mmap_size = ${mappedBytes}`);
    const identity = usableIdentity(path, db);
    if (identity.kind === 'empty' && !create) throw noStoreYet(path, 'empty');
    if (change) {
      const target = options.migrateTo ?? latestVersion;
      const current = identity.kind === 'crmctl' && identity.stamped ? identity.version : -1;
      if (current < target) {
        store.write(() => {
          // Again under the write lock: another crmctl may have made or migrated it meanwhile.
          usableIdentity(path, db);
          const created = migrate(db, target);
          db.pragma(`application_id = ${crmctlApplicationId}`);
          if (created) options.onCreate?.(store);
        });
      }
      if (!inMemory && db.pragma('journal_mode', { simple: true }) !== 'wal') {
        db.pragma('journal_mode = WAL');
      }
      db.pragma('synchronous = NORMAL');
      // Checkpoint when the WAL holds ~40 MB rather than SQLite's 4 MB: a long run of write
      // units (a call replay, an import) then copies a page it changed in several units into
      // the store once, not once per unit. Measured: 1M replayed calls 19.5k → 23k calls/s.
      db.pragma(`wal_autocheckpoint = ${walCheckpointPages}`);
    }
  } catch (error) {
    db.close();
    throw openError(path, error);
  }
  return store;
}

/** What the file holds, refusing anything that is not a crmctl store this version can use. */
function usableIdentity(path: string, db: Database): Exclude<StoreIdentity, { kind: 'refused' }> {
  const identity = identifyStore(readStoreFacts(db));
  if (identity.kind === 'refused') throw new InputError(`${path} ${identity.problem}`);
  return identity;
}

function noStoreYet(path: string, why: 'missing' | 'empty'): NotFoundError {
  const what = why === 'missing' ? `no store at ${path}` : `${path} is empty, not a store yet`;
  return new NotFoundError(
    `${what}, and this command only reads: create the store with crmctl init, or check --db / CRMCTL_DB`,
  );
}

/** An SQLite error met while opening, as a message about the store file. */
function openError(path: string, error: unknown): unknown {
  if (error instanceof CrmError) return error;
  const { code = '', message } = error as { code?: string; message?: string };
  if (code === 'SQLITE_NOTADB') return notSqlite(path);
  if (code.startsWith('SQLITE_CORRUPT')) return new DamagedStoreError(path, message ?? code);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return new InputError(
      sidecarProblem(path) ??
        `cannot open ${path}: ${message} (${code}). SQLite needs to read the file and to create ` +
          `${basename(path)}-wal and ${basename(path)}-shm beside it: check with ls -l ${dirname(path)}`,
    );
  }
  return error;
}

function notSqlite(path: string): InputError {
  return new InputError(`${path} is not a crmctl store (not an SQLite database): check --db`);
}

/** After this long waiting for another writer, a person watching is told. */
const noteAfterMs = 1000;

/**
 * `BEGIN IMMEDIATE`, waiting at most `waitMs` for another writer. SQLite waits inside its busy
 * handler, where nothing else runs: so a first attempt waits a second, and on SQLITE_BUSY the
 * note is shown and a second attempt waits for the rest.
 */
function writeLock(db: Database, waitMs: number, onWaiting: (() => void) | undefined) {
  const busyTimeout = (ms: number) => db.pragma(`busy_timeout = ${Math.max(0, Math.round(ms))}`);
  return {
    acquire(): void {
      if (!onWaiting || waitMs <= noteAfterMs) {
        db.exec('BEGIN IMMEDIATE');
        return;
      }
      const started = Date.now();
      busyTimeout(noteAfterMs);
      try {
        db.exec('BEGIN IMMEDIATE');
        return;
      } catch (error) {
        if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw error;
      } finally {
        busyTimeout(waitMs);
      }
      onWaiting();
      busyTimeout(waitMs - (Date.now() - started));
      try {
        db.exec('BEGIN IMMEDIATE');
      } finally {
        busyTimeout(waitMs);
      }
    },
  };
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

const sqliteHeader = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Checks what is at `path` before SQLite touches it: a missing file is made here (mode 0600
 * from the first byte, through a dangling symlink too: its target is made), an empty file is
 * made private, and anything but a regular file starting with SQLite's header is refused.
 */
function prepareStoreFile(path: string, create: boolean): void {
  const found = statOf(path);
  if (!found) {
    if (!create) throw noStoreYet(path, 'missing');
    createPrivateFile(path);
    return;
  }
  refuseNonFile(path, found);
  if (found.size === 0) {
    if (!create) throw noStoreYet(path, 'empty');
    if ((found.mode & 0o077) !== 0) makePrivate(path, found);
    return;
  }
  const header = Buffer.alloc(sqliteHeader.length);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, header, 0, header.length, 0);
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${reasonOf(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (!header.equals(sqliteHeader)) throw notSqlite(path);
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new InputError(`cannot use ${path} as the store: part of the path is not a folder`);
    }
    throw new InputError(`cannot use ${path} as the store: ${reasonOf(error)}`);
  }
}

/** A directory, FIFO, socket or device is never a store: SQLite must not open it (nor make its journal beside it). */
function refuseNonFile(path: string, found: Stats): void {
  if (found.isFile()) return;
  const what = found.isDirectory()
    ? 'a directory'
    : found.isFIFO()
      ? 'a named pipe (FIFO)'
      : found.isSocket()
        ? 'a socket'
        : found.isCharacterDevice() || found.isBlockDevice()
          ? 'a device'
          : 'not a regular file';
  throw new InputError(`${path} is ${what}, not a store file: check --db`);
}

/** Creates the store file (and its folder) readable by its owner only, before SQLite opens it. */
function createPrivateFile(path: string): void {
  let fd: number | undefined;
  try {
    makeFolders(dirname(path));
    // No O_EXCL: through a dangling symlink this makes its target, with the same mode.
    fd = openSync(path, constants.O_CREAT | constants.O_WRONLY | constants.O_NONBLOCK, 0o600);
    const made = fstatSync(fd);
    refuseNonFile(path, made); // something else appeared there meanwhile
    if (made.size === 0 && (made.mode & 0o077) !== 0) fchmodSync(fd, 0o600);
  } catch (error) {
    if (error instanceof CrmError) throw error;
    throw new InputError(`cannot create the store ${path}: ${reasonOf(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** An empty file others may read becomes 0600 before a store is written into it. */
function makePrivate(path: string, found: Stats): void {
  try {
    chmodSync(path, 0o600);
  } catch (error) {
    throw new InputError(
      `${path} is an empty file others may read (mode ${modeOf(found)}), and crmctl cannot make it ` +
        `private (${reasonOf(error)}): remove it, or choose another --db`,
    );
  }
}

/**
 * A command that writes needs to write the store and the `-wal` and `-shm` files beside it;
 * a `-shm` left behind by another user's read-only session makes every write fail with
 * SQLite's "attempt to write a readonly database". Say so, and how to fix it, before starting.
 */
function refuseUnwritableStore(path: string): void {
  const problem = sidecarProblem(path);
  if (problem) throw new InputError(problem);
  try {
    accessSync(path, constants.W_OK);
  } catch {
    const found = statSync(path);
    throw new InputError(
      `${path} is read-only for you (owner uid ${found.uid}, mode ${modeOf(found)}): this command changes the store. ` +
        "Run it as the store's owner",
    );
  }
}

/** The `-wal` or `-shm` file of the store that this user cannot read and write, explained. */
function sidecarProblem(path: string): string | undefined {
  for (const suffix of ['-shm', '-wal']) {
    const file = `${path}${suffix}`;
    const found = statSync(file, { throwIfNoEntry: false });
    if (!found) continue;
    try {
      accessSync(file, constants.R_OK | constants.W_OK);
      continue;
    } catch (error) {
      // Gone meanwhile: the last connection of another crmctl removes its -wal on closing.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
    }
    const what = `cannot use the store: ${file} (mode ${modeOf(found)}, ${found.size} bytes)`;
    if (found.uid === process.getuid?.()) {
      return `${what} is not readable and writable by you, its owner: chmod u+rw ${file}`;
    }
    const base = basename(path);
    return (
      `${what} belongs to uid ${found.uid}, and you cannot write it: another user's session of ` +
      `the store left it behind. See ls -l ${path}*; when no crmctl is using the store, uid ` +
      `${found.uid} or root can remove ${base}-shm (and ${base}-wal only if it is 0 bytes: ` +
      "otherwise it holds committed changes), or chown them to the store's owner"
    );
  }
  return undefined;
}

const reasons: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  ELOOP: 'too many symbolic links',
  ENXIO: 'not a regular file',
};

function reasonOf(error: unknown): string {
  const { code = '', message } = error as NodeJS.ErrnoException;
  return reasons[code] ?? message;
}

function modeOf(found: Stats): string {
  return `0${(found.mode & 0o777).toString(8)}`;
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
