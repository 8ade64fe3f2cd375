import { NotFoundError, UsageError } from '../errors.js';
import { outsideEventNames } from '../events.js';
import { recordChange } from '../history/service.js';
import { getPipeline, stageOf } from '../pipelines/service.js';
import { nowIso, type Session } from '../session.js';
import {
  checkParamNames,
  conditionColumns,
  mergeParams,
  placeReader,
  switched,
  updatedCondition,
} from './definitions.js';
import { forgetLoadedRules, normaliseField } from './engine.js';
import {
  deleteTrigger,
  insertTrigger,
  selectTrigger,
  selectTriggers,
  type TriggerRow,
  updateTriggerRow,
} from './repo.js';
import { nameOf } from './rules.js';

/**
 * Triggers (seed 004, DESIGN §2): the service behind `crmctl trigger …`. Read back as `Trigger`
 * (listTriggers, getTrigger: what `pipeline show`, `rule lint` and the wizard read); added from
 * `TriggerFlags`, the command's flags as a plain object a wizard can fill in.
 */

export interface EventInfo {
  name: string;
  description: string;
  /** What a trigger for it may be given (`--param`), and whether it must. */
  triggerParams: { name: string; description: string; required: boolean }[];
  /** What the event carries when fired (`crmctl event NAME --param k=v`). */
  eventParams: { name: string; description: string }[];
}

/** The events of DESIGN §2, with their parameters (`trigger events`). */
export const triggerEvents: readonly EventInfo[] = [
  {
    name: 'email-opened',
    description: 'the customer opened an email',
    triggerParams: [],
    eventParams: [],
  },
  {
    name: 'email-received',
    description: 'an email came from the customer (email incoming)',
    triggerParams: [],
    eventParams: [
      { name: 'from', description: 'the sender' },
      { name: 'subject', description: 'the subject' },
    ],
  },
  {
    name: 'email-sent',
    description: 'an email was sent to the customer',
    triggerParams: [],
    eventParams: [],
  },
  {
    name: 'call-incoming',
    description: 'the customer called (call incoming)',
    triggerParams: [],
    eventParams: [{ name: 'from', description: 'the caller' }],
  },
  {
    name: 'call-missed',
    description: 'a call from the customer was missed',
    triggerParams: [],
    eventParams: [],
  },
  {
    name: 'payment-received',
    description: 'the customer paid',
    triggerParams: [],
    eventParams: [{ name: 'amount', description: 'the amount paid' }],
  },
  {
    name: 'task-completed',
    description: 'a task of the item was completed (task complete)',
    triggerParams: [],
    eventParams: [{ name: 'taskId', description: 'the task id' }],
  },
  {
    name: 'responsible-changed',
    description: 'the item got another responsible person (item update --responsible)',
    triggerParams: [],
    eventParams: [],
  },
  {
    name: 'field-changed',
    description: 'a watched field of the item changed (item update)',
    triggerParams: [
      {
        name: 'fields',
        description: 'the watched fields, comma-separated (amount, deadline, …)',
        required: true,
      },
    ],
    eventParams: [{ name: 'fields', description: 'the fields that changed, comma-separated' }],
  },
  {
    name: 'form-submitted',
    description: 'the customer submitted a form',
    triggerParams: [],
    eventParams: [],
  },
  {
    name: 'document-viewed',
    description: 'the customer viewed a document',
    triggerParams: [],
    eventParams: [],
  },
  {
    name: 'webhook',
    description: 'an outside system called in with a code',
    triggerParams: [{ name: 'code', description: 'the code the call must carry', required: true }],
    eventParams: [{ name: 'code', description: 'the code of the call' }],
  },
];

/** Every event name `--on` and `crmctl event` take. */
export const triggerEventNames: readonly string[] = triggerEvents.map((e) => e.name);

// The outside events of src/events.ts are all here (a check when either list changes).
for (const name of outsideEventNames) {
  if (!triggerEventNames.includes(name))
    throw new Error(`event ${name} is missing from triggerEvents`);
}

export function eventInfo(name: string): EventInfo {
  const info = triggerEvents.find((e) => e.name === name);
  if (!info) {
    throw new UsageError(
      `no event "${name}"; events: ${triggerEventNames.join(', ')} (see crmctl trigger events)`,
    );
  }
  return info;
}

export interface TriggerFlags {
  pipeline?: string;
  type?: string;
  stage?: string;
  on?: string;
  params?: Record<string, string>;
  if?: string;
  allowBack?: boolean;
  name?: string;
}

export const requiredTriggerFlags = ['stage', 'on'] as const;

export function missingTriggerFlags(flags: TriggerFlags): string[] {
  return requiredTriggerFlags
    .filter((name) => flags[name] === undefined)
    .map((name) => `--${name}`);
}

