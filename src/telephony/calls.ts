import { isWorkingTime } from '../calendar/working-time.js';
import { UsageError } from '../errors.js';
import type { OutsideEventName } from '../events.js';
import { recordChange } from '../history/service.js';
import {
  accepted,
  type Connection,
  type CrmDecision,
  crmPartOf,
  decideInbound,
  type InboundDecision,
} from '../inbound/decide.js';
import {
  type Communication,
  callerOf,
  gatherInboundFacts,
  receiveCallFrom,
} from '../inbound/service.js';
import { type Listing, mapListing, type Paging } from '../listing.js';
import { nowIso, type Session, systemLogin } from '../session.js';
import { workingTimeOf } from '../settings/working-time.js';
import { checkDisplayText } from '../text.js';
import { mayUse } from '../users/service.js';
import {
  type BlacklistEntry,
  blacklistSettings,
  isAllowed,
  listNumber,
  toBlacklistEntry,
  toListed,
} from './blacklist.js';
import {
  type BlacklistSettings,
  type CallDecision,
  type CallFacts,
  type CallStatus,
  counts,
  type DeclinedBy,
  decideCall,
  hungupByBlacklist,
  inForce,
  minuteMs,
} from './decide.js';
import { notifyOfAutoBlock } from './notify.js';
import {
  type CallLogRow,
  insertCall,
  pagedCalls,
  selectBlacklistEntry,
  selectCallsOf,
} from './repo.js';

/** `call incoming`'s flags. */
export interface IncomingCall {
  /** The caller's number, any spelling. */
  from: string;
  /** The line (our number) called. */
  to?: string;
  /** Seconds talked. */
  duration?: number;
  /** Nobody answered: fires `call-missed` instead of `call-incoming`. */
  missed?: boolean;
  country?: string;
}

/** One entry of the call log (`call log`). */
export interface CallLogEntry {
  id: number;
  at: string;
  from: string;
  line: string | null;
  duration: number | null;
  status: CallStatus;
  /** 200 answered, 304 missed, 423 declined (Hungup call by blacklist). */
  code: number;
  statusText: string;
  declinedBy: DeclinedBy | null;
  outsideWorkingTime: boolean;
  /** The item it was saved to; null: not saved (`crm` says why). */
  itemId: number | null;
  /** What the CRM made of it: saved, blocked, declined, not-saved. */
  crm: string | null;
  reason: string;
}

export interface CallResult {
  call: CallLogEntry;
  /** Step (a): rang, or declined by the blacklist or an auto-block, and why. */
  telephony: CallDecision;
  /** Step (b): what the CRM did (null: a declined call not registered). */
  crm: CrmDecision | null;
  communication: Communication;
  /** The entry an auto-block made. */
  blacklisted: BlacklistEntry | null;
  /** Who was told of the auto-block. */
  notified: string | null;
  /** Step (c): the event fired, and the items it was fired for. */
  event: { name: OutsideEventName; itemIds: number[] } | null;
}

const answered = { status: 'answered' as const, code: 200, text: 'Answered' };
const missed = { status: 'missed' as const, code: 304, text: 'Missed call' };

/**
 * What the store says about a call from `number` now: its blacklist entry, the allow-list, the
 * settings, working time, and its calls in the window. The facts `decideCall` decides on.
 */
export function gatherCallFacts(session: Session, number: string): CallFacts {
  const at = nowIso(session);
  const settings = blacklistSettings(session);
  const row = selectBlacklistEntry(session.db, number);
  const since = new Date(session.clock.now().getTime() - settings.minutes * minuteMs).toISOString();
  return {
    number,
    at,
    entry: row ? toListed(row) : null,
    allowed: isAllowed(session, number),
    workingTime: isWorkingTime(workingTimeOf(session), session.clock.now()),
    settings,
    recent: selectCallsOf(session.db, number, since, at).map((call) => ({
      at: call.at,
      outsideHours: call.outside_hours === 1,
      status: call.status,
      declinedBy: call.declined_by,
    })),
  };
}

/** How step (a)'s decision reaches inbound's: accepted, or declined and registered or not. */
export function connectionOf(decision: CallDecision, settings: BlacklistSettings): Connection {
  return decision.verdict === 'accepted'
    ? accepted
    : { status: 'declined', reason: decision.reason, register: settings.registerInCrm };
}

/**
 * `crmctl call incoming` (DESIGN §4), in the caller's unit of work: (a) the telephony decision
 * (an auto-block lists the number as `auto` and tells the --notify user), (b) inbound's decision
 * for a call that rang or a declined one registered in the CRM, (c) `call-incoming` or
 * `call-missed` for the caller's open items when the call rang and was saved to the CRM. The
 * call is logged whatever happened.
 */
