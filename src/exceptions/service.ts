import { normaliseContactValue } from '../contact-details/detect.js';
import { normaliseEmail } from '../contact-details/email.js';
import { isCountryCode, normalisePhone } from '../contact-details/phone.js';
import type { Normalised } from '../contact-details/reasons.js';
import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { afterOffset, type Listing, mapRows } from '../listing.js';
import { getOperation, markOperationUndone } from '../operations/service.js';
import { nowIso, type Session } from '../session.js';
import { defaultCountry } from '../settings/service.js';
import {
  commentChangesOf,
  countExceptionsMatching,
  deleteExceptionByKey,
  deleteExceptionsByIds,
  deleteExceptionsMatching,
  type ExceptionFilter,
  type ExceptionRow,
  type ExceptionSource,
  type ExceptionType,
  forgetCommentChangesOf,
  insertException,
  iterateExceptions,
  laterCommentChangesOfAdded,
  nextCommentChange,
  readWithoutMemoryMap,
  selectExceptionByKey,
  selectExceptions,
  selectIdsMatching,
  selectValuesByIds,
  setCommentChangeOld,
  updateExceptionComment,
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

export const maxCommentLength = 2000;

/**
 * Comments are kept byte for byte, whatever people typed — line breaks, tabs, escape
 * sequences (shown escaped on a terminal) — except NUL, which text files and SQLite tools
 * cannot carry, and up to 2,000 characters.
 */
export function commentProblem(comment: string): string | undefined {
  if (comment.length > maxCommentLength)
    return `the comment is ${comment.length} characters long: at most 2,000`;
  if (comment.includes('\u0000')) return 'the comment holds a NUL character: remove it';
  return undefined;
}

/** A --comment default is checked once, before anything is read: one usage error, not one per line. */
export function checkDefaultComment(comment: string | undefined): void {
  const problem = comment === undefined ? undefined : commentProblem(comment);
  if (problem) throw new UsageError(`--comment: ${problem}`);
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
    if (insertException(session.db, row)) {
      const added = selectExceptionByKey(session.db, normalised.key);
      if (added) result.added.push(toEntry(added));
    } else {
      const existing = selectExceptionByKey(session.db, normalised.key);
      if (existing) result.duplicates.push({ value: raw, existing: toEntry(existing) });
    }
  }
  const summary = {
    added: result.added.length,
    duplicates: result.duplicates.length,
    rejected: result.rejected.length,
    values: result.added.slice(0, 100).map((e) => e.value),
  };
  session.summarise(summary);
  if (result.added.length > 0) {
    result.operationId = operationId;
    recordChange(session, {
      action: 'added',
      entity: { type: 'exceptions', id: operationId },
      changes: summary,
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
  const filter = toFilter(session, options);
  return {
    rows: mapRows(iterateExceptions(session.db, filter), toEntry),
    limited: options.limit !== undefined,
    total: () =>
      afterOffset(
        countExceptionsMatching(session.db, {
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
  for (const row of iterateExceptions(session.db, toFilter(session, options))) yield toEntry(row);
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
  operationId: number | null;
  dryRun: boolean;
  removed: number;
  notListed: number;
  rejected: number;
}

/**
 * Removes values given in any spelling, in one write transaction, a batch at a time: a file of
 * a million values is never held whole, and each value is reported to the hooks as it goes.
 */
export async function removeExceptionValues(
  session: Session,
  batches: AsyncIterable<readonly (ValueToRemove | RejectedValue)[]>,
  options: { country?: string; dryRun?: boolean } = {},
  hooks: RemoveHooks = {},
): Promise<RemoveValuesResult> {
  const country = countryFor(session, options.country);
  const dryRun = options.dryRun === true;
  const { db } = session;
  // Touching the whole index through the memory map would count towards this process's memory.
  readWithoutMemoryMap(db);
  return session.writeAsync(
    async () => {
      const result: RemoveValuesResult = {
        operationId: null,
        dryRun,
        removed: 0,
        notListed: 0,
        rejected: 0,
      };
      const values: string[] = [];
      for await (const batch of batches) {
        for (const given of batch) {
          if ('reason' in given) {
            result.rejected++;
            hooks.onRejected?.(given);
            continue;
          }
          const { text, line } = given;
          const semi = text.indexOf(';');
          const raw = (semi === -1 ? text : text.slice(0, semi)).trim();
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
          const row = deleteExceptionByKey(db, normalised.key);
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
      // A dry run keeps nothing: no operation id (DESIGN §8a).
      if (result.removed > 0 && !dryRun)
        result.operationId = recordRemoval(session, result.removed, values);
      return result;
    },
    { dryRun },
  );
}

/** Removes every entry matching a filter, in one write transaction (the caller asks first). */
export function removeExceptionsMatching(
  session: Session,
  options: ListExceptionsOptions & { dryRun?: boolean },
): { operationId: number | null; dryRun: boolean; removed: number } {
  const filter = { ...toFilter(session, options), limit: undefined, offset: undefined };
  const dryRun = options.dryRun === true;
  return session.write(
    () => {
      const values = valuesMatching(session, filter);
      const removed = deleteExceptionsMatching(session.db, filter);
      const operationId =
        removed > 0 && !dryRun ? recordRemoval(session, removed, values, filter) : null;
      return { operationId, dryRun, removed };
    },
    { dryRun },
  );
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

/** Removes exactly these entries (those still listed), in one write transaction. */
export function removeExceptionIds(
  session: Session,
  ids: readonly number[],
  options: ListExceptionsOptions,
): { operationId: number | null; dryRun: false; removed: number } {
  const filter = { ...toFilter(session, options), limit: undefined, offset: undefined };
  session.requireWrite();
  const values = selectValuesByIds(session.db, ids.slice(0, 100));
  const removed = deleteExceptionsByIds(session.db, ids);
  const operationId = removed > 0 ? recordRemoval(session, removed, values, filter) : null;
  return { operationId, dryRun: false, removed };
}

export function countExceptions(session: Session, options: ListExceptionsOptions): number {
  return countExceptionsMatching(session.db, {
    ...toFilter(session, options),
    limit: undefined,
    offset: undefined,
  });
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
  const summary = { removed: count, values: values.slice(0, 100), ...(filter ? { filter } : {}) };
  session.summarise(summary);
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
  /** Comments a later import changed since: left as they are (undoing that one puts back the older). */
  commentsKept: number;
  /** Up to 10 of them, with the import that changed each. */
  keptExamples: { value: string; batchId: number }[];
}

/**
 * Removes exactly what an import added and puts back the comments it overwrote — unless a
 * later import changed a comment since: then that later comment stays, and undoing the later
 * import will put back what was there before both. Entries this import added whose comment a
 * later import changed are its work too: refused (exit 5, naming that import) unless `force`.
 */
export function undoImport(
  session: Session,
  batchId: number,
  options: { force?: boolean } = {},
): UndoImportResult {
  session.requireWrite();
  const { db } = session;
  const operation = getOperation(session, batchId);
  if (operation.kind !== 'exceptions-import') {
    throw new NotFoundError(`${batchId} is not an import batch (see crmctl exceptions batches)`);
  }
  if (operation.undoneAt)
    throw new ConflictError(`import ${batchId} was already undone at ${operation.undoneAt}`);
  const dependents = laterCommentChangesOfAdded(db, batchId);
  if (dependents.length > 0 && !options.force) {
    const later = [...new Set(dependents.map((d) => d.operationId))];
    const shown = dependents.slice(0, 3).map((d) => d.value);
    throw new ConflictError(
      `later ${later.length === 1 ? 'import' : 'imports'} ${later.join(', ')} changed the comments of ${dependents.length} ${dependents.length === 1 ? 'entry' : 'entries'} import ${batchId} added (${shown.join(', ')}${dependents.length > shown.length ? ', …' : ''}): undo ${later.length === 1 ? 'it' : 'them'} first, or add --force to remove those entries anyway`,
    );
  }
  const added: ExceptionFilter = { operationId: batchId, source: 'import' };
  const values = valuesMatching(session, added);
  const removed = deleteExceptionsMatching(db, added);
  let commentsRestored = 0;
  const kept: { value: string; batchId: number }[] = [];
  let commentsKept = 0;
  for (const change of commentChangesOf(db, batchId)) {
    const later = nextCommentChange(db, change.exceptionId, batchId);
    if (later === undefined) {
      updateExceptionComment(db, change.exceptionId, change.oldComment);
      commentsRestored++;
    } else {
      // The later import now overwrote what was there before this one.
      setCommentChangeOld(db, later, change.exceptionId, change.oldComment);
      commentsKept++;
      if (kept.length < 10) kept.push({ value: change.value, batchId: later });
    }
  }
  forgetCommentChangesOf(db, batchId);
  markOperationUndone(session, batchId);
  const result = { batchId, removed, commentsRestored, commentsKept, keptExamples: kept };
  recordChange(session, {
    action: 'import-undone',
    entity: { type: 'exceptions', id: batchId },
    changes: { batchId, removed, commentsRestored, commentsKept, values },
  });
  return result;
}
