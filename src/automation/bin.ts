import type { BinContributor } from '../bin/contributor.js';
import { selectBinEntryOf, selectBinIdOf } from '../bin/repo.js';
import {
  deleteRowsOfItems,
  insertRow,
  rowExists,
  rowsOfItems,
  type StoredRow,
} from '../bin/rows-of-items.js';
import { itemExists } from '../items/repo.js';
import type { Session } from '../session.js';
import { statement } from '../store/sql.js';
import { type LogEntry, toEntry } from './log.js';
import type { LogRow } from './repo.js';

/** An item's automation in its bin entry: its jobs (all ended) and its automation log. */
interface StoredAutomation {
  jobs: StoredRow[];
  log: StoredRow[];
}

const name = 'automation';

/**
 * Moves what the automation has of a deleted item — its jobs and its automation log — into the
 * item's recycle-bin entry, or, for an item deleted for good, deletes them. The engine calls it
 * when it hears `item-deleted` (src/automation/engine.ts), once it has cancelled the item's
 * open jobs (logged `cancelled`, "the item was deleted") and once the rule that deleted the item,
 * if one did (`add-to-exceptions`), has logged its end: so the bin holds the whole story and the
 * store keeps nothing about an item that is not there. A job still waiting for a webhook's answer
 * is kept as `cancelled`: an answer that comes after the item left is not recorded.
 */
export function moveAutomationToBin(session: Session, itemId: number): void {
  const { db } = session;
  // Most deleted items (a bulk delete) have no automation: one look at the indexes says so.
  if (!hasAutomation(db, itemId) || itemExists(db, itemId)) return;
  const jobs = rowsOfItems(db, 'automation_jobs', [itemId]);
  const log = rowsOfItems(db, 'automation_log', [itemId]);
  const binId = selectBinIdOf(db, 'item', itemId);
  if (binId !== undefined) {
    const part: StoredAutomation = {
      jobs: jobs.map((job) => (job.status === 'sending' ? { ...job, status: 'cancelled' } : job)),
      log,
    };
    const before = db
      .prepare(`SELECT json_extract(snapshot, '$.${name}') FROM bin_entries WHERE id = ?`)
      .pluck()
      .get(binId) as string | null;
    if (before) {
      const kept = JSON.parse(before) as StoredAutomation;
      part.jobs = [...kept.jobs, ...part.jobs];
      part.log = [...kept.log, ...part.log];
    }
    db.prepare(
      `UPDATE bin_entries SET snapshot = json_set(snapshot, '$.${name}', json(?)) WHERE id = ?`,
    ).run(JSON.stringify(part), binId);
  }
  movedRuns(session).push(
    ...log.map((row) => ({
      id: Number(row.id),
      kind: String(row.kind),
      status: String(row.status),
    })),
  );
  deleteRowsOfItems(db, 'automation_jobs', [itemId]);
  deleteRowsOfItems(db, 'automation_log', [itemId]);
  session.changed();
}

function hasAutomation(db: Session['db'], itemId: number): boolean {
  return (
    statement(
      db,
      `SELECT EXISTS (SELECT 1 FROM automation_jobs WHERE item_id = ?)
         OR EXISTS (SELECT 1 FROM automation_log WHERE item_id = ?)`,
    )
      .pluck()
      .get(itemId, itemId) === 1
  );
}

/** The log rows this write moved into the bin: the scheduler still counts the runs among them. */
function movedRuns(session: Session): { id: number; kind: string; status: string }[] {
  return session.scratch('automation-moved-to-bin', () => []);
}

/** How the rule runs logged after `id` that this write moved into the bin ended, by status. */
export function ruleRunsMovedToBinSince(session: Session, id: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const run of movedRuns(session)) {
    if (run.id > id && run.kind === 'rule') counts[run.status] = (counts[run.status] ?? 0) + 1;
  }
  return counts;
}

/**
 * The automation's part of the recycle bin (src/registrations.ts). Its part of the snapshot is
 * written by `moveAutomationToBin` once the engine has had its say, not at capture; a restore
 * puts the jobs and the log back with their ids, as they were: every job ended (the delete
 * cancelled those that had not run), and nothing runs again — entering a stage starts its rules.
 */
export const automationBinContributor: BinContributor = {
  name,
  kinds: ['item'],

  capture() {
    return new Map();
  },

  remove() {},

  describe(captured) {
    const { jobs, log } = captured as StoredAutomation;
    return {
      log: log.map((row) => ({
        id: row.id,
        at: row.executed_at,
        by: row.kind === 'rule' ? `rule #${row.rule_id}` : `trigger #${row.trigger_id}`,
        what: row.kind === 'rule' ? row.action : row.event,
        status: row.status,
        detail: row.detail,
      })),
      jobs: jobs.map((row) => ({
        id: row.id,
        rule: row.rule_id,
        status: row.status,
        dueAt: row.due_at,
      })),
    };
  },

  conflicts(session, _record, captured) {
    const { jobs, log } = captured as StoredAutomation;
    return [
      ...jobs
        .filter((row) => rowExists(session.db, 'automation_jobs', Number(row.id)))
        .map((row) => `automation job ${row.id} exists already`),
      ...log
        .filter((row) => rowExists(session.db, 'automation_log', Number(row.id)))
        .map((row) => `automation log entry ${row.id} exists already`),
    ];
  },

  restore(session, record, captured) {
    const { jobs, log } = captured as StoredAutomation;
    for (const row of jobs)
      insertRow(session.db, 'automation_jobs', { ...row, item_id: record.id });
    for (const row of log) insertRow(session.db, 'automation_log', { ...row, item_id: record.id });
    return [];
  },
};

/**
 * The automation log of items now in the recycle bin, from their entries, oldest first: what
 * `automation log` no longer lists (the demo's timeline tells the binned deal's story with it).
 */
export function automationLogInBin(session: Session, itemIds: readonly number[]): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const id of itemIds) {
    const row = selectBinEntryOf(session.db, 'item', id);
    if (!row) continue;
    const part = (JSON.parse(row.snapshot) as Record<string, unknown>)[name] as
      | StoredAutomation
      | undefined;
    for (const logRow of part?.log ?? []) entries.push(toEntry(logRow as unknown as LogRow));
  }
  return entries.sort((a, b) => a.id - b.id);
}
