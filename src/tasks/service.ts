import { type Clock, latestDueMs, parseDuration, parseInstant } from '../clock.js';
import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { getItem, type Item } from '../items/service.js';
import { type Listing, mapListing, type Paging } from '../listing.js';
import { ruleOfCause } from '../outbox/service.js';
import { nowIso, type Session } from '../session.js';
import { checkDisplayText } from '../text.js';
import { getUser } from '../users/service.js';
import {
  deleteRowsOfItems,
  insertTaskRow,
  markTaskDone,
  pagedTasks,
  selectOpenTaskIds,
  selectTaskRow,
  type TaskRow,
} from './repo.js';

export const taskStatuses = ['open', 'done'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** A task for an employee about an item (`create-task`, `task add`). */
export interface Task {
  id: number;
  title: string;
  assignee: string | null;
  deadline: string | null;
  itemId: number;
  /** The stage the item was in when the task was made: `complete-tasks` ends those. */
  stageId: number | null;
  ruleId: number | null;
  status: TaskStatus;
  createdAt: string;
  createdBy: string;
  completedAt: string | null;
  completedBy: string | null;
}

export interface AddTaskOptions {
  itemId: number;
  title: string;
  /** A login; undefined: the item's responsible; null: nobody. */
  assignee?: string | null;
  deadline?: Date | null;
  /** The rule that made it; default the session's cause when that is a rule. */
  ruleId?: number | null;
  /**
   * The item as the caller has just read it (a rule's action has it): not read again. It must be
   * current (nothing changed since it was read); left out, the item is read here.
   */
  item?: Pick<Item, 'id' | 'responsible' | 'stage'>;
}

/** Adds an open task to an item, at the item's current stage; records it in history. */
export function addTask(session: Session, options: AddTaskOptions): Task {
  session.requireWrite('adding a task');
  const title = checkDisplayText(options.title, 'a task title', { min: 1, max: 500 });
  const item =
    options.item?.id === options.itemId ? options.item : getItem(session, options.itemId);
  const assignee =
    options.assignee === undefined
      ? item.responsible
      : options.assignee === null
        ? null
        : getUser(session, options.assignee).login;
  const row = {
    title,
    assignee,
    deadline: options.deadline?.toISOString() ?? null,
    item_id: item.id,
    stage_id: item.stage.id,
    rule_id: options.ruleId ?? ruleOfCause(session),
    created_at: nowIso(session),
    created_by: session.actor.login,
    operation_id: session.keepsOperations ? session.operation() : null,
  };
  const id = insertTaskRow(session.db, row);
  recordChange(session, {
    action: 'created',
    entity: { type: 'task', id },
    changes: { title, assignee, itemId: item.id, stage: item.stage.name },
  });
  // The task as stored (a new one is open), without reading it back.
  return toTask({ ...row, id, status: 'open', completed_at: null, completed_by: null });
}

/**
 * Ends an open task and fires `task-completed` for its item, which triggers react to once the
 * command's work is done. A task already done is a conflict (exit 5).
 */
export function completeTask(session: Session, id: number): Task {
  session.requireWrite('completing a task');
  const task = getTask(session, id);
  if (!markTaskDone(session.db, id, nowIso(session), session.actor.login)) {
    throw new ConflictError(
      `task ${id} was completed already (at ${task.completedAt} by ${task.completedBy})`,
    );
  }
  recordChange(session, {
    action: 'completed',
    entity: { type: 'task', id },
    changes: { itemId: task.itemId },
  });
  session.emit({
    type: 'outside-event',
    event: 'task-completed',
    itemId: task.itemId,
    params: { taskId: String(id) },
  });
  return getTask(session, id);
}

/** Ends the open tasks `itemId` got at `stageId` (`complete-tasks`), each as `completeTask` does. */
export function completeOpenTasks(session: Session, itemId: number, stageId: number): Task[] {
  session.requireWrite('completing tasks');
  return selectOpenTaskIds(session.db, itemId, stageId).map((id) => completeTask(session, id));
}

export function getTask(session: Session, id: number): Task {
  const row = selectTaskRow(session.db, id);
  if (!row) throw new NotFoundError(`no task with id ${id} (see crmctl task list)`);
  return toTask(row);
}

export interface ListTasksOptions extends Paging {
  itemId?: number;
  assignee?: string;
  status?: TaskStatus;
}

/** Tasks in the order made, read as they are printed. */
export function listTasks(session: Session, options: ListTasksOptions = {}): Listing<Task> {
  return mapListing(
    pagedTasks(
      session.db,
      { itemId: options.itemId, assignee: options.assignee, status: options.status },
      options,
    ),
    toTask,
  );
}

/**
 * A deadline as typed: a duration from now (`1d`, `4h30m`) or an ISO-8601 time. A duration
 * into the past (`-1d`) is refused; a time in the past is taken as given (an overdue task).
 */
export function parseDeadline(text: string, what: string, clock: Clock): Date {
  if (/^\s*[+-]?(\d+[smhdw])+\s*$/.test(text)) {
    const ms = parseDuration(text, what);
    if (ms <= 0)
      throw new UsageError(`${what} takes a duration from now such as 1d, not "${text}"`);
    const at = clock.now().getTime() + ms;
    if (at > latestDueMs)
      throw new UsageError(`${what} ${text} falls after 9999-12-31: too far in the future`);
    return new Date(at);
  }
  try {
    return parseInstant(text, what);
  } catch {
    throw new UsageError(
      `${what} takes a duration from now (1d, 4h30m) or an ISO-8601 time, not "${text}"`,
    );
  }
}

function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    assignee: row.assignee,
    deadline: row.deadline,
    itemId: row.item_id,
    stageId: row.stage_id,
    ruleId: row.rule_id,
    status: row.status,
    createdAt: row.created_at,
    createdBy: row.created_by,
    completedAt: row.completed_at,
    completedBy: row.completed_by,
  };
}

/**
 * Deletes the tasks of items deleted for good (a purge of the recycle bin, a permanent
 * delete): while an item is in the bin they stay, and find it again when it is restored.
 */
export function deleteTasksOfItems(session: Session, itemIds: readonly number[]): number {
  session.requireWrite('deleting tasks');
  const deleted = deleteRowsOfItems(session.db, itemIds);
  if (deleted > 0) session.changed();
  return deleted;
}
