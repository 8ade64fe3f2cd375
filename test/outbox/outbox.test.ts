import { describe, expect, it } from 'vitest';
import { sendEmail } from '../../src/automation/actions/send-email.js';
import { sendSms } from '../../src/automation/actions/send-sms.js';
import { addParty } from '../../src/contacts/service.js';
import { addItem } from '../../src/items/service.js';
import { getMessage, listMessages, queueMessage } from '../../src/outbox/service.js';
import { effectsStore } from './support.js';

describe('queueMessage', () => {
  it('keeps the message with who queued it, when, for which item and rule, and records it', async () => {
    const { session, asRule, store } = await effectsStore();
    const message = session.write(() => {
      const item = addItem(session, { type: 'lead', title: 'Sofa' });
      return queueMessage(asRule(3), {
        channel: 'email',
        to: 'anna@example.com',
        subject: 'Your sofa',
        text: 'Hello\nit is ready',
        itemId: item.id,
      });
    });
    expect(message).toEqual({
      id: 1,
      channel: 'email',
      to: 'anna@example.com',
      subject: 'Your sofa',
      text: 'Hello\nit is ready',
      itemId: 1,
      ruleId: 3,
      createdAt: '2026-12-01T10:00:00.000Z',
      createdBy: 'system',
    });
    expect(getMessage(session, 1)).toEqual(message);
    const history = store.db
      .prepare(
        "SELECT action, actor, cause_kind, cause_id FROM history WHERE entity_type = 'outbox'",
      )
      .all();
    expect(history).toEqual([
      { action: 'queued', actor: 'system', cause_kind: 'rule', cause_id: 3 },
    ]);
  });

  it('runs only inside a write', async () => {
    const { session } = await effectsStore();
    expect(() => queueMessage(session, { channel: 'sms', to: '+1', text: 'x' })).toThrow(
      /inside session\.write/,
    );
  });

  it('refuses empty, oversized and control-character texts, keeping nothing', async () => {
    const { session } = await effectsStore();
    const queue = (text: string, channel: 'sms' | 'email' = 'sms') =>
      session.write(() =>
        queueMessage(session, { channel, to: '+442079460958', text, subject: 's' }),
      );
    expect(() => queue('   ')).toThrow(/empty/);
    expect(() => queue('x'.repeat(1601))).toThrow(/1,601 characters long: at most 1,600/);
    expect(() => queue('bell\u0007')).toThrow(/control character \(U\+0007\)/);
    expect(() => queue('y'.repeat(100_001), 'email')).toThrow(/at most 100,000/);
    expect(queue('tab\tand\r\nlines').text).toBe('tab\tand\r\nlines');
    expect(listMessages(session).total()).toBe(1);
  });

  it('lists by item, channel and time', async () => {
    const { session } = await effectsStore();
    session.write(() => {
      queueMessage(session, { channel: 'sms', to: '+442079460958', text: 'a', itemId: 1 });
      queueMessage(session, {
        channel: 'email',
        to: 'a@example.com',
        subject: '',
        text: 'b',
        itemId: 2,
      });
    });
    const ids = (options: Parameters<typeof listMessages>[1]) =>
      [...listMessages(session, options).rows].map((m) => m.id);
    expect(ids({})).toEqual([1, 2]);
    expect(ids({ itemId: 2 })).toEqual([2]);
    expect(ids({ channel: 'sms' })).toEqual([1]);
    expect(ids({ since: new Date('2026-12-01T10:00:01Z') })).toEqual([]);
  });
});

describe('send-sms and send-email', () => {
  it('send-sms renders the text and queues it to the lead’s own phone', async () => {
    const { session, runAction } = await effectsStore();
    session.write(() =>
      addItem(session, {
        type: 'lead',
        title: 'Corner sofa',
        amount: 1200,
        phones: ['+44 20 7946 0958'],
        fields: { colour: 'green' },
      }),
    );
    const outcome = runAction(sendSms, 1, {
      text: 'Your {{title}} ({{fields.colour}}) costs {{amount}} {{currency}}',
    });
    expect(outcome).toEqual({
      status: 'done',
      detail: 'SMS #1 to +442079460958 queued',
      made: { outboxId: 1 },
    });
    expect(getMessage(session, 1)).toMatchObject({
      channel: 'sms',
      to: '+442079460958',
      text: 'Your Corner sofa (green) costs 1200 USD',
      itemId: 1,
      ruleId: 7,
      createdBy: 'system',
    });
  });

  it('a deal takes the phone and email of its contact, else of its company', async () => {
    const { session, runAction } = await effectsStore();
    session.write(() => {
      const company = addParty(session, 'company', {
        name: 'Acme',
        phones: ['+44 20 7946 0001'],
        emails: ['office@acme.example'],
      });
      const contact = addParty(session, 'contact', { name: 'Anna', emails: ['anna@acme.example'] });
      addItem(session, { type: 'deal', title: 'Both', contact, company });
      addItem(session, { type: 'deal', title: 'Company only', company });
    });
    expect(runAction(sendEmail, 1, { subject: 'Re {{title}}', text: 'Hi' }).status).toBe('done');
    expect(runAction(sendSms, 1, { text: 'Hi' }).status).toBe('done');
    expect(runAction(sendEmail, 2, { subject: 'Re {{title}}', text: 'Hi' }).status).toBe('done');
    const sent = [...listMessages(session).rows].map((m) => [m.itemId, m.channel, m.to, m.subject]);
    expect(sent).toEqual([
      [1, 'email', 'anna@acme.example', 'Re Both'],
      [1, 'sms', '+442079460001', null],
      [2, 'email', 'office@acme.example', 'Re Company only'],
    ]);
  });

  it('without a phone or email the outcome is skipped, saying why, and nothing is queued', async () => {
    const { session, runAction } = await effectsStore();
    session.write(() => addItem(session, { type: 'lead', title: 'Nobody' }));
    expect(runAction(sendSms, 1, { text: 'Hi' })).toEqual({
      status: 'skipped',
      detail: "item #1 has no phone (neither its own nor its contact's or company's)",
    });
    expect(runAction(sendEmail, 1, { subject: 's', text: 'Hi' })).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/no email/),
    });
    expect(listMessages(session).total()).toBe(0);
  });

  it('a text that renders too long fails the rule instead of crashing it', async () => {
    const { session, runAction } = await effectsStore();
    session.write(() =>
      addItem(session, { type: 'lead', title: 'x'.repeat(500), phones: ['+44 20 7946 0958'] }),
    );
    const outcome = runAction(sendSms, 1, { text: '{{title}}{{title}}{{title}}{{title}}' });
    expect(outcome).toEqual({
      status: 'failed',
      detail: 'the sms text is 2,000 characters long: at most 1,600',
    });
  });

  it('check refuses texts longer than the outbox keeps, naming the parameter', async () => {
    const { session } = await effectsStore();
    const where = { pipelineId: 1, stageId: 1 };
    expect(() => sendSms.check?.(session, { text: 'x'.repeat(1601) }, where)).toThrow(
      /--param text is 1,601 characters long/,
    );
    expect(() =>
      sendEmail.check?.(session, { subject: 's'.repeat(999), text: 'x' }, where),
    ).toThrow(/--param subject/);
    expect(() => sendSms.check?.(session, { text: 'Hello {{title}}' }, where)).not.toThrow();
  });
});
