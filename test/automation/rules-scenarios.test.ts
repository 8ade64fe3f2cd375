import { describe, expect, it } from 'vitest';
import { automationStore, runs } from './support.js';

// Issue 10 acceptance: a scenario per seed behaviour (seed 002 rules, seed 004 triggers).

const docs = 'Preparing documents';

describe('rules on entering a stage', () => {
  it('run when an item is moved into the stage and when it is created in it', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'set-field',
      '--param',
      'field=docs',
      '--param',
      'value=for {{title}}',
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa']);
    expect(await s.log()).toEqual([]);
    await s.ok(['item', 'move', '1', '--stage', docs]);
    expect((await s.fieldsOf(1)).docs).toBe('for Sofa');
    await s.ok(['item', 'add', '--title', 'Chair', '--stage', docs]);
    expect((await s.fieldsOf(2)).docs).toBe('for Chair');
    const log = await s.log();
    expect(log.map((e) => [e.itemId, e.status, e.executedAt])).toEqual([
      [1, 'done', '2026-12-01T09:00:00.000Z'],
      [2, 'done', '2026-12-01T09:00:00.000Z'],
    ]);
    // The change is the rule's, recorded in history with it as the cause.
    const history = (await s.ok(['history', '--item', '1', '--json'])).json<
      { actor: string; cause: { kind: string; id: number } }[]
    >();
    expect(history.at(-1)).toMatchObject({ actor: 'system', cause: { kind: 'rule', id: 1 } });
  });

  it('parallel chains start together; --after-previous waits for the rule above, its delay included', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=first',
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
      'text=second',
      '--delay',
      '1h',
      '--after-previous',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=parallel',
      '--delay',
      '30m',
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa', '--stage', docs]);
    await s.ok(['automation', 'run', '--until', '2026-12-01T12:30:00Z']);
    const log = await s.log();
    expect(log.map((e) => [e.ruleId, e.status, e.executedAt])).toEqual([
      [3, 'done', '2026-12-01T09:30:00.000Z'],
      [1, 'done', '2026-12-01T11:00:00.000Z'],
      [2, 'done', '2026-12-01T12:00:00.000Z'],
    ]);
  });

  it('a rule whose condition is false when it is about to run is skipped, with the values it saw', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=big',
      '--if',
      'amount >= 1000',
      '--delay',
      '1h',
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa', '--amount', '5000', '--stage', docs]);
    // Evaluated at execution, not when scheduled.
    await s.ok(['item', 'update', '1', '--amount', '10']);
    await s.ok(['automation', 'run', '--until', '2026-12-01T10:00:00Z']);
    const [entry] = await s.log();
    expect(entry).toMatchObject({
      status: 'skipped',
      condition: 'amount >= 1000',
      seen: { amount: 10 },
    });
    const explain = (await s.ok(['automation', 'log', '--item', '1', '--explain'])).stdout;
    expect(explain).toMatch(/was skipped.*amount >= 1000 did not hold \(it saw amount = 10\)/);
  });

  it('a stage change cancels every pending rule of the item, a trigger’s move included', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=later',
      '--delay',
      '1d',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=after',
      '--after-previous',
    ]);
    await s.ok(['trigger', 'add', '--stage', 'Prepayment invoice', '--on', 'payment-received']);
    await s.ok(['item', 'add', '--title', 'Moved by hand', '--stage', docs]);
    await s.ok(['item', 'add', '--title', 'Moved by trigger', '--stage', docs]);
    await s.ok(['item', 'move', '1', '--stage', 'New']);
    await s.ok(['event', 'payment-received', '--item', '2', '--param', 'amount=10']);
    expect(await s.stageOf(2)).toBe('Prepayment invoice');
    await s.ok(['automation', 'run', '--until', '2026-12-05T00:00:00Z']);
    const log = await s.log();
    expect(log.map((e) => [e.itemId, e.kind, e.status])).toEqual([
      [1, 'rule', 'cancelled'],
      [1, 'rule', 'cancelled'],
      [2, 'trigger', 'done'],
      [2, 'rule', 'cancelled'],
      [2, 'rule', 'cancelled'],
    ]);
    expect(log[0]?.detail).toBe('the item entered another stage');
    expect((await s.ok(['automation', 'log', '--item', '2', '--explain'])).stdout).toMatch(
      /was cancelled: the item entered another stage/,
    );
  });

  it('an immediate rule after a delayed one waits in its chain; a removed rule cancels its jobs', async () => {
    const s = await automationStore();
    await s.ok(['rule', 'add', '--stage', docs, '--action', 'wait', '--param', 'for=2h']);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=after wait',
      '--after-previous',
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa', '--stage', docs]);
    await s.ok(['automation', 'run', '--until', '2026-12-01T10:00:00Z']);
    expect(runs(await s.log())).toEqual([]);
    await s.ok(['automation', 'run', '--until', '2026-12-01T11:00:00Z']);
    expect((await s.log()).map((e) => [e.ruleId, e.status, e.executedAt])).toEqual([
      [1, 'done', '2026-12-01T11:00:00.000Z'],
      [2, 'done', '2026-12-01T11:00:00.000Z'],
    ]);
    await s.ok(['item', 'add', '--title', 'Table', '--stage', docs]);
    await s.ok(['rule', 'remove', '1']);
    // The rule below the removed one starts as if the removed one had finished.
    expect(runs(await s.log('--item', '2'))).toEqual(['1:cancelled', '2:done']);
  });

  it('wait until a condition holds: released when the item changes', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'wait',
      '--param',
      'until=fields.paid = yes',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'set-field',
      '--param',
      'field=state',
      '--param',
      'value=ship',
      '--after-previous',
    ]);
    await s.ok(['item', 'add', '--title', 'Sofa', '--stage', docs]);
    expect((await s.fieldsOf(1)).state).toBeUndefined();
    await s.ok(['item', 'update', '1', '--field', 'paid=yes'], '2026-12-01T15:00:00Z');
    expect((await s.fieldsOf(1)).state).toBe('ship');
    expect((await s.log()).map((e) => [e.ruleId, e.status, e.executedAt])).toEqual([
      [1, 'done', '2026-12-01T15:00:00.000Z'],
      [2, 'done', '2026-12-01T15:00:00.000Z'],
    ]);
  });

  it('--at-field with --offset runs before a date field; an empty date field is failed, not left waiting', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=remind',
      '--at-field',
      'deadline',
      '--offset',
      '-1d',
    ]);
    await s.ok([
      'item',
      'add',
      '--title',
      'Dated',
      '--stage',
      docs,
      '--field',
      'deadline=2026-12-10T12:00:00Z',
    ]);
    await s.ok(['item', 'add', '--title', 'Undated', '--stage', docs]);
    await s.ok(['automation', 'run', '--until', '2026-12-31T00:00:00Z']);
    const log = await s.log();
    expect(log.map((e) => [e.itemId, e.status, e.executedAt])).toEqual([
      [2, 'failed', '2026-12-01T09:00:00.000Z'],
      [1, 'done', '2026-12-09T12:00:00.000Z'],
    ]);
    expect(log[0]?.detail).toMatch(/date field fields.deadline is empty/);
  });

  it('change-responsible: round-robin takes turns; random repeats for the same run', async () => {
    const s = await automationStore();
    for (const login of ['ann', 'bob', 'cat'])
      await s.ok(['user', 'add', login, '--role', 'employee']);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'change-responsible',
      '--param',
      'users=ann,bob,cat',
      '--param',
      'mode=round-robin',
    ]);
    for (const title of ['A', 'B', 'C', 'D'])
      await s.ok(['item', 'add', '--title', title, '--stage', docs]);
    const items = (await s.ok(['item', 'list', '--json'])).json<{ responsible: string }[]>();
    expect(items.map((i) => i.responsible)).toEqual(['ann', 'bob', 'cat', 'ann']);
    const bad = await s.cli([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'change-responsible',
      '--param',
      'users=ann,nobody',
    ]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/no user "nobody"/);
  });

  it('convert-lead makes a deal, a contact and a company and closes the lead', async () => {
    const s = await automationStore();
    const stages = (await s.ok(['stage', 'list', '--type', 'lead', '--json'])).json<
      { name: string }[]
    >();
    const second = stages[1]?.name ?? '';
    await s.ok([
      'rule',
      'add',
      '--type',
      'lead',
      '--pipeline',
      'Default',
      '--stage',
      second,
      '--action',
      'convert-lead',
    ]);
    await s.ok([
      'item',
      'add',
      '--type',
      'lead',
      '--title',
      'Ann Lee',
      '--email',
      'ann@example.com',
      '--field',
      'company=Lee Ltd',
      '--stage',
      second,
    ]);
    const [entry] = await s.log();
    expect(entry).toMatchObject({
      status: 'done',
      made: { dealId: 2, contactId: 1, companyId: 1 },
    });
    const deal = (await s.ok(['item', 'show', '2', '--json'])).json<{
      type: string;
      emails: string[];
      contactId: number;
    }>();
    expect(deal).toMatchObject({ type: 'deal', emails: ['ann@example.com'], contactId: 1 });
    const lead = (await s.ok(['item', 'show', '1', '--json'])).json<{
      stage: { semantic: string };
    }>();
    expect(lead.stage.semantic).toBe('success');
  });
});
