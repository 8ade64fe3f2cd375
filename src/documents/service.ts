import { NotFoundError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { type Listing, mapListing, type Paging } from '../listing.js';
import { checkMessageText, ruleOfCause } from '../outbox/service.js';
import { nowIso, type Session } from '../session.js';
import { checkDisplayText } from '../text.js';
import {
  type DocumentHeadRow,
  type DocumentRow,
  deleteRowsOfItems,
  insertDocumentRow,
  pagedDocuments,
  selectDocumentRow,
} from './repo.js';

/** A document rendered from a template with an item's fields (`create-document`). */
export interface CrmDocument {
  id: number;
  name: string;
  body: string;
  itemId: number | null;
  ruleId: number | null;
  createdAt: string;
  createdBy: string;
}

/** A document as a list shows it: its body's length instead of the body. */
export type DocumentHead = Omit<CrmDocument, 'body'> & { size: number };

/** The longest body kept: a million characters. */
export const maxBodyLength = 1_000_000;

export interface AddDocumentOptions {
  name: string;
  /** The rendered text. */
  body: string;
  itemId?: number | null;
  ruleId?: number | null;
}

/** Stores a rendered document, inside the command's write; records it in history. */
export function addDocument(session: Session, options: AddDocumentOptions): CrmDocument {
  session.requireWrite('adding a document');
  const name = checkDisplayText(options.name, 'a document name', { min: 1, max: 200 });
  const body = checkMessageText(options.body, 'the document', maxBodyLength);
  const id = insertDocumentRow(session.db, {
    name,
    body,
    item_id: options.itemId ?? null,
    rule_id: options.ruleId ?? ruleOfCause(session),
    created_at: nowIso(session),
    created_by: session.actor.login,
    operation_id: session.keepsOperations ? session.operation() : null,
  });
  recordChange(session, {
    action: 'created',
    entity: { type: 'document', id },
    changes: { name, itemId: options.itemId ?? null, size: body.length },
  });
  return getDocument(session, id);
}

export function getDocument(session: Session, id: number): CrmDocument {
  const row = selectDocumentRow(session.db, id);
  if (!row) throw new NotFoundError(`no document with id ${id} (see crmctl document list)`);
  return { ...head(row), body: row.body };
}

export interface ListDocumentsOptions extends Paging {
  itemId?: number;
}

/** Documents in the order made, without their bodies, read as they are printed. */
export function listDocuments(
  session: Session,
  options: ListDocumentsOptions = {},
): Listing<DocumentHead> {
  return mapListing(pagedDocuments(session.db, { itemId: options.itemId }, options), (row) => ({
    ...head(row),
    size: row.size,
  }));
}

function head(row: DocumentRow | DocumentHeadRow): Omit<CrmDocument, 'body'> {
  return {
    id: row.id,
    name: row.name,
    itemId: row.item_id,
    ruleId: row.rule_id,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/**
 * Deletes the documents of items deleted for good (a purge of the recycle bin, a permanent
 * delete): while an item is in the bin they stay, and find it again when it is restored.
 */
export function deleteDocumentsOfItems(session: Session, itemIds: readonly number[]): number {
  session.requireWrite('deleting documents');
  const deleted = deleteRowsOfItems(session.db, itemIds);
  if (deleted > 0) session.changed();
  return deleted;
}
