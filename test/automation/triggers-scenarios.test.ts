import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { automationStore, runs } from './support.js';

const docs = 'Preparing documents';

describe('triggers (seed 004)', () => {
  it('move forward only, unless --allow-back', async () => {
    const s = await automationStore();
    await s.ok(['trigger', 'add', '--stage', 'New', '--on', 'email-opened']);
    await s.ok(['item', 'add', '--title', 'Sofa', '--stage', 'In progress']);
    await s.ok(['event', 'email-opened', '--item', '1']);
    expect(await s.stageOf(1)).toBe('In progress');
    await s.ok(['trigger', 'update', '1', '--allow-back']);
    await s.ok(['event', 'email-opened', '--item', '1']);
    expect(await s.stageOf(1)).toBe('New');
    const history = (await s.ok(['history', '--item', '1', '--json'])).json<
      { action: string; actor: string; cause: { kind: string; id: number } }[]
    >();
    expect(history.at(-1)).toMatchObject({
      action: 'stage-changed',
      actor: 'system',
      cause: { kind: 'trigger', id: 1 },
    });
  });

  it('at most one trigger per event: the first in stage order whose condition holds', async () => {
    const s = await automationStore();
    await s.ok(['trigger', 'add', '--stage', 'Final invoice', '--on', 'payment-received']);
    await s.ok([
      'trigger',
      'add',
      '--stage',
      'In progress',
      '--on',
      'payment-received',
      '--if',
      'amount > 1000',
    ]);
    await s.ok(['trigger', 'add', '--stage', 'Prepayment invoice', '--on', 'payment-received']);
    await s.ok(['item', 'add', '--title', 'Cheap', '--amount', '10']);
    await s.ok(['event', 'payment-received', '--item', '1']);
    expect(await s.stageOf(1)).toBe('Prepayment invoice');
    await s.ok(['item', 'add', '--title', 'Dear', '--amount', '5000', '--stage', docs]);
    await s.ok(['event', 'payment-received', '--item', '2']);
    // Prepayment invoice comes first in stage order; one move per event.
    expect(await s.stageOf(2)).toBe('Prepayment invoice');
    await s.ok(['event', 'payment-received', '--item', '2']);
    expect(await s.stageOf(2)).toBe('In progress');
    expect(runs(await s.log('--item', '2'))).toEqual(['t3:done', 't2:done']);
    await s.ok(['item', 'update', '1', '--amount', '1']);
    await s.ok(['event', 'payment-received', '--item', '1']);
    // Trigger 2's condition fails (skipped, logged), trigger 1 on a later stage applies.
    expect(await s.stageOf(1)).toBe('Final invoice');
    expect(runs(await s.log('--item', '1'))).toEqual(['t3:done', 't2:skipped', 't1:done']);
  });

  it('an item in a final stage moves only by an --allow-back trigger', async () => {
    const s = await automationStore();
    await s.ok(['trigger', 'add', '--stage', 'Lost', '--on', 'call-missed']);
    await s.ok(['item', 'add', '--title', 'Won deal', '--stage', 'Won']);
    await s.ok(['event', 'call-missed', '--item', '1']);
    expect(await s.stageOf(1)).toBe('Won');
    await s.ok(['trigger', 'add', '--stage', 'In progress', '--on', 'call-missed', '--allow-back']);
    await s.ok(['event', 'call-missed', '--item', '1']);
    expect(await s.stageOf(1)).toBe('In progress');
  });

  it('responsible-changed and field-changed (watched fields only); the new stage’s rules run', async () => {
    const s = await automationStore();
    await s.ok(['user', 'add', 'bob', '--role', 'employee']);
    await s.ok(['trigger', 'add', '--stage', docs, '--on', 'responsible-changed']);
    await s.ok([
      'trigger',
      'add',
      '--stage',
      'In progress',
      '--on',
      'field-changed',
      '--param',
      'fields=deadline',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      'In progress',
      '--action',
      'add-comment',
      '--param',
      'text=moved by {{fields.deadline}}',
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa']);
    await s.ok(['item', 'update', '1', '--amount', '5']);
    expect(await s.stageOf(1)).toBe('New');
    await s.ok(['item', 'update', '1', '--responsible', 'bob']);
    expect(await s.stageOf(1)).toBe(docs);
    await s.ok(['item', 'update', '1', '--field', 'deadline=2026-12-24']);
    expect(await s.stageOf(1)).toBe('In progress');
    const log = await s.log();
    expect(log.map((e) => [e.kind, e.event ?? e.action, e.status])).toEqual([
      ['trigger', 'responsible-changed', 'done'],
      ['trigger', 'field-changed', 'done'],
      ['rule', 'add-comment', 'done'],
    ]);
    expect(log[2]?.detail).toBe('commented "moved by 2026-12-24"');
  });

  it('an event about a contact fans out to its open items; email incoming fires email-received', async () => {
    const s = await automationStore();
    await s.ok(['contact', 'add', '--name', 'Ann', '--email', 'ann@example.com']);
    await s.ok(['trigger', 'add', '--stage', docs, '--on', 'email-received']);
    await s.ok(['item', 'add', '--title', 'One', '--contact', '1']);
    await s.ok(['item', 'add', '--title', 'Two', '--contact', '1']);
    await s.ok(['item', 'add', '--title', 'Closed', '--contact', '1', '--stage', 'Won']);
    await s.ok(['email', 'incoming', '--from', 'ann@example.com', '--subject', 'Hello']);
    expect([await s.stageOf(1), await s.stageOf(2), await s.stageOf(3)]).toEqual([
      docs,
      docs,
      'Won',
    ]);
    await s.ok(['trigger', 'add', '--stage', 'In progress', '--on', 'email-opened']);
    const fired = (await s.ok(['event', 'email-opened', '--contact', '1', '--json'])).json<{
      items: number[];
    }>();
    expect(fired.items).toEqual([1, 2]);
    expect(await s.stageOf(2)).toBe('In progress');
  });

  it('seed 002: a task a rule created, once completed, moves the deal by its trigger', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'create-task',
      '--param',
      'title=Prepare {{title}}',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'send-sms',
      '--param',
      'text=Hello {{title}}',
    ]);
    await s.ok(['trigger', 'add', '--stage', 'In progress', '--on', 'task-completed']);
    await s.ok(['contact', 'add', '--name', 'Ann', '--phone', '+442079460958']);
    await s.ok(['item', 'add', '--title', 'Sofa', '--contact', '1', '--stage', docs]);
    expect(runs(await s.log())).toEqual(['1:done', '2:done']);
    await s.ok(['task', 'complete', '1']);
    expect(await s.stageOf(1)).toBe('In progress');
    expect((await s.log()).at(-1)).toMatchObject({
      kind: 'trigger',
      event: 'task-completed',
      status: 'done',
    });
  });

  it('webhook triggers match by code', async () => {
    const s = await automationStore();
    await s.ok([
      'trigger',
      'add',
      '--stage',
      'Lost',
      '--on',
      'webhook',
      '--param',
      'code=lost',
      '--allow-back',
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa']);
    await s.ok(['event', 'webhook', '--item', '1', '--param', 'code=other']);
    expect(await s.stageOf(1)).toBe('New');
    await s.ok(['event', 'webhook', '--item', '1', '--param', 'code=lost']);
    expect(await s.stageOf(1)).toBe('Lost');
  });
});

describe('loop guard', () => {
  it('a two-stage ping-pong of rules is stopped, logged failed naming the loop’s stages', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'change-stage',
      '--param',
      'stage=In progress',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      'In progress',
      '--action',
      'change-stage',
      '--param',
      `stage=${docs}`,
    ]);
    await s.ok(['item', 'add', '--title', 'Ping']);
    await s.ok(['item', 'move', '1', '--stage', docs]);
    const failed = await s.log('--status', 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.detail).toMatch(
      /loop guard: .*the loop goes through Preparing documents → In progress → Preparing documents/,
    );
  });

  it('a ping-pong of triggers stops after 20 hops', async () => {
    const s = await automationStore();
    // Each stage's rule changes a field the other stage's trigger watches.
    await s.ok([
      'trigger',
      'add',
      '--stage',
      docs,
      '--on',
      'field-changed',
      '--param',
      'fields=a',
      '--allow-back',
    ]);
    await s.ok([
      'trigger',
      'add',
      '--stage',
      'In progress',
      '--on',
      'field-changed',
      '--param',
      'fields=b',
      '--allow-back',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'set-field',
      '--param',
      'field=b',
      '--param',
      'value={{updatedAt}}x',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      'In progress',
      '--action',
      'set-field',
      '--param',
      'field=a',
      '--param',
      'value={{updatedAt}}y',
    ]);
    await s.ok(['item', 'add', '--title', 'Pong']);
    await s.ok(['item', 'update', '1', '--field', 'a=start']);
    const log = await s.log();
    const moves = log.filter((e) => e.kind === 'trigger' && e.status === 'done');
    expect(moves.length).toBeLessThanOrEqual(20);
    const stop = log.filter((e) => e.status === 'failed');
    expect(stop.length).toBeGreaterThan(0);
    expect(stop[0]?.detail).toMatch(/Preparing documents|In progress/);
  });
});

