import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { type Channel, decideInbound, type InboundSender } from '../../src/inbound/decide.js';
import type { Communication, InboundResult } from '../../src/inbound/service.js';
import { gatherInboundFacts } from '../../src/inbound/service.js';
import { Session } from '../../src/session.js';
import { openStore } from '../../src/store/store.js';
import { newStore } from '../helpers.js';

// DESIGN §3 and §5, seed 001: an inbound email or call from a listed value creates nothing in
// the CRM (it is logged as blocked), except a reply to a saved thread; chats and CRM forms are
// not affected by the list. What is saved attaches to the sender's open item or starts a lead.

const now = '2026-06-01T09:00:00.000Z';

type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

type CommunicationJson = Communication;
type InboundJson = InboundResult;

async function run(cli: Cli, argv: string[]): Promise<InboundJson> {
  const result = await cli([...argv, '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.json<InboundJson>();
}

async function items(cli: Cli) {
  const result = await cli(['item', 'list', '--type', 'lead', '--json']);
  const leads = result.json<{ id: number; title: string }[]>();
  const deals = (await cli(['item', 'list', '--type', 'deal', '--json'])).json<{ id: number }[]>();
  return [...leads, ...deals];
}

async function log(cli: Cli, channel: string, filters: string[] = []) {
  const result = await cli([channel, 'log', ...filters, '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.json<CommunicationJson[]>();
}

describe('email incoming', () => {
  it('from a listed address (any case): creates nothing, logged as blocked by the exceptions list', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'Offers@Spam.Example;newsletter']);
    const result = await cli([
      'email',
      'incoming',
      '--from',
      'OFFERS@spam.example',
      '--subject',
      'Deal!',
    ]);
    expect(result).toMatchObject({ exitCode: 0, stdout: '' });
    expect(result.stderr).toBe(
      'Not saved: OFFERS@spam.example is on the exceptions list: not saved to the CRM\n',
    );
    expect(await items(cli)).toEqual([]);
    expect(await log(cli, 'email', ['--status', 'blocked'])).toEqual([
      {
        id: expect.any(Number),
        channel: 'email',
        at: now,
        from: 'OFFERS@spam.example',
        subject: 'Deal!',
        messageId: null,
        inReplyTo: null,
        status: 'blocked',
        itemId: null,
        reason: 'OFFERS@spam.example is on the exceptions list: not saved to the CRM',
      },
    ]);
    expect(await log(cli, 'email', ['--status', 'saved'])).toEqual([]);
    const json = await run(cli, [
      'email',
      'incoming',
      '--from',
      'offers@spam.example',
      '--subject',
      'Again',
    ]);
    expect(json).toEqual({
      decision: 'blocked',
      communication: expect.objectContaining({ status: 'blocked', itemId: null, subject: 'Again' }),
      item: null,
    });
    expect(await items(cli)).toEqual([]);
  });

  it('from an unlisted address: starts a lead holding the address and prints its id', async () => {
    const { cli } = await newStore({ now });
    const result = await cli([
      'email',
      'incoming',
      '--from',
      'Anna@Example.com',
      '--subject',
      'Sofa price?',
    ]);
    expect(result).toMatchObject({ exitCode: 0, stdout: '1\n' });
    expect(result.stderr).toBe('Saved: no open item holds Anna@example.com\n');
    const shown = (await cli(['item', 'show', '1', '--json'])).json<InboundJson['item']>();
    expect(shown).toMatchObject({
      id: 1,
      type: 'lead',
      title: 'Email from Anna@example.com: Sofa price?',
      source: 'email',
      emails: ['Anna@example.com'],
      stage: { name: 'New' },
    });
    const json = await run(cli, [
      'email',
      'incoming',
      '--from',
      'ben@example.com',
      '--subject',
      'Hi',
      '--message-id',
      '<m1@example.com>',
    ]);
    expect(Object.keys(json).sort()).toEqual(['communication', 'decision', 'item']);
    expect(json.decision).toBe('create-lead');
    expect(json.item).toMatchObject({
      id: 2,
      type: 'lead',
      source: 'email',
      emails: ['ben@example.com'],
    });
    expect(json.communication).toEqual({
      id: expect.any(Number),
      channel: 'email',
      at: now,
      from: 'ben@example.com',
      subject: 'Hi',
      messageId: '<m1@example.com>',
      inReplyTo: null,
      status: 'saved',
      itemId: 2,
      reason: 'no open item holds ben@example.com',
    });
  });

  it('a reply to a saved email is saved to its item even when the sender is listed afterwards', async () => {
    const { cli } = await newStore({ now });
    const first = await run(cli, [
      'email',
      'incoming',
      '--from',
      'anna@example.com',
      '--subject',
      'Table size',
      '--message-id',
      'm1@example.com',
    ]);
    const itemId = first.communication.itemId;
    expect(itemId).toBe(1);
    await cli(['exceptions', 'add', 'anna@example.com;changed her mind']);

    const reply = await cli([
      'email',
      'incoming',
      '--from',
      'anna@example.com',
      '--subject',
      'Re: Table size',
      '--in-reply-to',
      'm1@example.com',
    ]);
    expect(reply).toMatchObject({ exitCode: 0, stdout: '1\n' });
    expect(reply.stderr).toBe('Saved: reply to message m1@example.com, saved to its item\n');
    const json = await run(cli, [
      'email',
      'incoming',
      '--from',
      'anna@example.com',
      '--subject',
      'Re: Re: Table size',
      '--in-reply-to',
      'm1@example.com',
      '--message-id',
      'm3@example.com',
    ]);
    expect(json).toMatchObject({
      decision: 'attach-to-thread',
      item: null,
      communication: { status: 'saved', itemId: 1, inReplyTo: 'm1@example.com' },
    });
    // A reply to the reply is in the thread too.
    const deeper = await run(cli, [
      'email',
      'incoming',
      '--from',
      'anna@example.com',
      '--subject',
      'Re^3',
      '--in-reply-to',
      'm3@example.com',
    ]);
    expect(deeper.communication).toMatchObject({ status: 'saved', itemId: 1 });

    // A new email (no reply) from her is blocked now, and so is a reply to an unknown message.
    const fresh = await run(cli, [
      'email',
      'incoming',
      '--from',
      'anna@example.com',
      '--subject',
      'New',
    ]);
    expect(fresh).toMatchObject({ decision: 'blocked', item: null });
    const stray = await run(cli, [
      'email',
      'incoming',
      '--from',
      'anna@example.com',
      '--subject',
      'Re: ?',
      '--in-reply-to',
      'unknown@example.com',
    ]);
    expect(stray.decision).toBe('blocked');
    expect(await items(cli)).toHaveLength(1);
    expect((await log(cli, 'email')).map((c) => [c.status, c.itemId])).toEqual([
      ['saved', 1],
      ['saved', 1],
      ['saved', 1],
      ['saved', 1],
      ['blocked', null],
      ['blocked', null],
    ]);
  });

  it('a reply to a blocked email is not a saved thread: it is blocked too', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'spam@example.com']);
    await run(cli, [
      'email',
      'incoming',
      '--from',
      'spam@example.com',
      '--subject',
      'x',
      '--message-id',
      'b1',
    ]);
    const reply = await run(cli, [
      'email',
      'incoming',
      '--from',
      'spam@example.com',
      '--subject',
      'Re: x',
      '--in-reply-to',
      'b1',
    ]);
    expect(reply.decision).toBe('blocked');
    expect(await items(cli)).toEqual([]);
  });

  it('from a known contact: attaches to their open item, never to one in a final stage', async () => {
    const { cli } = await newStore({ now });
    await cli(['contact', 'add', '--name', 'Olivia Brown', '--email', 'olivia@example.co.uk']);
    const won = Number(
      (await cli(['item', 'add', '--type', 'deal', '--title', 'Old table', '--contact', '1']))
        .stdout,
    );
    await cli(['item', 'move', String(won), '--stage', 'Won']);
    // Only a won deal: a new lead starts.
    const first = await run(cli, [
      'email',
      'incoming',
      '--from',
      'olivia@example.co.uk',
      '--subject',
      'Chairs?',
    ]);
    expect(first.decision).toBe('create-lead');
    const lead = first.item?.id as number;
    expect(lead).not.toBe(won);
    // The lead is closed as junk: a final stage, so not a place to attach either.
    expect((await cli(['item', 'move', String(lead), '--stage', 'Junk lead'])).exitCode).toBe(0);
    const third = await run(cli, [
      'email',
      'incoming',
      '--from',
      'olivia@example.co.uk',
      '--subject',
      'Hello?',
    ]);
    expect(third.decision).toBe('create-lead');
    expect(
      (await cli(['item', 'move', String(third.item?.id), '--stage', 'Good lead'])).exitCode,
    ).toBe(0);
    const open = Number(
      (await cli(['item', 'add', '--type', 'deal', '--title', 'Oak table', '--contact', '1']))
        .stdout,
    );
    const second = await cli([
      'email',
      'incoming',
      '--from',
      'Olivia@EXAMPLE.co.uk',
      '--subject',
      'Delivery',
    ]);
    expect(second).toMatchObject({ exitCode: 0, stdout: `${open}\n` });
    expect(second.stderr).toBe(`Saved: Olivia@example.co.uk belongs to open deal #${open}\n`);
    const json = await run(cli, [
      'email',
      'incoming',
      '--from',
      'olivia@example.co.uk',
      '--subject',
      'x',
    ]);
    expect(json).toMatchObject({ decision: 'attach', item: null, communication: { itemId: open } });
  });

  it('rejects a --from that is not one plain address (exit 2) and records nothing', async () => {
    const { cli } = await newStore({ now });
    for (const from of ['Anna <anna@example.com>', 'not an address', '+44 20 7946 0958']) {
      const result = await cli(['email', 'incoming', '--from', from, '--subject', 'x']);
      expect(result.exitCode, from).toBe(2);
      expect(result.stderr).toContain('--from');
    }
    expect((await cli(['email', 'incoming', '--from', 'a@example.com'])).exitCode).toBe(2);
    expect(await log(cli, 'email')).toEqual([]);
  });

  it('needs items.edit to receive, items.view to read the log', async () => {
    const { cli } = await newStore({ now });
    await cli(['role', 'add', 'listkeeper', '--permissions', 'exceptions.view,exceptions.edit']);
    await cli(['user', 'add', 'lee', '--role', 'listkeeper']);
    const result = await cli(['email', 'incoming', '--from', 'a@example.com', '--subject', 'x'], {
      as: 'lee',
    });
    expect(result.exitCode).toBe(6);
    expect(result.stderr).toContain('items.edit');
    expect((await cli(['email', 'log'], { as: 'lee' })).exitCode).toBe(6);
    expect(await log(cli, 'email')).toEqual([]);
  });
});

