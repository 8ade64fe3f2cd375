import { normalisePhone } from '../contact-details/phone.js';
import type { Normalised } from '../contact-details/reasons.js';
import { quote } from '../contact-details/text.js';
import { UsageError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { commentProblem, splitEntry } from '../imports/entry.js';
import { type Listing, mapListing, mapRows, type Paging } from '../listing.js';
import { nowIso, type Session } from '../session.js';
import { forgetSettingsRead, keptForThisWrite } from '../settings/kept.js';
import { defaultCountry } from '../settings/service.js';
import { getUser } from '../users/service.js';
import { type BlacklistSettings, defaultBlacklistSettings, inForce } from './decide.js';
import {
  type AllowedRow,
  type BlacklistFilter,
  type BlacklistRow,
  type BlacklistSource,
  deleteAllowed,
  deleteBlacklistEntry,
  deleteExpiredEntries,
  deleteTelephonySetting,
  insertAllowed,
  insertBlacklistEntry,
  isAllowedNumber,
  pagedAllowed,
  pagedBlacklist,
  selectBlacklistEntry,
  selectTelephonySettings,
  upsertTelephonySetting,
} from './repo.js';

export type { BlacklistSource } from './repo.js';
export const blacklistSources: BlacklistSource[] = ['manual', 'auto'];

/** DESIGN §8a blacklist entry (`raw` and `batchId` added). */
export interface BlacklistEntry {
  id: number;
  number: string;
  raw: string;
  comment: string;
  source: BlacklistSource;
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  batchId: number | null;
}

export function toBlacklistEntry(row: BlacklistRow): BlacklistEntry {
  return {
    id: row.id,
    number: row.number,
    raw: row.raw,
    comment: row.comment,
    source: row.source,
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    batchId: row.operation_id,
  };
}

/** The country for national numbers: the one given (checked by the command), else the setting. */
export function blacklistCountry(session: Session, country?: string): string | undefined {
  return country ?? defaultCountry(session);
}

/**
 * A number in any spelling, in E.164; anything else is rejected with its reason. An email is
 * `not-a-number`: the blacklist holds numbers only.
 */
export function readNumber(raw: string, country: string | undefined): Normalised {
  if (raw.includes('@') && raw.length < 1000) {
    return {
      ok: false,
      kind: 'phone',
      reason: 'not-a-number',
      message: `${quote(raw.trim())} is an email address, not a phone number: the blacklist holds numbers only`,
    };
  }
  return normalisePhone(raw, country);
}

/** A number the command was given; a UsageError saying why it is not one. */
export function requireNumber(session: Session, raw: string, country?: string): string {
  const read = readNumber(raw, blacklistCountry(session, country));
  if (!read.ok) throw new UsageError(`${quote(raw)}: ${read.message} (${read.reason})`);
  return read.key;
}

/**
 * `+44 20 7946 0958` → `+442079460958` without loading the phone metadata, for the lookups of
 * `check` (stored numbers are valid E.164, so a match proves it is one).
 */
function directKey(raw: string): string | undefined {
  const stripped = raw.trim().replace(/[ ().-]/g, '');
  return /^\+[1-9]\d{5,14}$/.test(stripped) ? stripped : undefined;
}

export interface AddToBlacklistOptions {
  /** `number` or `number;comment` each. */
  entries: string[];
  comment?: string;
  country?: string;
  /** When the entries stop applying; none: permanent. */
  expiresAt?: string;
}

export interface AddToBlacklistResult {
  operationId: number | null;
  added: BlacklistEntry[];
  duplicates: { raw: string; existing: BlacklistEntry }[];
  rejected: { raw: string; reason: string; message: string }[];
  /** Allow-listed numbers added anyway: a listed number is declined, allowed or not. */
  allowed: string[];
}

/** Adds numbers by hand (source `manual`); an expired entry of the same number is replaced. */
export function addToBlacklist(
  session: Session,
  options: AddToBlacklistOptions,
): AddToBlacklistResult {
  session.requireWrite();
  const country = blacklistCountry(session, options.country);
  const problem = options.comment === undefined ? undefined : commentProblem(options.comment);
  if (problem) throw new UsageError(`--comment: ${problem}`);
  const result: AddToBlacklistResult = {
    operationId: null,
    added: [],
    duplicates: [],
    rejected: [],
    allowed: [],
  };
  for (const text of options.entries) {
    const given = splitEntry(text);
    const comment = given.comment === '' ? (options.comment ?? '') : given.comment;
    const read = readNumber(given.value, country);
    const commentTrouble = commentProblem(comment);
    if (!read.ok || commentTrouble) {
      result.rejected.push({
        raw: text,
        reason: read.ok ? 'bad-comment' : read.reason,
        message: read.ok ? (commentTrouble ?? '') : read.message,
      });
      continue;
    }
    const entry = listNumber(session, {
      number: read.key,
      raw: given.value.trim(),
      comment,
      source: 'manual',
      expiresAt: options.expiresAt ?? null,
    });
    if (entry.added) {
      result.added.push(entry.entry);
      if (isAllowedNumber(session.db, read.key)) result.allowed.push(read.key);
    } else {
      result.duplicates.push({ raw: text, existing: entry.entry });
    }
  }
  const counts = {
    added: result.added.length,
    duplicates: result.duplicates.length,
    rejected: result.rejected.length,
  };
  if (result.added.length > 0) {
    result.operationId = session.operation();
    session.summarise(counts);
    recordChange(session, {
      action: 'added',
      entity: { type: 'blacklist', id: result.operationId },
      changes: {
        ...counts,
        expiresAt: options.expiresAt ?? null,
        numbers: result.added.slice(0, 100).map((e) => e.number),
      },
    });
  }
  return result;
}

/**
 * Puts one number on the list under the session's operation, replacing an expired entry of it
 * (taken off as the nightly expiry would). Returns the entry, and whether it is new.
 */
export function listNumber(
  session: Session,
  entry: {
    number: string;
    raw: string;
    comment: string;
    source: BlacklistSource;
    expiresAt: string | null;
    line?: number | null;
  },
): { added: boolean; entry: BlacklistEntry } {
  const { db } = session;
  const at = nowIso(session);
  const existing = selectBlacklistEntry(db, entry.number);
  if (existing && !inForce(toListed(existing), at)) {
    deleteBlacklistEntry(db, () => session.operation(), entry.number);
  } else if (existing) {
    return { added: false, entry: toBlacklistEntry(existing) };
  }
  insertBlacklistEntry(db, {
    number: entry.number,
    raw: entry.raw,
    comment: entry.comment,
    source: entry.source,
    created_at: at,
    created_by: session.actor.login,
    expires_at: entry.expiresAt,
    operation_id: session.operation(),
    line: entry.line ?? null,
  });
  const row = selectBlacklistEntry(db, entry.number);
  if (!row) throw new Error(`blacklist entry ${entry.number} was not saved`);
  return { added: true, entry: toBlacklistEntry(row) };
}

export function toListed(row: BlacklistRow) {
  return {
    source: row.source,
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
  };
}

export interface RemoveFromBlacklistResult {
  operationId: number | null;
  removed: BlacklistEntry[];
  notListed: string[];
  rejected: { raw: string; reason: string; message: string }[];
}

/** Takes numbers (any spelling) off the list; each kept so that `undo` puts it back. */
export function removeFromBlacklist(
  session: Session,
  values: string[],
  options: { country?: string } = {},
): RemoveFromBlacklistResult {
  session.requireWrite();
  const country = blacklistCountry(session, options.country);
  const result: RemoveFromBlacklistResult = {
    operationId: null,
    removed: [],
    notListed: [],
    rejected: [],
  };
  for (const raw of values) {
    const read = readNumber(splitEntry(raw).value, country);
    if (!read.ok) {
      result.rejected.push({ raw, reason: read.reason, message: read.message });
      continue;
    }
    const row = deleteBlacklistEntry(session.db, () => session.operation(), read.key);
    if (row) result.removed.push(toBlacklistEntry(row));
    else result.notListed.push(read.key);
  }
  if (result.removed.length > 0) {
    result.operationId = session.operation();
    session.summarise({ removed: result.removed.length });
    recordChange(session, {
      action: 'removed',
      entity: { type: 'blacklist', id: result.operationId },
      changes: {
        removed: result.removed.length,
        numbers: result.removed.slice(0, 100).map((e) => e.number),
      },
    });
  }
  return result;
}

export interface ListBlacklistOptions extends Paging {
  /** Text in the number, or the same number in any spelling. */
  number?: string;
  comment?: string;
  source?: BlacklistSource;
  since?: Date;
  until?: Date;
  addedBy?: string;
  country?: string;
}

function toFilter(session: Session, options: ListBlacklistOptions): BlacklistFilter {
  const filter: BlacklistFilter = {
    commentContains: options.comment,
    source: options.source,
    since: options.since?.toISOString(),
    until: options.until?.toISOString(),
    addedBy: options.addedBy,
    limit: options.limit,
    offset: options.offset,
  };
  if (options.number !== undefined) {
    filter.numberContains = options.number.trim();
    const read = readNumber(options.number, blacklistCountry(session, options.country));
    if (read.ok) filter.number = read.key;
  }
  return filter;
}

export function listBlacklist(
  session: Session,
  options: ListBlacklistOptions = {},
): Listing<BlacklistEntry> {
  return mapListing(pagedBlacklist(session.db, toFilter(session, options)), toBlacklistEntry);
}

export function* exportBlacklist(
  session: Session,
  options: ListBlacklistOptions = {},
): Generator<BlacklistEntry> {
  yield* mapRows(pagedBlacklist(session.db, toFilter(session, options)).rows, toBlacklistEntry);
}

export interface CheckBlacklistResult {
  listed: boolean;
  number: string;
  entry: BlacklistEntry | null;
  /** An entry whose expiry has passed: no longer declines, gone at the next cleanup. */
  expired: boolean;
  allowed: boolean;
}

/** Is this number listed, and in force now? A number in international format answers at once. */
export function checkBlacklist(
  session: Session,
  raw: string,
  country?: string,
): CheckBlacklistResult {
  const direct = directKey(raw);
  let row = direct === undefined ? undefined : selectBlacklistEntry(session.db, direct);
  const number = row?.number ?? requireNumber(session, raw, country);
  row ??= selectBlacklistEntry(session.db, number);
  const inForceNow = row !== undefined && inForce(toListed(row), nowIso(session));
  return {
    listed: inForceNow,
    number,
    entry: row ? toBlacklistEntry(row) : null,
    expired: row !== undefined && !inForceNow,
    allowed: isAllowedNumber(session.db, number),
  };
}

export interface ExpireResult {
  operationId: number | null;
  expired: number;
  numbers: string[];
}

/**
 * The nightly cleanup's task (DESIGN §6 `crmctl cleanup`): takes off the entries whose expiry has
 * passed, auto or manual alike, recorded in history (and kept, so `undo` of it puts them back).
 * Runs inside the caller's write.
 */
export function expireBlacklist(session: Session): ExpireResult {
  session.requireWrite('expiring blacklist entries');
  const rows = deleteExpiredEntries(session.db, () => session.operation(), nowIso(session));
  if (rows.length === 0) return { operationId: null, expired: 0, numbers: [] };
  const operationId = session.operation();
  const numbers = rows.map((row) => row.number);
  session.summarise({ blacklistExpired: rows.length });
  recordChange(session, {
    action: 'expired',
    entity: { type: 'blacklist', id: operationId },
    changes: {
      expired: rows.length,
      entries: rows
        .slice(0, 100)
        .map((row) => ({ number: row.number, source: row.source, expiresAt: row.expires_at })),
    },
  });
  return { operationId, expired: rows.length, numbers: numbers.slice(0, 100) };
}

// The allow-list.

export interface AllowedNumber {
  number: string;
  comment: string;
  createdAt: string;
  createdBy: string;
}

function toAllowed(row: AllowedRow): AllowedNumber {
  return {
    number: row.number,
    comment: row.comment,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/** Numbers never auto-blocked. Returns whether it was added (false: allowed already). */
export function allowNumber(
  session: Session,
  raw: string,
  options: { comment?: string; country?: string } = {},
): { number: string; added: boolean; listed: boolean } {
  session.requireWrite();
  const number = requireNumber(session, raw, options.country);
  const comment = options.comment ?? '';
  const problem = commentProblem(comment);
  if (problem) throw new UsageError(`--comment: ${problem}`);
  const added = insertAllowed(session.db, {
    number,
    comment,
    created_at: nowIso(session),
    created_by: session.actor.login,
  });
  if (added) {
    recordChange(session, {
      action: 'allowed',
      entity: { type: 'blacklist-allowed', id: 0 },
      changes: { number, comment },
    });
  }
  return { number, added, listed: checkBlacklist(session, number).listed };
}

export function disallowNumber(
  session: Session,
  raw: string,
  options: { country?: string } = {},
): { number: string; removed: boolean } {
  session.requireWrite();
  const number = requireNumber(session, raw, options.country);
  const removed = deleteAllowed(session.db, number);
  if (removed) {
    recordChange(session, {
      action: 'disallowed',
      entity: { type: 'blacklist-allowed', id: 0 },
      changes: { number },
    });
  }
  return { number, removed };
}

export function listAllowed(session: Session, paging: Paging = {}): Listing<AllowedNumber> {
  return mapListing(pagedAllowed(session.db, paging), toAllowed);
}

export function isAllowed(session: Session, number: string): boolean {
  return isAllowedNumber(session.db, number);
}

// Settings.

const settingKeys: Record<keyof BlacklistSettings, string> = {
  autoBlock: 'auto-block',
  calls: 'calls',
  minutes: 'minutes',
  notify: 'notify',
  banMinutes: 'ban-minutes',
  registerInCrm: 'register-in-crm',
};

/** The settings as stored, over the defaults (off, 5 calls, 5 minutes, permanent, not registered). */
export function blacklistSettings(session: Session): BlacklistSettings {
  const stored = keptForThisWrite(session, 'telephony', () => selectTelephonySettings(session.db));
  const text = (key: keyof BlacklistSettings) => stored.get(settingKeys[key]);
  const number = (key: 'calls' | 'minutes' | 'banMinutes') => {
    const value = text(key);
    return value === undefined ? undefined : Number(value);
  };
  return {
    autoBlock:
      text('autoBlock') === undefined
        ? defaultBlacklistSettings.autoBlock
        : text('autoBlock') === 'on',
    calls: number('calls') ?? defaultBlacklistSettings.calls,
    minutes: number('minutes') ?? defaultBlacklistSettings.minutes,
    notify: text('notify') ?? defaultBlacklistSettings.notify,
    banMinutes: number('banMinutes') ?? defaultBlacklistSettings.banMinutes,
    registerInCrm:
      text('registerInCrm') === undefined
        ? defaultBlacklistSettings.registerInCrm
        : text('registerInCrm') === 'on',
  };
}

/** Changes the settings given (`notify: null` / `banMinutes: null` restore the defaults). */
export function setBlacklistSettings(
  session: Session,
  changes: Partial<BlacklistSettings>,
): { settings: BlacklistSettings; changed: boolean } {
  session.requireWrite();
  for (const key of ['calls', 'minutes', 'banMinutes'] as const) {
    const value = changes[key];
    if (value !== undefined && value !== null && !(Number.isSafeInteger(value) && value >= 1)) {
      throw new UsageError(`--${settingKeys[key]} takes a whole number of 1 or more`);
    }
  }
  if (changes.notify) getUser(session, changes.notify);
  const before = blacklistSettings(session);
  const history: Record<string, { from: unknown; to: unknown }> = {};
  forgetSettingsRead(session);
  for (const [key, value] of Object.entries(changes) as [keyof BlacklistSettings, unknown][]) {
    if (value === undefined || before[key] === value) continue;
    history[settingKeys[key]] = { from: before[key], to: value };
    const stored = typeof value === 'boolean' ? (value ? 'on' : 'off') : value;
    if (stored === null || value === defaultBlacklistSettings[key]) {
      deleteTelephonySetting(session.db, settingKeys[key]);
    } else {
      upsertTelephonySetting(session.db, settingKeys[key], String(stored));
    }
  }
  const changed = Object.keys(history).length > 0;
  if (changed) {
    recordChange(session, {
      action: 'setting-changed',
      entity: { type: 'blacklist-settings', id: 0 },
      changes: history,
    });
  }
  return { settings: blacklistSettings(session), changed };
}
