import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
import type { Context } from './context.js';
import type { OutputStream } from './io.js';

export interface Progress {
  /** Sets how much is done (bytes read, or records handled) and, for inputs, the lines read. */
  update(done: number, lines?: number): void;
  /**
   * Writes `text` (whole lines) to a stream while the bar may be drawn: the bar's line is
   * cleared, the text written where the bar was, and the bar drawn again below it.
   */
  log(stream: OutputStream, text: string): void;
  /** Removes the bar: its line cleared, the cursor shown again. Safe to call twice. */
  stop(): void;
}

export interface ProgressOptions {
  /** What `done` counts: bytes of input (shown as KB/MB) or items (the default). */
  unit?: 'bytes' | 'items';
}

/**
 * A progress bar on stderr, only for a person watching: stderr is a terminal and not --quiet.
 * With no known total (stdin), it counts instead. The bar owns one line, the last: messages
 * logged through it go above it, and stopping it leaves that line empty with the cursor at its
 * start, so what is printed next lands where a person expects it.
 */
export function startProgress(
  ctx: Context,
  label: string,
  total: number | undefined,
  options: ProgressOptions = {},
): Progress {
  if (!ctx.io.stderrIsTTY || ctx.quiet) {
    return {
      update() {},
      log: (stream, text) => ctx.io[stream].write(text),
      stop() {},
    };
  }
  const { SingleBar, Format } = createRequire(import.meta.url)(
    'cli-progress',
  ) as typeof CliProgress;
  const known = total !== undefined && total > 0;
  const bytes = options.unit === 'bytes';
  const terminal = new LineTerminal(ctx);
  const bar = new SingleBar({
    stream: ctx.io.stderr as NodeJS.WritableStream,
    terminal,
    format: (barOptions, params, payload: { lines?: number }) => {
      const amount = bytes
        ? `${formatBytes(params.value)}${known ? ` of ${formatBytes(params.total)}` : ' read'}`
        : `${params.value}${known ? `/${params.total}` : ''}`;
      const lines = payload.lines === undefined ? '' : ` | ${formatCount(payload.lines)} lines`;
      if (!known) return `${label} ${amount}${lines}`;
      const percentage = Math.floor(params.progress * 100);
      const shown = `${label} [${Format.BarFormat(params.progress, barOptions)}] ${percentage}% | ${amount}${lines}`;
      const eta =
        params.value > 0 && Number.isFinite(params.eta) && params.eta > 0
          ? ` | ${formatSeconds(params.eta)} left`
          : '';
      // The time left only when it fits: the line is cut at the terminal's width.
      return shown.length + eta.length < params.maxWidth ? shown + eta : shown;
    },
    barsize: 20,
    hideCursor: true,
    clearOnComplete: true,
    // Keep the terminal's own wrapping setting: nothing to restore if the process dies.
    linewrap: null,
    // Redrawn on every tick: a logged message clears the bar's line.
    forceRedraw: true,
    gracefulExit: false,
    etaBuffer: 50,
    fps: 10,
  } as CliProgress.Options);
  bar.start(known ? total : 0, 0, {});
  let stopped = false;
  const progress: Progress = {
    update: (done, lines) => {
      if (!stopped) bar.update(done, lines === undefined ? {} : { lines });
    },
    log: (stream, text) => {
      if (stopped || text === '') {
        ctx.io[stream].write(text);
        return;
      }
      // stdout on a terminal is taken to be the terminal the bar is on.
      if (stream === 'stderr' || ctx.io.stdoutIsTTY) terminal.clearBar();
      ctx.io[stream].write(text);
      // Drawn again at the next tick (a tenth of a second): thousands of rejected lines a
      // second do not each redraw it.
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      ctx.showProgress(undefined);
      bar.stop();
    },
  };
  ctx.showProgress(progress);
  return progress;
}

/**
 * What cli-progress draws through: the bar on the current line of stderr, never moving the
 * cursor anywhere else. (Its own terminal saves and restores the cursor position, which puts
 * the cursor back on the wrong line once anything has scrolled the screen.)
 */
class LineTerminal {
  constructor(private readonly ctx: Context) {}
  private get stream() {
    return this.ctx.io.stderr;
  }
  clearBar(): void {
    this.stream.write('\r\x1b[2K');
  }
  cursorSave(): void {}
  cursorRestore(): void {}
  cursor(enabled: boolean): void {
    this.stream.write(enabled ? '\x1b[?25h' : '\x1b[?25l');
  }
  cursorTo(x: number | null): void {
    if (x === 0) this.stream.write('\r');
  }
  cursorRelative(): void {}
  cursorRelativeReset(): void {}
  clearRight(): void {
    this.stream.write('\x1b[K');
  }
  clearLine(): void {
    this.stream.write('\x1b[2K');
  }
  clearBottom(): void {
    this.stream.write('\x1b[J');
  }
  newline(): void {
    this.stream.write('\n');
  }
  lineWrapping(): void {}
  /** The bar never fills the last column: a terminal would wrap it onto a new line. */
  write(text: string): void {
    this.stream.write(text.slice(0, Math.max(0, this.getWidth() - 1)));
  }
  isTTY(): boolean {
    return true;
  }
  getWidth(): number {
    return this.ctx.io.columns > 0 ? this.ctx.io.columns : 80;
  }
}

/** 1536 → "1.5 KB", 12_345_678 → "11.8 MB" (powers of 1024, as file managers show them). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

function formatCount(n: number): string {
  return n.toLocaleString('en-GB');
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m ${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}
