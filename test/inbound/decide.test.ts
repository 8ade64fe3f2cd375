import { describe, expect, it } from 'vitest';
import {
  type Channel,
  type Connection,
  decideInbound,
  type InboundDecision,
  type InboundFacts,
} from '../../src/inbound/decide.js';

// DESIGN §3–§5 as a table: the decision is a pure function of the facts gathered when a
// communication arrives, so each row needs no store and no clock.

const anna = { kind: 'email' as const, key: 'anna@example.com', value: 'Anna@example.com' };
const caller = { kind: 'phone' as const, key: '+442079460958', value: '+442079460958' };

function facts(channel: Channel, more: Partial<InboundFacts> = {}): InboundFacts {
  return {
    channel,
    sender: channel === 'email' ? anna : caller,
    connection: { status: 'accepted' },
    listed: false,
    openItems: [],
    known: false,
    ...more,
  };
}

const openDeal = { openItems: [{ id: 7, type: 'deal' }], known: true };
const savedThread = { reply: { to: 'm1@example.com', itemId: 3 } };
const unknownThread = { reply: { to: 'm9@example.com', itemId: null } };
const blacklisted = 'Hungup call by blacklist (423): +442079460958 is on the blacklist';
const declined = (register: boolean): Connection => ({
  status: 'declined',
  reason: blacklisted,
  register,
});

const listedEmail = {
  action: 'blocked',
  reason: 'Anna@example.com is on the exceptions list: not saved to the CRM',
} as const;
const listedCall = {
  action: 'blocked',
  reason: '+442079460958 is on the exceptions list: not saved to the CRM',
} as const;

const rows: [string, InboundFacts, InboundDecision][] = [
  // Email: new, a reply to a saved thread, a reply to an unknown one; listed or not.
  [
    'a new email, not listed, unknown sender',
    facts('email'),
    { action: 'create-lead', reason: 'no open item holds Anna@example.com' },
  ],
  ['a new email, listed', facts('email', { listed: true }), listedEmail],
  [
    'a new email, listed, with an open item',
    facts('email', { listed: true, ...openDeal }),
    listedEmail,
  ],
  [
    'a reply to a saved thread, not listed',
    facts('email', { ...savedThread, ...openDeal }),
    {
      action: 'attach-to-thread',
      itemId: 3,
      reason: 'reply to message m1@example.com, saved to its item',
    },
  ],
  [
    'a reply to a saved thread, listed: the thread wins',
    facts('email', { ...savedThread, listed: true }),
    {
      action: 'attach-to-thread',
      itemId: 3,
      reason: 'reply to message m1@example.com, saved to its item',
    },
  ],
  [
    'a reply to an unknown thread, listed',
    facts('email', { ...unknownThread, listed: true }),
    listedEmail,
  ],
  [
    'a reply to an unknown thread, not listed: decided like a new email',
    facts('email', { ...unknownThread, ...openDeal }),
    { action: 'attach', itemId: 7, reason: 'Anna@example.com belongs to open deal #7' },
  ],
  // Known sender: an open item, only closed items, unknown.
  [
    'an email from a known sender with an open item',
    facts('email', {
      openItems: [
        { id: 7, type: 'deal' },
        { id: 2, type: 'lead' },
      ],
      known: true,
    }),
    { action: 'attach', itemId: 7, reason: 'Anna@example.com belongs to open deal #7' },
  ],
  [
    'an email from a known sender with only closed items',
    facts('email', { known: true }),
    { action: 'create-lead', reason: 'Anna@example.com is known, but no open item holds it' },
  ],
  // Chats and forms ignore the list; forms always start a lead.
  [
    'a chat from a listed sender',
    facts('chat', { listed: true }),
    { action: 'create-lead', reason: 'no open item holds +442079460958' },
  ],
  [
    'a chat from a listed sender with an open item',
    facts('chat', { listed: true, ...openDeal }),
    { action: 'attach', itemId: 7, reason: '+442079460958 belongs to open deal #7' },
  ],
  [
    'a form from a listed sender with an open item',
    facts('form', { listed: true, ...openDeal }),
    { action: 'create-lead', reason: 'a form always starts a lead' },
  ],
  [
    'a form without contact details',
    facts('form', { sender: undefined }),
    { action: 'create-lead', reason: 'a new enquiry' },
  ],
  [
    'a chat "in reply to" a saved thread: only emails have threads',
    facts('chat', { ...savedThread }),
    { action: 'create-lead', reason: 'no open item holds +442079460958' },
  ],
  // Calls: accepted like an email without threads; declined with and without registering.
  ['an accepted call, listed', facts('call', { listed: true, ...openDeal }), listedCall],
  [
    'an accepted call "in reply to" a saved thread, listed',
    facts('call', { listed: true, ...savedThread }),
    listedCall,
  ],
  [
    'an accepted call from a known caller with an open item',
    facts('call', openDeal),
    { action: 'attach', itemId: 7, reason: '+442079460958 belongs to open deal #7' },
  ],
  [
    'an accepted call from an unknown caller',
    facts('call'),
    { action: 'create-lead', reason: 'no open item holds +442079460958' },
  ],
  [
    'a declined call, not registered',
    facts('call', { connection: declined(false), ...openDeal }),
    { action: 'declined', reason: blacklisted, crm: null },
  ],
  [
    'a declined call, not registered, listed',
    facts('call', { connection: declined(false), listed: true }),
    { action: 'declined', reason: blacklisted, crm: null },
  ],
  [
    'a declined call, registered, with an open item',
    facts('call', { connection: declined(true), ...openDeal }),
    {
      action: 'declined',
      reason: blacklisted,
      crm: { action: 'attach', itemId: 7, reason: '+442079460958 belongs to open deal #7' },
    },
  ],
  [
    'a declined call, registered, unknown caller',
    facts('call', { connection: declined(true) }),
    {
      action: 'declined',
      reason: blacklisted,
      crm: { action: 'create-lead', reason: 'no open item holds +442079460958' },
    },
  ],
  [
    'a declined call, registered, listed',
    facts('call', { connection: declined(true), listed: true, ...openDeal }),
    { action: 'declined', reason: blacklisted, crm: listedCall },
  ],
];

describe('decideInbound (pure: facts in, decision out)', () => {
  it.each(rows)('%s', (_name, given, expected) => {
    expect(decideInbound(given)).toStrictEqual(expected);
  });

  it('leaves the facts it is given as they were', () => {
    const given = facts('email', { ...savedThread, listed: true });
    const frozen = structuredClone(given);
    decideInbound(given);
    expect(given).toStrictEqual(frozen);
  });
});