describe('chat incoming and form submit ignore the exceptions list', () => {
  it('a chat from a listed phone starts a lead, and the next chat attaches to it', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', '+44 20 7946 0958;cold caller', 'olivia@example.co.uk']);
    const first = await cli([
      'chat',
      'incoming',
      '--from',
      '020 7946 0958',
      '--country',
      'GB',
      '--text',
      'Hello?',
    ]);
    expect(first).toMatchObject({ exitCode: 0, stdout: '1\n' });
    const lead = (await cli(['item', 'show', '1', '--json'])).json<InboundJson['item']>();
    expect(lead).toMatchObject({
      type: 'lead',
      source: 'chat',
      phones: ['+442079460958'],
      title: 'Chat with +442079460958',
    });
    const second = await run(cli, [
      'chat',
      'incoming',
      '--from',
      '+44 (20) 7946-0958',
      '--text',
      'Still there?',
    ]);
    expect(second).toMatchObject({
      decision: 'attach',
      item: null,
      communication: { channel: 'chat', status: 'saved', itemId: 1, subject: 'Still there?' },
    });
    const email = await run(cli, ['chat', 'incoming', '--from', 'olivia@example.co.uk']);
    expect(email).toMatchObject({
      decision: 'create-lead',
      item: { emails: ['olivia@example.co.uk'] },
    });
    expect(await log(cli, 'chat', ['--status', 'blocked'])).toEqual([]);
    expect(await log(cli, 'chat')).toHaveLength(3);
  });

  it('a form from a listed phone and email always starts a new lead, even when one is open', async () => {
    const { cli } = await newStore({ now });
    await cli(['settings', 'set', 'default-country', 'GB']);
    await cli(['exceptions', 'add', '020 7946 0958', 'olivia@example.co.uk']);
    const first = await cli([
      'form',
      'submit',
      '--name',
      '  Olivia Brown ',
      '--phone',
      '020 7946 0958',
      '--email',
      'olivia@example.co.uk',
    ]);
    expect(first).toMatchObject({ exitCode: 0, stdout: '1\n' });
    const lead = (await cli(['item', 'show', '1', '--json'])).json<InboundJson['item']>();
    expect(lead).toMatchObject({
      type: 'lead',
      source: 'form',
      title: 'Form: Olivia Brown',
      phones: ['+442079460958'],
      emails: ['olivia@example.co.uk'],
    });
    const second = await run(cli, [
      'form',
      'submit',
      '--name',
      'Olivia',
      '--email',
      'olivia@example.co.uk',
    ]);
    expect(second).toMatchObject({
      decision: 'create-lead',
      item: { id: 2, source: 'form' },
      communication: { channel: 'form', status: 'saved', itemId: 2, subject: 'Olivia' },
    });
    const anonymous = await run(cli, ['form', 'submit', '--name', 'No contact details']);
    expect(anonymous).toMatchObject({ decision: 'create-lead', item: { phones: [], emails: [] } });
    expect((await log(cli, 'form')).map((c) => c.status)).toEqual(['saved', 'saved', 'saved']);
    expect((await cli(['form', 'submit', '--name', '   '])).exitCode).toBe(2);
    expect((await cli(['form', 'submit', '--name', 'x', '--phone', 'abc'])).exitCode).toBe(2);
  });
});

