import type {
  PipelineAutomation,
  RuleView,
  StageAutomation,
  TriggerView,
} from '../pipelines/draw-model.js';
import { customFieldPrefix } from './condition-ast.js';
import { itemFields } from './condition-item.js';
import { templateFields } from './template.js';

/**
 * `rule lint`: what can be seen wrong in a pipeline's automation without running it. Pure, over
 * the plain structure `pipeline show` draws (src/pipelines/draw-model.ts).
 *
 * - `stage-loop`: stages that move items to each other automatically (change-stage rules, or a
 *   rule raising an event a trigger of the other stage takes): a loop the guard stops at 20 hops.
 * - `trigger-own-rule`: a trigger watching what a rule of its own stage changes (field-changed
 *   on a field a set-field rule sets, responsible-changed and change-responsible, …).
 * - `empty-date-field`: a rule timed on a date field an item may not have (custom fields).
 * - `unreached-stage`: rules on a stage no automation reaches (see `reachedStages`).
 * - `after-leaving`: an `--after-previous` rule below one that always takes the item away
 *   (change-stage to another stage; convert-lead in a lead pipeline): it never runs.
 * - `unknown-template-field`, `unknown-condition-field`: a custom field no item of the pipeline
 *   has and no rule sets (it reads empty).
 */
export type LintCode =
  | 'stage-loop'
  | 'trigger-own-rule'
  | 'empty-date-field'
  | 'unreached-stage'
  | 'after-leaving'
  | 'unknown-template-field'
  | 'unknown-condition-field';

export const lintCodes: readonly LintCode[] = [
  'stage-loop',
  'trigger-own-rule',
  'empty-date-field',
  'unreached-stage',
  'after-leaving',
  'unknown-template-field',
  'unknown-condition-field',
];

export interface LintFinding {
  code: LintCode;
  severity: 'warning';
  pipeline: { id: number; name: string };
  stage: { id: number; name: string };
  ruleId: number | null;
  triggerId: number | null;
  message: string;
}

export interface LintOptions {
  /** Custom field names (without `fields.`) items of the pipeline's type have. */
  customFields: readonly string[];
  /** The parameters of an action that take `{{field}}` placeholders; all of them when unknown. */
  templateParameters?: (action: string) => readonly string[] | undefined;
  /** Codes not to report (`--ignore`). */
  ignore?: readonly LintCode[];
}

/** The event a rule's action raises for the same item, with the fields it changes. */
function raisedEvent(rule: RuleView): { event: string; fields: string[] } | undefined {
  switch (rule.action) {
    case 'set-field':
      return rule.params.field === undefined
        ? undefined
        : { event: 'field-changed', fields: [fieldName(rule.params.field)] };
    case 'change-responsible':
      return { event: 'responsible-changed', fields: ['responsible'] };
    case 'send-email':
      return { event: 'email-sent', fields: [] };
    case 'complete-tasks':
      return { event: 'task-completed', fields: [] };
  }
  return undefined;
}

/** `fields.colour` and `colour` (not a built-in) are the custom field `fields.colour`. */
function fieldName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.startsWith(customFieldPrefix) || Object.hasOwn(itemFields.builtIn, trimmed)) {
    return trimmed;
  }
  return `${customFieldPrefix}${trimmed}`;
}

