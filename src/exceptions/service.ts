import { normaliseContactValue } from '../contact-details/detect.js';
import { normaliseEmail } from '../contact-details/email.js';
import { isCountryCode, normalisePhone } from '../contact-details/phone.js';
import type { Normalised } from '../contact-details/reasons.js';
import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { afterOffset, type Listing, mapRows } from '../listing.js';
import {
  finishOperation,
  getOperation,
  markOperationUndone,
  startOperation,
} from '../operations/service.js';
import { nowIso, type Session } from '../session.js';
import { defaultCountry } from '../settings/service.js';
import {
  countExceptionsMatching,
  deleteExceptionsByKey,
  deleteExceptionsMatching,
  type ExceptionFilter,
  type ExceptionRow,
  type ExceptionSource,
  type ExceptionType,
  insertException,
  iterateExceptions,
  restoreCommentsOf,
  selectExceptionByKey,
  selectExceptions,
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

/** The country to read national numbers with: --country, else the default-country setting. */
export function countryFor(session: Session, country: string | undefined): string | undefined {
  if (country !== undefined) {
    if (!isCountryCode(country))
      throw new UsageError(
        `--country "${country}" is not a known ISO country code such as GB or US`,
      );
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

/** Comments are one line of printable text (tabs allowed), at most 2,000 characters. */
export function commentProblem(comment: string): string | undefined {
  if (comment.length > 2000)
    return `the comment is ${comment.length} characters long: at most 2,000`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(comment)) {
    return 'the comment holds a control character or line break: only printable text and tabs';
  }
  return undefined;
}

export interface AddExceptionsOptions {
  /** `value` or `value;comment` each. */
  entries: string[];
  comment?: string;
  country?: string;
  source?: ExceptionSource;
}

export interface AddExceptionsResult {
  operationId: number;
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
  return session.store.write(() => {
    const operationId = startOperation(session, 'exceptions-add');
    const result: AddExceptionsResult = { operationId, added: [], duplicates: [], rejected: [] };
    for (const text of options.entries) {
      const semi = text.indexOf(';');
      const raw = (semi === -1 ? text : text.slice(0, semi)).trim();
      const given = semi === -1 ? '' : text.slice(semi + 1);
      const comment = given === '' ? (options.comment ?? '') : given;
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
      if (insertException(session.store.db, row)) {
        const added = selectExceptionByKey(session.store.db, normalised.key);
        if (added) result.added.push(toEntry(added));
      } else {
        const existing = selectExceptionByKey(session.store.db, normalised.key);
        if (existing) result.duplicates.push({ value: raw, existing: toEntry(existing) });
      }
    }
    const summary = {
      added: result.added.length,
      duplicates: result.duplicates.length,
      rejected: result.rejected.length,
      values: result.added.slice(0, 100).map((e) => e.value),
    };
    finishOperation(session, operationId, summary);
    if (result.added.length > 0) {
      recordChange(session, {
        action: 'added',
        entity: { type: 'exceptions', id: operationId },
        changes: summary,
      });
    }
    return result;
  });
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
  const filter = toFilter(session, options);
  return {
    rows: mapRows(iterateExceptions(session.store.db, filter), toEntry),
    limited: options.limit !== undefined,
    total: () =>
      afterOffset(
        countExceptionsMatching(session.store.db, {
          ...filter,
          limit: undefined,
          offset: undefined,
        }),
        options.offset,
      ),
  };
}

/** The entries matching a filter, one at a time (for exports of any size). */
export function* exportExceptions(
  session: Session,
  options: ListExceptionsOptions,
): Generator<ExceptionEntry> {
  for (const row of iterateExceptions(session.store.db, toFilter(session, options)))
    yield toEntry(row);
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
    const row = selectExceptionByKey(session.store.db, direct);
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
  const row = selectExceptionByKey(session.store.db, normalised.key);
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
  return selectExceptionByKey(session.store.db, key) !== undefined;
}

/**
 * `+44 20 7946 0958` → `+442079460958`: an international number in plain ASCII, formatting
 * stripped. Any stored key equal to it is its normal form, since stored keys are valid E.164.
 */
function directPhoneKey(raw: string): string | undefined {
  const stripped = raw.trim().replace(/[ ().-]/g, '');
  return /^\+[1-9]\d{5,14}$/.test(stripped) ? stripped : undefined;
}

export interface RemoveExceptionsResult {
  operationId: number | null;
  dryRun: boolean;
  removed: ExceptionEntry[];
  notListed: string[];
  rejected: { raw: string; reason: string; message: string }[];
}

/** Removes values given in any spelling. */
export function removeExceptions(
  session: Session,
  values: string[],
  options: { country?: string; dryRun?: boolean } = {},
): RemoveExceptionsResult {
  const country = countryFor(session, options.country);
  const dryRun = options.dryRun === true;
  return session.store.write(
    () => {
      const result: RemoveExceptionsResult = {
        operationId: null,
        dryRun,
        removed: [],
        notListed: [],
        rejected: [],
      };
      const keys: string[] = [];
      for (const text of values) {
        const semi = text.indexOf(';');
        const raw = (semi === -1 ? text : text.slice(0, semi)).trim();
        const normalised = normaliseExceptionValue(raw, country);
        if (normalised.ok) keys.push(normalised.key);
        else
          result.rejected.push({
            raw: text,
            reason: normalised.reason,
            message: normalised.message,
          });
      }
      const removed = deleteExceptionsByKey(session.store.db, keys);
      result.removed = removed.map(toEntry);
      const removedKeys = new Set(removed.map((r) => r.match_key));
      result.notListed = [...new Set(keys.filter((k) => !removedKeys.has(k)))];
      if (removed.length > 0)
        result.operationId = recordRemoval(
          session,
          removed.length,
          removed.map((r) => r.value),
        );
      return result;
    },
    { dryRun },
  );
}

/** Removes every entry matching a filter (at least one filter is required). */
export function removeExceptionsMatching(
  session: Session,
  options: ListExceptionsOptions & { dryRun?: boolean },
): { operationId: number | null; dryRun: boolean; removed: number } {
  const filter = { ...toFilter(session, options), limit: undefined, offset: undefined };
  const dryRun = options.dryRun === true;
  return session.store.write(
    () => {
      const values = valuesMatching(session, filter);
      const removed = deleteExceptionsMatching(session.store.db, filter);
      const operationId = removed > 0 ? recordRemoval(session, removed, values, filter) : null;
      return { operationId, dryRun, removed };
    },
    { dryRun },
  );
}

export function countExceptions(session: Session, options: ListExceptionsOptions): number {
  return countExceptionsMatching(session.store.db, {
    ...toFilter(session, options),
    limit: undefined,
    offset: undefined,
  });
}

/** The first 100 values a filter matches: what a history entry keeps of a bulk removal. */
function valuesMatching(session: Session, filter: ExceptionFilter): string[] {
  return selectExceptions(session.store.db, { ...filter, limit: 100, offset: undefined }).map(
    (row) => row.value,
  );
}

function recordRemoval(
  session: Session,
  count: number,
  values: string[],
  filter?: ExceptionFilter,
): number {
  const operationId = startOperation(session, 'exceptions-remove');
  const summary = { removed: count, values: values.slice(0, 100), ...(filter ? { filter } : {}) };
  finishOperation(session, operationId, summary);
  recordChange(session, {
    action: 'removed',
    entity: { type: 'exceptions', id: operationId },
    changes: summary,
  });
  return operationId;
}

export interface UndoImportResult {
  batchId: number;
  removed: number;
  commentsRestored: number;
}

/** Removes exactly what an import added (and puts back comments it overwrote). */
export function undoImport(session: Session, batchId: number): UndoImportResult {
  return session.store.write(() => {
    const operation = getOperation(session, batchId);
    if (operation.kind !== 'exceptions-import') {
      throw new NotFoundError(`${batchId} is not an import batch (see crmctl exceptions batches)`);
    }
    if (operation.undoneAt)
      throw new ConflictError(`import ${batchId} was already undone at ${operation.undoneAt}`);
    const added: ExceptionFilter = { operationId: batchId, source: 'import' };
    const values = valuesMatching(session, added);
    const removed = deleteExceptionsMatching(session.store.db, added);
    const commentsRestored = restoreCommentsOf(session.store.db, batchId);
    markOperationUndone(session, batchId);
    const result = { batchId, removed, commentsRestored };
    recordChange(session, {
      action: 'import-undone',
      entity: { type: 'exceptions', id: batchId },
      changes: { ...result, values },
    });
    return result;
  });
}
