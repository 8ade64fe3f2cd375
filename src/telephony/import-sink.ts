import type { Normalised } from '../contact-details/reasons.js';
import type { ImportSink } from '../imports/run.js';
import type { Session } from '../session.js';
import { readWithoutMemoryMap } from '../store/store.js';
import { blacklistCountry, readNumber, toBlacklistEntry } from './blacklist.js';
import {
  insertBlacklistEntry,
  recordBlacklistCommentChange,
  selectBlacklistEntry,
  updateBlacklistComment,
} from './repo.js';

type Read = Extract<Normalised, { ok: true }>;

export interface BlacklistImportOptions {
  country?: string;
  updateComments?: boolean;
  /** When the imported entries stop applying; none: permanent. */
  expiresAt?: string;
}

/**
 * The blacklist as the shared import machine (src/imports) fills it: each line's number in any
 * spelling, in E.164 (an email is rejected as `not-a-number`), added as `manual` under the import's
 * batch, or a duplicate, or — with `updateComments` — its comment replaced (recorded for undo).
 */
export function blacklistSink(
  session: Session,
  options: BlacklistImportOptions = {},
): ImportSink<Read> {
  const country = blacklistCountry(session, options.country);
  const { db } = session;
  readWithoutMemoryMap(db);
  return {
    list: 'blacklist',
    holds: 'a list of phone numbers',
    read: (entry) => readNumber(entry.value, country),
    write(read, entry, batch) {
      const added = insertBlacklistEntry(db, {
        number: read.key,
        raw: entry.value.trim(),
        comment: entry.comment,
        source: 'manual',
        created_at: batch.at,
        created_by: batch.actor,
        expires_at: options.expiresAt ?? null,
        operation_id: batch.id,
        line: entry.line,
      });
      if (added) return { outcome: 'added', value: read.key };
      const existing = selectBlacklistEntry(db, read.key);
      if (!existing) throw new Error(`blacklist entry ${read.key} vanished during the import`);
      const fromThisFile = existing.operation_id === batch.id;
      const replacesComment = entry.ownComment.trim() !== '' && existing.comment !== entry.comment;
      if (!fromThisFile && options.updateComments && replacesComment) {
        recordBlacklistCommentChange(db, batch.id, existing.id, existing.comment);
        updateBlacklistComment(db, existing.id, entry.comment);
        return { outcome: 'updated' };
      }
      const listed = toBlacklistEntry(existing);
      return {
        outcome: 'duplicate',
        message: fromThisFile
          ? `${read.key} is a duplicate of line ${existing.line} (${JSON.stringify(existing.raw)})`
          : `${read.key} is already listed (added ${listed.createdAt} by ${listed.createdBy})`,
      };
    },
  };
}