function watchedFields(trigger: TriggerView): string[] {
  return (trigger.params.fields ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map(fieldName);
}

/** Whether `trigger`'s event, raised by `rule`, is one the trigger takes. */
function takes(trigger: TriggerView, raised: { event: string; fields: string[] }): string[] | null {
  if (trigger.event !== raised.event) return null;
  if (raised.event !== 'field-changed') return [];
  const watched = watchedFields(trigger);
  // A field-changed trigger watching nothing in particular takes every change.
  if (watched.length === 0) return raised.fields;
  const common = raised.fields.filter((f) => watched.includes(f));
  return common.length > 0 ? common : null;
}

interface Move {
  from: number;
  to: number;
  rule: RuleView;
  trigger: TriggerView | null;
  /** The fields through which the rule fires the trigger. */
  fields: string[];
}

const enabledRules = (stage: StageAutomation) => stage.rules.filter((r) => r.enabled);
const enabledTriggers = (stage: StageAutomation) => stage.triggers.filter((t) => t.enabled);

function stageIndex(automation: PipelineAutomation, ref: string): number {
  const byId = automation.stages.findIndex((s) => String(s.id) === ref.trim());
  if (byId >= 0) return byId;
  const name = ref.trim().toLowerCase();
  return automation.stages.findIndex((s) => s.name.toLowerCase() === name);
}

/** Whether a trigger on stage `to` may move an item that is in stage `from` (DESIGN §2). */
function mayMove(automation: PipelineAutomation, from: number, to: number, trigger: TriggerView) {
  const final = automation.stages[from]?.semantic !== 'process';
  if (trigger.allowBack) return true;
  return !final && to > from;
}

/** Every automatic move entering a stage can cause, by stage index. */
function automaticMoves(automation: PipelineAutomation): Move[] {
  const moves: Move[] = [];
  automation.stages.forEach((stage, from) => {
    for (const rule of enabledRules(stage)) {
      if (rule.action === 'change-stage' && rule.params.stage !== undefined) {
        const to = stageIndex(automation, rule.params.stage);
        if (to >= 0) moves.push({ from, to, rule, trigger: null, fields: [] });
        continue;
      }
      const raised = raisedEvent(rule);
      if (!raised) continue;
      automation.stages.forEach((target, to) => {
        for (const trigger of enabledTriggers(target)) {
          const fields = takes(trigger, raised);
          if (fields && mayMove(automation, from, to, trigger)) {
            moves.push({ from, to, rule, trigger, fields });
          }
        }
      });
    }
  });
  return moves;
}

/**
 * The stages automation reaches: the first stage (items are created there unless told
 * otherwise, and calls, emails and forms make their leads there), every stage with an enabled
 * trigger (an event can move an item there from anywhere), and every stage an enabled
 * change-stage rule of a reached stage moves items to. A person can still move or create an
 * item anywhere, so a rule elsewhere is not dead, but it runs only by hand: worth a warning.
 */
export function reachedStages(automation: PipelineAutomation): Set<number> {
  const reached = new Set<number>();
  const queue: number[] = [];
  const reach = (index: number) => {
    if (index >= 0 && !reached.has(index)) {
      reached.add(index);
      queue.push(index);
    }
  };
  if (automation.stages.length > 0) reach(0);
  automation.stages.forEach((stage, i) => {
    if (enabledTriggers(stage).length > 0) reach(i);
  });
  const moves = automaticMoves(automation).filter((m) => m.trigger === null);
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const move of moves) if (move.from === next) reach(move.to);
  }
  return reached;
}

/** Strongly connected components of the move graph (Tarjan), each as stage indexes. */
function components(count: number, moves: Move[]): number[][] {
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const found: number[][] = [];
  let counter = 0;
  const visit = (v: number) => {
    index[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = true;
    for (const move of moves) {
      if (move.from !== v) continue;
      const w = move.to;
      if (index[w] === -1) {
        visit(w);
        low[v] = Math.min(low[v] ?? 0, low[w] ?? 0);
      } else if (onStack[w]) {
        low[v] = Math.min(low[v] ?? 0, index[w] ?? 0);
      }
    }
    if (low[v] === index[v]) {
      const component: number[] = [];
      let w: number | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack[w] = false;
        component.push(w);
      } while (w !== v);
      found.push(component.sort((a, b) => a - b));
    }
  };
  for (let v = 0; v < count; v++) if (index[v] === -1) visit(v);
  return found;
}

/** A shortest cycle from the component's first stage back to it, as the moves taken. */
function cycleIn(component: number[], moves: Move[]): Move[] {
  const start = component[0] ?? 0;
  const inside = moves.filter((m) => component.includes(m.from) && component.includes(m.to));
  const via = new Map<number, Move>();
  const queue = [start];
  for (let v = queue.shift(); v !== undefined; v = queue.shift()) {
    for (const move of inside) {
      if (move.from !== v) continue;
      if (move.to === start) {
        const path = [move];
        for (let at = v; at !== start; ) {
          const step = via.get(at);
          if (!step) break;
          path.unshift(step);
          at = step.from;
        }
        return path;
      }
      if (!via.has(move.to) && move.to !== start) {
        via.set(move.to, move);
        queue.push(move.to);
      }
    }
  }
  return [];
}

