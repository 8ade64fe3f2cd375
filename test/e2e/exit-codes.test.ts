import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { binPath, type CliResult, tempDir } from '../helpers.js';
import {
  exitOf,
  initStore,
  linesOf,
  ok,
  seedDeals,
  snapshot,
  sqliteDriverPath,
  waitForOutput,
  withDb,
} from './support.js';

// DESIGN §8: exit codes are part of the scripting contract, and so is the JSON error shape.

const NOW = '2026-05-01T08:00:00Z';

function jsonError(result: CliResult) {
  const lines = linesOf(result.stderr);
  expect(lines, result.stderr).toHaveLength(1);
  return JSON.parse(lines[0] ?? '') as {
    error: { code: string; message: string; exitCode: number };
  };
}

describe('usage errors exit 2', () => {
  it.each([
    ['an unknown option', ['item', 'list', '--bogus'], /unknown option '--bogus'/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown noun verb', ['item', 'frobnicate'], /unknown command 'frobnicate'/],
    [
      'an unknown --fields name',
      ['item', 'list', '--fields', 'id,nope'],
      /unknown field "nope"; available: id, type, pipeline, stage, title/,
    ],
    ['a missing mandatory option', ['item', 'add'], /required option '--title <title>'/],
    ['a bad -o value', ['item', 'list', '-o', 'yaml'], /yaml/],
    ['a malformed id', ['item', 'show', '12abc'], /positive whole number/],
  ])('%s', async (_what, args, message) => {
    const crm = await initStore({ now: NOW });
    const before = snapshot(crm.db);
    const result = await crm(args);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(crm.db)).toEqual(before);

    const json = await crm([...args, '-o', 'json']);
    expect(json.exitCode).toBe(2);
    expect(json.stdout).toBe('');
    const { error } = jsonError(json);
    expect(error).toEqual({ code: 'usage', message: expect.stringMatching(message), exitCode: 2 });
  });
});

describe('not found exits 4', () => {
  it.each([
    [['item', 'show', '999'], /no item with id 999/],
    [['item', 'move', '999', '--stage', 'Won'], /no item with id 999/],
    [['item', 'list', '--pipeline', 'Nowhere'], /Nowhere/],
    [['item', 'list', '--stage', 'Nowhere'], /Nowhere/],
    [['user', 'show', 'ghost'], /no user "ghost"/],
    [['user', 'add', 'carl', '--role', 'astronaut'], /no role "astronaut"/],
  ])('%j', async (args, message) => {
    const crm = await initStore({ now: NOW });
    const before = snapshot(crm.db);
    const result = await crm(args);
    expect(result.exitCode, result.stderr).toBe(4);
    expect(linesOf(result.stderr)).toEqual([expect.stringMatching(message)]);
    expect(snapshot(crm.db)).toEqual(before);
    const { error } = jsonError(await crm([...args, '--json']));
    expect(error).toEqual({
      code: 'not-found',
      message: expect.stringMatching(message),
      exitCode: 4,
    });
  });
});

describe('permission denied exits 6 and changes nothing', () => {
  it('refuses an unknown user, naming the user', async () => {
    const crm = await initStore({ now: NOW });
    const before = snapshot(crm.db);
    for (const args of [
      ['item', 'list'],
      ['item', 'add', '--title', 'Sneaky'],
      ['user', 'list'],
    ]) {
      const result = await crm(args, { as: 'mallory' });
      expect(result.exitCode, result.stderr).toBe(6);
      expect(result.stdout).toBe('');
      expect(linesOf(result.stderr)).toEqual([expect.stringMatching(/unknown user "mallory"/)]);
    }
    const { error } = jsonError(await crm(['item', 'list', '--json', '--as', 'mallory']));
    expect(error).toMatchObject({ code: 'permission-denied', exitCode: 6 });
    expect(snapshot(crm.db)).toEqual(before);
  });

  it('refuses a user whose role lacks the permission, naming the permission', async () => {
    const crm = await initStore({ now: NOW });
    ok(await crm(['role', 'add', 'viewer', '--permissions', 'items.view', '--json']));
    ok(await crm(['user', 'add', 'vic', '--role', 'viewer', '--json']));
    const added = ok<{ id: number }>(await crm(['item', 'add', '--title', 'Kept', '--json']));
    const before = snapshot(crm.db);

    const cases: [string[], string][] = [
      [['item', 'add', '--title', 'Sneaky'], 'items.edit'],
      [['item', 'move', String(added.id), '--stage', 'Won'], 'items.edit'],
      [['item', 'update', String(added.id), '--title', 'Renamed'], 'items.edit'],
      [['user', 'add', 'eve', '--role', 'admin'], 'users.manage'],
      [['pipeline', 'add', 'Shadow'], 'pipelines.edit'],
      [['settings', 'set', 'currency', 'EUR'], 'users.manage'],
      [['db', 'backup', join(tempDir(), 'stolen.db')], 'users.manage'],
    ];
    for (const [args, permission] of cases) {
      const result = await crm(args, { as: 'vic' });
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(6);
      expect(result.stdout).toBe('');
      expect(linesOf(result.stderr)).toEqual([
        expect.stringContaining(`"vic" lacks ${permission}`),
      ]);
      const { error } = jsonError(await crm([...args, '-o', 'json'], { as: 'vic' }));
      expect(error).toEqual({
        code: 'permission-denied',
        message: expect.stringContaining(permission),
        exitCode: 6,
      });
    }
    expect(snapshot(crm.db)).toEqual(before);
    // What the role allows still works.
    expect(ok<unknown[]>(await crm(['item', 'list', '--json'], { as: 'vic' }))).toHaveLength(1);
  });
});

