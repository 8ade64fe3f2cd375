import { ExitCode } from '../errors.js';

const exitCodes = { SIGINT: ExitCode.interrupted, SIGTERM: ExitCode.terminated } as const;
type HandledSignal = keyof typeof exitCodes;

let onSignal: ((signal: HandledSignal) => void) | undefined;
/** How many synchronous writes are running (they nest as savepoints). */
let synchronousDepth = 0;

/**
 * Handles SIGINT and SIGTERM for the real process: `stop` rolls back and cleans up, then the
 * process exits 130 or 143. Returns the function that removes the handlers.
 */
export function handleSignals(stop: (signal: HandledSignal, exitCode: number) => void): () => void {
  onSignal = (signal) => stop(signal, exitCodes[signal]);
  listen();
  return () => {
    unlisten();
    onSignal = undefined;
  };
}

/**
 * Runs synchronous work with the default signal disposition: a handler could only run once the
 * work had finished (and committed), so a signal during it ends the process at once instead,
 * and SQLite discards the unfinished transaction.
 */
export function withDefaultSignals<T>(work: () => T): T {
  if (!onSignal) return work();
  if (synchronousDepth++ === 0) unlisten();
  try {
    return work();
  } finally {
    if (--synchronousDepth === 0) listen();
  }
}

function listen(): void {
  for (const signal of Object.keys(exitCodes) as HandledSignal[]) process.on(signal, deliver);
}

function unlisten(): void {
  for (const signal of Object.keys(exitCodes) as HandledSignal[]) process.off(signal, deliver);
}

function deliver(signal: NodeJS.Signals): void {
  onSignal?.(signal as HandledSignal);
}