const quoted = (name: string) => `"${name}"`;

function moveSentence(automation: PipelineAutomation, move: Move): string {
  const from = quoted(automation.stages[move.from]?.name ?? '?');
  const to = quoted(automation.stages[move.to]?.name ?? '?');
  if (!move.trigger)
    return `rule #${move.rule.id} (change-stage) moves items from ${from} to ${to}`;
  const what = move.fields.length > 0 ? ` ${move.fields.join(', ')}` : '';
  return `rule #${move.rule.id} (${move.rule.action}${what}) on ${from} fires trigger #${move.trigger.id} (${move.trigger.event}), which moves items to ${to}`;
}

/**
 * The enabled `--after-previous` rules of a stage that wait for a rule that always takes the item
 * away (no condition; change-stage to another stage, or convert-lead, which moves a lead to its
 * success stage). Disabled rules are left out of their chain, as the engine hands their place on.
 * (add-to-exceptions is not counted: when it fails, the item stays and the rule below runs.)
 */
function leavingChains(
  stage: StageAutomation,
  type: string,
): { rule: RuleView; leaving: RuleView }[] {
  const found: { rule: RuleView; leaving: RuleView }[] = [];
  let leaving: RuleView | undefined;
  for (const rule of enabledRules(stage)) {
    if (!rule.timing.afterPrevious) leaving = undefined;
    else if (leaving) {
      found.push({ rule, leaving });
      continue;
    }
    if (rule.condition === null && takesAway(rule, stage, type)) leaving = rule;
  }
  return found;
}

function takesAway(rule: RuleView, stage: StageAutomation, type: string): boolean {
  if (rule.action === 'convert-lead') return type === 'lead' && stage.semantic !== 'success';
  if (rule.action !== 'change-stage' || rule.params.stage === undefined) return false;
  const ref = rule.params.stage.trim().toLowerCase();
  return ref !== String(stage.id) && ref !== stage.name.toLowerCase();
}