export function receiveIncomingCall(session: Session, call: IncomingCall): CallResult {
  session.requireWrite();
  const line = call.to === undefined ? null : checkLine(call.to);
  if (call.duration !== undefined && !(Number.isSafeInteger(call.duration) && call.duration >= 0)) {
    throw new UsageError('--duration takes a whole number of seconds, 0 or more');
  }
  const sender = callerOf(session, call.from, call.country);
  const facts = gatherCallFacts(session, sender.key);
  const telephony = decideCall(facts);
  let blacklisted: BlacklistEntry | null = null;
  let notified: string | null = null;
  if (telephony.verdict === 'declined' && telephony.by === 'auto-block') {
    // The command's operation is the caller's (its user), though the system makes the entry.
    session.operation();
    const system = systemOf(session);
    blacklisted = autoBlock(system, facts, telephony);
    notified = notifyOfAutoBlock(system, facts.settings.notify, blacklisted, telephony.reason);
  }
  const inbound = receiveCallFrom(session, sender, connectionOf(telephony, facts.settings));
  const { communication } = inbound.result;
  const outcome =
    telephony.verdict === 'declined'
      ? { status: 'declined' as const, code: telephony.code, text: hungupByBlacklist }
      : call.missed
        ? missed
        : answered;
  const logged = {
    at: facts.at,
    number: sender.key,
    line,
    duration: call.duration ?? null,
    status: outcome.status,
    declined_by: telephony.verdict === 'declined' ? telephony.by : null,
    code: outcome.code,
    outside_hours: facts.workingTime ? 0 : 1,
    reason: telephony.reason,
    communication_id: communication.id,
  };
  const id = insertCall(session.db, logged);
  session.changed();
  const event = fireEvents(session, telephony, inbound, call, sender.key, line);
  // As `call log` reads it back; the communication's reason is withheld as its reader needs.
  const entry = toCallLogEntry({
    ...logged,
    id,
    item_id: communication.itemId,
    crm_status: communication.status,
    crm_reason: null,
    crm_decision: null,
  });
  entry.reason =
    telephony.verdict === 'declined'
      ? communication.reason
      : `${telephony.reason}; ${communication.reason}`;
  return {
    call: entry,
    telephony,
    crm: crmPartOf(inbound.decision),
    communication,
    blacklisted,
    notified,
    event,
  };
}

/** The line called: printable text of up to 100 characters. */
function checkLine(line: string): string {
  return checkDisplayText(line, '--to', { min: 1, max: 100 });
}

/** The call's unit of work, acted on by the system: an auto-block is no person's doing. */
function systemOf(session: Session): Session {
  return session.as({
    login: systemLogin,
    cause: { kind: 'system', id: null },
    command: session.actor.command,
  });
}

/** Lists the number as `auto` (by the system, under the call's operation), with its expiry. */
function autoBlock(
  system: Session,
  facts: CallFacts,
  decision: Extract<CallDecision, { by: 'auto-block' }>,
): BlacklistEntry {
  const { settings } = facts;
  const { entry } = listNumber(system, {
    number: facts.number,
    raw: facts.number,
    comment: `auto-blocked: ${decision.window.total} calls within ${settings.minutes} min outside working time`,
    source: 'auto',
    expiresAt: decision.expiresAt,
  });
  recordChange(system, {
    action: 'added',
    entity: { type: 'blacklist', id: system.operation() },
    changes: {
      added: 1,
      source: 'auto',
      numbers: [facts.number],
      calls: [...decision.window.counted, facts.at],
      expiresAt: decision.expiresAt,
      notify: settings.notify,
    },
  });
  return entry;
}

/** Step (c): the items a call that rang and was saved to the CRM tells of it. */
function fireEvents(
  session: Session,
  telephony: CallDecision,
  inbound: ReturnType<typeof receiveCallFrom>,
  call: IncomingCall,
  number: string,
  line: string | null,
): CallResult['event'] {
  if (telephony.verdict !== 'accepted') return null;
  const { decision, facts, result } = inbound;
  const itemIds =
    decision.action === 'attach'
      ? facts.openItems.map((item) => item.id)
      : decision.action === 'create-lead' && result.item
        ? [result.item.id]
        : [];
  const name: OutsideEventName = call.missed ? 'call-missed' : 'call-incoming';
  const params: Record<string, string> = { from: number };
  if (line !== null) params.line = line;
  if (call.duration !== undefined) params.duration = String(call.duration);
  for (const itemId of itemIds) {
    session.emit({ type: 'outside-event', event: name, itemId, params });
  }
  return { name, itemIds };
}

