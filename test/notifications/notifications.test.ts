import { describe, expect, it } from 'vitest';
import { notify } from '../../src/automation/actions/notify.js';
import { addItem } from '../../src/items/service.js';
import {
  listNotifications,
  markNotificationsRead,
  notifyUser,
} from '../../src/notifications/service.js';
import { addUser } from '../../src/users/service.js';
import { osLogin } from '../e2e/support.js';
import { effectsStore } from '../outbox/support.js';

async function team() {
  const effects = await effectsStore();
  const { session } = effects;
  session.write(() => {
    addUser(session, { login: 'boss', role: 'supervisor' });
    addUser(session, { login: 'anna', role: 'employee', supervisor: 'boss' });
    addUser(session, { login: 'solo', role: 'employee' });
  });
  const as = (login: string) =>
    session.as({ login, cause: { kind: 'user', id: null }, command: 'test' });
  return { ...effects, as };
}

describe('notifications', () => {
  it('notifyUser keeps the notice for the user as stored, with its source', async () => {
    const { session, as } = await team();
    const notice = session.write(() =>
      notifyUser(session, {
        login: 'ANNA',
        text: 'Number blocked',
        itemId: 3,
        source: 'telephony',
      }),
    );
    expect(notice).toEqual({
      id: 1,
      user: 'anna',
      text: 'Number blocked',
      itemId: 3,
      source: 'telephony',
      ruleId: null,
      createdAt: '2026-12-01T10:00:00.000Z',
      createdBy: osLogin,
      read: false,
      readAt: null,
    });
    expect([...listNotifications(as('anna')).rows].map((n) => n.id)).toEqual([1]);
    expect([...listNotifications(as('solo')).rows]).toEqual([]);
  });

  it('refuses an unknown user and empty or oversized texts', async () => {
    const { session } = await team();
    const send = (login: string, text: string) =>
      session.write(() => notifyUser(session, { login, text }));
    expect(() => send('ghost', 'hi')).toThrow(/no user "ghost"/);
    expect(() => send('anna', ' \n ')).toThrow(/empty/);
    expect(() => send('anna', 'x'.repeat(4001))).toThrow(/at most 4,000/);
  });

  it('another user’s notifications need users.manage, to list and to mark read', async () => {
    const { session, as } = await team();
    session.write(() => notifyUser(session, { login: 'anna', text: 'one' }));
    expect(() => listNotifications(as('solo'), { login: 'anna' })).toThrow(/lacks users\.manage/);
    const solo = as('solo');
    expect(() => solo.write(() => markNotificationsRead(solo, [1]))).toThrow(/lacks users\.manage/);
    expect([...listNotifications(session, { login: 'anna' }).rows]).toHaveLength(1);
  });

  it('marking read: the ids given or every unread one; read ones are left as they are', async () => {
    const { session, as } = await team();
    session.write(() => {
      for (const text of ['a', 'b', 'c']) notifyUser(session, { login: 'anna', text });
    });
    const anna = as('anna');
    expect(anna.write(() => markNotificationsRead(anna, [2])).marked.map((n) => n.id)).toEqual([2]);
    expect([...listNotifications(anna, { unread: true }).rows].map((n) => n.id)).toEqual([1, 3]);
    const all = anna.write(() => markNotificationsRead(anna));
    expect(all.marked.map((n) => n.id)).toEqual([1, 3]);
    expect(anna.write(() => markNotificationsRead(anna, [2])).alreadyRead).toEqual([2]);
    expect(() => anna.write(() => markNotificationsRead(anna, [9]))).toThrow(
      /no notification with id 9/,
    );
  });
});

describe('notify', () => {
  it('goes to the responsible by default, the supervisor or a named user', async () => {
    const { session, runAction, as } = await team();
    session.write(() => addItem(session, { type: 'deal', title: 'Sofa', responsible: 'anna' }));
    expect(runAction(notify, 1, { text: 'New deal {{title}}' })).toEqual({
      status: 'done',
      detail: 'notification #1 for anna',
      made: { notificationId: 1 },
    });
    expect(runAction(notify, 1, { to: 'supervisor', text: 'Watch {{title}}' })).toMatchObject({
      detail: 'notification #2 for boss',
    });
    expect(runAction(notify, 1, { to: 'solo', text: 'FYI' })).toMatchObject({ status: 'done' });
    const [first] = [...listNotifications(as('anna')).rows];
    expect(first).toMatchObject({ text: 'New deal Sofa', itemId: 1, source: 'rule', ruleId: 7 });
    expect([...listNotifications(as('boss')).rows].map((n) => n.text)).toEqual(['Watch Sofa']);
  });

  it('is skipped, saying why, without a responsible or a supervisor', async () => {
    const { session, runAction, asRule } = await team();
    session.write(() => {
      addItem(asRule(1), { type: 'lead', title: 'Nobody' });
      addItem(session, { type: 'lead', title: 'Solo', responsible: 'solo' });
    });
    expect(runAction(notify, 1, { text: 'x' })).toEqual({
      status: 'skipped',
      detail: 'item #1 has no responsible',
    });
    expect(runAction(notify, 2, { to: 'supervisor', text: 'x' })).toEqual({
      status: 'skipped',
      detail: 'solo, responsible for item #2, has no supervisor',
    });
  });

  it('check names the parameter of an unknown user', async () => {
    const { session } = await team();
    const where = { pipelineId: 1, stageId: 1 };
    expect(() => notify.check?.(session, { to: 'ghost', text: 'x' }, where)).toThrow(
      '--param to: no user "ghost" (see crmctl user list)',
    );
    for (const to of ['responsible', 'supervisor', 'anna'])
      expect(() => notify.check?.(session, { to, text: 'x' }, where)).not.toThrow();
  });
});
