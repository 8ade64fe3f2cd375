import { normaliseContactValue } from '../contact-details/detect.js';
import { normaliseEmail } from '../contact-details/email.js';
import { isCountryCode, normalisePhone } from '../contact-details/phone.js';
import type { Normalised } from '../contact-details/reasons.js';
import { UsageError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { commentProblem, splitEntry } from '../imports/entry.js';
import { type Listing, mapListing, mapRows } from '../listing.js';
import { nowIso, type Session } from '../session.js';
import { defaultCountry } from '../settings/service.js';
import { readWithoutMemoryMap } from '../store/store.js';
import {
  deleteExceptionByKey,
  deleteExceptionsByIds,
  deleteExceptionsMatching,
  type ExceptionFilter,
  type ExceptionRow,
  type ExceptionSource,
  type ExceptionType,
  insertException,
  pagedExceptions,
  selectExceptionByKey,
  selectExceptions,
  selectIdsMatching,
  selectValuesByIds,
} from './repo.js';

export type { ExceptionSource, ExceptionType } from './repo.js';

export const exceptionTypes: ExceptionType[] = ['phone', 'email'];
export const exceptionSources: ExceptionSource[] = [
  'manual',
  'import',
  'item',
  'rule',
  'telephony',
];

/** DESIGN §8a exception entry. */
export interface ExceptionEntry {
  id: number;
  type: ExceptionType;
  value: string;
  raw: string;
  comment: string;
  source: ExceptionSource;
  createdAt: string;
  createdBy: string;
  batchId: number | null;
}

export function toEntry(row: ExceptionRow): ExceptionEntry {
  return {
    id: row.id,
    type: row.type,
    value: row.value,
    raw: row.raw,
    comment: row.comment,
    source: row.source,
    createdAt: row.created_at,
    createdBy: row.created_by,
    batchId: row.operation_id,
  };
}

/** What a listed value stops (DESIGN §3), for `check` and `show`. */
export function blockedBy(type: ExceptionType): string {
  return type === 'email'
    ? 'new leads and deals from inbound emails from this address (the mail still arrives; replies to existing threads are still saved); chats and CRM forms are not affected'
    : 'new leads and deals from inbound calls from this number (the call still arrives); chats and CRM forms are not affected';
}

/**
 * The country to read national numbers with: the one given, else the default-country setting.
 * Commands check their flag first (parseCountry) and name it; this is the same check in the
 * domain's words.
 */
export function countryFor(session: Session, country: string | undefined): string | undefined {
  if (country !== undefined) {
    if (!isCountryCode(country))
      throw new UsageError(`"${country}" is not a known ISO country code such as GB or US`);
    return country.trim().toUpperCase();
  }
  return defaultCountry(session);
}

/** Normalises one value: an email when it has '@' (or `type` says so), else a phone number. */
export function normaliseExceptionValue(
  raw: string,
  country: string | undefined,
  type?: ExceptionType,
): Normalised {
  if (type === 'email') return normaliseEmail(raw);
  if (type === 'phone') return normalisePhone(raw, country);
  return normaliseContactValue(raw, country);
}

/** A default comment (for entries given without one) that breaks the comment rule: refused whole. */
function checkDefaultComment(comment: string | undefined): void {
  const problem = comment === undefined ? undefined : commentProblem(comment);
  if (problem) throw new UsageError(`the comment for values without one: ${problem}`);
}

export interface AddExceptionsOptions {
  /** `value` or `value;comment` each. */
  entries: string[];
  comment?: string;
  country?: string;
  source?: ExceptionSource;
}

export interface AddExceptionsResult {
  /** Null when nothing was added: the command then wrote nothing. */
  operationId: number | null;
  added: ExceptionEntry[];
  duplicates: { value: string; existing: ExceptionEntry }[];
  rejected: { raw: string; reason: string; message: string }[];
}

/** Adds values to the list; invalid ones are rejected with their reason, listed ones skipped. */
export function addExceptions(
  session: Session,
  options: AddExceptionsOptions,
): AddExceptionsResult {
  const country = countryFor(session, options.country);
  checkDefaultComment(options.comment);
  session.requireWrite();
  const operationId = session.operation();
  const result: AddExceptionsResult = {
    operationId: null,
    added: [],
    duplicates: [],
    rejected: [],
  };
  for (const text of options.entries) {
    const entry = splitEntry(text);
    const raw = entry.value.trim();
    const comment = entry.comment === '' ? (options.comment ?? '') : entry.comment;
    const problem = commentProblem(comment);
    const normalised = normaliseExceptionValue(raw, country);
    if (!normalised.ok) {
      result.rejected.push({ raw: text, reason: normalised.reason, message: normalised.message });
      continue;
    }
    if (problem) {
      result.rejected.push({ raw: text, reason: 'bad-comment', message: problem });
      continue;
    }
    const row = {
      type: normalised.kind,
      value: normalised.value,
      match_key: normalised.key,
      raw,
      comment,
      source: options.source ?? 'manual',
      created_at: nowIso(session),
      created_by: session.actor.login,
      operation_id: operationId,
      line: null,
    };
    if (insertException(session.db, row)) {
      const added = selectExceptionByKey(session.db, normalised.key);
      if (added) result.added.push(toEntry(added));
    } else {
      const existing = selectExceptionByKey(session.db, normalised.key);
      if (existing) result.duplicates.push({ value: raw, existing: toEntry(existing) });
    }
  }
  const counts = {
    added: result.added.length,
    duplicates: result.duplicates.length,
    rejected: result.rejected.length,
  };
  // The operation keeps counts; the values are in its history, which needs exceptions.view.
  session.summarise(counts);
  if (result.added.length > 0) {
    result.operationId = operationId;
    recordChange(session, {
      action: 'added',
      entity: { type: 'exceptions', id: operationId },
      changes: { ...counts, values: result.added.slice(0, 100).map((e) => e.value) },
    });
  }
  return result;
}

export interface ListExceptionsOptions {
  type?: ExceptionType;
  /** Substring of the stored value, or the same number/address in any spelling. */
  value?: string;
  comment?: string;
  source?: ExceptionSource;
  since?: Date;
  until?: Date;
  addedBy?: string;
  batch?: number;
  country?: string;
  limit?: number;
  offset?: number;
}

function toFilter(session: Session, options: ListExceptionsOptions): ExceptionFilter {
  const filter: ExceptionFilter = {
    type: options.type,
    commentContains: options.comment,
    source: options.source,
    since: options.since?.toISOString(),
    until: options.until?.toISOString(),
    addedBy: options.addedBy,
    operationId: options.batch,
    limit: options.limit,
    offset: options.offset,
  };
  if (options.value !== undefined) {
    const value = options.value.trim();
    filter.valueContains = value;
    const normalised = normaliseExceptionValue(value, countryFor(session, options.country));
    if (normalised.ok) filter.keys = [normalised.key];
  }
  return filter;
}

/** The entries matching a filter, read as they are printed (a list of millions stays small). */
export function listExceptions(
  session: Session,
  options: ListExceptionsOptions,
): Listing<ExceptionEntry> {
  return mapListing(pagedExceptions(session.db, toFilter(session, options)), toEntry);
}

/** The entries matching a filter, one at a time (for exports of any size). */
export function* exportExceptions(
  session: Session,
  options: ListExceptionsOptions,
): Generator<ExceptionEntry> {
  yield* mapRows(pagedExceptions(session.db, toFilter(session, options)).rows, toEntry);
}

export interface CheckResult {
  listed: boolean;
  value: string;
  type: ExceptionType;
  entry: ExceptionEntry | null;
  blocks: string | null;
}

/**
 * Is this value listed? International numbers are looked up as typed first, so that the
 * common case answers without loading the phone-number metadata.
 */
export function checkException(session: Session, raw: string, country?: string): CheckResult {
  const direct = directPhoneKey(raw);
  if (direct) {
    const row = selectExceptionByKey(session.db, direct);
    if (row)
      return {
        listed: true,
        value: row.value,
        type: row.type,
        entry: toEntry(row),
        blocks: blockedBy(row.type),
      };
  }
  const normalised = normaliseExceptionValue(raw, countryFor(session, country));
  if (!normalised.ok)
    throw new UsageError(`${JSON.stringify(raw)}: ${normalised.message} (${normalised.reason})`);
  const row = selectExceptionByKey(session.db, normalised.key);
  return {
    listed: row !== undefined,
    value: normalised.value,
    type: normalised.kind,
    entry: row ? toEntry(row) : null,
    blocks: row ? blockedBy(row.type) : null,
  };
}

/** Whether a normalised phone (E.164) or email key is on the list: the inbound channels ask this. */
export function isListed(session: Session, key: string): boolean {
  return selectExceptionByKey(session.db, key) !== undefined;
}

/**
 * `+44 20 7946 0958` → `+442079460958`: an international number in plain ASCII, formatting
 * stripped. Any stored key equal to it is its normal form, since stored keys are valid E.164.
 */
function directPhoneKey(raw: string): string | undefined {
  const stripped = raw.trim().replace(/[ ().-]/g, '');
  return /^\+[1-9]\d{5,14}$/.test(stripped) ? stripped : undefined;
}

/** A value to remove as given: an argument, or a line of a file (with its number). */
export interface ValueToRemove {
  text: string;
  line?: number;
}

/** A value that could not be removed because it is not a phone or email (or could not be read). */
export interface RejectedValue {
  raw: string;
  reason: string;
  message: string;
  line?: number;
}

export interface RemoveHooks {
  onRemoved?(entry: ExceptionEntry): void;
  onNotListed?(value: { key: string; raw: string; line?: number }): void;
  onRejected?(rejected: RejectedValue): void;
}

export interface RemoveValuesResult {
  /** The remove's operation when it removed something (the command reports null for a dry run). */
  operationId: number | null;
  removed: number;
  notListed: number;
  rejected: number;
}

/**
 * Removes values given in any spelling, a batch at a time (a file of a million values is never
 * held whole), each reported to the hooks as it goes. Each removed entry is kept whole under the
 * operation, so that undoing it puts the entry back as it was.
 */
export async function removeExceptionValues(
  session: Session,
  batches: AsyncIterable<readonly (ValueToRemove | RejectedValue)[]>,
  options: { country?: string } = {},
  hooks: RemoveHooks = {},
): Promise<RemoveValuesResult> {
  session.requireWrite();
  const country = countryFor(session, options.country);
  const { db } = session;
  // Touching the whole index through the memory map would count towards this process's memory.
  readWithoutMemoryMap(db);
  // Made on the first removal: a remove that finds nothing names no operation.
  const removalId = () => session.operation();
  const result: RemoveValuesResult = { operationId: null, removed: 0, notListed: 0, rejected: 0 };
  const values: string[] = [];
  for await (const batch of batches) {
    for (const given of batch) {
      if ('reason' in given) {
        result.rejected++;
        hooks.onRejected?.(given);
        continue;
      }
      const { text, line } = given;
      const raw = splitEntry(text).value.trim();
      const normalised = normaliseExceptionValue(raw, country);
      if (!normalised.ok) {
        result.rejected++;
        hooks.onRejected?.({
          raw: text,
          reason: normalised.reason,
          message: normalised.message,
          line,
        });
        continue;
      }
      const row = deleteExceptionByKey(db, removalId, normalised.key);
      if (!row) {
        result.notListed++;
        hooks.onNotListed?.({ key: normalised.key, raw, line });
        continue;
      }
      result.removed++;
      if (values.length < 100) values.push(row.value);
      hooks.onRemoved?.(toEntry(row));
    }
  }
  if (result.removed > 0) result.operationId = recordRemoval(session, result.removed, values);
  return result;
}

export interface RemoveResult {
  operationId: number | null;
  removed: number;
}

/** Removes every entry matching a filter (the caller asks first), each kept for undo. */
export function removeExceptionsMatching(
  session: Session,
  options: ListExceptionsOptions,
): RemoveResult {
  session.requireWrite();
  const filter = { ...toFilter(session, options), limit: undefined, offset: undefined };
  const values = valuesMatching(session, filter);
  if (values.length === 0) return { operationId: null, removed: 0 };
  const removed = deleteExceptionsMatching(session.db, session.operation(), filter);
  const operationId = removed > 0 ? recordRemoval(session, removed, values, filter) : null;
  return { operationId, removed };
}

/**
 * The ids of the entries a filter matches now, read without taking the write lock: what a
 * confirmation counts, and then — whatever the filter matches by then — what is removed.
 */
export function idsMatching(session: Session, options: ListExceptionsOptions): number[] {
  return selectIdsMatching(session.db, {
    ...toFilter(session, options),
    limit: undefined,
    offset: undefined,
  });
}

/** Removes exactly these entries (those still listed), each kept for undo. */
export function removeExceptionIds(
  session: Session,
  ids: readonly number[],
  options: ListExceptionsOptions,
): RemoveResult {
  session.requireWrite();
  const filter = { ...toFilter(session, options), limit: undefined, offset: undefined };
  const values = selectValuesByIds(session.db, ids.slice(0, 100));
  const removed = deleteExceptionsByIds(session.db, session.operation(), ids);
  const operationId = removed > 0 ? recordRemoval(session, removed, values, filter) : null;
  return { operationId, removed };
}

/** The first 100 values a filter matches: what a history entry keeps of a bulk removal. */
function valuesMatching(session: Session, filter: ExceptionFilter): string[] {
  return selectExceptions(session.db, { ...filter, limit: 100, offset: undefined }).map(
    (row) => row.value,
  );
}

function recordRemoval(
  session: Session,
  count: number,
  values: string[],
  filter?: ExceptionFilter,
): number {
  const operationId = session.operation();
  session.summarise({ removed: count });
  recordChange(session, {
    action: 'removed',
    entity: { type: 'exceptions', id: operationId },
    changes: { removed: count, values: values.slice(0, 100), ...(filter ? { filter } : {}) },
  });
  return operationId;
}
