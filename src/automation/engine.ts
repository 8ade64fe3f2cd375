import { nextWorkingTime, type WorkingTime } from '../calendar/working-time.js';
import { earliestInstantsAt, wallTimeOf, zoneNamed } from '../calendar/zone.js';
import { fixedClock, latestDueMs } from '../clock.js';
import { CrmError, NotFoundError } from '../errors.js';
import { getItem, type Item, itemChangeCount } from '../items/service.js';
import { getPipeline, type Pipeline } from '../pipelines/service.js';
import {
  type AutomationChain,
  type Cause,
  type EventSubscriber,
  nowIso,
  type QueuedEvent,
  type Session,
  systemLogin,
} from '../session.js';
import { workingTimeOf } from '../settings/working-time.js';
import { readWithoutMemoryMap } from '../store/store.js';
import type { ActionOutcome, ActionType } from './action.js';
import { actionTypeNamed } from './actions/index.js';
import { moveAutomationToBin, ruleRunsMovedToBinSince } from './bin.js';
import { type Condition, conditionFromJson, evaluateCondition, itemValues } from './condition.js';
import { readDate } from './condition-values.js';
import { automaticMove, hopLimitReached, loopStages } from './loop-guard.js';
import {
  countOpenJobs,
  countRuleRunsSince,
  insertJob,
  insertLog,
  type JobRow,
  type JobStatus,
  type NewLogRow,
  type RuleRow,
  ranInChain,
  relinkChain,
  selectHoldingJobs,
  selectHoldingJobsOfItem,
  selectJob,
  selectLastChainId,
  selectLastLogId,
  selectNextDueJob,
  selectNextInChain,
  selectOpenJobsOfItem,
  selectRulesOfStage,
  selectTriggers,
  setJobStatus,
  startJob,
  type TriggerRow,
} from './repo.js';

/**
 * The automation engine (DESIGN §2): it hears the item events of a command inside its
 * transaction (src/registrations.ts), runs the rules of the stage an item enters (immediate ones
 * now, delayed ones as jobs with a due time), applies at most one trigger per event, and keeps
 * the automation log. `runDueAutomation` is the scheduler (`automation run`, `cleanup`).
 */

/** A rule as the engine runs it: its row, its action type and its parsed condition. */
interface LoadedRule {
  row: RuleRow;
  type: ActionType | undefined;
  params: Record<string, string>;
  condition: Condition | null;
  /** What its actions are caused by: one object for every run (queued events keep it). */
  cause: Cause;
}

/** What the engine keeps for the length of one write. */
interface EngineState {
  lastChain: number;
  /**
   * The first chain begun in this write: chains are numbered on from the store's last, so those
   * from here to `lastChain` are this write's, and nothing of them is in the store from before.
   */
  firstNewChain: number;
  /**
   * The rules run in this write (the once-per-chain guard): by chain, its item and rule pairs
   * (`[item, rule, item, rule, …]`: a chain holds a few), not a string per run.
   */
  ran: Map<number, number[]>;
  rules: Map<number, LoadedRule[]>;
  triggers: Map<string, (TriggerRow & { stage_position: number })[]>;
  pipelines: Map<number, Pipeline>;
  calendar: WorkingTime | undefined;
  lastItem: { item: Item; count: number } | undefined;
}

function stateOf(session: Session): EngineState {
  return session.scratch('automation-engine', () => {
    readWithoutMemoryMap(session.db);
    return newState(session);
  });
}

function newState(session: Session): EngineState {
  const lastChain = selectLastChainId(session.db);
  return {
    lastChain,
    firstNewChain: lastChain + 1,
    ran: new Map(),
    rules: new Map(),
    triggers: new Map(),
    pipelines: new Map(),
    calendar: undefined,
    lastItem: undefined,
  };
}

/** Forget the rules and triggers read in this write (one was added, changed or removed). */
export function forgetLoadedRules(session: Session): void {
  stateOf(session).rules.clear();
  stateOf(session).triggers.clear();
}

function triggersFor(session: Session, event: string) {
  const state = stateOf(session);
  let triggers = state.triggers.get(event);
  if (!triggers) {
    triggers = selectTriggers(session.db, { event }).filter((t) => t.enabled === 1);
    state.triggers.set(event, triggers);
  }
  return triggers;
}

