import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import {
  collectOutput,
  distDir,
  exitOf,
  initStore,
  ok,
  sqliteDriverPath,
  waitForOutput,
} from './support.js';

// Issue 7 §7.3: a writer that waits for another used to wait in silence. On a terminal (stderr
// a TTY, no --quiet), after a second it says on stderr what it waits for and for how long at
// most. The lock is real: another process holds BEGIN IMMEDIATE until told to let go.

/** Holds the store's write lock from "locked" until a line arrives on stdin. */
const holderScript = `
const Database = require(${JSON.stringify(sqliteDriverPath)});
const db = new Database(process.argv[2]);
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\\n');
process.stdin.once('data', () => {
  db.exec('ROLLBACK');
  db.close();
  process.exit(0);
});
`;

/**
 * Runs the built program's run() with stderr said to be a terminal (the real stderr, a pipe),
 * so the note can be read; prints the exit code on stdout.
 */
const waiterScript = `
import { PassThrough, Readable } from 'node:stream';
const { run } = await import(${JSON.stringify(pathToFileURL(join(distDir, 'cli', 'main.js')).href)});
const [tty, input, ...argv] = process.argv.slice(2);
const stdout = new PassThrough();
stdout.resume();
const exitCode = await run(argv, {
  io: {
    stdin: Readable.from([input]),
    stdout,
    stderr: process.stderr,
    stdinIsTTY: false,
    stdoutIsTTY: false,
    stderrIsTTY: tty === 'tty',
    columns: 80,
  },
  env: { CRMCTL_DB: process.env.CRMCTL_DB, HOME: process.env.HOME, NO_COLOR: '1' },
});
process.stdout.write('exit ' + exitCode + '\\n');
`;

async function setup() {
  const crm = await initStore({ now: '2026-06-01T12:00:00Z' });
  const dir = tempDir();
  const holder = join(dir, 'holder.cjs');
  const waiter = join(dir, 'waiter.mjs');
  writeFileSync(holder, holderScript);
  writeFileSync(waiter, waiterScript);
  const hold = async () => {
    const child = spawn(process.execPath, [holder, crm.db], { stdio: ['pipe', 'pipe', 'inherit'] });
    await waitForOutput(child.stdout, 'locked');
    return {
      release: async () => {
        child.stdin.end('go\n');
        await exitOf(child);
      },
      kill: () => child.kill(),
    };
  };
  const wait = (tty: boolean, argv: string[], input = '') => {
    const child = spawn(process.execPath, [waiter, tty ? 'tty' : 'pipe', input, ...argv], {
      env: { PATH: process.env.PATH, HOME: dir, CRMCTL_DB: crm.db },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { child, output: collectOutput(child) };
  };
  return { crm, hold, wait };
}

const note = (seconds: string) =>
  `waiting for another crmctl to finish writing (up to ${seconds} s; --wait to change)\n`;

describe('waiting for another writer', () => {
  it('on a terminal, says so after a second, then writes once the lock is free', {
    timeout: 60_000,
  }, async () => {
    const { crm, hold, wait } = await setup();
    const lock = await hold();
    const waiter = wait(true, ['--wait', '30', 'item', 'add', '--title', 'Patient']);
    await waitForOutput(waiter.child.stderr, 'waiting for another crmctl');
    await lock.release();
    expect(await exitOf(waiter.child)).toEqual({ code: 0, signal: null });
    expect(waiter.output()).toEqual({
      stdout: 'exit 0\n',
      stderr: `${note('30')}Added deal #1 "Patient" in Default → New\n`,
    });
    const items = ok<{ title: string }[]>(await crm(['item', 'list', '--json']));
    expect(items.map((i) => i.title)).toEqual(['Patient']);
  });

  it('an import (a streamed write) says so too', { timeout: 60_000 }, async () => {
    const { crm, hold, wait } = await setup();
    const lock = await hold();
    const waiter = wait(true, ['--wait', '20', 'exceptions', 'import', '-'], 'b@spam.example\n');
    await waitForOutput(waiter.child.stderr, 'waiting for another crmctl');
    await lock.release();
    expect(await exitOf(waiter.child)).toEqual({ code: 0, signal: null });
    const { stdout, stderr } = waiter.output();
    expect(stdout).toBe('exit 0\n');
    // On a line of its own: first, or where the progress bar's line was cleared for it.
    expect(stderr.startsWith(note('20')) || stderr.includes(`\r\x1b[2K${note('20')}`)).toBe(true);
    const listed = ok<{ value: string }[]>(await crm(['exceptions', 'list', '--json']));
    expect(listed.map((e) => e.value)).toContain('b@spam.example');
  });

  it('says how long at most, and still gives up with exit 75 after --wait', {
    timeout: 60_000,
  }, async () => {
    const { hold, wait } = await setup();
    const lock = await hold();
    try {
      const waiter = wait(true, ['--wait', '1.5', 'item', 'add', '--title', 'Impatient']);
      expect(await exitOf(waiter.child)).toEqual({ code: 0, signal: null });
      const { stdout, stderr } = waiter.output();
      expect(stdout).toBe('exit 75\n');
      expect(stderr).toBe(
        `${note('1.5')}error: the store is busy: another crmctl is writing to it. Retry later, or wait longer with --wait SECONDS\n`,
      );
    } finally {
      await lock.release();
    }
  });

  it('is silent when stderr is not a terminal, or with --quiet', { timeout: 60_000 }, async () => {
    const { hold, wait } = await setup();
    const lock = await hold();
    try {
      for (const [tty, argv] of [
        [false, ['--wait', '1.2', 'item', 'add', '--title', 'x']],
        [true, ['--quiet', '--wait', '1.2', 'item', 'add', '--title', 'x']],
      ] as const) {
        const waiter = wait(tty, [...argv]);
        await exitOf(waiter.child);
        const { stdout, stderr } = waiter.output();
        expect(stdout).toBe('exit 75\n');
        expect(stderr).not.toContain('waiting');
        expect(stderr).toMatch(/^error: the store is busy/);
      }
    } finally {
      await lock.release();
    }
  });
});
