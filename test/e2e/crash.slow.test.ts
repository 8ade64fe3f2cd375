import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { binPath, tempDir } from '../helpers.js';
import { exitOf, initStore, ok, seedDeals, snapshot, withDb } from './support.js';

// DESIGN §8: each command is one transaction, so `kill -9` in the middle of a large write
// leaves the store as it was before the command, and intact.

const seeded = 150_000;
const walGrowth = 4 * 1024 * 1024;

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

describe('kill -9 during a large write', () => {
  it(`leaves all ${seeded} items where they were and the store intact`, {
    timeout: 120_000,
  }, async () => {
    const crm = await initStore({ now: '2026-07-01T09:00:00Z' });
    seedDeals(crm.db, seeded, 'New');
    const before = snapshot(crm.db);
    const wal = `${crm.db}-wal`;
    const walBefore = await sizeOf(wal);

    const move = spawn(
      process.execPath,
      [binPath, 'item', 'move', '--from-stage', 'New', '--stage', 'Won', '--quiet'],
      {
        env: {
          PATH: process.env.PATH,
          HOME: tempDir(),
          CRMCTL_DB: crm.db,
          CRMCTL_NOW: '2026-07-02T09:00:00Z',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    move.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = exitOf(move);
    let finished = false;
    void exited.then(() => {
      finished = true;
    });

    // Kill it once its uncommitted transaction has spilled a few MB into the WAL.
    let walAtKill = 0;
    while (!finished) {
      walAtKill = await sizeOf(wal);
      if (walAtKill - walBefore > walGrowth) {
        move.kill('SIGKILL');
        break;
      }
      await nextTurn();
    }
    const exit = await exited;
    expect(exit, `crmctl ended before it was killed: ${stderr}`).toEqual({
      code: null,
      signal: 'SIGKILL',
    });
    expect(walAtKill - walBefore).toBeGreaterThan(walGrowth);

    // The half-done move is gone: every item still in New, no stage change recorded.
    const stages = ok<{ name: string; items: number }[]>(
      await crm(['stage', 'list', '--type', 'deal', '--json']),
    );
    expect(stages.find((s) => s.name === 'New')?.items).toBe(seeded);
    expect(stages.find((s) => s.name === 'Won')?.items).toBe(0);
    const history = ok<{ action: string }[]>(
      await crm(['history', '--json', '--fields', 'action']),
    );
    expect(history.some((e) => e.action === 'stage-changed')).toBe(false);
    expect(ok(await crm(['db', 'check', '--json']))).toMatchObject({
      ok: true,
      integrity: ['ok'],
      foreignKeyViolations: [],
    });
    expect(snapshot(crm.db)).toEqual(before);
    expect(
      withDb(crm.db, (db) =>
        db.prepare("SELECT count(*) AS n FROM history WHERE action = 'stage-changed'").get(),
      ),
    ).toEqual({ n: 0 });
  });
});
