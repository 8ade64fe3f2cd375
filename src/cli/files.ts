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
  const why = whyCannotWrite[(error as NodeJS.ErrnoException).code ?? ''];
  return why === undefined ? error : new UsageError(`${what}: cannot write ${path}: ${why}`);
}

/** Checks `path` could be created, for writers that open it themselves (SQLite's backup). */
export function checkWritable(path: string, what: string): void {
  try {
    const folder = dirname(path);
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    accessSync(folder, constants.W_OK);
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      throw Object.assign(new Error(), { code: 'EISDIR' });
    }
  } catch (error) {
    throw cannotWrite(path, what, error);
  }
}
