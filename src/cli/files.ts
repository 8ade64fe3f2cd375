import { accessSync, constants, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

const whyCannotWrite: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
};

/** Opens `path` for writing (mode 0600); a path that cannot be written is a usage error about `shown`. */
export function openForWriting(path: string, shown: string, what: string): number {
  try {
    return openSync(path, 'w', 0o600);
  } catch (error) {
    throw cannotWrite(shown, what, error);
  }
}

/** A file-system error on writing `path` as a usage error that says why; other errors as they are. */
export function cannotWrite(path: string, what: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return code in whyCannotWrite ? cannotWriteBecause(path, what, code) : error;
}

function cannotWriteBecause(path: string, what: string, code: string): UsageError {
  return new UsageError(`${what}: cannot write ${path}: ${whyCannotWrite[code]}`);
}

/** Checks `path` could be created, for writers that open it themselves (SQLite's backup). */
export function checkWritable(path: string, what: string): void {
  const folder = dirname(path);
  try {
    if (!statSync(folder).isDirectory()) throw cannotWriteBecause(path, what, 'ENOTDIR');
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw cannotWrite(path, what, error);
  }
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    throw cannotWriteBecause(path, what, 'EISDIR');
  }
}
