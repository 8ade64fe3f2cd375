import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  linkSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConflictError, ExitCode, OutputError, UsageError } from '../errors.js';
import { trackPartialFile, untrackPartialFile } from './partial-files.js';

const whyCannotWrite: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
};

const whyWriteFailed: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is larger than this file system or process may write',
  EIO: 'an input/output error',
  ...whyCannotWrite,
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

/** A failed write (disk full, a file-size limit) as exit 74, saying why. */
function writeFailed(path: string, what: string, error: unknown): OutputError {
  const { code, message } = error as NodeJS.ErrnoException;
  const why = (code && whyWriteFailed[code]) ?? message;
  return new OutputError(`${what}: could not write ${path}: ${why}${code ? ` (${code})` : ''}`);
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

/** A file an output must never replace, even with --force: the store, the input being read. */
export interface ProtectedFile {
  path: string;
  /** How messages name it: "the store", "the input". */
  what: string;
  /** Device and inode when known (stdin redirected from a file has no path). */
  identity?: { dev: number; ino: number };
}

/** The store and the files SQLite keeps beside it. */
export function storeFiles(storePath: string): ProtectedFile[] {
  return ['', '-wal', '-shm', '-journal'].map((suffix) => ({
    path: `${storePath}${suffix}`,
    what: suffix === '' ? 'the store' : `the store's ${suffix.slice(1)} file`,
  }));
}

export interface OutputFileOptions {
  /** How messages name the output: "export", "--rejects". */
  what: string;
  /** Replace FILE if it exists. */
  force?: boolean;
  protect?: ProtectedFile[];
}

/**
 * Checks, before any work is done, that `path` may be written: its folder exists and is
 * writable, it is not a folder nor one of the protected files (compared as files: through
 * symbolic links, `./x` and `x`, hard links), and an existing regular file needs `force`.
 * Devices and pipes (`/dev/null`, a FIFO) are streams, written in place.
 */
export function checkOutputFile(path: string, options: OutputFileOptions): void {
  const { what } = options;
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw cannotWriteBecause(path, what, 'EISDIR');
  for (const file of options.protect ?? []) {
    if (isSameFile(path, stat, file)) {
      throw new ConflictError(
        `${what}: ${path} is ${file.what}${file.path === path ? '' : ` (${file.path})`}: write to another file`,
      );
    }
  }
  if (stat && !stat.isFile()) return;
  if (stat && !options.force) {
    throw new ConflictError(`${path} exists: choose another file or add --force`);
  }
  const folder = dirname(stat ? realPath(path) : path);
  try {
    if (!statSync(folder).isDirectory()) throw cannotWriteBecause(path, what, 'ENOTDIR');
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw cannotWrite(path, what, error);
  }
}

function isSameFile(path: string, stat: Stats | undefined, file: ProtectedFile): boolean {
  const other = file.identity ?? statSync(file.path, { throwIfNoEntry: false });
  if (stat && other && stat.dev === other.dev && stat.ino === other.ino) return true;
  // A file that does not exist yet may still be one SQLite is about to create (the -wal).
  return file.identity === undefined && canonical(path) === canonical(file.path);
}

/** The path with its folder's symbolic links resolved, for files that may not exist. */
export function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

let temporaries = 0;

/**
 * An output file that appears whole or not at all: written to a temporary file beside it
 * (mode 0600 from the first byte, removed on a signal or a failure), then renamed into place
 * by `commit` — or linked, without `force`, so a file that appeared meanwhile is never
 * replaced. Nothing touches the disk before the first `write` or the `commit`, so an output
 * whose work is refused early leaves no trace. A device or pipe is written in place.
 * Write failures (disk full, a size limit) are exit 74 (`OutputError`).
 */
export class OutputFile {
  private fd: number | undefined;
  private temporary: string | undefined;
  private buffered = '';
  private finished = false;
  private failure: OutputError | undefined;
  private readonly target: string;
  private readonly inPlace: boolean;

  constructor(
    readonly path: string,
    private readonly options: OutputFileOptions,
  ) {
    checkOutputFile(path, options);
    const stat = statSync(path, { throwIfNoEntry: false });
    this.inPlace = stat !== undefined && !stat.isFile();
    this.target = stat ? realPath(path) : path;
  }

  write(text: string): void {
    this.buffered += text;
    if (this.buffered.length > 1 << 16) this.flush();
  }

  /** Writes what is left and puts the file in place. */
  commit(): void {
    if (this.failure) throw this.failure;
    if (this.finished) return;
    this.flush();
    const fd = this.fd as number;
    const temporary = this.temporary;
    try {
      if (!this.inPlace) fsyncSync(fd);
    } catch (error) {
      this.discard();
      this.failure = writeFailed(this.path, this.options.what, error);
      throw this.failure;
    }
    closeSync(fd);
    this.fd = undefined;
    this.finished = true;
    if (temporary === undefined) return;
    try {
      if (this.options.force) renameSync(temporary, this.target);
      else placeWithoutReplacing(temporary, this.target);
    } catch (error) {
      rmSync(temporary, { force: true });
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new ConflictError(
          `${this.path} appeared while it was being written: choose another file or add --force`,
        );
      }
      throw writeFailed(this.path, this.options.what, error);
    } finally {
      untrackPartialFile(temporary);
    }
  }

  /** Leaves nothing behind: the temporary file is removed (a device or pipe is only closed). */
  discard(): void {
    if (this.finished) return;
    this.finished = true;
    this.buffered = '';
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already failing: removing the file is what matters
      }
      this.fd = undefined;
    }
    if (this.temporary !== undefined) {
      rmSync(this.temporary, { force: true });
      untrackPartialFile(this.temporary);
    }
  }

  private flush(): void {
    if (this.finished) return;
    const fd = this.fd ?? this.open();
    const bytes = Buffer.from(this.buffered);
    this.buffered = '';
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    } catch (error) {
      this.discard();
      this.failure = writeFailed(this.path, this.options.what, error);
      throw this.failure;
    }
  }

  private open(): number {
    if (this.inPlace) {
      this.fd = openForWriting(this.target, this.path, this.options.what);
      return this.fd;
    }
    const temporary = join(
      dirname(this.target),
      `.${basename(this.target)}.${process.pid}-${++temporaries}.partial`,
    );
    try {
      this.fd = openSync(temporary, 'wx', 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code in whyCannotWrite) throw cannotWrite(this.path, this.options.what, error);
      throw writeFailed(this.path, this.options.what, error);
    }
    this.temporary = temporary;
    trackPartialFile(temporary);
    return this.fd;
  }
}

