import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { type Connection, decideInbound } from '../../src/inbound/decide.js';
import {
  type CallIncoming,
  gatherInboundFacts,
  InboundValueError,
  listCommunications,
  receiveCall,
} from '../../src/inbound/service.js';
import { Session } from '../../src/session.js';
import { openStore, type Store } from '../../src/store/store.js';
import { osLogin } from '../e2e/support.js';
import { newStore } from '../helpers.js';

// DESIGN §4 (b): a call, once telephony's step in front has accepted or declined it, goes
// through the same decision as an email without threads. A declined call never connected: it
// is logged as `declined`, and saved to the CRM only when declined calls are registered.
// (No `call incoming` command yet: telephony adds it; these run the service it will call.)

const now = '2026-06-01T21:00:00.000Z';
const blacklisted = 'Hungup call by blacklist (423): +442079460958 is on the blacklist';
const declined = (register: boolean): Connection => ({
  status: 'declined',
  reason: blacklisted,
  register,
});

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** A store prepared through the CLI, and a session on it acting as `login`. */
async function sessionOn(setup: string[][], login = osLogin) {
  const { db, cli } = await newStore({ now });
  for (const argv of setup) {
    const result = await cli(argv);
    expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
  }
  const store = openStore(db, { busyTimeoutMs: 1000 });
  stores.push(store);
  const session = new Session({
    store,
    clock: fixedClock(new Date(now)),
    actor: { login, cause: { kind: 'user', id: null }, command: 'test call' },
  });
  const call = (options: CallIncoming) => session.write(() => receiveCall(session, options));
  const log = () => [...listCommunications(session, { channel: 'call' }).rows];
  return { session, call, log, cli };
}

describe('receiveCall, accepted', () => {
  it('from an unknown number: starts a lead from the call; the next call attaches to it', async () => {
    const { call, log } = await sessionOn([['settings', 'set', 'default-country', 'GB']]);
    const first = call({ from: '020 7946 0958' });
    expect(first).toMatchObject({
      decision: 'create-lead',
      item: { id: 1, type: 'lead', source: 'call', title: 'Call from +442079460958' },
      communication: {
        channel: 'call',
        from: '+442079460958',
        subject: null,
        status: 'saved',
        itemId: 1,
        reason: 'no open item holds +442079460958',
      },
    });
    expect(first.item?.phones).toEqual(['+442079460958']);
    const second = call({ from: '+44 (20) 7946-0958' });
    expect(second).toMatchObject({ decision: 'attach', item: null });
    expect(second.communication).toMatchObject({
      status: 'saved',
      itemId: 1,
      reason: '+442079460958 belongs to open lead #1',
    });
    expect(log().map((c) => [c.status, c.itemId])).toEqual([
      ['saved', 1],
      ['saved', 1],
    ]);
  });

  it('from a listed number: not saved to the CRM, even with an open item', async () => {
    const { call, log } = await sessionOn([
      ['item', 'add', '--type', 'lead', '--title', 'Caller', '--phone', '+442079460958'],
      ['exceptions', 'add', '+44 20 7946 0958;cold caller'],
    ]);
    const result = call({ from: '+442079460958' });
    expect(result).toMatchObject({
      decision: 'blocked',
      item: null,
      communication: {
        status: 'blocked',
        itemId: null,
        reason: '+442079460958 is on the exceptions list: not saved to the CRM',
      },
    });
    expect(log()).toHaveLength(1);
  });

  it('refuses a caller that is not a phone number, naming the sender, and logs nothing', async () => {
    const { call, log } = await sessionOn([]);
    for (const from of ['anna@example.com', '020 7946 0958', 'abc']) {
      let thrown: unknown;
      try {
        call({ from });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, from).toBeInstanceOf(InboundValueError);
      expect(thrown).toMatchObject({
        field: 'sender',
        message: expect.stringMatching(/^the sender: /),
      });
    }
    expect(log()).toEqual([]);
  });
});

