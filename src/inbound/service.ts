import { normaliseEmail } from '../contact-details/email.js';
import { normalisePhone } from '../contact-details/phone.js';
import type { Normalised } from '../contact-details/reasons.js';
import { ownersOf } from '../contacts/service.js';
import { UsageError } from '../errors.js';
import { isListed } from '../exceptions/service.js';
import { addItem, type Item, openItemsWithContactValue } from '../items/service.js';
import { type Listing, mapListing } from '../listing.js';
import { nowIso, type Session } from '../session.js';
import { defaultCountry, leadsFromCalls } from '../settings/service.js';
import { checkDisplayText } from '../text.js';
import { mayUse } from '../users/service.js';
import {
  accepted,
  type Channel,
  type Connection,
  crmPartOf,
  decideInbound,
  type InboundAction,
  type InboundDecision,
  type InboundFacts,
  type InboundSender,
} from './decide.js';
import {
  type CommunicationRow,
  insertCommunication,
  pagedCommunications,
  selectThreadItem,
} from './repo.js';

/** DESIGN §8a-style communication log entry. */
export interface Communication {
  id: number;
  channel: Channel;
  at: string;
  from: string;
  subject: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  status: CommunicationStatus;
  itemId: number | null;
  reason: string;
}

/**
 * Saved to the CRM; blocked: not saved, by the exceptions list; declined: a call that never
 * connected (saved to the CRM only when declined calls are registered); not-saved: no item to
 * attach to and no lead to start (leads from calls are off).
 */
export const communicationStatuses = ['saved', 'blocked', 'declined', 'not-saved'] as const;
export type CommunicationStatus = (typeof communicationStatuses)[number];

export interface InboundResult {
  communication: Communication;
  decision: InboundAction;
  item: Item | null;
}

/** What a communication brings besides its sender: what the log keeps, and the lead it may start. */
export interface InboundDetails {
  subject: string | null;
  messageId?: string;
  inReplyTo?: string;
  lead: { title: string; phones?: string[]; emails?: string[] };
}

/**
 * What the store says about a communication as it arrives: the facts decideInbound decides on.
 * `connection` comes from the step in front (telephony's accept or decline); the rest is read.
 */
export function gatherInboundFacts(
  session: Session,
  channel: Channel,
  sender: InboundSender | undefined,
  details: { inReplyTo?: string; connection?: Connection } = {},
): InboundFacts {
  const { inReplyTo } = details;
  // Most senders are strangers: one look-up says so; only a known value reads its open items.
  const known = sender !== undefined && ownersOf(session, sender.kind, sender.key).length > 0;
  const openItems =
    sender && known ? openItemsWithContactValue(session, sender.kind, sender.key) : [];
  return {
    channel,
    sender,
    connection: details.connection ?? accepted,
    listed: sender !== undefined && isListed(session, sender.key),
    ...(inReplyTo
      ? { reply: { to: inReplyTo, itemId: selectThreadItem(session.db, inReplyTo) ?? null } }
      : {}),
    openItems: openItems.map((item) => ({ id: item.id, type: item.type })),
    known,
    ...(channel === 'call' && !leadsFromCalls(session) ? { createLead: false as const } : {}),
  };
}

/**
 * Carries out a decision in the caller's unit of work: starts the lead it calls for and logs the
 * communication (the item it went to, or why not).
 */
export function recordInbound(
  session: Session,
  facts: InboundFacts,
  decision: InboundDecision,
  details: InboundDetails,
): InboundResult {
  session.requireWrite();
  const crm = crmPartOf(decision);
  const item =
    crm?.action === 'create-lead'
      ? addItem(session, { type: 'lead', source: facts.channel, ...details.lead })
      : null;
  const row: Omit<CommunicationRow, 'id'> = {
    channel: facts.channel,
    at: nowIso(session),
    from_value: facts.sender?.value ?? '',
    from_key: facts.sender?.key ?? null,
    subject: details.subject,
    message_id: details.messageId ?? null,
    in_reply_to: details.inReplyTo ?? null,
    status: statusOf(decision),
    item_id: item?.id ?? (crm && 'itemId' in crm ? crm.itemId : null),
    reason: crm?.reason ?? notRegisteredReason,
    decision: crm?.action ?? decision.action,
    declined_reason: decision.action === 'declined' ? decision.reason : null,
  };
  // The entry as stored (a STRICT table keeps the values as given): not read back.
  const id = insertCommunication(session.db, row);
  const communication = toCommunication({ id, ...row }, mayViewExceptions(session));
  return { communication, decision: decision.action, item };
}

