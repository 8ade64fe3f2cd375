import type { Readable, Writable } from 'node:stream';
import { isatty } from 'node:tty';

/** The three streams and what each is attached to; tests build one without a terminal. */
export interface IOStreams {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Width of the terminal on stdout, when it is one. */
  columns: number;
}

/** The process's own streams, each replaced by what `given` has (tests give them all). */
export function processStreams(given: Partial<IOStreams> = {}): IOStreams {
  return {
    // Made on first use: setting up stdin costs a command that never reads it ~1.5 ms.
    get stdin() {
      return given.stdin ?? process.stdin;
    },
    stdout: given.stdout ?? process.stdout,
    stderr: given.stderr ?? process.stderr,
    stdinIsTTY: given.stdinIsTTY ?? isatty(0),
    stdoutIsTTY: given.stdoutIsTTY ?? process.stdout.isTTY === true,
    stderrIsTTY: given.stderrIsTTY ?? process.stderr.isTTY === true,
    columns: given.columns ?? process.stdout.columns ?? 80,
  };
}

/**
 * Colour is decided once per stream: --no-color and NO_COLOR turn it off, FORCE_COLOR on, else a
 * TTY whose TERM is not `dumb`.
 */
export function colourEnabled(
  isTTY: boolean,
  env: Record<string, string | undefined>,
  noColorFlag: boolean,
): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export type OutputStream = 'stdout' | 'stderr';

/**
 * Watches stdout and stderr for write errors, so that a closed pipe or a full disk never
 * crashes the command or decides whether its work is kept: writes to a failed stream are
 * dropped, the work finishes, and the command then reports the failure (EPIPE aside: the reader
 * chose to stop reading).
 */
export class OutputWatch {
  private readonly failures = new Map<OutputStream, NodeJS.ErrnoException>();
  private readonly listeners: [Writable, (error: NodeJS.ErrnoException) => void][] = [];

  constructor(private readonly io: IOStreams) {
    for (const name of ['stdout', 'stderr'] as const) {
      const listener = (error: NodeJS.ErrnoException) => {
        if (!this.failures.has(name)) this.failures.set(name, error);
      };
      io[name].on('error', listener);
      this.listeners.push([io[name], listener]);
    }
  }

  /** True once `stream` cannot take more output (closed by its reader, or failing). */
  closed(stream: OutputStream): boolean {
    return this.failures.has(stream) || this.io[stream].destroyed;
  }

  /** The first failure other than a closed pipe, if any. */
  failure(): { stream: OutputStream; error: NodeJS.ErrnoException } | undefined {
    for (const [stream, error] of this.failures) {
      if (error.code !== 'EPIPE') return { stream, error };
    }
    return undefined;
  }

  /** Waits until what was written has reached the streams (or failed). */
  async settle(): Promise<void> {
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = this.io[name];
      if (this.closed(name) || stream.writableEnded) continue;
      await new Promise<void>((resolve) => stream.write('', () => resolve()));
    }
  }

  stop(): void {
    for (const [stream, listener] of this.listeners) stream.off('error', listener);
  }
}