function rulesOfStage(session: Session, stageId: number): LoadedRule[] {
  const state = stateOf(session);
  let rules = state.rules.get(stageId);
  if (!rules) {
    rules = selectRulesOfStage(session.db, stageId)
      .filter((row) => row.enabled === 1)
      .map((row) => ({
        row,
        type: actionTypeNamed(row.action),
        params: JSON.parse(row.params) as Record<string, string>,
        condition: row.condition === null ? null : conditionFromJson(row.condition),
        cause: { kind: 'rule', id: row.id },
      }));
    state.rules.set(stageId, rules);
  }
  return rules;
}

function calendarOf(session: Session): WorkingTime {
  const state = stateOf(session);
  state.calendar ??= workingTimeOf(session);
  return state.calendar;
}

function pipelineOf(session: Session, id: number): Pipeline {
  const state = stateOf(session);
  let pipeline = state.pipelines.get(id);
  if (!pipeline) {
    pipeline = getPipeline(session, String(id));
    state.pipelines.set(id, pipeline);
  }
  return pipeline;
}

function newChain(session: Session, path: number[]): AutomationChain {
  const state = stateOf(session);
  const id = ++state.lastChain;
  return { id, hop: 0, path };
}

/** The engine as an event subscriber (listed in src/registrations.ts). */
export const automationSubscriber: EventSubscriber = (session, event) => {
  switch (event.type) {
    case 'item-created':
      enterStage(
        session,
        event.itemId,
        event.stageId,
        event.chain ?? newChain(session, [event.stageId]),
      );
      return;
    case 'stage-entered': {
      const chain = event.chain ?? newChain(session, [event.from.stageId, event.to.stageId]);
      cancelOpenJobs(session, event.itemId, `the item entered another stage`);
      enterStage(session, event.itemId, event.to.stageId, chain);
      return;
    }
    case 'item-deleted':
      stateOf(session).lastItem = undefined;
      cancelOpenJobs(session, event.itemId, 'the item was deleted');
      moveAutomationToBin(session, event.itemId);
      return;
    case 'responsible-changed':
      fireTriggers(session, event, 'responsible-changed', {
        from: event.from ?? '',
        to: event.to ?? '',
      });
      releaseHolding(session, event.itemId);
      return;
    case 'fields-changed':
      fireTriggers(session, event, 'field-changed', {
        fields: Object.keys(event.changes).join(','),
      });
      releaseHolding(session, event.itemId);
      return;
    case 'outside-event':
      fireTriggers(session, event, event.event, event.params);
      return;
  }
};

// ---------------------------------------------------------------------------------------------
// Rules

/** Runs (or schedules) the rules of the stage an item has entered, each chain in turn. */
function enterStage(
  session: Session,
  itemId: number,
  stageId: number,
  chain: AutomationChain,
): void {
  const rules = rulesOfStage(session, stageId);
  if (rules.length === 0) return;
  const chains: LoadedRule[][] = [];
  for (const rule of rules) {
    const last = chains.at(-1);
    if (rule.row.after_previous === 1 && last) last.push(rule);
    else chains.push([rule]);
  }
  const now = session.clock.now();
  for (const group of chains) runChain(session, group, itemId, chain, now);
}

/**
 * Runs the rules of one chain from the first: each whose time has come runs now, and the first
 * that must wait becomes a job, with the rules after it waiting behind it.
 */
function runChain(
  session: Session,
  group: readonly LoadedRule[],
  itemId: number,
  chain: AutomationChain,
  base: Date,
): void {
  let start = base;
  for (let index = 0; index < group.length; index++) {
    const rule = group[index] as LoadedRule;
    const item = readItem(session, itemId);
    if (!item) {
      // The item went (a rule above deleted it): the rest of the chain is logged, not left silent.
      for (const rest of group.slice(index)) {
        const at = session.clock.now();
        log(
          session,
          ruleEntry(
            rest.row,
            itemId,
            chain,
            null,
            null,
            'cancelled',
            'the item no longer exists',
            at,
          ),
        );
      }
      return;
    }
    const due = dueOf(session, rule.row, item, start);
    const now = session.clock.now();
    if ('error' in due) {
      log(session, ruleEntry(rule.row, itemId, chain, null, null, 'failed', due.error, now));
      start = now;
      continue;
    }
    if (due.at.getTime() <= now.getTime()) {
      const ended = executeRule(session, rule, itemId, chain, due.at, null, item);
      if (ended.kind === 'open') {
        queueBehind(session, group.slice(index + 1), itemId, chain, ended.jobId);
        return;
      }
      start = session.clock.now();
      continue;
    }
    const jobId = insertJob(session.db, {
      rule_id: rule.row.id,
      item_id: itemId,
      stage_id: rule.row.stage_id,
      status: 'pending',
      due_at: due.at.toISOString(),
      after_job_id: null,
      chain_id: chain.id,
      hop: chain.hop,
      path: JSON.stringify(chain.path),
      started_at: null,
      created_at: nowIso(session),
    });
    queueBehind(session, group.slice(index + 1), itemId, chain, jobId);
    return;
  }
}

