import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { automationStore, runs } from './support.js';

const docs = 'Preparing documents';

describe('an action that fails', () => {
  it('is logged failed, leaves nothing half done, and its chain goes on', async () => {
    const s = await automationStore();
    // The title is no amount: set-field fails when it runs.
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'set-field',
      '--param',
      'field=amount',
      '--param',
      'value={{title}}',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=next',
      '--after-previous',
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa', '--amount', '5', '--stage', docs]);
    const log = await s.log();
    expect(runs(log)).toEqual(['1:failed', '2:done']);
    expect(log[0]?.detail).toMatch(/--amount/);
    const item = (await s.ok(['item', 'show', '1', '--json'])).json<{ amount: number }>();
    expect(item.amount).toBe(5);
  });

  it('automation run --dry-run reports what would run and keeps nothing', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'set-field',
      '--param',
      'field=x',
      '--param',
      'value=1',
      '--delay',
      '1h',
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa', '--stage', docs]);
    const dry = (
      await s.ok(['automation', 'run', '--until', '2026-12-02T00:00:00Z', '--dry-run', '--json'])
    ).json<{ dryRun: boolean; ran: number; done: number }>();
    expect(dry).toMatchObject({ dryRun: true, ran: 1, done: 1 });
    expect(await s.log()).toEqual([]);
    const real = (
      await s.ok(['automation', 'run', '--until', '2026-12-02T00:00:00Z', '--json'])
    ).json<{ ran: number; pending: number }>();
    expect(real).toMatchObject({ ran: 1, pending: 0 });
    expect((await s.fieldsOf(1)).x).toBe('1');
  });

  it('item show has the automation timeline, explained in a table', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=hi',
      '--delay',
      '1h',
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa', '--stage', docs]);
    const json = (await s.ok(['item', 'show', '1', '--json'])).json<{
      automation: { open: { status: string; dueAt: string }[] };
    }>();
    expect(json.automation.open).toEqual([
      expect.objectContaining({ status: 'pending', dueAt: '2026-12-01T10:00:00.000Z' }),
    ]);
    const table = (await s.ok(['item', 'show', '1'])).stdout;
    expect(table).toMatch(/automation\nrule #1 \(job 1\) waits until 2026-12-01T10:00:00.000Z/);
  });
});

describe('a webhook in a chain', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((_request, response) => response.writeHead(200).end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('the rule after it starts once its answer is recorded, in its own small operation', async () => {
    const s = await automationStore();
    await s.ok(['rule', 'add', '--stage', docs, '--action', 'webhook', '--param', `url=${url}`]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'set-field',
      '--param',
      'field=hooked',
      '--param',
      'value=yes',
      '--after-previous',
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa', '--stage', docs]);
    expect(runs(await s.log())).toEqual(['1:done', '2:done']);
    expect((await s.fieldsOf(1)).hooked).toBe('yes');
    const operations = (await s.ok(['operation', 'list', '--json'])).json<{ kind: string }[]>();
    expect(operations.map((o) => o.kind)).toContain('automation-webhook');
  });
});