describe('decideInbound (the one place that decides)', () => {
  it('blocks calls and emails from listed values, never chats or forms; replies win over the list', async () => {
    const { db, cli } = await newStore({ now });
    await cli(['exceptions', 'add', '+442079460958', 'spam@example.com']);
    await run(cli, [
      'email',
      'incoming',
      '--from',
      'ok@example.com',
      '--subject',
      's',
      '--message-id',
      'm1',
    ]);
    const store = openStore(db, { busyTimeoutMs: 1000 });
    try {
      const session = new Session({
        store,
        clock: fixedClock(new Date(now)),
        actor: { login: userInfo().username, cause: { kind: 'user', id: null }, command: null },
      });
      const facts = (channel: Channel, sender: InboundSender | undefined, inReplyTo?: string) =>
        gatherInboundFacts(session, channel, sender, { inReplyTo });
      const phone = { kind: 'phone' as const, key: '+442079460958', value: '+442079460958' };
      const email = { kind: 'email' as const, key: 'spam@example.com', value: 'spam@example.com' };
      const other = { kind: 'phone' as const, key: '+16502530000', value: '+16502530000' };
      expect(decideInbound(facts('call', phone))).toEqual({
        action: 'blocked',
        reason: '+442079460958 is on the exceptions list: not saved to the CRM',
      });
      expect(decideInbound(facts('email', email)).action).toBe('blocked');
      expect(decideInbound(facts('chat', phone)).action).toBe('create-lead');
      expect(decideInbound(facts('form', email)).action).toBe('create-lead');
      expect(decideInbound(facts('call', other))).toEqual({
        action: 'create-lead',
        reason: 'no open item holds +16502530000',
      });
      expect(decideInbound(facts('email', email, 'm1'))).toEqual({
        action: 'attach-to-thread',
        itemId: 1,
        reason: 'reply to message m1, saved to its item',
      });
      // Only emails have threads: a call "in reply to" is decided by the list.
      expect(decideInbound(facts('call', phone, 'm1')).action).toBe('blocked');
      expect(decideInbound(facts('form', undefined))).toEqual({
        action: 'create-lead',
        reason: 'a new enquiry',
      });
    } finally {
      store.close();
    }
  });
});

