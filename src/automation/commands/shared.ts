import type { View } from '../../cli/output.js';
import { UsageError } from '../../errors.js';

/** `--param key=value`, repeatable, into an object without a prototype. */
export function collectParam(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError(`--param takes name=value, not "${value}"`);
  const params: Record<string, string> = Object.assign(Object.create(null), previous);
  params[value.slice(0, at).trim()] = value.slice(at + 1);
  return params;
}

const paramsCell = (value: unknown) =>
  Object.entries((value ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

export const ruleView: View = {
  fields: [
    'id',
    'name',
    'pipeline',
    'stage',
    'position',
    'action',
    'params',
    'condition',
    'timing',
    'delay',
    'atField',
    'offset',
    'workingHours',
    'afterPrevious',
    'enabled',
    'createdAt',
    'updatedAt',
  ],
  columns: ['id', 'pipeline', 'stage', 'position', 'action', 'timing', 'condition', 'enabled'],
  cells: { params: paramsCell },
};

export const triggerView: View = {
  fields: [
    'id',
    'name',
    'pipeline',
    'stage',
    'event',
    'params',
    'condition',
    'allowBack',
    'enabled',
    'createdAt',
    'updatedAt',
  ],
  columns: ['id', 'pipeline', 'stage', 'event', 'params', 'condition', 'allowBack', 'enabled'],
  cells: { params: paramsCell },
};

export const logView: View = {
  fields: [
    'id',
    'kind',
    'ruleId',
    'triggerId',
    'jobId',
    'itemId',
    'stageId',
    'action',
    'event',
    'status',
    'dueAt',
    'executedAt',
    'condition',
    'seen',
    'detail',
    'made',
    'chain',
    'hop',
    'operationId',
  ],
  columns: [
    'id',
    'executedAt',
    'itemId',
    'kind',
    'ruleId',
    'triggerId',
    'action',
    'event',
    'status',
    'detail',
  ],
};

/** The id of a rule or trigger argument. */
export function idOf(text: string, what: string): number {
  if (!/^\d{1,15}$/.test(text.trim()) || Number(text) < 1) {
    throw new UsageError(`${what} must be a positive whole number, not "${text}"`);
  }
  return Number(text);
}
