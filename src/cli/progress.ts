import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
import type { Context } from './context.js';

export interface Progress {
  /** Sets how much is done (bytes read, or records handled). */
  update(done: number): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

/**
 * A progress bar on stderr, only for a person watching: stderr is a terminal and not --quiet.
 * With no known total (stdin), it counts instead.
 */
export function startProgress(ctx: Context, label: string, total: number | undefined): Progress {
  if (!ctx.io.stderrIsTTY || ctx.quiet) return silent;
  const { SingleBar } = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const known = total !== undefined && total > 0;
  const bar = new SingleBar({
    stream: ctx.io.stderr as NodeJS.WritableStream,
    format: known ? `${label} [{bar}] {percentage}% | {eta_formatted} left` : `${label} {value}`,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
    fps: 10,
  });
  bar.start(known ? total : 0, 0);
  return {
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