describe('a busy store exits 75 after --wait', () => {
  it('gives up after --wait seconds while another process holds the write lock, then works', async () => {
    const crm = await initStore({ now: NOW });
    const holderScript = join(tempDir(), 'holder.cjs');
    writeFileSync(
      holderScript,
      `const Database = require(${JSON.stringify(sqliteDriverPath)});
const db = new Database(process.argv[2]);
db.exec('BEGIN IMMEDIATE');
db.prepare("INSERT INTO settings (key, value) VALUES ('held-by', 'holder')").run();
process.stdout.write('locked\\n');
process.stdin.once('data', () => {
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released\\n');
});
`,
    );
    const holder = spawn(process.execPath, [holderScript, crm.db], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    try {
      await waitForOutput(holder.stdout, 'locked');
      const before = snapshot(crm.db);

      const started = performance.now();
      const busy = await crm(['--wait', '0.2', 'item', 'add', '--title', 'Waiting']);
      const waited = performance.now() - started;
      expect(busy.exitCode, busy.stderr).toBe(75);
      expect(busy.stdout).toBe('');
      expect(linesOf(busy.stderr)).toEqual([expect.stringMatching(/busy.*--wait/)]);
      expect(waited).toBeGreaterThanOrEqual(200);
      expect(waited).toBeLessThan(10_000); // not the default 60 s

      const json = await crm(['item', 'add', '--title', 'Waiting', '--json'], {
        env: { CRMCTL_WAIT: '0.2' },
      });
      expect(json.exitCode).toBe(75);
      expect(jsonError(json).error).toEqual({
        code: 'store-busy',
        message: expect.stringContaining('busy'),
        exitCode: 75,
      });

      // Readers are not blocked by a writer (WAL).
      expect(ok<unknown[]>(await crm(['--wait', '0.2', 'item', 'list', '--json']))).toEqual([]);
      expect(snapshot(crm.db)).toEqual(before);

      holder.stdin.write('commit\n');
      await waitForOutput(holder.stdout, 'released');
      const after = ok<{ title: string }>(
        await crm(['--wait', '0.2', 'item', 'add', '--title', 'After', '--json']),
      );
      expect(after.title).toBe('After');
      expect(
        withDb(crm.db, (db) =>
          db.prepare("SELECT value FROM settings WHERE key = 'held-by'").get(),
        ),
      ).toEqual({ value: 'holder' });
    } finally {
      holder.stdin.end();
      await exitOf(holder);
    }
  });
});

describe('a reader closing the pipe early is not an error', () => {
  const count = 3000;

  it('exits 0 without a stack trace when stdout closes after the first chunk', async () => {
    const crm = await initStore({ now: NOW });
    seedDeals(crm.db, count);
    const child = spawn(process.execPath, [binPath, 'item', 'list', '-o', 'jsonl'], {
      env: { PATH: process.env.PATH, HOME: tempDir(), CRMCTL_DB: crm.db },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const firstChunk = await new Promise<string>((resolveChunk) => {
      child.stdout.once('data', (chunk: Buffer) => {
        child.stdout.destroy();
        resolveChunk(chunk.toString());
      });
    });
    const exit = await exitOf(child);
    expect(JSON.parse(linesOf(firstChunk)[0] ?? '')).toMatchObject({ title: 'Seeded deal 1' });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stderr).toBe('');
  });

  it.each([['jsonl'], ['table'], ['csv'], ['json']])(
    'crmctl item list -o %s | head -1 ends quietly with status 0',
    async (format) => {
      const crm = await initStore({ now: NOW });
      seedDeals(crm.db, count);
      const script = `node "$BIN" item list -o ${format} 2>"$ERR" | head -1; echo "status=\${PIPESTATUS[0]}"`;
      const errFile = join(tempDir(), 'stderr.txt');
      const child = spawn('bash', ['-c', script], {
        env: {
          PATH: process.env.PATH,
          HOME: tempDir(),
          CRMCTL_DB: crm.db,
          BIN: binPath,
          ERR: errFile,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      expect(await exitOf(child)).toEqual({ code: 0, signal: null });
      const lines = linesOf(out);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe('status=0');
      expect(lines[0]).toContain(
        // -o table asked for is a bordered table even into a pipe: its first line is the border.
        { csv: 'id', json: '[', table: '┌', jsonl: 'Seeded deal 1' }[format] ?? '',
      );
      expect(readFileSync(errFile, 'utf8')).toBe('');
    },
  );
});
