import { describe, expect, it } from 'vitest';
import { completeTasks } from '../../src/automation/actions/complete-tasks.js';
import { createTask } from '../../src/automation/actions/create-task.js';
import { fixedClock } from '../../src/clock.js';
import { addItem, moveItems } from '../../src/items/service.js';
import {
  addTask,
  completeOpenTasks,
  completeTask,
  getTask,
  listTasks,
  parseDeadline,
} from '../../src/tasks/service.js';
import { addUser } from '../../src/users/service.js';
import { osLogin } from '../e2e/support.js';
import { effectsStore } from '../outbox/support.js';

describe('tasks', () => {
  it('addTask assigns the item’s responsible by default, at the item’s stage', async () => {
    const { session } = await effectsStore();
    const task = session.write(() => {
      addItem(session, { type: 'deal', title: 'Sofa' });
      return addTask(session, {
        itemId: 1,
        title: '  Check stock ',
        deadline: new Date('2026-12-02T10:00:00Z'),
      });
    });
    expect(task).toEqual({
      id: 1,
      title: 'Check stock',
      assignee: osLogin,
      deadline: '2026-12-02T10:00:00.000Z',
      itemId: 1,
      stageId: expect.any(Number),
      ruleId: null,
      status: 'open',
      createdAt: '2026-12-01T10:00:00.000Z',
      createdBy: osLogin,
      completedAt: null,
      completedBy: null,
    });
  });

  it('refuses a missing item or user (not found) and bad titles (usage)', async () => {
    const { session } = await effectsStore();
    session.write(() => addItem(session, { type: 'lead', title: 'Sofa' }));
    const add = (options: Partial<Parameters<typeof addTask>[1]>) =>
      session.write(() => addTask(session, { itemId: 1, title: 'T', ...options }));
    expect(() => add({ itemId: 99 })).toThrow(/no item with id 99/);
    expect(() => add({ assignee: 'ghost' })).toThrow(/no user "ghost"/);
    expect(() => add({ title: 'a\u001b[2Jb' })).toThrow(/1 to 500 printable characters/);
    expect(() => add({ title: 'x'.repeat(501) })).toThrow(/1 to 500/);
    expect(() => add({ title: 'evil\u202e' })).toThrow(/bidi/);
    expect(listTasks(session).total()).toBe(0);
  });

  it('completeTask marks it done and fires task-completed for its item, once', async () => {
    const { session, events } = await effectsStore();
    session.write(() => {
      addItem(session, { type: 'lead', title: 'Sofa' });
      addTask(session, { itemId: 1, title: 'Call' });
    });
    events.length = 0;
    const later = session.withClock(fixedClock(new Date('2026-12-01T12:00:00Z')));
    const done = later.write(() => completeTask(later, 1));
    expect(done).toMatchObject({
      status: 'done',
      completedAt: '2026-12-01T12:00:00.000Z',
      completedBy: osLogin,
    });
    expect(events).toEqual([
      {
        type: 'outside-event',
        event: 'task-completed',
        itemId: 1,
        params: { taskId: '1' },
        cause: { kind: 'user', id: null },
      },
    ]);
    expect(() => session.write(() => completeTask(session, 1))).toThrow(
      /task 1 was completed already \(at 2026-12-01T12:00:00.000Z/,
    );
    expect(events).toHaveLength(1);
  });

  it('completeOpenTasks ends only the open tasks the item got at that stage', async () => {
    const { session } = await effectsStore();
    const stages = session.write(() => {
      const item = addItem(session, { type: 'deal', title: 'Sofa' });
      addItem(session, { type: 'deal', title: 'Other' });
      addTask(session, { itemId: 1, title: 'First stage A' });
      addTask(session, { itemId: 1, title: 'First stage B' });
      addTask(session, { itemId: 2, title: 'Other item' });
      completeTask(session, 2);
      moveItems(session, { ids: [1], stage: 'In progress' });
      addTask(session, { itemId: 1, title: 'Later stage' });
      return item.stage.id;
    });
    const done = session.write(() => completeOpenTasks(session, 1, stages));
    expect(done.map((t) => t.id)).toEqual([1]);
    expect([...listTasks(session, { status: 'open' }).rows].map((t) => t.id)).toEqual([3, 4]);
  });

  it('lists by item, assignee (any case) and status', async () => {
    const { session } = await effectsStore();
    session.write(() => {
      addUser(session, { login: 'anna', role: 'employee' });
      addItem(session, { type: 'lead', title: 'A' });
      addItem(session, { type: 'lead', title: 'B' });
      addTask(session, { itemId: 1, title: 'one', assignee: 'ANNA' });
      addTask(session, { itemId: 2, title: 'two', assignee: null });
    });
    const ids = (options: Parameters<typeof listTasks>[1]) =>
      [...listTasks(session, options).rows].map((t) => t.id);
    expect(getTask(session, 1).assignee).toBe('anna');
    expect(ids({ assignee: 'Anna' })).toEqual([1]);
    expect(ids({ itemId: 2 })).toEqual([2]);
    expect(ids({ status: 'done' })).toEqual([]);
  });

  it('parseDeadline takes a duration from now or an ISO time', () => {
    const clock = fixedClock(new Date('2026-12-01T10:00:00Z'));
    expect(parseDeadline('1d4h', '--deadline', clock).toISOString()).toBe(
      '2026-12-02T14:00:00.000Z',
    );
    expect(parseDeadline('2026-12-24T17:00Z', '--deadline', clock).toISOString()).toBe(
      '2026-12-24T17:00:00.000Z',
    );
    for (const bad of ['-1d', '0d', 'tomorrow', '2026-02-30', '99999999d', ''])
      expect(() => parseDeadline(bad, '--deadline', clock)).toThrow(/--deadline/);
  });
});

describe('create-task and complete-tasks', () => {
  it('create-task renders the title and assigns the responsible, due after the delay', async () => {
    const { session, runAction } = await effectsStore();
    session.write(() => addItem(session, { type: 'deal', title: 'Sofa', amount: 900 }));
    const outcome = runAction(createTask, 1, {
      title: 'Ship {{title}}\n({{amount}})',
      assignee: 'responsible',
      deadline: '1d',
    });
    expect(outcome).toEqual({
      status: 'done',
      detail: `task #1 for ${osLogin}, due 2026-12-02T10:00:00.000Z`,
      made: { taskId: 1 },
    });
    expect(getTask(session, 1)).toMatchObject({
      title: 'Ship Sofa (900)',
      ruleId: 7,
      createdBy: 'system',
      assignee: osLogin,
    });
  });

  it('create-task for an item without a responsible leaves the task unassigned', async () => {
    const { session, runAction, asRule } = await effectsStore();
    const rule = asRule(1);
    session.write(() => addItem(rule, { type: 'lead', title: 'Inbound' }));
    expect(runAction(createTask, 1, { title: 'Triage', assignee: 'responsible' })).toMatchObject({
      status: 'done',
      detail: 'task #1 unassigned (the item has no responsible)',
    });
  });

  it('create-task to a user removed since the rule was added fails, naming them', async () => {
    const { session, runAction } = await effectsStore();
    session.write(() => addItem(session, { type: 'lead', title: 'Sofa' }));
    expect(runAction(createTask, 1, { title: 'T', assignee: 'gone' })).toEqual({
      status: 'failed',
      detail: 'no user "gone" (see crmctl user list)',
    });
  });

  it('check names the parameter: an unknown user, a bad or negative deadline, a long title', async () => {
    const { session } = await effectsStore();
    const where = { pipelineId: 1, stageId: 1 };
    const check = (params: Record<string, string>) => () =>
      createTask.check?.(session, { title: 'T', ...params }, where);
    expect(check({ assignee: 'ghost' })).toThrow('--param assignee: no user "ghost"');
    expect(check({ deadline: 'soon' })).toThrow(/--param deadline takes a duration/);
    expect(check({ deadline: '-1d' })).toThrow(/--param deadline takes a duration from now/);
    expect(check({ title: 'x'.repeat(501) })).toThrow(/--param title/);
    expect(check({ assignee: osLogin, deadline: '2h30m' })).not.toThrow();
  });

  it('complete-tasks ends the open tasks of the rule’s stage, each firing task-completed', async () => {
    const { session, runAction, events } = await effectsStore();
    session.write(() => addItem(session, { type: 'deal', title: 'Sofa' }));
    runAction(createTask, 1, { title: 'One' });
    runAction(createTask, 1, { title: 'Two' });
    events.length = 0;
    expect(runAction(completeTasks, 1, {})).toEqual({
      status: 'done',
      detail: 'completed tasks #1, #2',
      made: { taskIds: '1,2', completed: 2 },
    });
    expect(events.map((e) => [e.type, 'event' in e ? e.event : '', e.cause])).toEqual([
      ['outside-event', 'task-completed', { kind: 'rule', id: 7 }],
      ['outside-event', 'task-completed', { kind: 'rule', id: 7 }],
    ]);
    expect(getTask(session, 1).completedBy).toBe('system');
    expect(runAction(completeTasks, 1, {})).toEqual({
      status: 'skipped',
      detail: 'item #1 has no open task from this stage',
    });
  });
});
