import { normaliseEmail } from '../contact-details/email.js';
import { normalisePhone } from '../contact-details/phone.js';
import type { Normalised } from '../contact-details/reasons.js';
import { UsageError } from '../errors.js';
import { isListed } from '../exceptions/service.js';
import { addItem, type Item, openItemsWithContactValue } from '../items/service.js';
import { afterOffset, type Listing, mapRows } from '../listing.js';
import { nowIso, type Session } from '../session.js';
import { defaultCountry } from '../settings/service.js';
import { checkDisplayText } from '../text.js';
import { mayUse } from '../users/service.js';
import {
  type CommunicationRow,
  countCommunications,
  insertCommunication,
  iterateCommunications,
  selectCommunication,
  selectThreadItem,
} from './repo.js';

export type Channel = 'email' | 'call' | 'chat' | 'form';

/** Should an inbound communication create or touch a CRM record? The one place that decides. */
export type InboundDecision =
  | { action: 'attach-to-thread'; itemId: number; reason: string }
  | { action: 'blocked'; reason: string }
  | { action: 'attach'; itemId: number; reason: string }
  | { action: 'create-lead'; reason: string };

export interface InboundSender {
  kind: 'phone' | 'email';
  key: string;
  value: string;
}

/**
 * DESIGN §3 and §5: a reply to a saved email thread is saved to its item; otherwise a new email
 * or call from a value on the exceptions list is not saved to the CRM at all; chats and forms are
 * never affected by the list. Anything saved attaches to the sender's open item, or starts a lead.
 */
export function decideInbound(
  session: Session,
  channel: Channel,
  sender: InboundSender | undefined,
  inReplyTo?: string,
): InboundDecision {
  if (channel === 'email' && inReplyTo) {
    const itemId = selectThreadItem(session.db, inReplyTo);
    if (itemId !== undefined) {
      return {
        action: 'attach-to-thread',
        itemId,
        reason: `reply to message ${inReplyTo}, saved to its item`,
      };
    }
  }
  if (sender && (channel === 'email' || channel === 'call') && isListed(session, sender.key)) {
    return {
      action: 'blocked',
      reason: `${sender.value} is on the exceptions list: not saved to the CRM`,
    };
  }
  if (sender && channel !== 'form') {
    const [open] = openItemsWithContactValue(session, sender.kind, sender.key);
    if (open)
      return {
        action: 'attach',
        itemId: open.id,
        reason: `${sender.value} belongs to open ${open.type} #${open.id}`,
      };
  }
  return {
    action: 'create-lead',
    reason: sender ? `no open item holds ${sender.value}` : 'a new enquiry',
  };
}

/** DESIGN §8a-style communication log entry. */
export interface Communication {
  id: number;
  channel: Channel;
  at: string;
  from: string;
  subject: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  status: 'saved' | 'blocked';
  itemId: number | null;
  reason: string;
}

export interface InboundResult {
  communication: Communication;
  decision: InboundDecision['action'];
  item: Item | null;
}

export interface EmailIncoming {
  from: string;
  subject: string;
  messageId?: string;
  inReplyTo?: string;
}

export function receiveEmail(session: Session, email: EmailIncoming): InboundResult {
  const sender = parseSender(normaliseEmail(email.from), '--from');
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
    '--from',
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
  const name = checkDisplayText(form.name, 'the --name of a form', { min: 1, max: 200 });
  const country = form.country ?? defaultCountry(session);
  const phone =
    form.phone === undefined
      ? undefined
      : parseSender(normalisePhone(form.phone, country), '--phone');
  const email =
    form.email === undefined ? undefined : parseSender(normaliseEmail(form.email), '--email');
  return receive(session, 'form', phone ?? email, {
    subject: name,
    lead: {
      title: `Form: ${name}`,
      phones: phone ? [phone.value] : [],
      emails: email ? [email.value] : [],
    },
  });
}

export const communicationStatuses = ['saved', 'blocked'] as const;

/** The communication log of a channel, read as it is printed. */
export function listCommunications(
  session: Session,
  options: { channel?: Channel; status?: string; since?: Date; limit?: number; offset?: number },
): Listing<Communication> {
  const { db } = session;
  const reveal = mayUse(session, 'exceptions.view');
  const filter = {
    channel: options.channel,
    status: options.status,
    since: options.since?.toISOString(),
  };
  return {
    rows: mapRows(
      iterateCommunications(db, { ...filter, limit: options.limit, offset: options.offset }),
      (row) => toCommunication(row, reveal),
    ),
    limited: options.limit !== undefined,
    total: () => afterOffset(countCommunications(db, filter), options.offset),
  };
}

/** What a user without exceptions.view reads as the reason a communication was not saved. */
export const withheldReason = 'not saved to the CRM';

interface ReceiveDetails {
  subject: string | null;
  messageId?: string;
  inReplyTo?: string;
  lead: { title: string; phones?: string[]; emails?: string[] };
}

function receive(
  session: Session,
  channel: Channel,
  sender: InboundSender | undefined,
  details: ReceiveDetails,
) {
  session.requireWrite();
  const decision = decideInbound(session, channel, sender, details.inReplyTo);
  let item: Item | null = null;
  if (decision.action === 'create-lead') {
    item = addItem(session, { type: 'lead', source: channel, ...details.lead });
  }
  const itemId = item?.id ?? ('itemId' in decision ? decision.itemId : null);
  const id = insertCommunication(session.db, {
    channel,
    at: nowIso(session),
    from_value: sender?.value ?? '',
    from_key: sender?.key ?? null,
    subject: details.subject,
    message_id: details.messageId ?? null,
    in_reply_to: details.inReplyTo ?? null,
    status: decision.action === 'blocked' ? 'blocked' : 'saved',
    item_id: itemId,
    reason: decision.reason,
  });
  const row = selectCommunication(session.db, id);
  if (!row) throw new Error(`communication ${id} was not saved`);
  const communication = toCommunication(row, mayUse(session, 'exceptions.view'));
  return { communication, decision: decision.action, item };
}

function parseAnyContact(raw: string, country: string | undefined): Normalised {
  return raw.includes('@') ? normaliseEmail(raw) : normalisePhone(raw, country);
}

function parseSender(normalised: Normalised, flag: string): InboundSender {
  if (!normalised.ok) throw new UsageError(`${flag}: ${normalised.message} (${normalised.reason})`);
  return { kind: normalised.kind, key: normalised.key, value: normalised.value };
}

/**
 * A log entry as this user may read it: whether a value is on the exceptions list is itself
 * protected (exceptions.view), so without it a blocked entry says only that it was not saved.
 */
function toCommunication(row: CommunicationRow, revealExceptions: boolean): Communication {
  const blocked = row.status === 'blocked';
  return {
    id: row.id,
    channel: row.channel as Channel,
    at: row.at,
    from: row.from_value,
    subject: row.subject,
    messageId: row.message_id,
    inReplyTo: row.in_reply_to,
    status: row.status as 'saved' | 'blocked',
    itemId: row.item_id,
    reason: blocked && !revealExceptions ? withheldReason : row.reason,
  };
}