/** Lints one pipeline's automation; findings in stage order, then rule/trigger id. */
export function lintAutomation(
  automation: PipelineAutomation,
  options: LintOptions,
): LintFinding[] {
  const findings: LintFinding[] = [];
  const pipeline = { id: automation.pipeline.id, name: automation.pipeline.name };
  const add = (
    code: LintCode,
    stage: StageAutomation,
    ids: { ruleId?: number; triggerId?: number },
    message: string,
  ) => {
    if (options.ignore?.includes(code)) return;
    findings.push({
      code,
      severity: 'warning',
      pipeline,
      stage: { id: stage.id, name: stage.name },
      ruleId: ids.ruleId ?? null,
      triggerId: ids.triggerId ?? null,
      message,
    });
  };
  const moves = automaticMoves(automation);

  for (const component of components(automation.stages.length, moves)) {
    const selfMoves = moves.filter((m) => m.from === m.to && m.from === component[0]);
    if (component.length === 1 && selfMoves.length === 0) continue;
    if (component.length === 1) {
      for (const move of selfMoves) {
        const stage = automation.stages[move.from];
        if (!stage || move.trigger) continue; // trigger-own-rule says it below
        add(
          'stage-loop',
          stage,
          { ruleId: move.rule.id },
          `rule #${move.rule.id} (change-stage) moves items into ${quoted(stage.name)}, its own stage: every entry runs the stage's rules again, until the loop guard stops the chain after 20 hops`,
        );
      }
      continue;
    }
    const cycle = cycleIn(component, moves);
    const first = cycle[0];
    const stage = first ? automation.stages[first.from] : undefined;
    if (!first || !stage) continue;
    const names = [...cycle.map((m) => automation.stages[m.from]?.name ?? '?'), stage.name];
    add(
      'stage-loop',
      stage,
      { ruleId: first.rule.id, triggerId: first.trigger?.id },
      `${names.map(quoted).join(' → ')}: ${cycle.map((m) => moveSentence(automation, m)).join('; ')}; an item entering any of them goes round until the loop guard stops the chain after 20 hops`,
    );
  }

  const reached = reachedStages(automation);
  const known = new Set(options.customFields.map((f) => `${customFieldPrefix}${f}`));
  for (const stage of automation.stages) {
    for (const rule of enabledRules(stage)) {
      const raised = rule.action === 'set-field' ? raisedEvent(rule) : undefined;
      for (const field of raised?.fields ?? []) known.add(field);
    }
  }
  const unknownCustom = (field: string) => field.startsWith(customFieldPrefix) && !known.has(field);
  const conditionReads = (
    stage: StageAutomation,
    who: string,
    ids: { ruleId?: number; triggerId?: number },
    fields: readonly string[],
  ) => {
    for (const field of fields.filter(unknownCustom)) {
      add(
        'unknown-condition-field',
        stage,
        ids,
        `${who}: its condition reads ${field}, but no item of this pipeline has it and no rule sets it, so it is always empty`,
      );
    }
  };

  automation.stages.forEach((stage, index) => {
    for (const trigger of enabledTriggers(stage)) {
      for (const rule of enabledRules(stage)) {
        const raised = raisedEvent(rule);
        const fields = raised ? takes(trigger, raised) : null;
        if (!fields) continue;
        const what =
          trigger.event === 'field-changed'
            ? `watches ${fields.join(', ')}, which rule #${rule.id} (${rule.action}) of the same stage changes`
            : `takes ${trigger.event}, which rule #${rule.id} (${rule.action}) of the same stage causes`;
        add(
          'trigger-own-rule',
          stage,
          { ruleId: rule.id, triggerId: trigger.id },
          trigger.allowBack
            ? `trigger #${trigger.id} on ${quoted(stage.name)} ${what}: with --allow-back each entry moves the item into ${quoted(stage.name)} again, a loop the guard stops after 20 hops`
            : `trigger #${trigger.id} on ${quoted(stage.name)} ${what}: the item is already there, so that change never moves it; put the rule on an earlier stage or stop watching the field`,
        );
      }
      const who = `trigger #${trigger.id}`;
      conditionReads(stage, who, { triggerId: trigger.id }, trigger.conditionFields);
    }

    leavingChains(stage, automation.pipeline.type).forEach(({ rule, leaving }) => {
      add(
        'after-leaving',
        stage,
        { ruleId: rule.id },
        `rule #${rule.id} runs after rule #${leaving.id} (${leaving.action}), which always takes the item out of ${quoted(stage.name)}: leaving the stage cancels it, so it never runs`,
      );
    });

    for (const rule of enabledRules(stage)) {
      const at = rule.timing.atField;
      if (at !== null && fieldName(at).startsWith(customFieldPrefix)) {
        add(
          'empty-date-field',
          stage,
          { ruleId: rule.id },
          `rule #${rule.id} waits for ${fieldName(at)}, which an item may not have: for an item without it the rule cannot be timed; give the field a value on entry (a set-field rule of an earlier stage) or time the rule with --delay`,
        );
      }
      if (!reached.has(index)) {
        add(
          'unreached-stage',
          stage,
          { ruleId: rule.id },
          `rule #${rule.id} is on ${quoted(stage.name)}, which no trigger or change-stage rule leads to and which is not the first stage: it runs only when a person moves or creates an item there`,
        );
      }
      const templated = options.templateParameters?.(rule.action) ?? Object.keys(rule.params);
      for (const parameter of templated) {
        const text = rule.params[parameter];
        if (text === undefined) continue;
        for (const field of templateFields(text)) {
          const unknown = field.startsWith(customFieldPrefix)
            ? unknownCustom(field)
            : !Object.hasOwn(itemFields.builtIn, field);
          if (!unknown) continue;
          add(
            'unknown-template-field',
            stage,
            { ruleId: rule.id },
            `rule #${rule.id}: {{${field}}} in --param ${parameter} names a field no item of this pipeline has and no rule sets: it will be filled in empty`,
          );
        }
      }
      conditionReads(stage, `rule #${rule.id}`, { ruleId: rule.id }, rule.conditionFields);
    }
  });
  const order = new Map(automation.stages.map((s, i) => [s.id, i]));
  return findings.sort(
    (a, b) =>
      (order.get(a.stage.id) ?? 0) - (order.get(b.stage.id) ?? 0) ||
      lintCodes.indexOf(a.code) - lintCodes.indexOf(b.code) ||
      (a.ruleId ?? 0) - (b.ruleId ?? 0) ||
      (a.triggerId ?? 0) - (b.triggerId ?? 0),
  );
}
