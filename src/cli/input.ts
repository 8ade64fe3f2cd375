import { createReadStream, fstatSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { InputError, NotFoundError, UsageError } from '../errors.js';
import type { Context } from './context.js';
import type { ProtectedFile } from './files.js';

export interface Input {
  /** Starts reading. Separate from the checks so a later usage error leaves no file open. */
  open(): Readable;
  /** How the input is named in messages: the path, or "stdin". */
  name: string;
  /** Size in bytes when known (a file), for progress by bytes. */
  size: number | undefined;
  /** The file being read (stdin too, when redirected from one): no output may replace it. */
  file: ProtectedFile | undefined;
}

/** Checks FILE (or stdin for `-` or no FILE) can be read; never waits on a terminal's stdin. */
export function openInput(ctx: Context, file: string | undefined): Input {
  if (file === undefined || file === '-') {
    if (ctx.io.stdinIsTTY) {
      throw new UsageError(
        'give a FILE, or pipe the input in (… | crmctl … -): stdin is a terminal',
      );
    }
    return { open: () => ctx.io.stdin, name: 'stdin', size: undefined, file: stdinFile(ctx) };
  }
  let size: number;
  let identity: { dev: number; ino: number };
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new InputError(`${file} is a directory, not a file`);
    size = stat.isFile() ? stat.size : 0;
    identity = { dev: stat.dev, ino: stat.ino };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`no such file: ${file}`);
    if (code === 'EACCES') throw new InputError(`cannot read ${file}: permission denied`);
    if (code === 'ENOTDIR') throw new NotFoundError(`no such file: ${file}`);
    if (code === 'ENAMETOOLONG') throw new InputError(`cannot read ${file}: the name is too long`);
    if (code === 'ELOOP') throw new InputError(`cannot read ${file}: too many symbolic links`);
    throw error;
  }
  return {
    open: () => createReadStream(file, { highWaterMark: 1 << 16 }),
    name: file,
    size: size > 0 ? size : undefined,
    file: { path: file, what: 'the input being read', identity },
  };
}

/** The file the real process's stdin is redirected from (`< list.txt`), if it is one. */
function stdinFile(ctx: Context): ProtectedFile | undefined {
  if (ctx.io.stdin !== process.stdin) return undefined;
  try {
    const stat = fstatSync(0);
    if (!stat.isFile()) return undefined;
    return { path: 'stdin', what: 'the input being read', identity: stat };
  } catch {
    return undefined;
  }
}