/** The rules of a chain after an open job: each waits for the one above it. */
function queueBehind(
  session: Session,
  rest: readonly LoadedRule[],
  itemId: number,
  chain: AutomationChain,
  after: number,
): void {
  let previous = after;
  for (const rule of rest) {
    previous = insertJob(session.db, {
      rule_id: rule.row.id,
      item_id: itemId,
      stage_id: rule.row.stage_id,
      status: 'waiting',
      due_at: null,
      after_job_id: previous,
      chain_id: chain.id,
      hop: chain.hop,
      path: JSON.stringify(chain.path),
      started_at: null,
      created_at: nowIso(session),
    });
  }
}

const tooLate = 'the rule would be due after 9999-12-31: too late to schedule';

/** When a rule is due, from `start` (the stage entered, or the rule above it finished). */
function dueOf(
  session: Session,
  rule: RuleRow,
  item: Item,
  start: Date,
): { at: Date } | { error: string } {
  const now = session.clock.now().getTime();
  let at = start.getTime() + rule.delay_ms;
  if (rule.at_field !== null) {
    const raw = itemValues(item)(rule.at_field);
    const text = raw === null || raw === undefined ? '' : String(raw);
    if (text.trim() === '') {
      return { error: `the date field ${rule.at_field} is empty: the rule cannot be timed` };
    }
    const date = readDate(text);
    if (!date) return { error: `the field ${rule.at_field} holds "${text}", not a date` };
    const ms = date.dateOnly ? startOfDay(calendarOf(session), date.day) : date.ms;
    at = Math.max(start.getTime(), ms + rule.offset_ms);
  }
  if (at > latestDueMs) return { error: tooLate };
  if (rule.working_hours === 1) at = nextWorkingTime(calendarOf(session), new Date(at)).getTime();
  if (at > latestDueMs) return { error: tooLate };
  return { at: new Date(Math.max(at, now)) };
}

/** Midnight of a date in the calendar's zone. */
function startOfDay(calendar: WorkingTime, day: string): number {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  const zone = zoneNamed(calendar.timeZone);
  return (
    earliestInstantsAt(zone, [wallTimeOf(year, month, date)])[0] ?? Date.UTC(year, month - 1, date)
  );
}

/**
 * The item as it is now. The last one read is kept while no item has changed since (the rules
 * of one stage entry read the same item, and most actions change nothing of it).
 */
