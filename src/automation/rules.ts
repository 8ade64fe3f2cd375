import { parseDuration } from '../clock.js';
import { NotFoundError, UsageError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { getPipeline, stageOf } from '../pipelines/service.js';
import { nowIso, type Session } from '../session.js';
import { checkDisplayText } from '../text.js';
import type { ActionType } from './action.js';
import { actionTypeNamed, actionTypes } from './actions/index.js';
import { customFieldPrefix, itemFields } from './condition.js';
import {
  checkParamNames,
  conditionColumns,
  mergeParams,
  placeReader,
  switched,
  updatedCondition,
} from './definitions.js';
import { cancelJobsOfRule, forgetLoadedRules } from './engine.js';
import {
  deleteRule,
  insertRule,
  type RuleRow,
  selectOpenJobsOfRule,
  selectRule,
  selectRules,
  updateRuleRow,
} from './repo.js';
import { checkTemplate } from './template.js';

/**
 * Rules (DESIGN §2): the service behind `crmctl rule …`. A rule is read back as `Rule`
 * (listRules, getRule: what `pipeline show`, `rule lint` and the wizard read); it is added from
 * `RuleFlags`, the command's flags as a plain object, which a wizard can fill in instead.
 */

/** The flags of `rule add` as a plain object: what a wizard fills in, field by field. */
export interface RuleFlags {
  pipeline?: string;
  /** The entity type, to find the pipeline (default deal). */
  type?: string;
  stage?: string;
  action?: string;
  params?: Record<string, string>;
  if?: string;
  delay?: string;
  atField?: string;
  offset?: string;
  workingHours?: boolean;
  afterPrevious?: boolean;
  name?: string;
  disabled?: boolean;
}

/** The flags `rule add` cannot do without, in the order a wizard asks for them. */
export const requiredRuleFlags = ['stage', 'action'] as const;

/** The required flags left out (`--stage`, `--action`): a usage error names them without a terminal. */
export function missingRuleFlags(flags: RuleFlags): string[] {
  return requiredRuleFlags.filter((name) => flags[name] === undefined).map((name) => `--${name}`);
}

/** A rule as `rule list` / `rule show` print it (and as other features read it). */
export interface Rule {
  id: number;
  name: string | null;
  pipeline: { id: number; name: string };
  stage: { id: number; name: string };
  position: number;
  action: string;
  params: Record<string, string>;
  condition: string | null;
  /** `30m`, or null for none. */
  delay: string | null;
  atField: string | null;
  offset: string | null;
  workingHours: boolean;
  afterPrevious: boolean;
  enabled: boolean;
  /** One phrase: `immediately`, `after 2h`, `at fields.deadline -1d`, `…, in working hours`. */
  timing: string;
  createdAt: string;
  updatedAt: string;
}

export interface ActionInfo {
  name: string;
  description: string;
  parameters: {
    name: string;
    description: string;
    required: boolean;
    default: string | null;
    template: boolean;
  }[];
}

/** Every action type with its parameters (`rule actions`), in DESIGN's order. */
export function listActionTypes(): ActionInfo[] {
  return actionTypes.map((type) => ({
    name: type.name,
    description: type.description,
    parameters: type.parameters.map((p) => ({
      name: p.name,
      description: p.description,
      required: p.required === true,
      default: p.default ?? null,
      template: p.template === true,
    })),
  }));
}

export function actionTypeOf(name: string): ActionType {
  const type = actionTypeNamed(name);
  if (!type) {
    throw new UsageError(
      `--action: no action "${name}"; actions: ${actionTypes.map((t) => t.name).join(', ')} (see crmctl rule actions)`,
    );
  }
  return type;
}

/** Checks a rule's parameters: known names, required ones given, template fields, the action's own check. */
export function checkActionParams(
  session: Session,
  type: ActionType,
  params: Record<string, string>,
  where: { pipelineId: number; stageId: number },
): void {
  checkParamNames(type.name, params, type.parameters);
  for (const parameter of type.parameters) {
    const value = params[parameter.name];
    if (parameter.template && value !== undefined) checkTemplate(parameter.name, value, itemFields);
  }
  type.check?.(session, params, where);
}

interface Timing {
  delay_ms: number;
  at_field: string | null;
  offset_ms: number;
}

/** The date fields `--at-field` may name: built-in dates, or a custom field (NAME or fields.NAME). */
function atFieldOf(text: string): string {
  const name = text.trim();
  if (name === 'createdAt' || name === 'updatedAt') return name;
  const custom = name.startsWith(customFieldPrefix) ? name.slice(customFieldPrefix.length) : name;
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(custom)) {
    throw new UsageError(
      `--at-field "${text}": name a date field: createdAt, updatedAt, or a custom field such as deadline`,
    );
  }
  return `${customFieldPrefix}${custom}`;
}