describe('webhook against a real HTTP server', () => {
  let server: Server;
  let base = '';
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push(body);
        if (request.url === '/ok') response.writeHead(204).end();
        else if (request.url === '/fail') response.writeHead(500).end('no');
        // /slow never answers: the timeout ends it.
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('2xx is done, 500 failed, a timeout failed, a refused connection failed; never a crash', async () => {
    const s = await automationStore();
    const refused = createServer();
    await new Promise<void>((resolve) => refused.listen(0, '127.0.0.1', resolve));
    const closedPort = (refused.address() as AddressInfo).port;
    await new Promise<void>((resolve) => refused.close(() => resolve()));
    for (const url of [
      `${base}/ok`,
      `${base}/fail`,
      `${base}/slow`,
      `http://127.0.0.1:${closedPort}/x`,
    ]) {
      await s.ok([
        'rule',
        'add',
        '--stage',
        docs,
        '--action',
        'webhook',
        '--param',
        `url=${url}`,
        '--param',
        'timeout=1s',
      ]);
    }
    await s.ok(['item', 'add', '--title', 'Hooked', '--stage', docs]);
    const log = await s.log();
    expect(log.map((e) => [e.ruleId, e.status])).toEqual([
      [1, 'done'],
      [2, 'failed'],
      [3, 'failed'],
      [4, 'failed'],
    ]);
    expect(log[0]?.made).toEqual({ httpStatus: 204 });
    expect(log[1]?.detail).toMatch(/HTTP 500/);
    expect(log[2]?.detail).toMatch(/no answer within 1s/);
    expect(log[3]?.detail).toMatch(/connection refused/);
    const posted = JSON.parse(received[0] ?? '{}') as { item: { title: string } };
    expect(posted.item.title).toBe('Hooked');
  });

  it('a dry run makes no call', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'webhook',
      '--param',
      `url=${base}/ok`,
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa']);
    const before = received.length;
    await s.ok(['item', 'move', '1', '--stage', docs, '--dry-run']);
    expect(received.length).toBe(before);
    expect(await s.log()).toEqual([]);
  });
});
