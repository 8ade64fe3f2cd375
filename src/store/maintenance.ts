import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { cannotWrite, canonical, placeWithoutReplacing, storeFiles } from '../cli/files.js';
import { trackPartialFile, untrackPartialFile } from '../cli/partial-files.js';
import { ConflictError, CrmError, OutputError, UsageError } from '../errors.js';
import { latestVersion } from './migrations.js';
import { DamagedStoreError, type Database, type Store } from './store.js';

export interface StoreCheck {
  ok: boolean;
  path: string;
  schemaVersion: number | null;
  integrity: string[];
  foreignKeyViolations: { table: string; rowid: number | null; parent: string }[];
}

/** How many problems `db check` lists; SQLite stops looking after one more. */
export const problemsShown = 20;

/**
 * `PRAGMA integrity_check` and `PRAGMA foreign_key_check`. On a damaged store SQLite reports
 * problems and may then fail outright: what it found until then is kept, and the failure
 * becomes the last problem.
 */
export function checkStore(store: Store): StoreCheck {
  const { db } = store;
  const integrity: string[] = [];
  try {
    const rows = db.prepare(`PRAGMA integrity_check(${problemsShown + 1})`).pluck();
    for (const row of rows.iterate() as Iterable<string>) integrity.push(...problemLines(row));
  } catch (error) {
    integrity.push(`integrity_check stopped: ${(error as Error).message}`);
  }
  let violations: StoreCheck['foreignKeyViolations'] = [];
  try {
    violations = (
      db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[]
    ).map((v) => ({ table: v.table, rowid: v.rowid, parent: v.parent }));
  } catch (error) {
    if (integrity[0] === 'ok') integrity.length = 0;
    integrity.push(`foreign_key_check stopped: ${(error as Error).message}`);
  }
  return {
    ok: integrity.length === 1 && integrity[0] === 'ok' && violations.length === 0,
    path: store.path,
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    integrity: shortened(integrity),
    foreignKeyViolations: violations,
  };
}

/** The report of a store so damaged that it could not be opened (its schema is unreadable). */
export function damagedStoreCheck(error: DamagedStoreError): StoreCheck {
  return {
    ok: false,
    path: error.path,
    schemaVersion: null,
    integrity: [`the store cannot be opened: ${error.problem}`],
    foreignKeyViolations: [],
  };
}

/** SQLite prefixes its first problem with a "*** in database main ***" line. */
function problemLines(row: string): string[] {
  return row
    .split('\n')
    .filter((line) => line !== '' && !/^\*\*\* in database \w+ \*\*\*$/.test(line));
}

function shortened(problems: string[]): string[] {
  if (problems.length <= problemsShown) return problems;
  return [
    ...problems.slice(0, problemsShown),
    `… and more (only the first ${problemsShown} are shown)`,
  ];
}

export interface BackupResult {
  path: string;
  totalPages: number;
}

/**
 * Copies the store with SQLite's online backup API (never a file copy) into a temporary file
 * beside `destination`, made 0600 before SQLite writes a byte, then renames it into place: a
 * failed backup leaves nothing behind, and an existing file is replaced only whole.
 */
export async function backupStore(
  store: Store,
  destination: string,
  overwrite: boolean,
): Promise<BackupResult> {
  refuseDestination(store, destination, overwrite);
  const temporary = join(
    dirname(destination),
    `.${basename(destination)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  const leftovers = ['', '-journal', '-wal', '-shm'].map((suffix) => `${temporary}${suffix}`);
  try {
    closeSync(openSync(temporary, 'wx', 0o600));
  } catch (error) {
    throw destinationError(destination, error);
  }
  for (const file of leftovers) trackPartialFile(file);
  try {
    const { totalPages } = await store.db.backup(temporary);
    place(temporary, destination, overwrite);
    return { path: destination, totalPages };
  } catch (error) {
    for (const file of leftovers) rmSync(file, { force: true });
    throw backupError(store, destination, error);
  } finally {
    for (const file of leftovers) untrackPartialFile(file);
  }
}

function refuseDestination(store: Store, destination: string, overwrite: boolean): void {
  const ownFiles = storeFiles(realPath(store.path)).map((file) => file.path);
  if (ownFiles.includes(realPath(destination))) {
    throw new UsageError(
      `db backup: ${destination} is the store itself (or one of its files): choose another file`,
    );
  }
  let found: Stats | undefined;
  try {
    found = statSync(destination, { throwIfNoEntry: false });
  } catch (error) {
    throw destinationError(destination, error);
  }
  if (!found) return;
  if (found.isDirectory()) throw destinationError(destination, { code: 'EISDIR' });
  if (!found.isFile()) {
    throw new UsageError(
      `db backup: ${destination} is not a regular file: a backup never replaces it`,
    );
  }
  if (!overwrite) throw existsError(destination);
}

/** A file-system error about the destination, as a usage error that names it and says why. */
function destinationError(destination: string, error: unknown): CrmError {
  const known = cannotWrite(destination, 'db backup', error);
  if (known instanceof CrmError) return known;
  return new UsageError(`db backup: cannot write ${destination}: ${(error as Error).message}`);
}

/** The real path of a file, or of its folder joined with its name when it does not exist yet. */
function realPath(path: string): string {
  return resolve(canonical(path));
}

/** Moves the finished copy into place; without `overwrite`, never over a file that appeared meanwhile. */
function place(temporary: string, destination: string, overwrite: boolean): void {
  if (overwrite) {
    renameSync(temporary, destination);
    return;
  }
  try {
    placeWithoutReplacing(temporary, destination);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw existsError(destination);
    throw error;
  }
}

function existsError(destination: string): ConflictError {
  return new ConflictError(
    `${destination} exists: choose another file or add --force to replace it`,
  );
}

/** A failed backup, blamed on the destination unless the store itself could not be read. */
function backupError(store: Store, destination: string, error: unknown): unknown {
  if (error instanceof CrmError) return error;
  const { code = '', message } = error as { code?: string; message?: string };
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new DamagedStoreError(store.path, message ?? code);
  }
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return error;
  if (code.startsWith('SQLITE_') || code.startsWith('E')) {
    const why = /^(SQLITE_FULL|ENOSPC)/.test(code) ? 'the disk is full' : `${message} (${code})`;
    return new OutputError(
      `db backup: could not write ${destination}: ${why}. Nothing was written there; the store is unchanged`,
    );
  }
  return error;
}

/**
 * The tables holding rows, `ignored` ones left out: what a store holds beyond its seed.
 * Reads one row of each table at most.
 */
export function tablesWithRows(db: Database, ignored: ReadonlySet<string>): string[] {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  return tables.filter(
    (table) =>
      !ignored.has(table) &&
      db
        .prepare(`SELECT EXISTS (SELECT 1 FROM "${table.replaceAll('"', '""')}")`)
        .pluck()
        .get() === 1,
  );
}

export { latestVersion };
