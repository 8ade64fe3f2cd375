import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, tempDir } from '../helpers.js';
import { collectOutput, crmctlFor, exitOf } from './support.js';

// The exceptions import is one transaction over a streamed file (DESIGN §3, §8):
// - kill -9 in the middle of a 1,000,000-line import leaves the list exactly as it was;
// - the import holds the write lock from its first line, so another writer waits for it
//   (and exits 75 when told not to wait).

const lines = 1_000_000;
const walGrowth = 4 * 1024 * 1024;
const generator = resolve(import.meta.dirname, '..', '..', 'bench', 'generate-exceptions.js');

let workDir: string;
let bigFile: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'crmctl-long-import-'));
  bigFile = join(workDir, 'exceptions-1m.txt');
  await promisify(execFile)(process.execPath, [generator, String(lines), bigFile, '5']);
}, 120_000);

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

function crmctl(db: string) {
  return crmctlFor(db, { now: '2026-07-01T09:00:00Z' });
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Starts the 1M-line import with the built binary; resolves once the store's WAL has grown. */
async function startImport(db: string) {
  const wal = `${db}-wal`;
  const walBefore = await sizeOf(wal);
  const child = spawn(
    process.execPath,
    [
      binPath,
      'exceptions',
      'import',
      bigFile,
      '--country',
      'GB',
      '-o',
      'json',
      '--rejects',
      join(tempDir(), 'rejects.csv'),
    ],
    {
      env: {
        PATH: process.env.PATH,
        HOME: tempDir(),
        CRMCTL_DB: db,
        CRMCTL_NOW: '2026-07-01T10:00:00Z',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = collectOutput(child);
  const exited = exitOf(child);
  let running = true;
  void exited.then(() => {
    running = false;
  });
  // Poll until its uncommitted transaction has spilled a few MB into the WAL.
  let grown = 0;
  while (running) {
    grown = (await sizeOf(wal)) - walBefore;
    if (grown > walGrowth) break;
    await delay(5);
  }
  expect(running, `the import ended before the WAL grew: ${output().stderr}`).toBe(true);
  return { child, exited, output, isRunning: () => running };
}

interface Entry {
  id: number;
  value: string;
  comment: string;
  batchId: number | null;
}

describe(`a ${lines.toLocaleString('en')}-line exceptions import`, () => {
  it('killed with SIGKILL leaves the list exactly as it was, and db check ok', {
    timeout: 120_000,
  }, async () => {
    const db = join(tempDir(), 'crm.db');
    const crm = crmctl(db);
    expect((await crm(['init', '--quiet'])).exitCode).toBe(0);
    expect(
      (await crm(['exceptions', 'add', '+44 20 7946 0958;supplier', 'known@example.com'])).exitCode,
    ).toBe(0);
    const small = await crm(['exceptions', 'import', '-', '--quiet'], {
      input: 'first@example.com;one\n+1 650 253 0000;two\n',
    });
    expect(small.exitCode).toBe(0);
    const before = await crm(['exceptions', 'list', '--json']);
    const batchesBefore = await crm(['exceptions', 'batches', '--json']);
    const historyBefore = await crm(['history', '--json']);
    expect(JSON.parse(before.stdout)).toHaveLength(4);

    const running = await startImport(db);
    running.child.kill('SIGKILL');
    expect(await running.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const after = await crm(['exceptions', 'list', '--json']);
    expect(after.exitCode).toBe(0);
    expect(after.stdout).toBe(before.stdout);
    expect((await crm(['exceptions', 'batches', '--json'])).stdout).toBe(batchesBefore.stdout);
    expect((await crm(['history', '--json'])).stdout).toBe(historyBefore.stdout);
    const check = await crm(['db', 'check', '--json']);
    expect(check.exitCode, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({
      ok: true,
      integrity: ['ok'],
      foreignKeyViolations: [],
    });
    // And the store still takes writes.
    expect((await crm(['exceptions', 'add', 'later@example.com'])).exitCode).toBe(0);
  });

  it('makes a concurrent add wait and succeed after it, and one told --wait 0 exit 75', {
    timeout: 180_000,
  }, async () => {
    const db = join(tempDir(), 'crm.db');
    const crm = crmctl(db);
    expect((await crm(['init', '--quiet'])).exitCode).toBe(0);

    const running = await startImport(db);
    // The import holds the write lock: both writers start while it runs.
    const waiting = crm([
      'exceptions',
      'add',
      'waiter@example.com;added during the import',
      '--json',
    ]);
    const impatient = await crm(['--wait', '0', 'exceptions', 'add', 'impatient@example.com']);
    expect(running.isRunning(), 'the import finished before --wait 0 was refused').toBe(true);
    expect(impatient.exitCode).toBe(75);
    expect(impatient.stdout).toBe('');
    expect(impatient.stderr).toMatch(/^error: the store is busy: another crmctl is writing to it/);
    expect(impatient.stderr).toContain('--wait');

    const waited = await waiting;
    const imported = await running.exited;
    const { stdout, stderr } = running.output();
    expect(imported, stderr).toEqual({ code: 3, signal: null }); // the generated file has bad lines
    expect(waited.exitCode, waited.stderr).toBe(0);
    expect(waited.stderr).not.toMatch(/busy/i);
    const summary = JSON.parse(stdout) as { batchId: number; added: number; lines: number };
    expect(summary.lines).toBe(lines);
    const added = JSON.parse(waited.stdout) as { operationId: number; added: Entry[] };
    expect(added.added).toHaveLength(1);

    // The add's transaction came after the import's: later operation, later row.
    expect(added.operationId).toBeGreaterThan(summary.batchId);
    const lastOfBatch = JSON.parse(
      (
        await crm([
          'exceptions',
          'list',
          '--batch',
          String(summary.batchId),
          '--offset',
          String(summary.added - 1),
          '--json',
        ])
      ).stdout,
    ) as Entry[];
    expect(lastOfBatch).toHaveLength(1);
    expect(added.added[0]?.id).toBeGreaterThan(lastOfBatch[0]?.id ?? Number.POSITIVE_INFINITY);
    const history = JSON.parse(
      (await crm(['history', '--json', '--fields', 'id,action,entity'])).stdout,
    ) as { id: number; action: string; entity: { type: string; id: number } }[];
    const ofExceptions = history
      .filter((h) => h.entity.type === 'exceptions')
      .sort((a, b) => a.id - b.id)
      .map(({ action, entity }) => ({ action, entity }));
    expect(ofExceptions).toEqual([
      { action: 'imported', entity: { type: 'exceptions', id: summary.batchId } },
      { action: 'added', entity: { type: 'exceptions', id: added.operationId } },
    ]);

    const waiter = await crm(['exceptions', 'check', 'waiter@example.com', '--json']);
    expect(waiter.exitCode).toBe(0);
    expect(JSON.parse(waiter.stdout).entry).toMatchObject({ comment: 'added during the import' });
    expect((await crm(['exceptions', 'check', 'impatient@example.com'])).exitCode).toBe(1);
    const count = JSON.parse(
      (await crm(['exceptions', 'list', '--json', '--fields', 'id'])).stdout,
    ) as unknown[];
    expect(count).toHaveLength(summary.added + 1);
  });
});
