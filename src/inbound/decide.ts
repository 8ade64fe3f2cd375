/**
 * Does an inbound communication create or join a CRM record? Decided here from facts gathered
 * beforehand (gatherInboundFacts in service.ts), with no store and no clock, so that `explain`
 * commands can show a decision and tests can table it.
 */

export type Channel = 'email' | 'call' | 'chat' | 'form';

export interface InboundSender {
  kind: 'phone' | 'email';
  key: string;
  value: string;
}

/**
 * Whether the communication reached us. Only a call can be declined (the telephony step in
 * front: blacklist, auto-block); a declined one is saved to the CRM only with `register`.
 */
export type Connection =
  | { status: 'accepted' }
  | { status: 'declined'; reason: string; register: boolean };

export const accepted: Connection = { status: 'accepted' };

/** What the store said about a communication when it arrived. */
export interface InboundFacts {
  channel: Channel;
  sender: InboundSender | undefined;
  connection: Connection;
  /** The sender's value is on the exceptions list (DESIGN §3). */
  listed: boolean;
  /** The Message-ID an email replies to, and the item its thread was saved to (null: none). */
  reply?: { to: string; itemId: number | null };
  /** The open items (in a process stage) holding the sender's value, the latest changed first. */
  openItems: readonly { id: number; type: string }[];
  /** Some contact, company or item holds the sender's value, open or not. */
  known: boolean;
  /** False when a new lead may not be started (`settings set leads-from-calls off`); absent: it may. */
  createLead?: false;
}

/** What saving a communication to the CRM does (DESIGN §3, §5). */
export type CrmDecision =
  | { action: 'attach-to-thread'; itemId: number; reason: string }
  | { action: 'blocked'; reason: string }
  | { action: 'attach'; itemId: number; reason: string }
  | { action: 'create-lead'; reason: string }
  | { action: 'not-saved'; reason: string };

/** The decision: a declined call says why, and what registering it did (null: not registered). */
export type InboundDecision =
  | CrmDecision
  | { action: 'declined'; reason: string; crm: CrmDecision | null };

export type InboundAction = InboundDecision['action'];

/**
 * DESIGN §3 and §5: a reply to a saved email thread is saved to its item; otherwise a new email
 * or call from a value on the exceptions list is not saved to the CRM at all; chats and forms are
 * never affected by the list. Anything saved attaches to the sender's open item (a form always
 * starts a lead), or starts a lead. A declined call is decided the same way only when it is
 * registered.
 */
export function decideInbound(facts: InboundFacts): InboundDecision {
  const { connection } = facts;
  if (connection.status === 'declined') {
    return {
      action: 'declined',
      reason: connection.reason,
      crm: connection.register ? decideCrm(facts) : null,
    };
  }
  return decideCrm(facts);
}

function decideCrm(facts: InboundFacts): CrmDecision {
  const { channel, sender, reply } = facts;
  if (channel === 'email' && reply && reply.itemId !== null) {
    return {
      action: 'attach-to-thread',
      itemId: reply.itemId,
      reason: `reply to message ${reply.to}, saved to its item`,
    };
  }
  if (sender && (channel === 'email' || channel === 'call') && facts.listed) {
    return {
      action: 'blocked',
      reason: `${sender.value} is on the exceptions list: not saved to the CRM`,
    };
  }
  if (!sender) return { action: 'create-lead', reason: 'a new enquiry' };
  const [open] = facts.openItems;
  if (open && channel !== 'form') {
    return {
      action: 'attach',
      itemId: open.id,
      reason: `${sender.value} belongs to open ${open.type} #${open.id}`,
    };
  }
  if (channel === 'form') return { action: 'create-lead', reason: 'a form always starts a lead' };
  if (facts.createLead === false) {
    return {
      action: 'not-saved',
      reason: `no open item holds ${sender.value}, and leads from calls are off (settings leads-from-calls)`,
    };
  }
  return {
    action: 'create-lead',
    reason: facts.known
      ? `${sender.value} is known, but no open item holds it`
      : `no open item holds ${sender.value}`,
  };
}

/** What the decision does in the CRM: a registered declined call's part, or the decision itself. */
export function crmPartOf(decision: InboundDecision): CrmDecision | null {
  return decision.action === 'declined' ? decision.crm : decision;
}