export interface Trigger {
  id: number;
  name: string | null;
  pipeline: { id: number; name: string };
  stage: { id: number; name: string };
  event: string;
  params: Record<string, string>;
  condition: string | null;
  allowBack: boolean;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

function checkTriggerParams(
  event: EventInfo,
  params: Record<string, string>,
): Record<string, string> {
  checkParamNames(`a ${event.name} trigger`, params, event.triggerParams);
  const checked = { ...params };
  if (checked.fields !== undefined) {
    const fields = checked.fields.split(',').map(normaliseField).filter(Boolean);
    for (const field of fields) {
      const custom = field.startsWith('fields.') ? field.slice(7) : null;
      if (custom !== null && !/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(custom)) {
        throw new UsageError(`--param fields: "${custom}" is not a field name`);
      }
    }
    checked.fields = fields.join(',');
  }
  return checked;
}

export function addTrigger(session: Session, flags: TriggerFlags): Trigger {
  session.requireWrite('adding a trigger');
  const missing = missingTriggerFlags(flags);
  if (missing.length > 0)
    throw new UsageError(`missing ${missing.join(' and ')} (see crmctl trigger add --help)`);
  const pipeline = getPipeline(session, flags.pipeline, flags.type);
  const stage = stageOf(pipeline, flags.stage ?? '');
  const event = eventInfo(flags.on ?? '');
  const params = checkTriggerParams(event, flags.params ?? {});
  const at = nowIso(session);
  const id = insertTrigger(session.db, {
    pipeline_id: pipeline.id,
    stage_id: stage.id,
    name: nameOf(flags.name),
    event: event.name,
    params: JSON.stringify(params),
    ...conditionColumns(flags.if),
    allow_back: flags.allowBack ? 1 : 0,
    enabled: 1,
    created_at: at,
    updated_at: at,
  });
  forgetLoadedRules(session);
  const trigger = getTrigger(session, id);
  recordChange(session, {
    action: 'created',
    entity: { type: 'trigger', id },
    changes: triggerChanges(trigger),
  });
  return trigger;
}

function triggerChanges(trigger: Trigger): Record<string, unknown> {
  return {
    pipeline: trigger.pipeline.name,
    stage: trigger.stage.name,
    event: trigger.event,
    params: trigger.params,
    condition: trigger.condition,
    allowBack: trigger.allowBack,
  };
}

export function listTriggers(
  session: Session,
  options: { pipeline?: string; type?: string; stage?: string; on?: string } = {},
): Trigger[] {
  const filter: { pipelineId?: number; stageId?: number; event?: string } = {};
  if (options.pipeline !== undefined || options.stage !== undefined || options.type !== undefined) {
    const pipeline = getPipeline(session, options.pipeline, options.type);
    filter.pipelineId = pipeline.id;
    if (options.stage !== undefined) filter.stageId = stageOf(pipeline, options.stage).id;
  }
  if (options.on !== undefined) filter.event = eventInfo(options.on).name;
  return toTriggers(session, selectTriggers(session.db, filter));
}

export function getTrigger(session: Session, id: number): Trigger {
  const row = selectTrigger(session.db, id);
  if (!row) throw new NotFoundError(`no trigger with id ${id} (see crmctl trigger list)`);
  return toTriggers(session, [row])[0] as Trigger;
}

export interface UpdateTriggerOptions {
  name?: string;
  on?: string;
  params?: Record<string, string>;
  if?: string;
  clearIf?: boolean;
  allowBack?: boolean;
}

export function updateTrigger(
  session: Session,
  id: number,
  options: UpdateTriggerOptions,
): Trigger {
  session.requireWrite('changing a trigger');
  const row = selectTrigger(session.db, id);
  if (!row) throw new NotFoundError(`no trigger with id ${id} (see crmctl trigger list)`);
  const condition = updatedCondition(row, options);
  const event = eventInfo(options.on ?? row.event);
  const params = mergeParams(
    options.on !== undefined && options.on !== row.event ? '{}' : row.params,
    options.params,
  );
  const updated: TriggerRow = {
    ...row,
    name: options.name === undefined ? row.name : nameOf(options.name),
    event: event.name,
    params: JSON.stringify(checkTriggerParams(event, params)),
    ...condition,
    allow_back: switched(options.allowBack, row.allow_back),
    updated_at: nowIso(session),
  };
  updateTriggerRow(session.db, updated);
  forgetLoadedRules(session);
  const trigger = getTrigger(session, id);
  recordChange(session, {
    action: 'updated',
    entity: { type: 'trigger', id },
    changes: triggerChanges(trigger),
  });
  return trigger;
}

export function setTriggerEnabled(session: Session, id: number, enabled: boolean): Trigger {
  session.requireWrite('changing a trigger');
  const row = selectTrigger(session.db, id);
  if (!row) throw new NotFoundError(`no trigger with id ${id} (see crmctl trigger list)`);
  if ((row.enabled === 1) !== enabled) {
    updateTriggerRow(session.db, { ...row, enabled: enabled ? 1 : 0, updated_at: nowIso(session) });
    forgetLoadedRules(session);
    recordChange(session, {
      action: enabled ? 'enabled' : 'disabled',
      entity: { type: 'trigger', id },
    });
  }
  return getTrigger(session, id);
}

export function removeTrigger(session: Session, id: number): Trigger {
  session.requireWrite('removing a trigger');
  const trigger = getTrigger(session, id);
  deleteTrigger(session.db, id);
  forgetLoadedRules(session);
  recordChange(session, {
    action: 'removed',
    entity: { type: 'trigger', id },
    changes: triggerChanges(trigger),
  });
  return trigger;
}

function toTriggers(session: Session, rows: TriggerRow[]): Trigger[] {
  const placeOf = placeReader(session);
  return rows.map((row) => {
    return {
      id: row.id,
      name: row.name,
      ...placeOf(row.pipeline_id, row.stage_id),
      event: row.event,
      params: JSON.parse(row.params) as Record<string, string>,
      condition: row.condition_text,
      allowBack: row.allow_back === 1,
      enabled: row.enabled === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  });
}
