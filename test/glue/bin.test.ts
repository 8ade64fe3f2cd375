import { describe, expect, it } from 'vitest';
import { dbCheckPasses, glue, noOrphans, orphans, rowsOfItem, start } from './support.js';

// Issue 9 §1 and issue 10 §6: an item's tasks, outbox messages, documents, notifications and
// automation (its jobs and its log) go to the recycle bin with it, come back with their ids,
// and leave nothing behind when it goes for good.

const later = (hours: number) => new Date(Date.parse(start) + hours * 3_600_000).toISOString();

/** A deal whose stage has one rule of each kind that leaves something, and a delayed one. */
async function dealWithEverything() {
  const g = await glue();
  for (const rule of [
    ['--action', 'create-task', '--param', 'title=Call {{title}}'],
    ['--action', 'send-sms', '--param', 'text=Thank you'],
    ['--action', 'create-document', '--param', 'template=Invoice for {{title}}'],
    ['--action', 'notify', '--param', 'text=New deal {{title}}'],
    ['--action', 'add-comment', '--param', 'text=Called back?', '--delay', '1h'],
  ]) {
    await g.ok(['rule', 'add', '--type', 'deal', '--stage', 'New', ...rule]);
  }
  const contact = await g.ok(['contact', 'add', '--name', 'Olivia', '--phone', '020 7946 0958']);
  const deal = Number(await g.ok(['item', 'add', '--title', 'Oak table', '--contact', contact]));
  return { ...g, deal };
}

describe('an item’s belongings in the recycle bin', () => {
  it('delete → restore gives the item back with its tasks, messages, documents, notifications, jobs and log, ids included', async () => {
    const { crm, ok, json, deal } = await dealWithEverything();
    const before = rowsOfItem(crm.db, deal);
    expect(Object.fromEntries(Object.entries(before).map(([t, rows]) => [t, rows.length]))).toEqual(
      {
        tasks: 1,
        outbox: 1,
        documents: 1,
        notifications: 1,
        automation_jobs: 1,
        automation_log: 4,
      },
    );

    await ok(['item', 'delete', String(deal)]);
    // Gone from every list with the item, and nothing about it left in the store.
    expect(rowsOfItem(crm.db, deal)).toEqual({
      tasks: [],
      outbox: [],
      documents: [],
      notifications: [],
      automation_jobs: [],
      automation_log: [],
    });
    expect(orphans(crm.db)).toEqual(noOrphans);
    for (const list of [
      ['task', 'list'],
      ['outbox', 'list'],
      ['document', 'list'],
      ['automation', 'log'],
    ]) {
      expect(await json(list), list.join(' ')).toEqual([]);
    }
    expect(await json(['notification', 'list'])).toEqual([]);
    await dbCheckPasses(crm);

    // `recycle-bin show` tells what went, readably, and as JSON.
    const [entry] = await json<{ id: number }[]>(['recycle-bin', 'list']);
    const shown = await ok(['recycle-bin', 'show', String(entry?.id), '-o', 'table']);
    expect(shown).toMatch(
      /^deleted\s+item, tasks \(1\), outbox \(1\), documents \(1\), notifications \(1\), automation \(5 log, 1 jobs\)$/m,
    );
    expect(shown).toContain('\ntasks\nid 1, title Call Oak table, status open');
    expect(shown).toContain('\noutbox\nid 1, channel sms, recipient +442079460958, text Thank you');
    expect(shown).toContain('\ndocuments\nid 1, name Document, size 21');
    expect(shown).toMatch(
      /\nautomation\nlog:\n {2}id 1, at .*, by rule #1, what create-task, status done/,
    );
    expect(shown).toMatch(
      /by rule #5, what add-comment, status cancelled, detail the item was deleted/,
    );
    const asJson = await json<{ deleted: Record<string, unknown> }>([
      'recycle-bin',
      'show',
      String(entry?.id),
    ]);
    expect(Object.keys(asJson.deleted)).toEqual([
      'item',
      'tasks',
      'outbox',
      'documents',
      'notifications',
      'automation',
    ]);

    // The deletion cancelled the delayed rule (the engine's own rule): nothing of it runs.
    expect(await json(['automation', 'run', '--until', later(3)])).toMatchObject({ ran: 0 });

    await ok(['recycle-bin', 'restore', String(entry?.id)]);
    const after = rowsOfItem(crm.db, deal);
    for (const table of ['tasks', 'outbox', 'documents', 'notifications'] as const) {
      expect(after[table], table).toEqual(before[table]);
    }
    expect(after.automation_jobs).toEqual(
      before.automation_jobs.map((job) => ({ ...(job as object), status: 'cancelled' })),
    );
    expect(after.automation_log.slice(0, 4)).toEqual(before.automation_log);
    expect(after.automation_log[4]).toMatchObject({
      status: 'cancelled',
      detail: 'the item was deleted',
    });
    // Restored, nothing runs again: the job stays cancelled, the rules of New do not start.
    expect(await json(['automation', 'run', '--until', later(3)])).toMatchObject({
      ran: 0,
      pending: 0,
    });
    expect(rowsOfItem(crm.db, deal).tasks).toHaveLength(1);
    const item = await json<{ tasks: { id: number }[]; automation: { log: unknown[] } }>([
      'item',
      'show',
      String(deal),
    ]);
    expect(item.tasks.map((t) => t.id)).toEqual([1]);
    expect(item.automation.log).toHaveLength(5);
    expect(orphans(crm.db)).toEqual(noOrphans);
    await dbCheckPasses(crm);
  });

  it('a permanent delete and a purge leave nothing of the items behind', async () => {
    const { crm, ok, deal } = await dealWithEverything();
    const other = Number(await ok(['item', 'add', '--title', 'Sofa', '--contact', '1']));
    await ok(['item', 'delete', String(deal), '--permanently']);
    await ok(['item', 'delete', String(other)]);
    expect(orphans(crm.db)).toEqual(noOrphans);
    await ok(['recycle-bin', 'purge', '--yes']);
    for (const id of [deal, other]) {
      expect(Object.values(rowsOfItem(crm.db, id)).flat(), `item ${id}`).toEqual([]);
    }
    expect(orphans(crm.db)).toEqual(noOrphans);
    await dbCheckPasses(crm);
  });

  it('undo of a delete brings the belongings back too, and undo again is refused', async () => {
    const { crm, ok, deal } = await dealWithEverything();
    const before = rowsOfItem(crm.db, deal);
    const operation = await ok(['item', 'delete', String(deal)]);
    await ok(['undo', operation]);
    expect(rowsOfItem(crm.db, deal).tasks).toEqual(before.tasks);
    expect(rowsOfItem(crm.db, deal).outbox).toEqual(before.outbox);
    expect((await crm(['undo', operation])).exitCode).toBe(5);
    expect(orphans(crm.db)).toEqual(noOrphans);
  });
});
