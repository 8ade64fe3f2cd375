import { type Listing, mapListing, type Paging } from '../listing.js';
import type { Session } from '../session.js';
import {
  type JobRow,
  type LogRow,
  pagedLog,
  selectLogOfItem,
  selectOpenJobsForTimeline,
} from './repo.js';

/** One entry of the automation log (`automation log -o json`), DESIGN §2: what ran, when, why. */
export interface LogEntry {
  id: number;
  kind: 'rule' | 'trigger';
  ruleId: number | null;
  triggerId: number | null;
  jobId: number | null;
  itemId: number;
  stageId: number | null;
  action: string | null;
  event: string | null;
  status: 'done' | 'skipped' | 'failed' | 'cancelled';
  dueAt: string | null;
  executedAt: string;
  condition: string | null;
  seen: Record<string, unknown> | null;
  detail: string;
  made: Record<string, unknown> | null;
  chain: number | null;
  hop: number | null;
  operationId: number | null;
}

export const logStatuses = ['done', 'skipped', 'failed', 'cancelled'] as const;

export interface LogOptions extends Paging {
  item?: number;
  rule?: number;
  trigger?: number;
  status?: (typeof logStatuses)[number];
  since?: Date;
}

export function listAutomationLog(session: Session, options: LogOptions = {}): Listing<LogEntry> {
  return mapListing(
    pagedLog(session.db, {
      itemId: options.item,
      ruleId: options.rule,
      triggerId: options.trigger,
      status: options.status,
      since: options.since?.toISOString(),
      limit: options.limit,
      offset: options.offset,
    }),
    toEntry,
  );
}

export function toEntry(row: LogRow): LogEntry {
  return {
    id: row.id,
    kind: row.kind,
    ruleId: row.rule_id,
    triggerId: row.trigger_id,
    jobId: row.job_id,
    itemId: row.item_id,
    stageId: row.stage_id,
    action: row.action,
    event: row.event,
    status: row.status,
    dueAt: row.due_at,
    executedAt: row.executed_at,
    condition: row.condition,
    seen: row.seen === null ? null : (JSON.parse(row.seen) as Record<string, unknown>),
    detail: row.detail,
    made: row.made === null ? null : (JSON.parse(row.made) as Record<string, unknown>),
    chain: row.chain_id,
    hop: row.hop,
    operationId: row.operation_id,
  };
}

/** A job of an item that has not ended yet, for its timeline. */
export interface OpenJob {
  jobId: number;
  ruleId: number;
  status: 'pending' | 'waiting' | 'holding' | 'sending';
  dueAt: string | null;
  afterJobId: number | null;
}

/** An item's automation timeline (`item show`): what ran, then what is still to run. */
export interface AutomationTimeline {
  log: LogEntry[];
  open: OpenJob[];
}

export function automationTimeline(session: Session, itemId: number): AutomationTimeline {
  return {
    log: selectLogOfItem(session.db, itemId).map(toEntry),
    open: selectOpenJobsForTimeline(session.db, itemId).map(toOpen),
  };
}

function toOpen(job: JobRow): OpenJob {
  return {
    jobId: job.id,
    ruleId: job.rule_id,
    status: job.status as OpenJob['status'],
    dueAt: job.due_at,
    afterJobId: job.after_job_id,
  };
}

/** `automation log --item ID --explain`: why each rule ran, waited, was skipped or cancelled. */
export function explainItem(session: Session, itemId: number): string[] {
  const { log, open } = automationTimeline(session, itemId);
  const lines = log.map(explainEntry);
  for (const job of open) lines.push(explainOpen(job));
  return lines;
}

function seenText(seen: Record<string, unknown> | null): string {
  if (!seen) return '';
  const parts = Object.entries(seen).map(([field, value]) => `${field} = ${JSON.stringify(value)}`);
  return parts.length ? ` (it saw ${parts.join(', ')})` : '';
}

function explainEntry(entry: LogEntry): string {
  const at = entry.executedAt;
  if (entry.kind === 'trigger') {
    const who = `trigger #${entry.triggerId} (on ${entry.event})`;
    if (entry.status === 'skipped') {
      return `${at}: ${who} did not move the item: its condition ${entry.condition} did not hold${seenText(entry.seen)}.`;
    }
    if (entry.status === 'failed') return `${at}: ${who} could not move the item: ${entry.detail}.`;
    return `${at}: ${who} ${entry.detail}${entry.condition ? `, as its condition ${entry.condition} held${seenText(entry.seen)}` : ''}.`;
  }
  const who = `rule #${entry.ruleId} (${entry.action})`;
  const waited =
    entry.dueAt !== null && entry.jobId !== null ? `, having waited until ${entry.dueAt}` : '';
  switch (entry.status) {
    case 'done':
      return `${at}: ${who} ran${waited}${entry.condition ? `, as its condition ${entry.condition} held${seenText(entry.seen)}` : ''}: ${entry.detail}.`;
    case 'skipped':
      return `${at}: ${who} was skipped${waited}: its condition ${entry.condition} did not hold${seenText(entry.seen)}.`;
    case 'cancelled':
      return `${at}: ${who}${entry.dueAt ? `, due at ${entry.dueAt},` : ''} was cancelled: ${entry.detail}.`;
    default:
      return `${at}: ${who} failed${waited}: ${entry.detail}.`;
  }
}

function explainOpen(job: OpenJob): string {
  const who = `rule #${job.ruleId} (job ${job.jobId})`;
  switch (job.status) {
    case 'pending':
      return `${who} waits until ${job.dueAt} (crmctl automation run --until …).`;
    case 'waiting':
      return `${who} waits for job ${job.afterJobId}, the rule above it, to finish.`;
    case 'holding':
      return `${who} waits for its condition to hold; it is checked when the item changes and at each automation run.`;
    default:
      return `${who} has made its call and waits for the answer to be recorded.`;
  }
}
