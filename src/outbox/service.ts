import { NotFoundError, UsageError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { type Listing, mapListing, type Paging } from '../listing.js';
import { nowIso, type Session } from '../session.js';
import { checkDisplayText } from '../text.js';
import {
  deleteRowsOfItems,
  insertOutboxRow,
  type OutboxRow,
  pagedOutbox,
  selectOutboxRow,
} from './repo.js';

export const channels = ['sms', 'email'] as const;
export type Channel = (typeof channels)[number];

/**
 * A message the automation queued for a customer (DESIGN §2: side effects go to the store,
 * never to the outside world): `crmctl outbox list` shows what would have been sent.
 */
export interface OutboxMessage {
  id: number;
  channel: Channel;
  to: string;
  subject: string | null;
  text: string;
  itemId: number | null;
  ruleId: number | null;
  createdAt: string;
  createdBy: string;
}

/** The longest texts kept: ten SMS segments; an email body of 100,000 characters. */
export const maxTextLength: Record<Channel, number> = { sms: 1600, email: 100_000 };

export interface QueueMessageOptions {
  channel: Channel;
  /** An E.164 phone for `sms`, an address for `email`. */
  to: string;
  /** Email only. */
  subject?: string;
  text: string;
  itemId?: number | null;
  /** The rule that queued it; default the session's cause when that is a rule. */
  ruleId?: number | null;
}

/** Queues one message in the outbox, inside the command's write; records it in history. */
export function queueMessage(session: Session, options: QueueMessageOptions): OutboxMessage {
  session.requireWrite('queueing a message');
  const { channel } = options;
  if (!channels.includes(channel)) throw new UsageError(`no channel "${channel}": sms or email`);
  const to = checkDisplayText(options.to, 'a recipient', { min: 1, max: 320 });
  const subject =
    channel === 'email'
      ? checkDisplayText(options.subject ?? '', 'a subject', { min: 0, max: 998 })
      : null;
  const text = checkMessageText(options.text, `the ${channel} text`, maxTextLength[channel]);
  const ruleId = options.ruleId ?? ruleOfCause(session);
  const row = {
    channel,
    recipient: to,
    subject,
    text,
    item_id: options.itemId ?? null,
    rule_id: ruleId,
    created_at: nowIso(session),
    created_by: session.actor.login,
    operation_id: session.keepsOperations ? session.operation() : null,
  };
  const id = insertOutboxRow(session.db, row);
  recordChange(session, {
    action: 'queued',
    entity: { type: 'outbox', id },
    changes: { channel, to, itemId: options.itemId ?? null },
  });
  // The message as stored, without reading it back.
  return toMessage({ ...row, id });
}

export function getMessage(session: Session, id: number): OutboxMessage {
  const row = selectOutboxRow(session.db, id);
  if (!row) throw new NotFoundError(`no outbox message with id ${id} (see crmctl outbox list)`);
  return toMessage(row);
}

export interface ListMessagesOptions extends Paging {
  itemId?: number;
  channel?: Channel;
  since?: Date;
}

/** Messages in the order queued, read as they are printed. */
export function listMessages(
  session: Session,
  options: ListMessagesOptions = {},
): Listing<OutboxMessage> {
  return mapListing(
    pagedOutbox(
      session.db,
      { itemId: options.itemId, channel: options.channel, since: options.since?.toISOString() },
      options,
    ),
    toMessage,
  );
}

function toMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    channel: row.channel,
    to: row.recipient,
    subject: row.subject,
    text: row.text,
    itemId: row.item_id,
    ruleId: row.rule_id,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/**
 * A text of several lines (a message, a document, a notice): 1 to `max` characters with at
 * least one visible one, and no control characters other than tabs and line breaks.
 */
export function checkMessageText(text: string, what: string, max: number): string {
  if (text.length > max) {
    throw new UsageError(
      `${what} is ${text.length.toLocaleString('en')} characters long: at most ${max.toLocaleString('en')}`,
    );
  }
  if (text.trim() === '') throw new UsageError(`${what} is empty`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is refused
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text)?.[0];
  if (control !== undefined) {
    const code = (control.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw new UsageError(`${what} holds a control character (U+${code})`);
  }
  return text;
}

/** The rule the session acts for, when a rule is its cause. */
export function ruleOfCause(session: Session): number | null {
  const { cause } = session.actor;
  return cause.kind === 'rule' ? cause.id : null;
}

/**
 * Deletes the outbox messages of items deleted for good (a purge of the recycle bin, a permanent
 * delete): while an item is in the bin they stay, and find it again when it is restored.
 */
export function deleteMessagesOfItems(session: Session, itemIds: readonly number[]): number {
  session.requireWrite('deleting outbox messages');
  const deleted = deleteRowsOfItems(session.db, itemIds);
  if (deleted > 0) session.changed();
  return deleted;
}
