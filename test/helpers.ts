import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { onTestFinished } from 'vitest';
import { run } from '../src/cli/main.js';
import type { Prompter } from '../src/cli/prompter.js';
import type { Registrar } from '../src/cli/registry.js';
import type { EventSubscriber } from '../src/session.js';
import type { UndoHandler } from '../src/undo/handler.js';

export const binPath = resolve(import.meta.dirname, '..', 'bin', 'crmctl.js');

/** A fresh directory removed when the test ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crmctl-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A path for a new store in a fresh directory. */
export function tempStorePath(): string {
  return join(tempDir(), 'crm.db');
}

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  json<T = unknown>(): T;
}

export interface RunCliOptions {
  env?: Record<string, string | undefined>;
  stdin?: string | Buffer;
  /** Pretend all three streams are terminals. */
  tty?: boolean;
  columns?: number;
  prompter?: Prompter;
  /** Item-event subscribers for this run (see src/registrations.ts). */
  subscribers?: EventSubscriber[];
  /** Undo handlers for this run, after the registered ones (see src/registrations.ts). */
  undoHandlers?: UndoHandler[];
  /** Top-level commands for this run (a list of the test's own). */
  commands?: Record<string, Registrar>;
}

function result(stdout: string, stderr: string, exitCode: number): CliResult {
  return {
    stdout,
    stderr,
    exitCode,
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`stdout is not JSON (exit ${exitCode}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}

/** Runs crmctl in this process with captured streams and a controlled environment. */
export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const tty = options.tty === true;
  const exitCode = await run(argv, {
    io: {
      stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
      stdout,
      stderr,
      stdinIsTTY: tty,
      stdoutIsTTY: tty,
      stderrIsTTY: tty,
      columns: options.columns ?? 100,
    },
    env: { HOME: tmpdir(), ...options.env },
    prompter: options.prompter,
    subscribers: options.subscribers,
    undoHandlers: options.undoHandlers,
    commands: options.commands,
  });
  return result(Buffer.concat(out).toString('utf8'), Buffer.concat(err).toString('utf8'), exitCode);
}

/**
 * A store with its admin (the OS login) and a runner bound to it. `as` picks the acting
 * user; `now` the clock.
 */
export async function newStore(options: { now?: string } = {}) {
  const db = tempStorePath();
  const cli = (argv: string[], more: RunCliOptions & { as?: string; now?: string } = {}) =>
    runCli(argv, {
      ...more,
      env: {
        CRMCTL_DB: db,
        CRMCTL_NOW: more.now ?? options.now,
        CRMCTL_USER: more.as,
        ...more.env,
      },
    });
  const init = await cli(['init', '--json']);
  if (init.exitCode !== 0) throw new Error(`init failed: ${init.stderr}`);
  return { db, cli };
}

/** Runs the built binary (bin/crmctl.js) as a separate process. */
export function spawnCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string | Buffer } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      env: { PATH: process.env.PATH, HOME: tmpdir(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolvePromise(
        result(
          Buffer.concat(out).toString('utf8'),
          Buffer.concat(err).toString('utf8'),
          code ?? -1,
        ),
      );
    });
    child.stdin.end(options.input ?? '');
  });
}