export function toCallLogEntry(row: CallLogRow, revealExceptions = true): CallLogEntry {
  const status = row.status;
  const byTheList = row.crm_status === 'blocked' || row.crm_decision === 'blocked';
  const crmReason =
    row.crm_reason === null
      ? null
      : byTheList && !revealExceptions
        ? 'not saved to the CRM'
        : row.crm_reason;
  return {
    id: row.id,
    at: row.at,
    from: row.number,
    line: row.line,
    duration: row.duration,
    status,
    code: row.code,
    statusText:
      status === 'declined' ? hungupByBlacklist : status === 'missed' ? missed.text : answered.text,
    declinedBy: row.declined_by,
    outsideWorkingTime: row.outside_hours === 1,
    itemId: row.item_id,
    crm: row.crm_status,
    reason: crmReason === null ? row.reason : `${row.reason}; ${crmReason}`,
  };
}

export interface ListCallsOptions extends Paging {
  from?: string;
  country?: string;
  status?: CallStatus;
  since?: Date;
  until?: Date;
}

/** The call log in time order, streamed. */
export function listCalls(session: Session, options: ListCallsOptions = {}): Listing<CallLogEntry> {
  const number =
    options.from === undefined ? undefined : callerOf(session, options.from, options.country).key;
  const reveal = mayUse(session, 'exceptions.view');
  return mapListing(
    pagedCalls(session.db, {
      number,
      status: options.status,
      since: options.since?.toISOString(),
      until: options.until?.toISOString(),
      limit: options.limit,
      offset: options.offset,
    }),
    (row) => toCallLogEntry(row, reveal),
  );
}

/** One earlier call as `explain` shows it: whether it counts towards an auto-block, and why not. */
export interface ExplainedCall {
  at: string;
  status: CallStatus;
  declinedBy: DeclinedBy | null;
  outsideWorkingTime: boolean;
  counted: boolean;
  why: string;
}

export interface Explanation {
  number: string;
  at: string;
  listed: boolean;
  entry: BlacklistEntry | null;
  expired: boolean;
  allowed: boolean;
  workingTime: boolean;
  settings: BlacklistSettings;
  /** The window counted (auto-block on): from when, the calls in it, with the next call. */
  window: { since: string; calls: ExplainedCall[]; total: number; threshold: number } | null;
  /** What a call at `at` would get: step (a), then step (b). */
  next: { telephony: CallDecision; crm: InboundDecision };
}

/**
 * `blacklist explain`: the facts `call incoming` would gather now and the decisions it would
 * take on them, with the same functions (decideCall, decideInbound); nothing is written.
 */
export function explainCall(session: Session, raw: string, country?: string): Explanation {
  const sender = callerOf(session, raw, country);
  const facts = gatherCallFacts(session, sender.key);
  const telephony = decideCall(facts);
  const inbound = gatherInboundFacts(session, 'call', sender, {
    connection: connectionOf(telephony, facts.settings),
  });
  const row = selectBlacklistEntry(session.db, sender.key);
  const window =
    telephony.verdict === 'declined' && telephony.by === 'auto-block'
      ? telephony.window
      : telephony.verdict === 'accepted'
        ? telephony.window
        : null;
  const since = window?.since;
  return {
    number: sender.key,
    at: facts.at,
    listed: row !== undefined && inForce(toListed(row), facts.at),
    entry: row ? toBlacklistEntry(row) : null,
    expired: row !== undefined && !inForce(toListed(row), facts.at),
    allowed: facts.allowed,
    workingTime: facts.workingTime,
    settings: facts.settings,
    window:
      window && since !== undefined
        ? {
            since,
            calls: facts.recent.map((call) => explainEarlier(call, since)),
            total: window.total,
            threshold: window.threshold,
          }
        : null,
    next: { telephony, crm: decideInbound(inbound) },
  };
}

function explainEarlier(call: CallFacts['recent'][number], since: string): ExplainedCall {
  const shown = {
    at: call.at,
    status: call.status,
    declinedBy: call.declinedBy,
    outsideWorkingTime: call.outsideHours,
  };
  if (call.at < since)
    return { ...shown, counted: false, why: 'before the count restarted after an auto-block' };
  if (call.status === 'declined')
    return { ...shown, counted: false, why: 'declined: it never rang' };
  if (!call.outsideHours) return { ...shown, counted: false, why: 'in working time' };
  return { ...shown, counted: counts(call), why: 'outside working time, in the window' };
}
