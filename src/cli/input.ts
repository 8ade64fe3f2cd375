import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { InputError, NotFoundError, UsageError } from '../errors.js';
import type { Context } from './context.js';

export interface Input {
  /** Starts reading. Separate from the checks so a later usage error leaves no file open. */
  open(): Readable;
  /** How the input is named in messages: the path, or "stdin". */
  name: string;
  /** Size in bytes when known (a file), for progress by bytes. */
  size: number | undefined;
}

/** Checks FILE (or stdin for `-` or no FILE) can be read; never waits on a terminal's stdin. */
export function openInput(ctx: Context, file: string | undefined): Input {
  if (file === undefined || file === '-') {
    if (ctx.io.stdinIsTTY) {
      throw new UsageError(
        'give a FILE, or pipe the input in (… | crmctl … -): stdin is a terminal',
      );
    }
    return { open: () => ctx.io.stdin, name: 'stdin', size: undefined };
  }
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new InputError(`${file} is a directory, not a file`);
    size = stat.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`no such file: ${file}`);
    if (code === 'EACCES') throw new InputError(`cannot read ${file}: permission denied`);
    throw error;
  }
  return {
    open: () => createReadStream(file, { highWaterMark: 1 << 16 }),
    name: file,
    size,
  };
}
