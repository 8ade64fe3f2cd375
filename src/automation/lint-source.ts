import { parseDuration } from '../clock.js';
import { countItemsByStage, listItems } from '../items/service.js';
import type { PipelineAutomation, RuleView, TriggerView } from '../pipelines/draw-model.js';
import type { Pipeline } from '../pipelines/service.js';
import type { Session } from '../session.js';
import { actionTypeNamed } from './actions/index.js';
import { fieldsOf, itemFields, parseCondition } from './condition.js';
import { type LintCode, type LintFinding, lintAutomation } from './lint.js';
import { listRules, type Rule } from './rules.js';
import { listTriggers, type Trigger } from './triggers.js';

/**
 * The engine's rules and triggers of one pipeline as the plain structure the picture draws and
 * `rule lint` checks (src/pipelines/draw-model.ts): the one place that knows both shapes.
 */
export function pipelineAutomation(session: Session, pipeline: Pipeline): PipelineAutomation {
  return automationOf(session, pipeline).automation;
}

/** The pipeline's rules and triggers as the engine gives them, and as the plain structure. */
export function automationOf(
  session: Session,
  pipeline: Pipeline,
): { automation: PipelineAutomation; rules: Rule[]; triggers: Trigger[] } {
  const rules = listRules(session, { pipeline: String(pipeline.id) }).sort(
    (a, b) => a.position - b.position || a.id - b.id,
  );
  const triggers = listTriggers(session, { pipeline: String(pipeline.id) });
  const counts = countItemsByStage(session, pipeline.id);
  const automation: PipelineAutomation = {
    pipeline: {
      id: pipeline.id,
      name: pipeline.name,
      type: pipeline.type,
      isDefault: pipeline.isDefault,
    },
    stages: pipeline.stages.map((stage) => ({
      id: stage.id,
      name: stage.name,
      semantic: stage.semantic,
      items: counts.get(stage.id) ?? 0,
      triggers: triggers.filter((t) => t.stage.id === stage.id).map(triggerView),
      rules: rules.filter((r) => r.stage.id === stage.id).map(ruleView),
    })),
  };
  return { automation, rules, triggers };
}

/** The fields a stored condition reads (it was checked when added: it parses). */
function conditionFields(text: string | null): string[] {
  if (text === null) return [];
  try {
    return fieldsOf(parseCondition(text, itemFields));
  } catch {
    return [];
  }
}

function ruleView(rule: Rule): RuleView {
  return {
    id: rule.id,
    name: rule.name,
    action: rule.action,
    params: rule.params,
    condition: rule.condition,
    conditionFields: conditionFields(rule.condition),
    timing: {
      delayMs: rule.delay === null ? null : parseDuration(rule.delay, 'delay'),
      atField: rule.atField,
      offsetMs: rule.offset === null ? 0 : parseDuration(rule.offset, 'offset'),
      workingHours: rule.workingHours,
      afterPrevious: rule.afterPrevious,
    },
    enabled: rule.enabled,
  };
}

function triggerView(trigger: Trigger): TriggerView {
  return {
    id: trigger.id,
    name: trigger.name,
    event: trigger.event,
    params: trigger.params,
    condition: trigger.condition,
    conditionFields: conditionFields(trigger.condition),
    allowBack: trigger.allowBack,
    enabled: trigger.enabled,
  };
}

/** The custom field names items of a type have (read as a stream: memory stays flat). */
export function customFieldsOfType(session: Session, type: string): string[] {
  const names = new Set<string>();
  for (const item of listItems(session, { type }).rows) {
    for (const name of Object.keys(item.fields)) names.add(name);
  }
  return [...names].sort();
}

/**
 * `rule lint` of one pipeline, against the custom fields of its type's items (read once per type
 * when `fieldsOfType` is shared between calls) and the action types' template parameters.
 */
export function lintPipeline(
  session: Session,
  pipeline: Pipeline,
  ignore: readonly LintCode[] = [],
  fieldsOfType: Map<string, string[]> = new Map(),
): LintFinding[] {
  let customFields = fieldsOfType.get(pipeline.type);
  if (!customFields) {
    customFields = customFieldsOfType(session, pipeline.type);
    fieldsOfType.set(pipeline.type, customFields);
  }
  return lintAutomation(pipelineAutomation(session, pipeline), {
    customFields,
    templateParameters: (action) =>
      actionTypeNamed(action)
        ?.parameters.filter((p) => p.template)
        .map((p) => p.name),
    ignore,
  });
}
