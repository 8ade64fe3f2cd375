import { describe, expect, it } from 'vitest';
import { sendEmail } from '../../src/automation/actions/send-email.js';
import { sendSms } from '../../src/automation/actions/send-sms.js';
import { addItem } from '../../src/items/service.js';
import { badIds, effectsStore } from './support.js';

async function withMessages() {
  const effects = await effectsStore();
  const { session, runAction, cli } = effects;
  session.write(() =>
    addItem(session, {
      type: 'lead',
      title: 'Sofa',
      fields: { note: 'line one\tand\nline two' },
      phones: ['+44 20 7946 0958'],
      emails: ['buyer@example.com'],
    }),
  );
  runAction(sendSms, 1, { text: 'Hi {{title}}: {{fields.note}}' });
  runAction(sendEmail, 1, { subject: '=HYPERLINK("x")', text: 'Dear customer,\nthanks.' }, 8);
  for (const argv of [
    ['role', 'add', 'outsider', '--permissions', 'exceptions.view'],
    ['user', 'add', 'outsider', '--role', 'outsider'],
  ])
    expect((await cli(argv)).exitCode).toBe(0);
  return effects;
}

describe('crmctl outbox', () => {
  it('lists and shows what the rules queued, filtered, in every format', async () => {
    const { cli } = await withMessages();
    const json = (await cli(['outbox', 'list', '--json'])).json<{ id: number; ruleId: number }[]>();
    expect(json.map((m) => [m.id, m.ruleId])).toEqual([
      [1, 7],
      [2, 8],
    ]);
    const sms = await cli([
      'outbox',
      'list',
      '--channel',
      'sms',
      '--fields',
      'id,to,text',
      '-o',
      'tsv',
    ]);
    expect(sms.stdout).toBe('id\tto\ttext\n1\t+442079460958\tHi Sofa: line one\\tand\\nline two\n');
    const csv = await cli(['outbox', 'list', '--item', '1', '-o', 'csv', '--fields', 'id,subject']);
    expect(csv.stdout).toBe('id,subject\r\n1,\r\n2,"\'=HYPERLINK(""x"")"\r\n');
    expect((await cli(['outbox', 'list', '--item', '2', '--json'])).json()).toEqual([]);
    expect((await cli(['outbox', 'list', '--since', '1h', '--json'])).json()).toHaveLength(2);
    expect((await cli(['outbox', 'list', '--since', '2026-12-02', '--json'])).json()).toHaveLength(
      0,
    );
    const shown = await cli(['outbox', 'show', '2', '--json']);
    expect(shown.json()).toMatchObject({
      channel: 'email',
      to: 'buyer@example.com',
      text: 'Dear customer,\nthanks.',
    });
  });

  it('keeps the text exact in JSON; a terminal shows its tabs and line breaks escaped', async () => {
    const { cli } = await withMessages();
    const json = await cli(['outbox', 'show', '1', '--json']);
    expect(json.json<{ text: string }>().text).toBe('Hi Sofa: line one\tand\nline two');
    const shown = await cli(['outbox', 'show', '1'], { tty: true });
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Hi Sofa: line one\\tand\\nline two');
  });

  it('a message with a control character is never queued: the rule fails', async () => {
    const { session, runAction } = await withMessages();
    session.write(() =>
      addItem(session, {
        type: 'lead',
        title: 'Evil',
        phones: ['+44 20 7946 0001'],
        fields: { x: '\u001b]0;owned\u0007' },
      }),
    );
    expect(runAction(sendSms, 2, { text: '{{fields.x}}' })).toEqual({
      status: 'failed',
      detail: 'the sms text holds a control character (U+001B)',
    });
  });

  it('refuses malformed filters and ids; a missing message is not found', async () => {
    const { cli } = await withMessages();
    for (const id of badIds) {
      expect((await cli(['outbox', 'show', id])).exitCode, `show ${id}`).toBe(2);
      expect((await cli(['outbox', 'list', '--item', id])).exitCode, `--item ${id}`).toBe(2);
    }
    for (const since of ['yesterday', '', '2026-13-01', 'x'.repeat(100_000)])
      expect((await cli(['outbox', 'list', '--since', since])).exitCode).toBe(2);
    expect((await cli(['outbox', 'list', '--channel', 'fax'])).exitCode).toBe(2);
    expect((await cli(['outbox', 'list', '--json', '-o', 'csv'])).exitCode).toBe(2);
    expect((await cli(['outbox', 'list', '--fields', 'nope'])).exitCode).toBe(2);
    const missing = await cli(['outbox', 'show', '99']);
    expect(missing.exitCode).toBe(4);
    expect(missing.stderr).toBe('error: no outbox message with id 99 (see crmctl outbox list)\n');
  });

  it('needs items.view', async () => {
    const { cli } = await withMessages();
    for (const argv of [
      ['outbox', 'list'],
      ['outbox', 'show', '1'],
    ]) {
      const refused = await cli(argv, { as: 'outsider' });
      expect(refused.exitCode).toBe(6);
      expect(refused.stdout).toBe('');
    }
  });
});