/** What a failed hard link says when the file system has none (or not between these folders). */
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV']);

/**
 * Moves `temporary` to `target` unless `target` exists by then: a hard link fails rather than
 * replace it (an error with code EEXIST). File systems without hard links get a rename after a
 * last look.
 */
export function placeWithoutReplacing(temporary: string, target: string): void {
  try {
    linkSync(temporary, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || statSync(target, { throwIfNoEntry: false })) {
      throw Object.assign(new Error(`${target} exists`), { code: 'EEXIST' });
    }
    if (!noHardLinks.has(code ?? '')) throw error;
    renameSync(temporary, target);
    return;
  }
  rmSync(temporary, { force: true });
}

const fileProblems: Record<string, { why: string; exitCode: number }> = {
  ENOENT: { why: 'no such file or folder', exitCode: ExitCode.notFound },
  ENOTDIR: { why: 'part of the path is not a folder', exitCode: ExitCode.usage },
  EISDIR: { why: 'it is a folder', exitCode: ExitCode.usage },
  EACCES: { why: 'permission denied', exitCode: ExitCode.usage },
  EPERM: { why: 'permission denied', exitCode: ExitCode.usage },
  EROFS: { why: 'the file system is read-only', exitCode: ExitCode.usage },
  ENAMETOOLONG: { why: 'the name is too long', exitCode: ExitCode.usage },
  ELOOP: { why: 'too many symbolic links', exitCode: ExitCode.usage },
  EBUSY: { why: 'it is in use (a mount point?)', exitCode: ExitCode.usage },
  EXDEV: { why: 'it is on another file system', exitCode: ExitCode.usage },
  ENOSPC: { why: 'no space left on the device', exitCode: ExitCode.outputFailed },
  EDQUOT: { why: 'the disk quota is exceeded', exitCode: ExitCode.outputFailed },
  EFBIG: { why: 'the file is too large', exitCode: ExitCode.outputFailed },
  EIO: { why: 'an input/output error', exitCode: ExitCode.outputFailed },
};

/**
 * A file-system error that reached the top (a path given on the command line that cannot be
 * one, a folder that vanished): a clear error naming the path, not an internal one. Also
 * Node's refusal of a path holding a NUL character.
 */
export function describeFileError(
  error: unknown,
): { code: string; message: string; exitCode: number } | undefined {
  const { code, path, syscall } = error as { code?: unknown; path?: unknown; syscall?: unknown };
  if (code === 'ERR_INVALID_ARG_VALUE' && /null bytes/.test(String((error as Error).message))) {
    return {
      code: 'usage',
      message: 'a file name cannot hold a NUL character',
      exitCode: ExitCode.usage,
    };
  }
  if (typeof code !== 'string' || typeof syscall !== 'string') return undefined;
  const problem = fileProblems[code];
  if (!problem) return undefined;
  const shown = typeof path === 'string' ? ` ${JSON.stringify(shortened(path))}` : '';
  return {
    code: problem.exitCode === ExitCode.outputFailed ? 'output-failed' : 'file-error',
    message: `cannot ${syscall}${shown}: ${problem.why}`,
    exitCode: problem.exitCode,
  };
}

function shortened(path: string): string {
  return path.length > 80 ? `${path.slice(0, 40)}…${path.slice(-20)}` : path;
}