function timingOf(
  flags: { delay?: string; atField?: string; offset?: string },
  before?: Timing,
): Timing {
  if (flags.delay !== undefined && flags.atField !== undefined) {
    throw new UsageError('--delay and --at-field are two timings: give one of them');
  }
  const timing: Timing = before ? { ...before } : { delay_ms: 0, at_field: null, offset_ms: 0 };
  if (flags.delay !== undefined) {
    const ms = parseDuration(flags.delay, '--delay');
    if (ms < 0)
      throw new UsageError(`--delay takes a duration forward in time, not "${flags.delay}"`);
    Object.assign(timing, { delay_ms: ms, at_field: null, offset_ms: 0 });
  }
  if (flags.atField !== undefined) {
    Object.assign(timing, { delay_ms: 0, at_field: atFieldOf(flags.atField), offset_ms: 0 });
  }
  if (flags.offset !== undefined) {
    if (timing.at_field === null)
      throw new UsageError('--offset moves an --at-field time: give --at-field too');
    timing.offset_ms = parseDuration(flags.offset, '--offset');
  }
  return timing;
}

/** `--name`: display text of 1 to 200 characters (no control characters). */
export function nameOf(text: string | undefined): string | null {
  if (text === undefined) return null;
  try {
    return checkDisplayText(text, 'a name', { min: 1, max: 200 });
  } catch (error) {
    throw new UsageError(`--name: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Adds a rule at the end of its stage's rules (needs automation.edit). */
export function addRule(session: Session, flags: RuleFlags): Rule {
  session.requireWrite('adding a rule');
  const missing = missingRuleFlags(flags);
  if (missing.length > 0)
    throw new UsageError(`missing ${missing.join(' and ')} (see crmctl rule add --help)`);
  const pipeline = getPipeline(session, flags.pipeline, flags.type);
  const stage = stageOf(pipeline, flags.stage ?? '');
  const type = actionTypeOf(flags.action ?? '');
  const params = { ...(flags.params ?? {}) };
  checkActionParams(session, type, params, { pipelineId: pipeline.id, stageId: stage.id });
  const timing = timingOf(flags);
  const at = nowIso(session);
  const id = insertRule(session.db, {
    pipeline_id: pipeline.id,
    stage_id: stage.id,
    name: nameOf(flags.name),
    action: type.name,
    params: JSON.stringify(params),
    ...conditionColumns(flags.if),
    ...timing,
    working_hours: flags.workingHours ? 1 : 0,
    after_previous: flags.afterPrevious ? 1 : 0,
    enabled: flags.disabled ? 0 : 1,
    created_at: at,
    updated_at: at,
  });
  forgetLoadedRules(session);
  const rule = getRule(session, id);
  recordChange(session, {
    action: 'created',
    entity: { type: 'rule', id },
    changes: ruleChanges(rule),
  });
  return rule;
}

function ruleChanges(rule: Rule): Record<string, unknown> {
  return {
    pipeline: rule.pipeline.name,
    stage: rule.stage.name,
    action: rule.action,
    params: rule.params,
    condition: rule.condition,
    timing: rule.timing,
  };
}

export interface ListRulesOptions {
  pipeline?: string;
  type?: string;
  stage?: string;
}

/** Rules in pipeline, stage and position order. */
export function listRules(session: Session, options: ListRulesOptions = {}): Rule[] {
  const filter: { pipelineId?: number; stageId?: number } = {};
  if (options.pipeline !== undefined || options.stage !== undefined || options.type !== undefined) {
    const pipeline = getPipeline(session, options.pipeline, options.type);
    filter.pipelineId = pipeline.id;
    if (options.stage !== undefined) filter.stageId = stageOf(pipeline, options.stage).id;
  }
  return toRules(session, selectRules(session.db, filter));
}

export function getRule(session: Session, id: number): Rule {
  const row = selectRule(session.db, id);
  if (!row) throw new NotFoundError(`no rule with id ${id} (see crmctl rule list)`);
  return toRules(session, [row])[0] as Rule;
}

export interface UpdateRuleOptions {
  name?: string;
  /** Parameters to set; an empty value removes one. */
  params?: Record<string, string>;
  if?: string;
  clearIf?: boolean;
  delay?: string;
  atField?: string;
  offset?: string;
  immediately?: boolean;
  workingHours?: boolean;
  afterPrevious?: boolean;
}

/** Changes a rule; its parameters are checked again as a whole. */
export function updateRule(session: Session, id: number, options: UpdateRuleOptions): Rule {
  session.requireWrite('changing a rule');
  const row = selectRule(session.db, id);
  if (!row) throw new NotFoundError(`no rule with id ${id} (see crmctl rule list)`);
  const condition = updatedCondition(row, options);
  const params = mergeParams(row.params, options.params);
  checkActionParams(session, actionTypeOf(row.action), params, {
    pipelineId: row.pipeline_id,
    stageId: row.stage_id,
  });
  let timing = timingOf(options, row);
  if (options.immediately) {
    if (options.delay !== undefined || options.atField !== undefined) {
      throw new UsageError('--immediately contradicts --delay and --at-field: give one of them');
    }
    timing = { delay_ms: 0, at_field: null, offset_ms: 0 };
  }
  const updated: RuleRow = {
    ...row,
    name: options.name === undefined ? row.name : nameOf(options.name),
    params: JSON.stringify(params),
    ...condition,
    ...timing,
    working_hours: switched(options.workingHours, row.working_hours),
    after_previous: switched(options.afterPrevious, row.after_previous),
    updated_at: nowIso(session),
  };
  updateRuleRow(session.db, updated);
  forgetLoadedRules(session);
  const rule = getRule(session, id);
  recordChange(session, {
    action: 'updated',
    entity: { type: 'rule', id },
    changes: ruleChanges(rule),
  });
  return rule;
}

/** Enables or disables a rule; disabling cancels its jobs that have not run (logged cancelled). */
export function setRuleEnabled(session: Session, id: number, enabled: boolean): Rule {
  session.requireWrite('changing a rule');
  const row = selectRule(session.db, id);
  if (!row) throw new NotFoundError(`no rule with id ${id} (see crmctl rule list)`);
  if ((row.enabled === 1) !== enabled) {
    updateRuleRow(session.db, { ...row, enabled: enabled ? 1 : 0, updated_at: nowIso(session) });
    forgetLoadedRules(session);
    if (!enabled)
      cancelJobsOfRule(session, selectOpenJobsOfRule(session.db, id), 'the rule was disabled');
    recordChange(session, {
      action: enabled ? 'enabled' : 'disabled',
      entity: { type: 'rule', id },
    });
  }
  return getRule(session, id);
}

/** Removes a rule; its jobs that have not run are cancelled (logged), its log stays. */
export function removeRule(session: Session, id: number): Rule {
  session.requireWrite('removing a rule');
  const rule = getRule(session, id);
  cancelJobsOfRule(session, selectOpenJobsOfRule(session.db, id), 'the rule was removed');
  deleteRule(session.db, id);
  forgetLoadedRules(session);
  recordChange(session, {
    action: 'removed',
    entity: { type: 'rule', id },
    changes: ruleChanges(rule),
  });
  return rule;
}

/** `1d4h` for milliseconds (the largest units first); `0s` for none. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  let text = '';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * size;
  }
  return `${sign}${text || '0s'}`;
}

function timingText(row: RuleRow): string {
  let text = 'immediately';
  if (row.at_field !== null) {
    text = `at ${row.at_field}${row.offset_ms === 0 ? '' : ` ${row.offset_ms > 0 ? '+' : ''}${formatDuration(row.offset_ms)}`}`;
  } else if (row.delay_ms > 0) text = `after ${formatDuration(row.delay_ms)}`;
  if (row.after_previous === 1) text = `after the previous rule, ${text}`;
  if (row.working_hours === 1) text += ', in working hours';
  return text;
}

function toRules(session: Session, rows: RuleRow[]): Rule[] {
  const placeOf = placeReader(session);
  return rows.map((row) => {
    return {
      id: row.id,
      name: row.name,
      ...placeOf(row.pipeline_id, row.stage_id),
      position: row.position,
      action: row.action,
      params: JSON.parse(row.params) as Record<string, string>,
      condition: row.condition_text,
      delay: row.delay_ms > 0 ? formatDuration(row.delay_ms) : null,
      atField: row.at_field,
      offset: row.at_field !== null && row.offset_ms !== 0 ? formatDuration(row.offset_ms) : null,
      workingHours: row.working_hours === 1,
      afterPrevious: row.after_previous === 1,
      enabled: row.enabled === 1,
      timing: timingText(row),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  });
}