describe('a value that cannot be used is refused naming its flag (the service names the field)', () => {
  it.each([
    [['email', 'incoming', '--from', 'x', '--subject', 's'], '--from: "x" is not an email address'],
    [['chat', 'incoming', '--from', 'abc'], '--from: "abc" is not a phone number'],
    [['form', 'submit', '--name', 'x', '--phone', 'abc'], '--phone: "abc" is not a phone number'],
    [['form', 'submit', '--name', 'x', '--email', 'y'], '--email: "y" is not an email address'],
    [['form', 'submit', '--name', 'a\u202Eb'], '--name: a name holds a bidi control character'],
  ])('%j', async (argv, message) => {
    const { cli } = await newStore({ now });
    const result = await cli(argv);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.startsWith(`error: ${message}`), result.stderr).toBe(true);
    expect(await items(cli)).toEqual([]);
  });

  it('every log takes --status declined (calls that never connected); none here', async () => {
    const { cli } = await newStore({ now });
    await run(cli, ['email', 'incoming', '--from', 'a@example.com', '--subject', 's']);
    expect(await log(cli, 'email', ['--status', 'declined'])).toEqual([]);
  });
});

describe('the communication log indexes (schema version 13)', () => {
  it('finds a thread by Message-ID through the index that holds emails only', async () => {
    const { db, cli } = await newStore({ now });
    await cli([
      'email',
      'incoming',
      '--from',
      'anna@example.com',
      '--subject',
      'Hi',
      '--message-id',
      'm1@example.com',
    ]);
    await cli(['call', 'incoming', '--from', '+442071234567']);
    await cli(['chat', 'incoming', '--from', 'bea@example.com', '--text', 'hello']);
    const store = openStore(db, { busyTimeoutMs: 1000 });
    try {
      const plan = store.db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT item_id FROM communications
           WHERE message_id = ? AND item_id IN (SELECT id FROM items) ORDER BY id DESC LIMIT 1`,
        )
        .all('m1@example.com') as { detail: string }[];
      expect(plan.map((step) => step.detail).join('\n')).toContain(
        'USING INDEX communications_by_message_id',
      );
      // Three communications, one entry: the call and the chat carry no Message-ID.
      const entries = store.db
        .prepare(
          'SELECT count(*) FROM communications INDEXED BY communications_by_message_id WHERE message_id IS NOT NULL',
        )
        .pluck()
        .get();
      expect(entries).toBe(1);
      expect(store.db.prepare('SELECT count(*) FROM communications').pluck().get()).toBe(3);
    } finally {
      store.close();
    }
  });
});
