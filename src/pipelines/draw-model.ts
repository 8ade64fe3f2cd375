import type { Semantic } from './repo.js';

/**
 * A pipeline's automation as plain data: its stages in order, each with its triggers and rules.
 * `pipeline show` draws it, `rule lint` checks it; the engine's rules and triggers map onto it
 * (src/automation/lint-source.ts), so neither the drawing nor the lint reads a table.
 */
export interface PipelineAutomation {
  pipeline: { id: number; name: string; type: string; isDefault: boolean };
  stages: StageAutomation[];
}

export interface StageAutomation {
  id: number;
  name: string;
  semantic: Semantic;
  /** How many items the stage holds now (shown under its name). */
  items: number;
  triggers: TriggerView[];
  /** In position order: the order they start in, and the chains of `afterPrevious`. */
  rules: RuleView[];
}

export interface RuleView {
  id: number;
  name: string | null;
  action: string;
  params: Readonly<Record<string, string>>;
  /** The condition as `formatCondition` writes it, or null. */
  condition: string | null;
  /** The fields the condition reads (`fieldsOf`), for lint. */
  conditionFields: readonly string[];
  timing: RuleTiming;
  enabled: boolean;
}

export interface RuleTiming {
  /** `--delay`, in milliseconds; null when none. */
  delayMs: number | null;
  /** `--at-field`: a date field of the item (`fields.deadline`, `createdAt`); null when none. */
  atField: string | null;
  /** `--offset` from the at-field, in milliseconds (negative: before it). */
  offsetMs: number;
  workingHours: boolean;
  afterPrevious: boolean;
}

export interface TriggerView {
  id: number;
  name: string | null;
  /** The event it listens to (`payment-received`, `field-changed`, …). */
  event: string;
  /** Event parameters: `fields` (comma-separated, for field-changed), `code` (webhook), … */
  params: Readonly<Record<string, string>>;
  condition: string | null;
  conditionFields: readonly string[];
  allowBack: boolean;
  enabled: boolean;
}

export const immediately: RuleTiming = {
  delayMs: null,
  atField: null,
  offsetMs: 0,
  workingHours: false,
  afterPrevious: false,
};

const units: [string, number][] = [
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/**
 * A duration as `--delay` takes it back: `2h`, `1d4h`, `90s` stays `1m30s`; weeks only when
 * whole (`1w`, but `10d`, not `1w3d`: people count days). Sub-second remainders are dropped.
 */
export function formatDuration(ms: number): string {
  let left = Math.abs(Math.trunc(ms / 1000) * 1000);
  if (left === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of units) {
    if (unit === 'w' && left % size !== 0) continue;
    const count = Math.floor(left / size);
    if (count > 0) {
      parts.push(`${count}${unit}`);
      left -= count * size;
    }
  }
  return `${ms < 0 ? '-' : ''}${parts.join('')}`;
}

/**
 * The rule's timing in the words of the CRM's screen: `immediately`, `after 2h`,
 * `1d before fields.deadline`, `after previous, then after 30m`, `in working hours` (the next working time).
 */
export function timingText(timing: RuleTiming): string {
  const parts: string[] = [];
  if (timing.afterPrevious) parts.push('after previous');
  if (timing.delayMs !== null && timing.delayMs !== 0) {
    parts.push(`${parts.length > 0 ? 'then ' : ''}after ${formatDuration(timing.delayMs)}`);
  }
  if (timing.atField !== null) {
    const offset = formatDuration(timing.offsetMs);
    parts.push(
      timing.offsetMs === 0
        ? `at ${timing.atField}`
        : `${offset.replace(/^-/, '')} ${timing.offsetMs < 0 ? 'before' : 'after'} ${timing.atField}`,
    );
  }
  if (timing.workingHours) parts.push('in working hours');
  else if (parts.length === 0) parts.push('immediately');
  return parts.join(', ');
}