/** Asked once per session: a replay records many calls in one unit of work. */
const viewsExceptions = new WeakMap<Session, boolean>();

function mayViewExceptions(session: Session): boolean {
  let may = viewsExceptions.get(session);
  if (may === undefined) {
    may = mayUse(session, 'exceptions.view');
    viewsExceptions.set(session, may);
  }
  return may;
}

/** Why a declined call that is not registered was not saved to the CRM. */
const notRegisteredReason = 'declined calls are not saved to the CRM';

function statusOf(decision: InboundDecision): CommunicationStatus {
  if (decision.action === 'declined') return 'declined';
  if (decision.action === 'not-saved') return 'not-saved';
  return decision.action === 'blocked' ? 'blocked' : 'saved';
}

/** Which part of a communication a value was given for (the command names its flag). */
export type InboundField = 'sender' | 'phone' | 'email' | 'name';

const fieldNames: Record<InboundField, string> = {
  sender: 'the sender',
  phone: 'the phone given',
  email: 'the email given',
  name: 'the name given',
};

/** A value of an inbound communication that cannot be used: which one, and what is wrong. */
export class InboundValueError extends UsageError {
  constructor(
    readonly field: InboundField,
    readonly problem: string,
  ) {
    super(`${fieldNames[field]}: ${problem}`);
  }
}

export interface EmailIncoming {
  from: string;
  subject: string;
  messageId?: string;
  inReplyTo?: string;
}

export function receiveEmail(session: Session, email: EmailIncoming): InboundResult {
  const sender = parseSender(normaliseEmail(email.from), 'sender');
  return receive(session, 'email', sender, {
    subject: email.subject,
    messageId: email.messageId,
    inReplyTo: email.inReplyTo,
    lead: { title: `Email from ${sender.value}: ${email.subject}`, emails: [sender.value] },
  });
}

export function receiveChat(
  session: Session,
  chat: { from: string; text?: string; country?: string },
): InboundResult {
  const sender = parseSender(
    parseAnyContact(chat.from, chat.country ?? defaultCountry(session)),
    'sender',
  );
  return receive(session, 'chat', sender, {
    subject: chat.text ?? null,
    lead: {
      title: `Chat with ${sender.value}`,
      ...(sender.kind === 'phone' ? { phones: [sender.value] } : { emails: [sender.value] }),
    },
  });
}

export function submitForm(
  session: Session,
  form: { name: string; phone?: string; email?: string; country?: string },
): InboundResult {
  const name = formName(form.name);
  const country = form.country ?? defaultCountry(session);
  const phone =
    form.phone === undefined
      ? undefined
      : parseSender(normalisePhone(form.phone, country), 'phone');
  const email =
    form.email === undefined ? undefined : parseSender(normaliseEmail(form.email), 'email');
  return receive(session, 'form', phone ?? email, {
    subject: name,
    lead: {
      title: `Form: ${name}`,
      phones: phone ? [phone.value] : [],
      emails: email ? [email.value] : [],
    },
  });
}

export interface CallIncoming {
  /** The caller's number, any spelling. */
  from: string;
  /** Country for a national number (default: the default-country setting). */
  country?: string;
  /** Accepted, or declined by the step in front (blacklist, auto-block); default accepted. */
  connection?: Connection;
}

/** DESIGN §4: an inbound call, once telephony has accepted or declined it. */
export function receiveCall(session: Session, call: CallIncoming): InboundResult {
  return receiveCallFrom(session, callerOf(session, call.from, call.country), call.connection)
    .result;
}

/**
 * DESIGN §4 (b) for a caller already read (telephony's `call incoming`): the facts gathered, the
 * decision, what it did. The facts are returned for the events the call fires on open items.
 */
