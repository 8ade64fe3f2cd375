import { describe, expect, it } from 'vitest';
import { glue } from './support.js';

// The seams between features, end to end through the built binary: the events other features
// fire reach the automation's triggers, and `item show` shows what the actions left.

async function stageOf(json: <T>(args: string[]) => Promise<T>, id: number): Promise<string> {
  return (await json<{ stage: { name: string } }>(['item', 'show', String(id)])).stage.name;
}

async function withTriggers() {
  const g = await glue();
  for (const [stage, event] of [
    ['Preparing documents', 'task-completed'],
    ['Prepayment invoice', 'call-incoming'],
    ['In progress', 'email-received'],
    ['Final invoice', 'call-missed'],
  ] as const) {
    await g.ok(['trigger', 'add', '--type', 'deal', '--stage', stage, '--on', event]);
  }
  const contact = await g.ok([
    'contact',
    'add',
    '--name',
    'Olivia',
    '--phone',
    '020 7946 0958',
    '--email',
    'olivia@example.co.uk',
  ]);
  return { ...g, contact };
}

describe('events from other features fire the automation’s triggers', () => {
  it('task complete fires task-completed for the task’s item', async () => {
    const { ok, json, contact } = await withTriggers();
    await ok([
      'rule',
      'add',
      '--type',
      'deal',
      '--stage',
      'New',
      '--action',
      'create-task',
      '--param',
      'title=Call back',
    ]);
    const deal = Number(await ok(['item', 'add', '--title', 'Oak table', '--contact', contact]));
    const [task] = await json<{ id: number; itemId: number }[]>(['task', 'list']);
    expect(task?.itemId).toBe(deal);
    await ok(['task', 'complete', String(task?.id)]);
    expect(await stageOf(json, deal)).toBe('Preparing documents');
    const log = await json<{ event: string; status: string }[]>([
      'automation',
      'log',
      '--item',
      String(deal),
    ]);
    expect(log.at(-1)).toMatchObject({ event: 'task-completed', status: 'done' });
  });

  it('call incoming fires call-incoming, and --missed call-missed, for every open item of the caller', async () => {
    const { ok, json, contact } = await withTriggers();
    const first = Number(await ok(['item', 'add', '--title', 'Oak table', '--contact', contact]));
    const second = Number(await ok(['item', 'add', '--title', 'Sofa', '--contact', contact]));
    const other = Number(await ok(['item', 'add', '--title', 'Someone else’s']));
    const call = await json<{ event: unknown }>(['call', 'incoming', '--from', '+44 20 7946 0958']);
    expect(call.event).toBeTruthy();
    for (const id of [first, second]) expect(await stageOf(json, id)).toBe('Prepayment invoice');
    expect(await stageOf(json, other)).toBe('New');
    await ok(['call', 'incoming', '--from', '020 7946 0958', '--missed']);
    for (const id of [first, second]) expect(await stageOf(json, id)).toBe('Final invoice');
  });

  it('a call declined by the blacklist fires nothing', async () => {
    const { ok, json, contact } = await withTriggers();
    const deal = Number(await ok(['item', 'add', '--title', 'Oak table', '--contact', contact]));
    await ok(['blacklist', 'add', '+44 20 7946 0958']);
    await ok(['call', 'incoming', '--from', '+44 20 7946 0958']);
    expect(await stageOf(json, deal)).toBe('New');
  });

  it('email incoming fires email-received for the sender’s open items', async () => {
    const { ok, json, contact } = await withTriggers();
    const deal = Number(await ok(['item', 'add', '--title', 'Oak table', '--contact', contact]));
    await ok(['email', 'incoming', '--from', 'Olivia@Example.co.uk', '--subject', 'Table size']);
    expect(await stageOf(json, deal)).toBe('In progress');
  });

  it('a binned deal hears no call and no email: its contact’s phone finds nothing', async () => {
    const { ok, json, contact } = await withTriggers();
    const deal = Number(await ok(['item', 'add', '--title', 'Oak table', '--contact', contact]));
    await ok(['item', 'delete', String(deal)]);
    await ok(['call', 'incoming', '--from', '+44 20 7946 0958']);
    await ok(['email', 'incoming', '--from', 'olivia@example.co.uk', '--subject', 'Hello?']);
    const [entry] = await json<{ id: number }[]>(['recycle-bin', 'list', '--type', 'deal']);
    await ok(['recycle-bin', 'restore', String(entry?.id)]);
    expect(await stageOf(json, deal)).toBe('New');
  });
});

describe('item show', () => {
  it('lists the tasks, documents and outbox messages the item’s automation left', async () => {
    const { ok, json, crm, contact } = await withTriggers();
    for (const rule of [
      ['--action', 'create-task', '--param', 'title=Call {{title}}', '--param', 'deadline=1d'],
      [
        '--action',
        'create-document',
        '--param',
        'template=Invoice for {{title}}',
        '--param',
        'name=Invoice',
      ],
      ['--action', 'send-sms', '--param', 'text=Thank you'],
    ]) {
      await ok(['rule', 'add', '--type', 'deal', '--stage', 'New', ...rule]);
    }
    const deal = await ok(['item', 'add', '--title', 'Oak table', '--contact', contact]);
    const shown = await json<{
      tasks: { id: number; title: string; status: string }[];
      documents: { id: number; name: string; size: number }[];
      outbox: { id: number; channel: string; to: string }[];
    }>(['item', 'show', deal]);
    expect(shown.tasks).toMatchObject([{ id: 1, title: 'Call Oak table', status: 'open' }]);
    expect(shown.documents).toMatchObject([{ id: 1, name: 'Invoice', size: 21 }]);
    expect(shown.outbox).toMatchObject([{ id: 1, channel: 'sms', to: '+442079460958' }]);
    const table = (await crm(['item', 'show', deal, '-o', 'table'])).stdout;
    expect(table).toMatch(
      /\ntasks\n#1 open "Call Oak table" for \S+, due 2026-11-24T09:00:00\.000Z\n/,
    );
    expect(table).toContain(
      '\ndocuments\n#1 "Invoice" (21 characters, 2026-11-23T09:00:00.000Z)\n',
    );
    expect(table).toContain('\noutbox\n#1 sms to +442079460958\n');
  });
});
