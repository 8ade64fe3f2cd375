import type { Listing, Paging } from '../listing.js';
import { pagedListing } from '../store/pages.js';
import { given, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

export interface TaskRow {
  id: number;
  title: string;
  assignee: string | null;
  deadline: string | null;
  item_id: number;
  stage_id: number | null;
  rule_id: number | null;
  status: 'open' | 'done';
  created_at: string;
  created_by: string;
  completed_at: string | null;
  completed_by: string | null;
  operation_id: number | null;
}

export function insertTaskRow(
  db: Database,
  row: Omit<TaskRow, 'id' | 'status' | 'completed_at' | 'completed_by'>,
): number {
  return Number(
    statement(
      db,
      `INSERT INTO tasks (title, assignee, deadline, item_id, stage_id, rule_id, status, created_at, created_by, operation_id)
       VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
    ).run(
      row.title,
      row.assignee,
      row.deadline,
      row.item_id,
      row.stage_id,
      row.rule_id,
      row.created_at,
      row.created_by,
      row.operation_id,
    ).lastInsertRowid,
  );
}

export function selectTaskRow(db: Database, id: number): TaskRow | undefined {
  return statement(db, 'SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
}

/** Marks an open task done; false when it was not open. */
export function markTaskDone(db: Database, id: number, at: string, by: string): boolean {
  return (
    statement(
      db,
      `UPDATE tasks SET status = 'done', completed_at = ?, completed_by = ? WHERE id = ? AND status = 'open'`,
    ).run(at, by, id).changes === 1
  );
}

export function selectOpenTaskIds(db: Database, itemId: number, stageId: number): number[] {
  return statement(
    db,
    `SELECT id FROM tasks WHERE item_id = ? AND stage_id = ? AND status = 'open' ORDER BY id`,
  )
    .pluck()
    .all(itemId, stageId) as number[];
}

export interface TaskFilter {
  itemId?: number;
  assignee?: string;
  status?: string;
}

export function pagedTasks(db: Database, filter: TaskFilter, paging: Paging): Listing<TaskRow> {
  const where = whereOf([
    given(filter.itemId, 'item_id = @itemId'),
    given(filter.assignee, 'assignee = @assignee COLLATE NOCASE'),
    given(filter.status, 'status = @status'),
  ]);
  return pagedListing<TaskRow>(db, { table: 'tasks', where, orderBy: 'id' }, paging);
}

export function deleteRowsOfItems(db: Database, itemIds: readonly number[]): number {
  return db
    .prepare('DELETE FROM tasks WHERE item_id IN (SELECT value FROM json_each(?))')
    .run(JSON.stringify(itemIds)).changes;
}
