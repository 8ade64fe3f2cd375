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
  linesOf,
  ok,
  waitForOutput,
} from './support.js';

// DESIGN §8: every write is one BEGIN IMMEDIATE transaction and a second writer waits for the
// lock, so writers running at once lose nothing and never see SQLITE_BUSY.

const processes = 8;
const writesEach = 200;

/**
 * One writer: imports the built program once, says "ready", waits for "go", then runs
 * `crmctl item add` `writesEach` times in this process (each run opens the store, writes in
 * its own transaction and closes it) and prints what happened as one JSON line.
 */
const writerScript = `
import { PassThrough, Readable } from 'node:stream';
const { run } = await import(${JSON.stringify(pathToFileURL(join(distDir, 'cli', 'main.js')).href)});
const [worker, db] = process.argv.slice(2);
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
const results = [];
for (let i = 0; i < ${writesEach}; i++) {
  const out = [];
  const err = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c) => out.push(c));
  stderr.on('data', (c) => err.push(c));
  const exitCode = await run(['item', 'add', '--title', 'p' + worker + '-' + i, '--source', 'import'], {
    io: { stdin: Readable.from([]), stdout, stderr, stdinIsTTY: false, stdoutIsTTY: false, stderrIsTTY: false, columns: 80 },
    env: { CRMCTL_DB: db, CRMCTL_NOW: '2026-06-01T12:00:00Z', HOME: process.env.HOME, USER: process.env.USER },
  });
  results.push({ exitCode, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
}
process.stdout.write(JSON.stringify(results) + '\\n');
`;

interface WriteResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

describe('writers running at once', () => {
  it(`${processes} processes × ${writesEach} item adds lose nothing and never report busy`, {
    timeout: 120_000,
  }, async () => {
    const crm = await initStore({ now: '2026-06-01T12:00:00Z' });
    const script = join(tempDir(), 'writer.mjs');
    writeFileSync(script, writerScript);

    const writers = Array.from({ length: processes }, (_, worker) => {
      const child = spawn(process.execPath, [script, String(worker), crm.db], {
        env: { PATH: process.env.PATH, HOME: tempDir(), USER: process.env.USER },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      return { child, output: collectOutput(child) };
    });
    // Start them together: each has loaded the program before any begins writing.
    await Promise.all(writers.map((w) => waitForOutput(w.child.stdout, 'ready')));
    for (const writer of writers) writer.child.stdin.end('go\n');
    const exits = await Promise.all(writers.map((w) => exitOf(w.child)));

    const ids = new Set<number>();
    writers.forEach((writer, worker) => {
      const { stdout, stderr } = writer.output();
      expect(exits[worker], stderr).toEqual({ code: 0, signal: null });
      expect(stderr).toBe('');
      const results = JSON.parse(linesOf(stdout).at(-1) ?? '') as WriteResult[];
      expect(results).toHaveLength(writesEach);
      results.forEach((result, i) => {
        expect(result.stderr, `p${worker}-${i}`).not.toMatch(/busy|SQLITE/i);
        expect(result.exitCode, `p${worker}-${i}: ${result.stderr}`).toBe(0);
        expect(result.stdout).toMatch(/^\d+\n$/);
        ids.add(Number(result.stdout));
      });
    });
    expect(ids.size).toBe(processes * writesEach);

    const items = ok<{ id: number; title: string }[]>(
      await crm(['item', 'list', '--json', '--fields', 'id,title']),
    );
    expect(items).toHaveLength(processes * writesEach);
    const expected = Array.from({ length: processes }, (_, w) =>
      Array.from({ length: writesEach }, (_, i) => `p${w}-${i}`),
    ).flat();
    expect(items.map((i) => i.title).sort()).toEqual(expected.sort());
    expect(new Set(items.map((i) => i.id))).toEqual(ids);
    const history = ok<{ action: string; entity: { type: string } }[]>(
      await crm(['history', '--json', '--fields', 'action,entity']),
    );
    expect(history.filter((e) => e.action === 'created' && e.entity.type === 'item')).toHaveLength(
      processes * writesEach,
    );
    expect(ok(await crm(['db', 'check', '--json']))).toMatchObject({ ok: true });
  });
});