export function receiveCallFrom(
  session: Session,
  sender: InboundSender,
  connection: Connection = accepted,
): { facts: InboundFacts; decision: InboundDecision; result: InboundResult } {
  session.requireWrite();
  const details = {
    subject: null,
    lead: { title: `Call from ${sender.value}`, phones: [sender.value] },
  };
  const facts = gatherInboundFacts(session, 'call', sender, { connection });
  const decision = decideInbound(facts);
  return { facts, decision, result: recordInbound(session, facts, decision, details) };
}

/** The communication log of a channel, read as it is printed. */
export function listCommunications(
  session: Session,
  options: { channel?: Channel; status?: string; since?: Date; limit?: number; offset?: number },
): Listing<Communication> {
  const reveal = mayUse(session, 'exceptions.view');
  const filter = { ...options, since: options.since?.toISOString() };
  return mapListing(pagedCommunications(session.db, filter), (row) => toCommunication(row, reveal));
}

/** What a user without exceptions.view reads as the reason a communication was not saved. */
export const withheldReason = 'not saved to the CRM';

function receive(
  session: Session,
  channel: Channel,
  sender: InboundSender | undefined,
  details: InboundDetails & { connection?: Connection },
): InboundResult {
  session.requireWrite();
  const facts = gatherInboundFacts(session, channel, sender, details);
  const result = recordInbound(session, facts, decideInbound(facts), details);
  if (channel === 'email' && sender && result.communication.status === 'saved') {
    // DESIGN §2: an email from the customer is an event for each of their open items.
    for (const item of facts.openItems) {
      session.emit({
        type: 'outside-event',
        event: 'email-received',
        itemId: item.id,
        params: { from: sender.value, subject: details.subject ?? '' },
      });
    }
  }
  return result;
}

/** The caller of a call as the decision knows senders: a number in any spelling, in E.164. */
export function callerOf(session: Session, from: string, country?: string): InboundSender {
  const region = country ?? defaultCountry(session);
  const key = `${region ?? ''} ${from}`;
  const known = callers.get(key);
  if (known) return known;
  const sender = parseSender(normalisePhone(from, region), 'sender');
  // A long-running process (a replay, a gateway) meets the same callers again: normalising is a
  // pure function of the spelling and the country, so its answer is kept (a bounded number).
  if (from.length <= 100) {
    if (callers.size >= maxCallers) callers.clear();
    callers.set(key, sender);
  }
  return sender;
}

const callers = new Map<string, InboundSender>();
const maxCallers = 100_000;

function parseAnyContact(raw: string, country: string | undefined): Normalised {
  return raw.includes('@') ? normaliseEmail(raw) : normalisePhone(raw, country);
}

function parseSender(normalised: Normalised, field: InboundField): InboundSender {
  if (!normalised.ok) {
    throw new InboundValueError(field, `${normalised.message} (${normalised.reason})`);
  }
  return { kind: normalised.kind, key: normalised.key, value: normalised.value };
}

function formName(name: string): string {
  try {
    return checkDisplayText(name, 'a name', { min: 1, max: 200 });
  } catch (error) {
    if (error instanceof UsageError) throw new InboundValueError('name', error.message);
    throw error;
  }
}

/**
 * A log entry as this user may read it: whether a value is on the exceptions list is itself
 * protected (exceptions.view), so without it an entry the list decided says only that it was
 * not saved. A declined call's reason says why it was declined first.
 */
function toCommunication(row: CommunicationRow, revealExceptions: boolean): Communication {
  const byTheList = row.status === 'blocked' || row.decision === 'blocked';
  const reason = byTheList && !revealExceptions ? withheldReason : row.reason;
  return {
    id: row.id,
    channel: row.channel as Channel,
    at: row.at,
    from: row.from_value,
    subject: row.subject,
    messageId: row.message_id,
    inReplyTo: row.in_reply_to,
    status: row.status as CommunicationStatus,
    itemId: row.item_id,
    reason: row.declined_reason === null ? reason : `${row.declined_reason}; ${reason}`,
  };
}
