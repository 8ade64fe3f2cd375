import type { Paging } from '../listing.js';
import { pagedRows } from '../store/pages.js';
import { given, likePattern, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

export interface ItemRow {
  id: number;
  type: string;
  pipeline_id: number;
  pipeline_name: string;
  stage_id: number;
  stage_name: string;
  stage_semantic: string;
  title: string;
  amount: number | null;
  currency: string | null;
  responsible_id: number | null;
  responsible_login: string | null;
  contact_id: number | null;
  company_id: number | null;
  source: string;
  fields: string;
  created_at: string;
  updated_at: string;
}

/** An item as inserted: its columns without the id and the names joined in. */
export type NewItemRow = Omit<
  ItemRow,
  'id' | 'pipeline_name' | 'stage_name' | 'stage_semantic' | 'responsible_login'
>;

const itemSelect = `
  SELECT i.*, p.name AS pipeline_name, s.name AS stage_name, s.semantic AS stage_semantic,
    u.login AS responsible_login
  FROM items i
  JOIN pipelines p ON p.id = i.pipeline_id
  JOIN stages s ON s.id = i.stage_id
  LEFT JOIN users u ON u.id = i.responsible_id`;

export function insertItem(db: Database, item: NewItemRow): number {
  const result = statement(
    db,
    `INSERT INTO items (type, pipeline_id, stage_id, title, amount, currency, responsible_id,
         contact_id, company_id, source, fields, created_at, updated_at)
       VALUES (@type, @pipeline_id, @stage_id, @title, @amount, @currency, @responsible_id,
         @contact_id, @company_id, @source, @fields, @created_at, @updated_at)`,
  ).run(item);
  return Number(result.lastInsertRowid);
}

export function selectItem(db: Database, id: number): ItemRow | undefined {
  return statement(db, `${itemSelect} WHERE i.id = ?`).get(id) as ItemRow | undefined;
}

export interface ItemFilter extends Paging {
  ids?: number[];
  type?: string;
  pipelineId?: number;
  stageId?: number;
  responsibleId?: number;
  titleContains?: string;
  /** Items whose own phones/emails, or whose contact's or company's, include the key. */
  holders?: { itemIds: number[]; contactIds: number[]; companyIds: number[] };
}

function itemWhere(filter: ItemFilter) {
  const { holders } = filter;
  return whereOf([
    given(filter.ids && JSON.stringify(filter.ids), 'i.id IN (SELECT value FROM json_each(@ids))'),
    given(filter.type, 'i.type = @type'),
    given(filter.pipelineId, 'i.pipeline_id = @pipelineId'),
    given(filter.stageId, 'i.stage_id = @stageId'),
    given(filter.responsibleId, 'i.responsible_id = @responsibleId'),
    given(
      filter.titleContains === undefined ? undefined : likePattern(filter.titleContains),
      `i.title LIKE @title ESCAPE '\\'`,
    ),
    holders && [
      `(i.id IN (SELECT value FROM json_each(@holderItems))
      OR i.contact_id IN (SELECT value FROM json_each(@holderContacts))
      OR i.company_id IN (SELECT value FROM json_each(@holderCompanies)))`,
      {
        holderItems: JSON.stringify(holders.itemIds),
        holderContacts: JSON.stringify(holders.contactIds),
        holderCompanies: JSON.stringify(holders.companyIds),
      },
    ],
  ]);
}

/**
 * The items in a process stage holding a phone or email (their own, their contact's or their
 * company's), the latest changed first: each way in through its own index.
 */
export function selectOpenItemsHolding(
  db: Database,
  kind: 'phone' | 'email',
  key: string,
): { id: number; type: string }[] {
  return statement(
    db,
    `SELECT i.id, i.type FROM items i JOIN stages s ON s.id = i.stage_id
     WHERE s.semantic = 'process' AND i.id IN (
       SELECT p.owner_id FROM contact_points p
         WHERE p.match_key = @key AND p.kind = @kind AND p.owner_type = 'item'
       UNION ALL
       SELECT h.id FROM contact_points p JOIN items h ON h.contact_id = p.owner_id
         WHERE p.match_key = @key AND p.kind = @kind AND p.owner_type = 'contact'
       UNION ALL
       SELECT h.id FROM contact_points p JOIN items h ON h.company_id = p.owner_id
         WHERE p.match_key = @key AND p.kind = @kind AND p.owner_type = 'company')
     ORDER BY i.updated_at DESC, i.id DESC`,
  ).all({ kind, key }) as { id: number; type: string }[];
}

export function selectItems(db: Database, filter: ItemFilter): ItemRow[] {
  return Array.from(iterateItems(db, filter));
}

/** The items matching a filter in id order, read lazily: lists of any length stay small. */
export function* iterateItems(db: Database, filter: ItemFilter): Generator<ItemRow> {
  const { clause, params } = itemWhere(filter);
  yield* pagedRows<ItemRow>(db, `${itemSelect} ${clause} ORDER BY i.id`, params, filter);
}

/** How many items match a filter, its limit and offset aside. */
export function countItems(db: Database, filter: ItemFilter): number {
  const { clause, params } = itemWhere(filter);
  return db.prepare(`SELECT count(*) FROM items i ${clause}`).pluck().get(params) as number;
}

export function updateItemColumns(
  db: Database,
  id: number,
  columns: Partial<Omit<NewItemRow, 'created_at' | 'type'>>,
): void {
  const names = Object.keys(columns);
  if (names.length === 0) return;
  const assignments = names.map((name) => `${name} = @${name}`).join(', ');
  statement(db, `UPDATE items SET ${assignments} WHERE id = @id`).run({ ...columns, id });
  writes.set(db, itemWrites(db) + 1);
}

const writes = new WeakMap<Database, number>();

/**
 * How many times items were changed through this connection: a reader that kept an item can
 * tell it is still as read (the automation engine, running several rules of one item).
 */
export function itemWrites(db: Database): number {
  return writes.get(db) ?? 0;
}

export function countItemsByStage(db: Database, pipelineId: number): Map<number, number> {
  const rows = statement(
    db,
    'SELECT stage_id, count(*) AS n FROM items WHERE pipeline_id = ? GROUP BY stage_id',
  ).all(pipelineId) as { stage_id: number; n: number }[];
  return new Map(rows.map((row) => [row.stage_id, row.n]));
}

export function selectItemIdsInStage(db: Database, stageId: number): number[] {
  return statement(db, 'SELECT id FROM items WHERE stage_id = ? ORDER BY id')
    .pluck()
    .all(stageId) as number[];
}

/** An item's own columns as stored, with the names a restore falls back by. */
export interface StoredItemRow extends NewItemRow {
  id: number;
  pipeline_name: string | null;
  stage_name: string | null;
  stage_semantic: string | null;
  responsible_login: string | null;
}

/** Items as stored (for the recycle bin's snapshot), those of `ids` that exist, in id order. */
export function selectStoredItems(db: Database, ids: readonly number[]): StoredItemRow[] {
  return statement(
    db,
    `SELECT i.*, p.name AS pipeline_name, s.name AS stage_name, s.semantic AS stage_semantic,
       u.login AS responsible_login
     FROM items i
     LEFT JOIN pipelines p ON p.id = i.pipeline_id
     LEFT JOIN stages s ON s.id = i.stage_id
     LEFT JOIN users u ON u.id = i.responsible_id
     WHERE i.id IN (SELECT value FROM json_each(?)) ORDER BY i.id`,
  ).all(JSON.stringify(ids)) as StoredItemRow[];
}

export function deleteItemRows(db: Database, ids: readonly number[]): number {
  // An item kept by a reader (the engine, between the rules of a chain) is gone now.
  writes.set(db, itemWrites(db) + 1);
  return statement(db, 'DELETE FROM items WHERE id IN (SELECT value FROM json_each(?))').run(
    JSON.stringify(ids),
  ).changes;
}

/** Puts an item back under its own id (the recycle bin's restore). */
export function insertItemWithId(db: Database, item: NewItemRow & { id: number }): void {
  statement(
    db,
    `INSERT INTO items (id, type, pipeline_id, stage_id, title, amount, currency, responsible_id,
       contact_id, company_id, source, fields, created_at, updated_at)
     VALUES (@id, @type, @pipeline_id, @stage_id, @title, @amount, @currency, @responsible_id,
       @contact_id, @company_id, @source, @fields, @created_at, @updated_at)`,
  ).run(item);
}

export function itemExists(db: Database, id: number): boolean {
  return statement(db, 'SELECT 1 FROM items WHERE id = ?').get(id) !== undefined;
}

/** The ids of the items linked to these contacts (or companies), in id order. */
export function selectItemIdsLinkedTo(
  db: Database,
  end: 'contact' | 'company',
  ids: readonly number[],
): { id: number; linkedId: number }[] {
  return statement(
    db,
    `SELECT id, ${end}_id AS linkedId FROM items
     WHERE ${end}_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  ).all(JSON.stringify(ids)) as { id: number; linkedId: number }[];
}

/** Cuts the links of these items to a contact (or company). */
export function unlinkItems(
  db: Database,
  end: 'contact' | 'company',
  ids: readonly number[],
): void {
  statement(
    db,
    `UPDATE items SET ${end}_id = NULL WHERE id IN (SELECT value FROM json_each(?))`,
  ).run(JSON.stringify(ids));
}

/** Re-links an item to a contact (or company) when it has none now; returns whether it did. */
export function relinkItem(
  db: Database,
  end: 'contact' | 'company',
  itemId: number,
  linkedId: number,
): boolean {
  return (
    statement(db, `UPDATE items SET ${end}_id = ? WHERE id = ? AND ${end}_id IS NULL`).run(
      linkedId,
      itemId,
    ).changes === 1
  );
}

/** How many items other than `exceptId` link to this contact (or company). */
export function countOtherItemsLinkedTo(
  db: Database,
  end: 'contact' | 'company',
  id: number,
  exceptId: number,
): number {
  return statement(db, `SELECT count(*) FROM items WHERE ${end}_id = ? AND id != ?`)
    .pluck()
    .get(id, exceptId) as number;
}
