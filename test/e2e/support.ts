import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';
import { type CliResult, spawnCli, tempDir } from '../helpers.js';

/** End-to-end helpers: the built program (bin/crmctl.js, dist/) against real SQLite files. */

export const projectRoot = resolve(import.meta.dirname, '..', '..');
export const distDir = join(projectRoot, 'dist');
export const osLogin = userInfo().username;

const requireHere = createRequire(import.meta.url);
/** The driver crmctl uses, for tests that build or inspect a store behind its back. */
export const sqliteDriverPath = requireHere.resolve('better-sqlite3');
export const Sqlite = requireHere('better-sqlite3') as typeof BetterSqlite3;

/** A module of the built program, typed by its source. */
export function builtModule<T>(relativeToDist: string): Promise<T> {
  return import(pathToFileURL(join(distDir, relativeToDist)).href) as Promise<T>;
}

export type MainModule = typeof import('../../src/cli/main.js');

/** Runs the built program's `run()` in this process with captured streams (no terminal). */
export async function runBuilt(
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const { run } = await builtModule<MainModule>('cli/main.js');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const exitCode = await run(argv, {
    io: {
      stdin: Readable.from([]),
      stdout,
      stderr,
      stdinIsTTY: false,
      stdoutIsTTY: false,
      stderrIsTTY: false,
      columns: 100,
    },
    env: { HOME: tmpdir(), ...env },
  });
  const stdoutText = Buffer.concat(out).toString('utf8');
  const stderrText = Buffer.concat(err).toString('utf8');
  return {
    stdout: stdoutText,
    stderr: stderrText,
    exitCode,
    json<T>() {
      return JSON.parse(stdoutText) as T;
    },
  };
}

export interface CrmOptions {
  as?: string;
  now?: string;
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
}

export type Crm = ((args: string[], options?: CrmOptions) => Promise<CliResult>) & {
  db: string;
};

/** The built binary bound to one store file (CRMCTL_DB) and, unless told otherwise, one clock. */
export function crmctlFor(db: string, defaults: { now?: string } = {}): Crm {
  const crm = (args: string[], options: CrmOptions = {}) =>
    spawnCli(args, {
      env: {
        CRMCTL_DB: db,
        CRMCTL_NOW: options.now ?? defaults.now,
        CRMCTL_USER: options.as,
        ...options.env,
      },
      input: options.input,
    });
  return Object.assign(crm, { db });
}

/** A new store in a fresh directory, created by `crmctl init`. */
export async function initStore(defaults: { now?: string } = {}): Promise<Crm> {
  const crm = crmctlFor(join(tempDir(), 'crm.db'), defaults);
  const init = await crm(['init', '--quiet']);
  if (init.exitCode !== 0) throw new Error(`init failed (${init.exitCode}): ${init.stderr}`);
  return crm;
}

/** Asserts success and parses stdout as JSON, with the command's stderr in the failure. */
export function ok<T = unknown>(result: CliResult): T {
  if (result.exitCode !== 0) {
    throw new Error(`exit ${result.exitCode}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  return result.json<T>();
}

/** Opens the store file directly, runs `work`, closes it. */
export function withDb<T>(path: string, work: (db: BetterSqlite3.Database) => T): T {
  const db = new Sqlite(path, { fileMustExist: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Every row of every table and the schema version: equal snapshots mean nothing changed. */
export function snapshot(path: string): Record<string, unknown> {
  return withDb(path, (db) => {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    const rows: Record<string, unknown> = {
      userVersion: db.pragma('user_version', { simple: true }),
    };
    for (const table of tables) {
      rows[table] = (db.prepare(`SELECT * FROM "${table}"`).all() as unknown[])
        .map((row) => JSON.stringify(row))
        .sort();
    }
    return rows;
  });
}

/**
 * Puts `count` deals straight into a stage of the default deal pipeline, in one transaction,
 * as `item add` would store them (no history: bulk seed data).
 */
export function seedDeals(path: string, count: number, stageName = 'New'): { stageId: number } {
  return withDb(path, (db) => {
    const stage = db
      .prepare(
        `SELECT s.id, s.pipeline_id AS pipelineId FROM stages s
         JOIN pipelines p ON p.id = s.pipeline_id
         WHERE p.type = 'deal' AND p.is_default = 1 AND s.name = ?`,
      )
      .get(stageName) as { id: number; pipelineId: number } | undefined;
    if (!stage) throw new Error(`no stage ${stageName} in the default deal pipeline`);
    const insert = db.prepare(
      `INSERT INTO items (type, pipeline_id, stage_id, title, source, fields, created_at, updated_at)
       VALUES ('deal', ?, ?, ?, 'import', '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    );
    db.transaction(() => {
      for (let i = 1; i <= count; i++) insert.run(stage.pipelineId, stage.id, `Seeded deal ${i}`);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { stageId: stage.id };
  });
}

/** Resolves with the exit of a child process: its code, or the signal that ended it. */
export function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolvePromise({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('error', reject);
    child.once('exit', (code, signal) => resolvePromise({ code, signal }));
  });
}

/** Gathers what a child process prints: call the result for everything so far. */
export function collectOutput(child: ChildProcess): () => { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return () => ({ stdout, stderr });
}

/** Resolves with everything a stream printed once `wanted` appears in it. */
export function waitForOutput(stream: NodeJS.ReadableStream, wanted: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let seen = '';
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (seen.includes(wanted)) {
        stream.off('data', onData);
        resolvePromise(seen);
      }
    };
    stream.on('data', onData);
    stream.once('end', () => {
      if (!seen.includes(wanted)) reject(new Error(`stream ended before "${wanted}": ${seen}`));
    });
  });
}

/** The lines of a stream's text, without the final newline. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1);
}
