import type { Listing, Paging } from '../listing.js';
import { afterOffset } from '../listing.js';
import { pagedRows } from '../store/pages.js';
import { given, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

export interface DocumentRow {
  id: number;
  name: string;
  body: string;
  item_id: number | null;
  rule_id: number | null;
  created_at: string;
  created_by: string;
  operation_id: number | null;
}

export function insertDocumentRow(db: Database, row: Omit<DocumentRow, 'id'>): number {
  return Number(
    statement(
      db,
      `INSERT INTO documents (name, body, item_id, rule_id, created_at, created_by, operation_id)
       VALUES (@name, @body, @item_id, @rule_id, @created_at, @created_by, @operation_id)`,
    ).run(row).lastInsertRowid,
  );
}

export function selectDocumentRow(db: Database, id: number): DocumentRow | undefined {
  return statement(db, 'SELECT * FROM documents WHERE id = ?').get(id) as DocumentRow | undefined;
}

/** A document without its body, with the body's length: what a list shows. */
export type DocumentHeadRow = Omit<DocumentRow, 'body'> & { size: number };

export function pagedDocuments(
  db: Database,
  filter: { itemId?: number },
  paging: Paging,
): Listing<DocumentHeadRow> {
  const where = whereOf([given(filter.itemId, 'item_id = @itemId')]);
  return {
    rows: pagedRows<DocumentHeadRow>(
      db,
      `SELECT id, name, length(body) AS size, item_id, rule_id, created_at, created_by, operation_id
       FROM documents ${where.clause} ORDER BY id`,
      where.params,
      paging,
    ),
    limited: paging.limit !== undefined,
    total: () =>
      afterOffset(
        db
          .prepare(`SELECT count(*) FROM documents ${where.clause}`)
          .pluck()
          .get(where.params) as number,
        paging.offset,
      ),
  };
}

export function deleteRowsOfItems(db: Database, itemIds: readonly number[]): number {
  return db
    .prepare('DELETE FROM documents WHERE item_id IN (SELECT value FROM json_each(?))')
    .run(JSON.stringify(itemIds)).changes;
}