function readItem(session: Session, itemId: number): Item | undefined {
  const state = stateOf(session);
  const count = itemChangeCount(session);
  if (state.lastItem?.item.id === itemId && state.lastItem.count === count) {
    return state.lastItem.item;
  }
  try {
    const item = getItem(session, itemId);
    state.lastItem = { item, count };
    return item;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

type Ended =
  | { kind: 'ended'; status: 'done' | 'skipped' | 'failed' | 'cancelled' }
  | { kind: 'open'; jobId: number };

/**
 * Runs one rule for an item now (the session's clock): checks that it still applies, evaluates
 * its condition, runs its action in a savepoint, and logs the outcome. `job` is the rule's job
 * when it was scheduled; an action that is not finished (a wait, a webhook's call) keeps one open.
 */
function executeRule(
  session: Session,
  rule: LoadedRule,
  itemId: number,
  chain: AutomationChain,
  dueAt: Date,
  job: JobRow | null,
  /** The item as just read, when the caller has it. */
  current?: Item,
): Ended {
  const now = session.clock.now();
  const end = (
    status: 'done' | 'skipped' | 'failed' | 'cancelled',
    detail: string,
    extra: Partial<NewLogRow> = {},
  ): Ended => {
    if (job) setJobStatus(session.db, job.id, status);
    log(
      session,
      Object.assign(
        ruleEntry(rule.row, itemId, chain, job?.id ?? null, dueAt, status, detail, now),
        extra,
      ),
    );
    if (status !== 'cancelled') markRan(session, chain, itemId, rule.row.id);
    return { kind: 'ended', status };
  };
  const item = current ?? readItem(session, itemId);
  if (!item) return end('cancelled', 'the item no longer exists');
  if (item.stage.id !== rule.row.stage_id) {
    return end('cancelled', `the item left the stage (now in ${item.stage.name})`);
  }
  if (ranBefore(session, chain, itemId, rule.row.id)) {
    return end(
      'failed',
      `loop guard: rule #${rule.row.id} already ran for this item in this chain of automatic changes; the loop goes through ${loopStages(session, item.pipeline.id, chain.path)}`,
    );
  }
  if (!rule.type) return end('failed', `unknown action "${rule.row.action}"`);
  let seen: string | null = null;
  if (rule.condition) {
    const evaluation = evaluateCondition(rule.condition, itemValues(item), now, {
      timeZone: calendarOf(session).timeZone,
    });
    seen = JSON.stringify(evaluation.seen);
    if (!evaluation.result) return end('skipped', 'the condition does not hold', { seen });
  }
  const startedAt = job?.started_at ? new Date(job.started_at) : now;
  const actor = session.as({
    login: systemLogin,
    cause: rule.cause,
    command: session.actor.command,
    chain,
  });
  const type = rule.type;
  const params = withDefaults(type, rule.params);
  let outcome: ActionOutcome;
  try {
    outcome = actor.attempt(() =>
      type.run({
        session: actor,
        item,
        params,
        rule: { id: rule.row.id, pipelineId: rule.row.pipeline_id, stageId: rule.row.stage_id },
        chain,
        seed: seedOf(rule.row.id, itemId, chain.id),
        startedAt,
      }),
    );
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
    return end('failed', error.message, { seen });
  }
  const made = outcome.made ? JSON.stringify(outcome.made) : null;
  if (outcome.afterCommit) {
    const jobId = keepOpen(session, rule.row, itemId, chain, job, 'sending', dueAt, now);
    const later = outcome.afterCommit;
    const at = now;
    session.afterCommit(async () => {
      let result: ActionOutcome;
      try {
        result = await later();
      } catch (error) {
        result = {
          status: 'failed',
          detail: error instanceof Error ? error.message : String(error),
        };
      }
      const writer = session.withClock(fixedClock(at));
      writer.write(() => {
        const open = selectJob(writer.db, jobId);
        if (open?.status !== 'sending') return;
        // Its own small operation, apart from the command's (which has committed).
        if (writer.keepsOperations) writer.operation('automation-webhook');
        const status = result.status === 'waiting' ? 'done' : result.status;
        setJobStatus(writer.db, jobId, status);
        log(writer, {
          ...ruleEntry(rule.row, itemId, chain, jobId, dueAt, status, result.detail, at),
          seen,
          made: result.made ? JSON.stringify(result.made) : made,
        });
        continueChain(writer, { ...open, status });
      });
    });
    return { kind: 'open', jobId };
  }
  if (outcome.status === 'waiting' && outcome.until && outcome.until.getTime() > latestDueMs) {
    return end('failed', 'the wait would end after 9999-12-31: too late to schedule', {
      seen,
      made,
    });
  }
  if (outcome.status === 'waiting') {
    if (job && job.started_at === null) startJob(session.db, job.id, now.toISOString());
    const jobId = keepOpen(
      session,
      rule.row,
      itemId,
      chain,
      job,
      outcome.until ? 'pending' : 'holding',
      outcome.until ?? dueAt,
      now,
    );
    return { kind: 'open', jobId };
  }
  return end(outcome.status, outcome.detail, { seen, made });
}

function keepOpen(
  session: Session,
  rule: RuleRow,
  itemId: number,
  chain: AutomationChain,
  job: JobRow | null,
  status: JobStatus,
  dueAt: Date,
  now: Date,
): number {
  if (job) {
    setJobStatus(session.db, job.id, status, dueAt.toISOString());
    return job.id;
  }
  return insertJob(session.db, {
    rule_id: rule.id,
    item_id: itemId,
    stage_id: rule.stage_id,
    status,
    due_at: dueAt.toISOString(),
    after_job_id: null,
    chain_id: chain.id,
    hop: chain.hop,
    path: JSON.stringify(chain.path),
    started_at: now.toISOString(),
    created_at: now.toISOString(),
  });
}

function ranBefore(
  session: Session,
  chain: AutomationChain,
  itemId: number,
  ruleId: number,
): boolean {
  const state = stateOf(session);
  const pairs = state.ran.get(chain.id);
  if (pairs) {
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i] === itemId && pairs[i + 1] === ruleId) return true;
    }
  }
  if (chain.id >= state.firstNewChain && chain.id <= state.lastChain) return false;
  return ranInChain(session.db, chain.id, itemId, ruleId);
}