describe('receiveCall, declined by the step in front', () => {
  it('not registered: logged as declined, nothing saved to the CRM, whoever calls', async () => {
    const { call, log, cli } = await sessionOn([
      ['item', 'add', '--type', 'lead', '--title', 'Caller', '--phone', '+442079460958'],
    ]);
    const result = call({ from: '+442079460958', connection: declined(false) });
    expect(result).toEqual({
      decision: 'declined',
      item: null,
      communication: {
        id: expect.any(Number),
        channel: 'call',
        at: now,
        from: '+442079460958',
        subject: null,
        messageId: null,
        inReplyTo: null,
        status: 'declined',
        itemId: null,
        reason: `${blacklisted}; declined calls are not saved to the CRM`,
      },
    });
    call({ from: '+16502530000', connection: declined(false) });
    expect((await cli(['item', 'list', '--json'])).json<unknown[]>()).toHaveLength(1);
    expect(log().map((c) => [c.from, c.status, c.itemId])).toEqual([
      ['+442079460958', 'declined', null],
      ['+16502530000', 'declined', null],
    ]);
  });

  it('registered: attaches to the open item, or starts a lead, and is still logged as declined', async () => {
    const { call, session } = await sessionOn([
      ['contact', 'add', '--name', 'Olivia', '--phone', '+442079460958'],
      ['item', 'add', '--type', 'deal', '--title', 'Sofa', '--contact', '1'],
    ]);
    const known = call({ from: '+442079460958', connection: declined(true) });
    expect(known).toMatchObject({
      decision: 'declined',
      item: null,
      communication: {
        status: 'declined',
        itemId: 1,
        reason: `${blacklisted}; +442079460958 belongs to open deal #1`,
      },
    });
    const unknown = call({ from: '+16502530000', connection: declined(true) });
    expect(unknown).toMatchObject({
      decision: 'declined',
      item: { id: 2, type: 'lead', source: 'call', phones: ['+16502530000'] },
      communication: { status: 'declined', itemId: 2 },
    });
    const declinedOnly = listCommunications(session, { channel: 'call', status: 'declined' });
    expect([...declinedOnly.rows].map((c) => c.itemId)).toEqual([1, 2]);
    expect([...listCommunications(session, { channel: 'call', status: 'saved' }).rows]).toEqual([]);
  });

  it('registered but listed: not saved; the reason is withheld without exceptions.view', async () => {
    const setup = [
      ['exceptions', 'add', '+442079460958'],
      ['role', 'add', 'desk', '--permissions', 'items.view,items.edit'],
      ['user', 'add', 'dora', '--role', 'desk'],
    ];
    const admin = await sessionOn(setup);
    const result = admin.call({ from: '+442079460958', connection: declined(true) });
    expect(result).toMatchObject({
      decision: 'declined',
      item: null,
      communication: {
        status: 'declined',
        itemId: null,
        reason: `${blacklisted}; +442079460958 is on the exceptions list: not saved to the CRM`,
      },
    });
    const dora = admin.session.as({
      login: 'dora',
      cause: { kind: 'user', id: null },
      command: null,
    });
    const [entry] = listCommunications(dora, { channel: 'call' }).rows;
    expect(entry).toMatchObject({
      status: 'declined',
      reason: `${blacklisted}; not saved to the CRM`,
    });
    const asDora = dora.write(() =>
      receiveCall(dora, { from: '+442079460958', connection: declined(true) }),
    );
    expect(asDora.communication.reason).toBe(`${blacklisted}; not saved to the CRM`);
  });

  it('the facts a telephony explain shows are those the call is decided on', async () => {
    const { session, call } = await sessionOn([
      ['item', 'add', '--type', 'lead', '--title', 'Caller', '--phone', '+442079460958'],
    ]);
    const sender = { kind: 'phone' as const, key: '+442079460958', value: '+442079460958' };
    const facts = gatherInboundFacts(session, 'call', sender, { connection: declined(true) });
    expect(facts).toEqual({
      channel: 'call',
      sender,
      connection: declined(true),
      listed: false,
      openItems: [{ id: 1, type: 'lead' }],
      known: true,
    });
    const decision = decideInbound(facts);
    const result = call({ from: '+442079460958', connection: declined(true) });
    expect(result.decision).toBe(decision.action);
    expect(result.communication.itemId).toBe(1);
  });
});
