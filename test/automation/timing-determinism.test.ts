import { describe, expect, it } from 'vitest';
import { automationStore } from './support.js';

const docs = 'Preparing documents';

describe('working hours', () => {
  it('a delay across a weekend, a holiday and a DST change lands on the next working time in the zone', async () => {
    // Friday 30 October 2026, 18:30 in New York (EDT, UTC-4); clocks go back on Sunday 1 November;
    // Monday 2 November is a holiday; so the next working time is Tuesday 09:00 EST (UTC-5).
    const s = await automationStore('2026-10-30T22:30:00Z');
    await s.ok([
      'settings',
      'working-time',
      '--days',
      'mon-fri',
      '--from',
      '09:00',
      '--to',
      '19:00',
      '--tz',
      'America/New_York',
      '--holiday',
      '2026-11-02',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=call back',
      '--delay',
      '1h',
      '--working-hours',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=now',
      '--working-hours',
    ]);
    await s.ok(['item', 'add', '--title', 'Late enquiry', '--stage', docs]);
    await s.ok(['automation', 'run', '--until', '2026-11-10T00:00:00Z']);
    const log = await s.log();
    // 18:30 is still working time: the immediate rule runs at once; 19:30 is not.
    expect(log.map((e) => [e.ruleId, e.dueAt, e.executedAt])).toEqual([
      [2, '2026-10-30T22:30:00.000Z', '2026-10-30T22:30:00.000Z'],
      [1, '2026-11-03T14:00:00.000Z', '2026-11-03T14:00:00.000Z'],
    ]);
  });

  it('a due time already past means now: overdue jobs run at the run’s time, in due order', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=a',
      '--delay',
      '2h',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=b',
      '--delay',
      '1h',
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa', '--stage', docs]);
    await s.ok(['automation', 'run'], '2026-12-03T00:00:00Z');
    const log = await s.log();
    expect(log.map((e) => [e.ruleId, e.dueAt, e.executedAt])).toEqual([
      [2, '2026-12-01T10:00:00.000Z', '2026-12-03T00:00:00.000Z'],
      [1, '2026-12-01T11:00:00.000Z', '2026-12-03T00:00:00.000Z'],
    ]);
  });
});

/** A scripted furniture-store scenario, the same every time. */
async function script() {
  const s = await automationStore();
  await s.ok(['user', 'add', 'ann', '--role', 'employee']);
  await s.ok(['user', 'add', 'bob', '--role', 'employee']);
  await s.ok([
    'rule',
    'add',
    '--stage',
    'New',
    '--action',
    'add-comment',
    '--param',
    'text=We will call {{title}} within 30 minutes',
  ]);
  await s.ok([
    'rule',
    'add',
    '--stage',
    'New',
    '--action',
    'change-responsible',
    '--param',
    'users=ann,bob',
    '--param',
    'mode=random',
    '--delay',
    '30m',
  ]);
  await s.ok([
    'rule',
    'add',
    '--stage',
    docs,
    '--action',
    'set-field',
    '--param',
    'field=document',
    '--param',
    'value=Invoice for {{title}}',
  ]);
  await s.ok([
    'rule',
    'add',
    '--stage',
    docs,
    '--action',
    'add-comment',
    '--param',
    'text=sent',
    '--after-previous',
    '--delay',
    '1h',
    '--if',
    'amount > 100',
  ]);
  await s.ok(['trigger', 'add', '--stage', 'Prepayment invoice', '--on', 'payment-received']);
  await s.ok([
    'rule',
    'add',
    '--stage',
    'Prepayment invoice',
    '--action',
    'add-comment',
    '--param',
    'text=prepare delivery',
    '--delay',
    '1d',
    '--working-hours',
  ]);
  for (const [title, amount] of [
    ['Sofa', '900'],
    ['Chair', '50'],
    ['Table', '400'],
  ] as const) {
    await s.ok(['item', 'add', '--title', title, '--amount', amount]);
  }
  await s.ok(['automation', 'run', '--until', '2026-12-01T10:00:00Z']);
  await s.ok(['item', 'move', '1', '2', '3', '--stage', docs], '2026-12-01T10:00:00Z');
  await s.ok(['event', 'payment-received', '--item', '1'], '2026-12-01T10:30:00Z');
  await s.ok(['automation', 'run', '--until', '2026-12-04T00:00:00Z'], '2026-12-01T11:00:00Z');
  return (await s.ok(['automation', 'log', '-o', 'json'])).stdout;
}

describe('determinism', () => {
  it('the same script with the same --now gives byte-identical automation log JSON', async () => {
    const first = await script();
    const second = await script();
    expect(JSON.parse(first).length).toBeGreaterThan(8);
    expect(second).toBe(first);
  });
});
