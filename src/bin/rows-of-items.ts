import { statement } from '../store/sql.js';
import type { Database } from '../store/store.js';
import type { BinContributor } from './contributor.js';

/** A row as SQLite gave it: column name → value. */
export type StoredRow = Record<string, string | number | null>;

export interface ItemRowsOptions {
  /** The key of its part of the snapshot: stable, it is stored. */
  name: string;
  /** The table whose rows point at items by `item_id` (no foreign key: they wait in the bin). */
  table: string;
  /** One row, for conflicts: "task". */
  noun: string;
  /** One row as `recycle-bin show` prints it. */
  describe: (row: StoredRow) => unknown;
}

const identifier = /^[a-z_]+$/;

/**
 * A bin contributor for a feature whose rows belong to an item (its tasks, outbox messages,
 * documents, notifications): deleting the item captures them whole and takes them off their
 * table, so that they leave every list with it; a restore puts them back with their ids (the
 * tables count ids with AUTOINCREMENT, so no later row took them); a purge or a permanent
 * delete leaves nothing behind.
 */
export function itemRowsContributor(options: ItemRowsOptions): BinContributor {
  const { table } = options;
  if (!identifier.test(table)) throw new Error(`not a table name: ${table}`);
  return {
    name: options.name,
    kinds: ['item'],

    capture(session, _kind, ids) {
      const byItem = new Map<number, StoredRow[]>();
      for (const row of rowsOfItems(session.db, table, ids)) {
        const itemId = Number(row.item_id);
        byItem.set(itemId, [...(byItem.get(itemId) ?? []), row]);
      }
      return byItem;
    },

    remove(session, _kind, ids) {
      deleteRowsOfItems(session.db, table, ids);
    },

    describe(captured) {
      return (captured as StoredRow[]).map(options.describe);
    },

    conflicts(session, _record, captured) {
      return (captured as StoredRow[])
        .filter((row) => rowExists(session.db, table, Number(row.id)))
        .map((row) => `${options.noun} ${row.id} exists already`);
    },

    restore(session, record, captured) {
      for (const row of captured as StoredRow[]) {
        insertRow(session.db, table, { ...row, item_id: record.id });
      }
      return [];
    },
  };
}

export function rowsOfItems(db: Database, table: string, ids: readonly number[]): StoredRow[] {
  // One item (the engine moves each deleted item's automation on its own): straight down the
  // table's item_id index, without a JSON array to build and read.
  if (ids.length === 1) {
    return statement(db, `SELECT * FROM ${table} WHERE item_id = ? ORDER BY id`).all(
      ids[0],
    ) as StoredRow[];
  }
  return statement(
    db,
    `SELECT * FROM ${table} WHERE item_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  ).all(JSON.stringify(ids)) as StoredRow[];
}

export function deleteRowsOfItems(db: Database, table: string, ids: readonly number[]): number {
  if (ids.length === 1) {
    return statement(db, `DELETE FROM ${table} WHERE item_id = ?`).run(ids[0]).changes;
  }
  return statement(
    db,
    `DELETE FROM ${table} WHERE item_id IN (SELECT value FROM json_each(?))`,
  ).run(JSON.stringify(ids)).changes;
}

export function rowExists(db: Database, table: string, id: number): boolean {
  return statement(db, `SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
}

/** Puts a captured row back as it was, id included (its columns are the table's own). */
export function insertRow(db: Database, table: string, row: StoredRow): void {
  const columns = Object.keys(row);
  const unknown = columns.find((column) => !identifier.test(column));
  if (unknown !== undefined) throw new Error(`not a column name: ${unknown}`);
  statement(
    db,
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
  ).run(row);
}
