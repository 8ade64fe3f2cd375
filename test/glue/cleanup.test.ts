import { describe, expect, it } from 'vitest';
import { snapshot } from '../e2e/support.js';
import { glue, start } from './support.js';

// Issue 9 §4, 10 §5, 11 §5: the nightly cleanup purges the bin, runs the automation due and
// expires blacklist entries; twice is once; a dry run reports the real counts, changing nothing.

const at = (hours: number) => new Date(Date.parse(start) + hours * 3_600_000).toISOString();

interface CleanupJson {
  operationId: number | null;
  dryRun: boolean;
  tasks: Record<string, Record<string, number>>;
}

describe('crmctl cleanup with every task', () => {
  it('runs the due automation and expires the blacklist: the dry run’s counts, then nothing the second time', async () => {
    const { crm, ok, json } = await glue();
    // Something for each task, 31 days on: a binned deal past the 30-day retention, a delayed
    // rule due since, and a blacklist entry that expired.
    const binned = await ok(['item', 'add', '--title', 'Old mistake']);
    await ok(['item', 'delete', binned]);
    await ok([
      'rule',
      'add',
      '--type',
      'deal',
      '--stage',
      'New',
      '--action',
      'add-comment',
      '--param',
      'text=Called back?',
      '--delay',
      '1d',
    ]);
    await ok(['item', 'add', '--title', 'Oak table'], at(1));
    await ok(['blacklist', 'add', '+44 20 7946 0018', '--expires', '7d'], at(1));
    await ok(['blacklist', 'add', '+44 20 7946 0019'], at(1));
    const now = at(31 * 24);

    const before = snapshot(crm.db);
    const dry = await json<CleanupJson>(['cleanup', '--dry-run'], now);
    expect(snapshot(crm.db)).toEqual(before);
    expect(dry).toMatchObject({
      dryRun: true,
      operationId: null,
      tasks: {
        bin: { purged: 1, retentionDays: 30 },
        automation: { ran: 1, done: 1, skipped: 0, failed: 0, cancelled: 0, pending: 0 },
        blacklist: { expired: 1 },
      },
    });

    const real = await json<CleanupJson>(['cleanup'], now);
    expect(real.tasks).toEqual(dry.tasks);
    expect(real.operationId).toEqual(expect.any(Number));
    expect((await json<{ number: string }[]>(['blacklist', 'list'])).map((e) => e.number)).toEqual([
      '+442079460019',
    ]);
    expect(await json(['recycle-bin', 'list'])).toEqual([]);
    const history = await json<{ action: string }[]>(['history', '--item', '2']);
    expect(history.map((h) => h.action)).toContain('commented');

    const after = snapshot(crm.db);
    const again = await crm(['cleanup'], { now });
    expect(again).toMatchObject({
      exitCode: 0,
      stdout:
        'cleanup: bin: purged 0 recycle-bin entries past 30 days; automation: ran 0 due jobs, 0 still waiting; blacklist: expired 0 entries\n',
    });
    expect(snapshot(crm.db)).toEqual(after);
  });

  it('one summary line names each task', async () => {
    const { crm, ok } = await glue();
    await ok([
      'rule',
      'add',
      '--type',
      'deal',
      '--stage',
      'New',
      '--action',
      'add-comment',
      '--param',
      'text=x',
      '--delay',
      '1h',
    ]);
    await ok(['item', 'add', '--title', 'A']);
    await ok(['item', 'add', '--title', 'B']);
    await ok(['item', 'add', '--title', 'C'], at(5));
    const line = await crm(['cleanup'], { now: at(2) });
    expect(line).toMatchObject({
      exitCode: 0,
      stdout:
        'cleanup: bin: purged 0 recycle-bin entries past 30 days; automation: ran 2 due jobs (2 done), 1 still waiting; blacklist: expired 0 entries\n',
    });
  });
});
