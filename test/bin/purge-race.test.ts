import { describe, expect, it } from 'vitest';
import { newStore, spawnCli } from '../helpers.js';

// Issue 9 acceptance: a purge racing a restore in two real processes: exactly one wins, and the
// store is whole afterwards (no item without its phones, no bin entry for a live item).

describe('recycle-bin purge racing recycle-bin restore', () => {
  it('exactly one of them wins, in every round, and nothing is left half done', async () => {
    const { db, cli } = await newStore({ now: '2026-03-01T10:00:00Z' });
    const env = { CRMCTL_DB: db, CRMCTL_USER: undefined };
    const outcomes = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const added = await cli([
          'item',
          'add',
          '--type',
          'lead',
          '--title',
          `r${round} ${i}`,
          '--phone',
          `+4420794609${String(i).padStart(2, '0')}`,
        ]);
        ids.push(added.stdout.trim());
      }
      const deleted = await cli(['item', 'delete', ...ids, '--json']);
      const first = deleted.json<{ entries: { binId: number }[] }>().entries[0]?.binId;
      const [purge, restore] = await Promise.all([
        spawnCli(['recycle-bin', 'purge', '--yes', '--json'], { env }),
        spawnCli(['recycle-bin', 'restore', String(first), '--with-related', '--json'], { env }),
      ]);
      const purged = purge.json<{ purged: number }>().purged;
      if (restore.exitCode === 0) {
        expect(purged, 'restore won: the purge found nothing').toBe(0);
        expect(restore.json<{ restored: unknown[] }>().restored).toHaveLength(30);
        const items = (await cli(['item', 'list', '--search', `r${round} `, '--json'])).json<
          { phones: string[] }[]
        >();
        expect(items).toHaveLength(30);
        for (const item of items) expect(item.phones).toHaveLength(1);
        outcomes.add('restore');
      } else {
        expect(restore.exitCode, restore.stderr).toBe(4);
        expect(purged, 'purge won: it took all of them').toBe(30);
        expect((await cli(['item', 'list', '--search', `r${round} `, '--json'])).json()).toEqual(
          [],
        );
        outcomes.add('purge');
      }
      expect((await cli(['recycle-bin', 'list', '--json'])).json()).toEqual([]);
      const check = await cli(['db', 'check', '--json']);
      expect(check.json()).toMatchObject({ ok: true });
    }
    expect(outcomes.size).toBeGreaterThan(0);
  }, 60_000);
});
