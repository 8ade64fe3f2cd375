import type { Normalised } from '../contact-details/reasons.js';
import type { ImportSink } from '../imports/run.js';
import type { Session } from '../session.js';
import { readWithoutMemoryMap } from '../store/store.js';
import {
  insertException,
  recordCommentChange,
  selectExceptionByKey,
  updateExceptionComment,
} from './repo.js';
import { countryFor, type ExceptionType, normaliseExceptionValue } from './service.js';

export interface ExceptionsImportOptions {
  /** For national numbers; else the default-country setting. */
  country?: string;
  /** Overwrite the comment of entries already listed with a line's own, different one. */
  updateComments?: boolean;
}

type Read = Extract<Normalised, { ok: true }>;

/**
 * The exceptions list as an import fills it (src/imports): each value normalised (an email, else
 * a phone; a CSV `type` column may say which), added under the import's batch, or a duplicate
 * of an entry listed already or of an earlier line, or — with `updateComments` — its comment
 * replaced, recorded so that undoing the import puts the old one back.
 */
export function exceptionsSink(
  session: Session,
  options: ExceptionsImportOptions = {},
): ImportSink<Read> {
  const country = countryFor(session, options.country);
  const { db } = session;
  // An import touches the whole index: mapped pages would count towards its memory.
  readWithoutMemoryMap(db);
  return {
    list: 'exceptions',
    holds: 'a list of phones and emails',
    columns: ['type'],
    read(entry) {
      const type = entry.cells.type?.trim().toLowerCase() ?? '';
      if (type !== '' && type !== 'phone' && type !== 'email') {
        return {
          ok: false,
          reason: 'bad-row',
          message: `type is ${JSON.stringify(type)}: phone, email or empty`,
        };
      }
      return normaliseExceptionValue(
        entry.value,
        country,
        type === '' ? undefined : (type as ExceptionType),
      );
    },
    write(read, entry, batch) {
      const added = insertException(db, {
        type: read.kind,
        value: read.value,
        match_key: read.key,
        raw: entry.value.trim(),
        comment: entry.comment,
        source: 'import',
        created_at: batch.at,
        created_by: batch.actor,
        operation_id: batch.id,
        line: entry.line,
      });
      if (added) return { outcome: 'added', value: read.value };
      const existing = selectExceptionByKey(db, read.key);
      if (!existing) throw new Error(`exception ${read.key} vanished during the import`);
      const fromThisFile = existing.operation_id === batch.id;
      // Only a line's own comment replaces one: a blank one or the --comment default never does.
      const replacesComment = entry.ownComment.trim() !== '' && existing.comment !== entry.comment;
      if (!fromThisFile && options.updateComments && replacesComment) {
        recordCommentChange(db, batch.id, existing.id, existing.comment);
        updateExceptionComment(db, existing.id, entry.comment);
        return { outcome: 'updated' };
      }
      return {
        outcome: 'duplicate',
        message: fromThisFile
          ? `${read.value} is a duplicate of line ${existing.line} (${JSON.stringify(existing.raw)})`
          : `${read.value} is already listed (added ${existing.created_at} by ${existing.created_by})`,
      };
    },
  };
}
