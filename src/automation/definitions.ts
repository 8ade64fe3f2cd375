import { UsageError } from '../errors.js';
import { getPipeline, type Pipeline } from '../pipelines/service.js';
import type { Session } from '../session.js';
import { conditionToJson, formatCondition, itemFields, parseCondition } from './condition.js';

/** What rules and triggers share as they are added and read back (rules.ts, triggers.ts). */

/** A parameter a rule's action or a trigger's event takes. */
export interface DeclaredParameter {
  name: string;
  description: string;
  required?: boolean;
}

/** Unknown names and missing required values are usage errors naming the --param. */
export function checkParamNames(
  owner: string,
  params: Record<string, string>,
  declared: readonly DeclaredParameter[],
): void {
  const known = new Set(declared.map((p) => p.name));
  for (const name of Object.keys(params)) {
    if (!known.has(name)) {
      throw new UsageError(
        `--param ${name}: ${owner} has no parameter "${name}"${
          known.size ? `; it takes ${[...known].join(', ')}` : '; it takes none'
        }`,
      );
    }
  }
  for (const parameter of declared) {
    if (parameter.required && !(params[parameter.name] ?? '').trim()) {
      throw new UsageError(
        `--param ${parameter.name}=… is required for ${owner} (${parameter.description})`,
      );
    }
  }
}

/** Stored parameters with `changes` applied: an empty value removes one. */
export function mergeParams(stored: string, changes: Record<string, string> | undefined) {
  const params = JSON.parse(stored) as Record<string, string>;
  for (const [key, value] of Object.entries(changes ?? {})) {
    if (value === '') delete params[key];
    else params[key] = value;
  }
  return params;
}

/** `--if`: parsed now (errors point at the column), stored as JSON and in canonical text. */
export function conditionColumns(text: string | undefined): {
  condition: string | null;
  condition_text: string | null;
} {
  if (text === undefined) return { condition: null, condition_text: null };
  const parsed = parseCondition(text, itemFields);
  return { condition: conditionToJson(parsed), condition_text: formatCondition(parsed) };
}

/** The condition columns after an update's `--if` / `--clear-if`. */
export function updatedCondition(
  row: { condition: string | null; condition_text: string | null },
  options: { if?: string; clearIf?: boolean },
) {
  if (options.if !== undefined && options.clearIf) {
    throw new UsageError('--if and --clear-if contradict each other: give one of them');
  }
  if (options.clearIf) return { condition: null, condition_text: null };
  return options.if === undefined
    ? { condition: row.condition, condition_text: row.condition_text }
    : conditionColumns(options.if);
}

/** A flag that switches something on or off, as stored (1 / 0), or as it was when not given. */
export function switched(given: boolean | undefined, stored: number): number {
  return given === undefined ? stored : given ? 1 : 0;
}

/** Reads a rule's or trigger's place by ids, each pipeline looked up once. */
export function placeReader(session: Session) {
  const pipelines = new Map<number, Pipeline>();
  return (pipelineId: number, stageId: number) => {
    let pipeline = pipelines.get(pipelineId);
    if (!pipeline) {
      pipeline = getPipeline(session, String(pipelineId));
      pipelines.set(pipelineId, pipeline);
    }
    const stage = pipeline.stages.find((s) => s.id === stageId);
    return {
      pipeline: { id: pipeline.id, name: pipeline.name },
      stage: { id: stageId, name: stage?.name ?? `#${stageId}` },
    };
  };
}
