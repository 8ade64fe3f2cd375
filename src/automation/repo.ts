import type { Listing, Paging } from '../listing.js';
import { pagedListing } from '../store/pages.js';
import { given, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

/** The SQL of the automation's tables (migration 10): rules, triggers, jobs and the log. */

export interface RuleRow {
  id: number;
  pipeline_id: number;
  stage_id: number;
  position: number;
  name: string | null;
  action: string;
  params: string;
  condition: string | null;
  condition_text: string | null;
  delay_ms: number;
  at_field: string | null;
  offset_ms: number;
  working_hours: number;
  after_previous: number;
  enabled: number;
  counter: number;
  created_at: string;
  updated_at: string;
}

export type NewRuleRow = Omit<RuleRow, 'id' | 'position' | 'counter'>;

export function insertRule(db: Database, row: NewRuleRow): number {
  const position =
    (db
      .prepare('SELECT max(position) FROM automation_rules WHERE stage_id = ?')
      .pluck()
      .get(row.stage_id) as number | null) ?? 0;
  const result = db
    .prepare(
      `INSERT INTO automation_rules (pipeline_id, stage_id, position, name, action, params,
         condition, condition_text, delay_ms, at_field, offset_ms, working_hours, after_previous,
         enabled, created_at, updated_at)
       VALUES (@pipeline_id, @stage_id, @position, @name, @action, @params, @condition,
         @condition_text, @delay_ms, @at_field, @offset_ms, @working_hours, @after_previous,
         @enabled, @created_at, @updated_at)`,
    )
    .run({ ...row, position: position + 1 });
  return Number(result.lastInsertRowid);
}

export function updateRuleRow(db: Database, row: RuleRow): void {
  db.prepare(
    `UPDATE automation_rules SET name = @name, params = @params, condition = @condition,
       condition_text = @condition_text, delay_ms = @delay_ms, at_field = @at_field,
       offset_ms = @offset_ms, working_hours = @working_hours, after_previous = @after_previous,
       enabled = @enabled, updated_at = @updated_at
     WHERE id = @id`,
  ).run(row);
}

export function deleteRule(db: Database, id: number): void {
  db.prepare('DELETE FROM automation_rules WHERE id = ?').run(id);
}

export function selectRule(db: Database, id: number): RuleRow | undefined {
  return db.prepare('SELECT * FROM automation_rules WHERE id = ?').get(id) as RuleRow | undefined;
}

/** A stage's rules in their order. */
export function selectRulesOfStage(db: Database, stageId: number): RuleRow[] {
  return statement(
    db,
    'SELECT * FROM automation_rules WHERE stage_id = ? ORDER BY position, id',
  ).all(stageId) as RuleRow[];
}

export function selectRules(
  db: Database,
  filter: { pipelineId?: number; stageId?: number },
): RuleRow[] {
  const where = whereOf([
    given(filter.pipelineId, 'r.pipeline_id = @pipelineId'),
    given(filter.stageId, 'r.stage_id = @stageId'),
  ]);
  return db
    .prepare(
      `SELECT r.* FROM automation_rules r JOIN stages s ON s.id = r.stage_id ${where.clause}
       ORDER BY r.pipeline_id, s.position, r.position, r.id`,
    )
    .all(where.params) as RuleRow[];
}

/** Adds one to a rule's counter and returns its value before (round-robin turns). */
export function takeRuleTurn(db: Database, id: number): number {
  const before = statement(db, 'SELECT counter FROM automation_rules WHERE id = ?')
    .pluck()
    .get(id) as number | undefined;
  statement(db, 'UPDATE automation_rules SET counter = counter + 1 WHERE id = ?').run(id);
  return before ?? 0;
}

export interface TriggerRow {
  id: number;
  pipeline_id: number;
  stage_id: number;
  name: string | null;
  event: string;
  params: string;
  condition: string | null;
  condition_text: string | null;
  allow_back: number;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export type NewTriggerRow = Omit<TriggerRow, 'id'>;

export function insertTrigger(db: Database, row: NewTriggerRow): number {
  const result = db
    .prepare(
      `INSERT INTO automation_triggers (pipeline_id, stage_id, name, event, params, condition,
         condition_text, allow_back, enabled, created_at, updated_at)
       VALUES (@pipeline_id, @stage_id, @name, @event, @params, @condition, @condition_text,
         @allow_back, @enabled, @created_at, @updated_at)`,
    )
    .run(row);
  return Number(result.lastInsertRowid);
}

export function updateTriggerRow(db: Database, row: TriggerRow): void {
  db.prepare(
    `UPDATE automation_triggers SET name = @name, event = @event, params = @params,
       condition = @condition, condition_text = @condition_text, allow_back = @allow_back,
       enabled = @enabled, updated_at = @updated_at
     WHERE id = @id`,
  ).run(row);
}

export function deleteTrigger(db: Database, id: number): void {
  db.prepare('DELETE FROM automation_triggers WHERE id = ?').run(id);
}

export function selectTrigger(db: Database, id: number): TriggerRow | undefined {
  return db.prepare('SELECT * FROM automation_triggers WHERE id = ?').get(id) as
    | TriggerRow
    | undefined;
}

/** The triggers of a pipeline (for one event), in stage order, then in the order added. */
export function selectTriggers(
  db: Database,
  filter: { pipelineId?: number; stageId?: number; event?: string },
): (TriggerRow & { stage_position: number })[] {
  const where = whereOf([
    given(filter.pipelineId, 't.pipeline_id = @pipelineId'),
    given(filter.stageId, 't.stage_id = @stageId'),
    given(filter.event, 't.event = @event'),
  ]);
  return statement(
    db,
    `SELECT t.*, s.position AS stage_position FROM automation_triggers t
     JOIN stages s ON s.id = t.stage_id ${where.clause}
     ORDER BY t.pipeline_id, s.position, t.id`,
  ).all(where.params) as (TriggerRow & { stage_position: number })[];
}

export type JobStatus =
  | 'pending'
  | 'waiting'
  | 'holding'
  | 'sending'
  | 'done'
  | 'skipped'
  | 'failed'
  | 'cancelled';

export interface JobRow {
  id: number;
  rule_id: number;
  item_id: number;
  stage_id: number;
  status: JobStatus;
  due_at: string | null;
  after_job_id: number | null;
  chain_id: number;
  hop: number;
  path: string;
  started_at: string | null;
  created_at: string;
}

export type NewJobRow = Omit<JobRow, 'id'>;

export function insertJob(db: Database, row: NewJobRow): number {
  // Positional parameters: binding by name costs a property look-up per column, per row.
  return Number(
    statement(
      db,
      `INSERT INTO automation_jobs (rule_id, item_id, stage_id, status, due_at, after_job_id,
         chain_id, hop, path, started_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      row.rule_id,
      row.item_id,
      row.stage_id,
      row.status,
      row.due_at,
      row.after_job_id,
      row.chain_id,
      row.hop,
      row.path,
      row.started_at,
      row.created_at,
    ).lastInsertRowid,
  );
}

export function selectJob(db: Database, id: number): JobRow | undefined {
  return statement(db, 'SELECT * FROM automation_jobs WHERE id = ?').get(id) as JobRow | undefined;
}

export function setJobStatus(
  db: Database,
  id: number,
  status: JobStatus,
  dueAt: string | null = null,
): void {
  statement(
    db,
    'UPDATE automation_jobs SET status = ?, due_at = coalesce(?, due_at) WHERE id = ?',
  ).run(status, dueAt, id);
}

export function startJob(db: Database, id: number, at: string): void {
  statement(db, 'UPDATE automation_jobs SET started_at = coalesce(started_at, ?) WHERE id = ?').run(
    at,
    id,
  );
}

/** The next job due at or before `until`: the earliest, then the first made. */
export function selectNextDueJob(db: Database, until: string): JobRow | undefined {
  return statement(
    db,
    `SELECT * FROM automation_jobs WHERE status = 'pending' AND due_at <= ?
     ORDER BY due_at, id LIMIT 1`,
  ).get(until) as JobRow | undefined;
}

/** The jobs of an item that have not ended, oldest first. */
export function selectOpenJobsOfItem(db: Database, itemId: number): JobRow[] {
  return statement(
    db,
    `SELECT * FROM automation_jobs WHERE item_id = ? AND status IN ('pending', 'waiting', 'holding')
     ORDER BY id`,
  ).all(itemId) as JobRow[];
}

export function selectOpenJobsOfRule(db: Database, ruleId: number): JobRow[] {
  return db
    .prepare(
      `SELECT * FROM automation_jobs WHERE rule_id = ? AND status IN ('pending', 'waiting', 'holding')
       ORDER BY id`,
    )
    .all(ruleId) as JobRow[];
}

export function selectHoldingJobsOfItem(db: Database, itemId: number): JobRow[] {
  return statement(
    db,
    `SELECT * FROM automation_jobs WHERE item_id = ? AND status = 'holding' ORDER BY id`,
  ).all(itemId) as JobRow[];
}

export function selectHoldingJobs(db: Database): JobRow[] {
  return db
    .prepare(`SELECT * FROM automation_jobs WHERE status = 'holding' ORDER BY id`)
    .all() as JobRow[];
}

/** The job that waited for `from` now waits for `to` (the one between them was cancelled). */
export function relinkChain(db: Database, from: number, to: number): void {
  statement(
    db,
    `UPDATE automation_jobs SET after_job_id = ? WHERE after_job_id = ? AND status = 'waiting'`,
  ).run(to, from);
}

/** The job that waits for `jobId` to end (the --after-previous rule below it). */
export function selectNextInChain(db: Database, jobId: number): JobRow | undefined {
  return statement(
    db,
    `SELECT * FROM automation_jobs WHERE after_job_id = ? AND status = 'waiting'`,
  ).get(jobId) as JobRow | undefined;
}

/** The highest chain id used so far (new chains count on from it within one write). */
export function selectLastChainId(db: Database): number {
  return (
    (db
      .prepare(
        `SELECT max(m) FROM (SELECT max(chain_id) AS m FROM automation_jobs
           UNION ALL SELECT max(chain_id) FROM automation_log)`,
      )
      .pluck()
      .get() as number | null) ?? 0
  );
}

/** Whether a rule has already run (ended other than cancelled) for an item in a chain. */
export function ranInChain(db: Database, chainId: number, itemId: number, ruleId: number): boolean {
  return (
    statement(
      db,
      `SELECT 1 FROM automation_log WHERE chain_id = ? AND item_id = ? AND rule_id = ?
       AND status != 'cancelled' LIMIT 1`,
    ).get(chainId, itemId, ruleId) !== undefined
  );
}

export interface LogRow {
  id: number;
  kind: 'rule' | 'trigger';
  rule_id: number | null;
  trigger_id: number | null;
  job_id: number | null;
  item_id: number;
  stage_id: number | null;
  action: string | null;
  event: string | null;
  status: 'done' | 'skipped' | 'failed' | 'cancelled';
  due_at: string | null;
  executed_at: string;
  condition: string | null;
  seen: string | null;
  detail: string;
  made: string | null;
  chain_id: number | null;
  hop: number | null;
  operation_id: number | null;
}

export type NewLogRow = Omit<LogRow, 'id'>;

export function insertLog(db: Database, row: NewLogRow): number {
  return Number(
    statement(
      db,
      `INSERT INTO automation_log (kind, rule_id, trigger_id, job_id, item_id, stage_id, action,
         event, status, due_at, executed_at, condition, seen, detail, made, chain_id, hop,
         operation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      row.kind,
      row.rule_id,
      row.trigger_id,
      row.job_id,
      row.item_id,
      row.stage_id,
      row.action,
      row.event,
      row.status,
      row.due_at,
      row.executed_at,
      row.condition,
      row.seen,
      row.detail,
      row.made,
      row.chain_id,
      row.hop,
      row.operation_id,
    ).lastInsertRowid,
  );
}

export interface LogFilter extends Paging {
  itemId?: number;
  ruleId?: number;
  triggerId?: number;
  status?: string;
  since?: string;
}

export function pagedLog(db: Database, filter: LogFilter): Listing<LogRow> {
  const where = whereOf([
    given(filter.itemId, 'item_id = @itemId'),
    given(filter.ruleId, 'rule_id = @ruleId'),
    given(filter.triggerId, 'trigger_id = @triggerId'),
    given(filter.status, 'status = @status'),
    given(filter.since, 'executed_at >= @since'),
  ]);
  return pagedListing<LogRow>(db, { table: 'automation_log', where, orderBy: 'id' }, filter);
}

export function selectLogOfItem(db: Database, itemId: number): LogRow[] {
  return db
    .prepare('SELECT * FROM automation_log WHERE item_id = ? ORDER BY id')
    .all(itemId) as LogRow[];
}

/** The jobs of an item still to run, for its timeline. */
export function selectOpenJobsForTimeline(db: Database, itemId: number): JobRow[] {
  return db
    .prepare(
      `SELECT * FROM automation_jobs WHERE item_id = ?
       AND status IN ('pending', 'waiting', 'holding', 'sending') ORDER BY id`,
    )
    .all(itemId) as JobRow[];
}

export function selectLastLogId(db: Database): number {
  return db.prepare('SELECT coalesce(max(id), 0) FROM automation_log').pluck().get() as number;
}

/** How the rule runs logged after `id` ended, by status. */
export function countRuleRunsSince(db: Database, id: number): Record<string, number> {
  const rows = db
    .prepare(
      `SELECT status, count(*) AS n FROM automation_log WHERE id > ? AND kind = 'rule' GROUP BY status`,
    )
    .all(id) as { status: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export function countOpenJobs(db: Database): number {
  return db
    .prepare(
      `SELECT count(*) FROM automation_jobs WHERE status IN ('pending', 'waiting', 'holding', 'sending')`,
    )
    .pluck()
    .get() as number;
}
