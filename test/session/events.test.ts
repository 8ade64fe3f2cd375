import { describe, expect, it } from 'vitest';
import type { QueuedEvent, Session } from '../../src/session.js';
import { newStore } from '../helpers.js';

// Issue 8 §2: item changes are recorded as events on the Session's queue and handed to the
// subscribers inside the command's transaction, before it commits.

function recorder() {
  const seen: QueuedEvent[] = [];
  const subscriber = (_session: Session, event: QueuedEvent) => {
    seen.push(event);
  };
  return { seen, subscriber };
}

describe('item events', () => {
  it('item add, move and update record what happened for a subscriber', async () => {
    const { cli } = await newStore();
    const { seen, subscriber } = recorder();
    const run = (argv: string[]) => cli(argv, { subscribers: [subscriber] });
    expect((await cli(['user', 'add', 'bob', '--role', 'employee'])).exitCode).toBe(0);
    const added = (await run(['item', 'add', '--title', 'Sofa', '--json'])).json<{
      id: number;
      pipeline: { id: number };
      stage: { id: number };
    }>();
    expect(seen).toEqual([
      {
        type: 'item-created',
        itemId: added.id,
        pipelineId: added.pipeline.id,
        stageId: added.stage.id,
        cause: { kind: 'user', id: null },
        depth: 0,
      },
    ]);
    seen.length = 0;
    const moved = await run(['item', 'move', String(added.id), '--stage', 'Won', '--json']);
    expect(moved.exitCode, moved.stderr).toBe(0);
    const won = (await cli(['item', 'show', String(added.id), '--json'])).json<{
      stage: { id: number };
    }>();
    expect(seen).toEqual([
      {
        type: 'stage-entered',
        itemId: added.id,
        from: { pipelineId: added.pipeline.id, stageId: added.stage.id },
        to: { pipelineId: added.pipeline.id, stageId: won.stage.id },
        cause: { kind: 'user', id: null },
        depth: 0,
      },
    ]);
    seen.length = 0;
    const updated = await run([
      'item',
      'update',
      String(added.id),
      '--responsible',
      'bob',
      '--amount',
      '900',
      '--field',
      'deadline=2026-12-24',
    ]);
    expect(updated.exitCode, updated.stderr).toBe(0);
    expect(seen.map((e) => e.type)).toEqual(['responsible-changed', 'fields-changed']);
    expect(seen[0]).toMatchObject({ from: expect.any(String), to: 'bob' });
    expect(seen[1]).toMatchObject({
      changes: {
        amount: { from: null, to: 900 },
        'fields.deadline': { from: null, to: '2026-12-24' },
      },
    });
  });

  it('stage remove --move-items-to moves the items through the same path', async () => {
    const { cli } = await newStore();
    const { seen, subscriber } = recorder();
    for (const title of ['One', 'Two'])
      expect(
        (await cli(['item', 'add', '--title', title, '--stage', 'In progress'])).exitCode,
      ).toBe(0);
    const removed = await cli(['stage', 'remove', 'In progress', '--move-items-to', 'New'], {
      subscribers: [subscriber],
    });
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(seen.map((e) => [e.type, e.itemId])).toEqual([
      ['stage-entered', 1],
      ['stage-entered', 2],
    ]);
  });

  it('a dry run hands the events over too, then keeps nothing', async () => {
    const { cli } = await newStore();
    const { seen, subscriber } = recorder();
    expect((await cli(['item', 'add', '--title', 'Sofa'])).exitCode).toBe(0);
    const dry = await cli(['item', 'move', '1', '--stage', 'Won', '--dry-run'], {
      subscribers: [subscriber],
    });
    expect(dry.exitCode).toBe(0);
    expect(seen).toHaveLength(1);
    expect(
      (await cli(['item', 'show', '1', '--json'])).json<{ stage: { name: string } }>().stage.name,
    ).toBe('New');
  });

  it('stops a subscriber that keeps causing events, with a clear error and nothing written', async () => {
    const { cli } = await newStore();
    expect((await cli(['item', 'add', '--title', 'Ping'])).exitCode).toBe(0);
    expect((await cli(['item', 'add', '--title', 'Pong'])).exitCode).toBe(0);
    const before = (await cli(['history', '--json'])).stdout;
    // Each stage-entered event moves the item again: a loop with no end.
    const runaway = (session: Session, event: QueuedEvent) => {
      if (event.type !== 'stage-entered') return;
      session.emit({ ...event, from: event.to, to: event.from });
    };
    const result = await cli(['item', 'move', '1', '2', '--stage', 'Won'], {
      subscribers: [runaway],
    });
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toMatch(/over 200 events deep, a loop\?\); nothing was changed/);
    expect((await cli(['history', '--json'])).stdout).toBe(before);
    const items = (await cli(['item', 'list', '--json'])).json<{ stage: { name: string } }[]>();
    expect(items.map((i) => i.stage.name)).toEqual(['New', 'New']);
  });
});