function markRan(session: Session, chain: AutomationChain, itemId: number, ruleId: number): void {
  const { ran } = stateOf(session);
  const pairs = ran.get(chain.id);
  // Copied at its exact length (concat) while short: a pushed-to or spread array keeps room for
  // 16 more (a move of 100,000 deals held 20 MB of that room); a long one grows in place.
  if (!pairs) ran.set(chain.id, [itemId, ruleId]);
  else if (pairs.length < 32) ran.set(chain.id, pairs.concat(itemId, ruleId));
  else pairs.push(itemId, ruleId);
}

function withDefaults(type: ActionType, params: Record<string, string>): Record<string, string> {
  const filled: Record<string, string> = Object.create(null);
  for (const parameter of type.parameters) {
    if (parameter.default !== undefined) filled[parameter.name] = parameter.default;
  }
  return Object.assign(filled, params);
}

/** A 32-bit number from the rule, the item and the chain (FNV-1a): the same run, the same seed. */
function seedOf(...parts: number[]): number {
  let hash = 0x811c9dc5;
  for (const byte of parts.join(':')) {
    hash ^= byte.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A job has ended: the rule below it in its chain now starts (its own delay counted from now). */
function continueChain(session: Session, ended: JobRow): void {
  const next = selectNextInChain(session.db, ended.id);
  if (!next) return;
  const rule = loadRule(session, next.rule_id, next.stage_id);
  const chain = chainOfJob(next);
  if (!rule) {
    endJob(session, next, 'cancelled', 'the rule was removed or disabled');
    continueChain(session, next);
    return;
  }
  const item = readItem(session, next.item_id);
  if (!item) {
    endJob(session, next, 'cancelled', 'the item no longer exists');
    return;
  }
  const due = dueOf(session, rule.row, item, session.clock.now());
  if ('error' in due) {
    endJob(session, next, 'failed', due.error);
    continueChain(session, next);
    return;
  }
  if (due.at.getTime() <= session.clock.now().getTime()) {
    const ended2 = executeRule(session, rule, next.item_id, chain, due.at, {
      ...next,
      due_at: due.at.toISOString(),
    });
    if (ended2.kind === 'ended') continueChain(session, next);
    return;
  }
  setJobStatus(session.db, next.id, 'pending', due.at.toISOString());
}

function loadRule(session: Session, ruleId: number, stageId: number): LoadedRule | undefined {
  return rulesOfStage(session, stageId).find((rule) => rule.row.id === ruleId);
}

function chainOfJob(job: JobRow): AutomationChain {
  return { id: job.chain_id, hop: job.hop, path: JSON.parse(job.path) as number[] };
}

/** Ends a job that did not run (cancelled, or a rule that cannot run), with its log entry. */
function endJob(
  session: Session,
  job: JobRow,
  status: 'skipped' | 'failed' | 'cancelled',
  detail: string,
): void {
  setJobStatus(session.db, job.id, status);
  const row = loadRuleRow(session, job);
  log(session, {
    kind: 'rule',
    rule_id: job.rule_id,
    trigger_id: null,
    job_id: job.id,
    item_id: job.item_id,
    stage_id: job.stage_id,
    action: row?.action ?? null,
    event: null,
    status,
    due_at: job.due_at,
    executed_at: nowIso(session),
    condition: row?.condition_text ?? null,
    seen: null,
    detail,
    made: null,
    chain_id: job.chain_id,
    hop: job.hop,
    operation_id: null,
  });
}

function loadRuleRow(session: Session, job: JobRow): RuleRow | undefined {
  return (
    loadRule(session, job.rule_id, job.stage_id)?.row ??
    selectRulesOfStage(session.db, job.stage_id).find((row) => row.id === job.rule_id)
  );
}

/** Entering a stage, or being deleted, ends every job of the item that has not run. */
function cancelOpenJobs(session: Session, itemId: number, why: string): void {
  const open = selectOpenJobsOfItem(session.db, itemId);
  for (const job of open) endJob(session, job, 'cancelled', why);
}

/**
 * Cancels the jobs of a rule that is removed or disabled; the rule below each in its chain then
 * starts, as it would once the cancelled one had finished (a waiting job never waits for ever).
 */
export function cancelJobsOfRule(session: Session, jobs: readonly JobRow[], why: string): void {
  for (const job of jobs) {
    const current = selectJob(session.db, job.id);
    if (!current || !['pending', 'waiting', 'holding'].includes(current.status)) continue;
    endJob(session, current, 'cancelled', why);
    // A job still waiting for the one above hands its place in the chain to the one below.
    if (current.status === 'waiting' && current.after_job_id !== null) {
      relinkChain(session.db, current.id, current.after_job_id);
    } else {
      continueChain(session, current);
    }
  }
}

/** Jobs waiting for a condition (`wait until`): checked again when the item changes. */
function releaseHolding(session: Session, itemId: number): void {
  for (const job of selectHoldingJobsOfItem(session.db, itemId)) runJob(session, job);
}

/** Runs a job whose time has come (or a held one, checked again), then what waits behind it. */
function runJob(session: Session, job: JobRow): void {
  const rule = loadRule(session, job.rule_id, job.stage_id);
  if (!rule) {
    endJob(session, job, 'cancelled', 'the rule was removed or disabled');
    continueChain(session, job);
    return;
  }
  const ended = executeRule(
    session,
    rule,
    job.item_id,
    chainOfJob(job),
    new Date(job.due_at ?? nowIso(session)),
    job,
  );
  if (ended.kind === 'ended') continueChain(session, job);
}

function ruleEntry(
  rule: RuleRow,
  itemId: number,
  chain: AutomationChain,
  jobId: number | null,
  dueAt: Date | null,
  status: 'done' | 'skipped' | 'failed' | 'cancelled',
  detail: string,
  at: Date,
): NewLogRow {
  return {
    kind: 'rule',
    rule_id: rule.id,
    trigger_id: null,
    job_id: jobId,
    item_id: itemId,
    stage_id: rule.stage_id,
    action: rule.action,
    event: null,
    status,
    due_at: dueAt ? dueAt.toISOString() : null,
    executed_at: at.toISOString(),
    condition: rule.condition_text,
    seen: null,
    detail,
    made: null,
    chain_id: chain.id,
    hop: chain.hop,
    operation_id: null,
  };
}

function log(session: Session, row: NewLogRow): void {
  const operationId = session.keepsOperations ? session.operation() : null;
  session.changed();
  // Every caller hands a row of its own: filled in, not copied.
  row.operation_id = operationId;
  insertLog(session.db, row);
}

// ---------------------------------------------------------------------------------------------
// Triggers

/** Which triggers hear which event, and what their parameters must match. */
function paramsMatch(trigger: TriggerRow, params: Readonly<Record<string, string>>): boolean {
  const wanted = JSON.parse(trigger.params) as Record<string, string>;
  if (trigger.event === 'field-changed') {
    const changed = new Set((params.fields ?? '').split(',').map(normaliseField));
    return (wanted.fields ?? '')
      .split(',')
      .map(normaliseField)
      .some((field) => field !== '' && changed.has(field));
  }
  if (trigger.event === 'webhook') return wanted.code === params.code;
  return Object.entries(wanted).every(([key, value]) => params[key] === value);
}

/** `deadline` and `fields.deadline` name the same custom field; built-in names stay. */
export function normaliseField(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.startsWith('fields.')) return trimmed;
  return builtInFieldNames.has(trimmed) ? trimmed : `fields.${trimmed}`;
}

const builtInFieldNames = new Set([
  'title',
  'amount',
  'currency',
  'responsible',
  'contactId',
  'companyId',
  'phones',
  'emails',
]);

/**
 * DESIGN §2 trigger selection: the pipeline's triggers for the event in stage order; later
 * stages qualify, the current and earlier ones only with --allow-back (and only those for an
 * item in a final stage); the first whose condition holds moves the item; at most one per event.
 */
function fireTriggers(
  session: Session,
  event: QueuedEvent & { itemId: number },
  name: string,
  params: Readonly<Record<string, string>>,
): void {
  const candidates = triggersFor(session, name);
  if (candidates.length === 0) return;
  const item = readItem(session, event.itemId);
  if (!item) return;
  const pipeline = pipelineOf(session, item.pipeline.id);
  const here = pipeline.stages.find((stage) => stage.id === item.stage.id);
  if (!here) return;
  const final = item.stage.semantic !== 'process';
  const now = session.clock.now();
  let chain: AutomationChain | undefined = event.chain;
  const chainFor = () => {
    chain ??= newChain(session, [item.stage.id]);
    return chain;
  };
  for (const trigger of candidates) {
    if (trigger.pipeline_id !== item.pipeline.id || !paramsMatch(trigger, params)) continue;
    const later = trigger.stage_position > here.position;
    if (!(trigger.allow_back === 1 || (later && !final))) continue;
    const entry = (
      status: NewLogRow['status'],
      detail: string,
      seen: string | null,
    ): NewLogRow => ({
      kind: 'trigger',
      rule_id: null,
      trigger_id: trigger.id,
      job_id: null,
      item_id: item.id,
      stage_id: trigger.stage_id,
      action: null,
      event: name,
      status,
      due_at: null,
      executed_at: now.toISOString(),
      condition: trigger.condition_text,
      seen,
      detail,
      made: null,
      chain_id: chainFor().id,
      hop: chainFor().hop,
      operation_id: null,
    });
    let seen: string | null = null;
    if (trigger.condition !== null) {
      const evaluation = evaluateCondition(
        conditionFromJson(trigger.condition),
        itemValues(item),
        now,
        {
          timeZone: calendarOf(session).timeZone,
        },
      );
      seen = JSON.stringify(evaluation.seen);
      if (!evaluation.result) {
        log(session, entry('skipped', 'the condition does not hold', seen));
        continue;
      }
    }
    const target = pipeline.stages.find((stage) => stage.id === trigger.stage_id);
    const targetName = target?.name ?? `#${trigger.stage_id}`;
    if (trigger.stage_id === item.stage.id) {
      log(session, entry('done', `the item is already in ${targetName}`, seen));
      return;
    }
    const current = chainFor();
    const stop = hopLimitReached(session, current, item.pipeline.id, trigger.stage_id);
    if (stop) {
      log(session, entry('failed', stop.detail, seen));
      return;
    }
    log(session, entry('done', `moved the item from ${item.stage.name} to ${targetName}`, seen));
    automaticMove(session, { kind: 'trigger', id: trigger.id }, current, item, trigger.stage_id);
    return;
  }
}

// ---------------------------------------------------------------------------------------------
// Scheduler

export interface AutomationRunResult {
  until: string;
  /** Jobs run, and how each ended (a job run again later, a `wait`, counts once per run). */
  ran: number;
  done: number;
  skipped: number;
  failed: number;
  cancelled: number;
  /** Jobs still waiting after the run (due later, or held). */
  pending: number;
}

/** Jobs one run executes at most: a safety net; the loop guard ends every chain long before. */
const maxJobsPerRun = 10_000_000;

/**
 * The scheduler (`automation run`, and the nightly `cleanup`): runs every job due at or before
 * `until`, earliest first (ties in the order made), each on a clock set to its due time (or to
 * now, for one overdue), what they schedule included. Inside the caller's write.
 */
export function runDueAutomation(session: Session, until: Date): AutomationRunResult {
  session.requireWrite('running automation');
  const started = session.clock.now();
  const limit = new Date(Math.max(until.getTime(), started.getTime()));
  const counts = { ran: 0, done: 0, skipped: 0, failed: 0, cancelled: 0 };
  const before = selectLastLogId(session.db);
  session.deliverEvents();
  for (const job of selectHoldingJobs(session.db)) {
    runJob(session, job);
    session.deliverEvents();
  }
  for (let guard = 0; guard < maxJobsPerRun; guard++) {
    const job = selectNextDueJob(session.db, limit.toISOString());
    if (!job) break;
    const at = new Date(Math.max(new Date(job.due_at ?? 0).getTime(), started.getTime()));
    const timed = session.withClock(fixedClock(at));
    counts.ran++;
    runJob(timed, job);
    timed.deliverEvents();
  }
  // Runs about items this write sent to the recycle bin are counted from their bin entries.
  for (const runs of [
    countRuleRunsSince(session.db, before),
    ruleRunsMovedToBinSince(session, before),
  ]) {
    for (const [status, n] of Object.entries(runs)) {
      if (status in counts) counts[status as keyof typeof counts] += n;
    }
  }
  return {
    until: limit.toISOString(),
    ...counts,
    pending: countOpenJobs(session.db),
  };
}
