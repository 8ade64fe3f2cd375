import type { Prompter } from '../cli/prompter.js';
import { parseDuration } from '../clock.js';
import { customFieldPrefix, itemFields, parseCondition } from './condition.js';
import { CUSTOM_FIELD_NAME } from './condition-parse.js';
import type { RuleFlags } from './rules.js';
import { checkTemplate } from './template.js';
import type { TriggerFlags } from './triggers.js';

/**
 * The wizard of `rule add` / `trigger add` (DESIGN §8 Interaction): with flags missing on a
 * terminal, it asks for each one not given, offering only valid choices (pipelines, stages,
 * actions and their parameters, fields, users, events), and fills in the same flag object the
 * command takes. Its questions go through a Prompter, and what it may offer comes in as plain
 * data (WizardChoices), so it runs in tests without a terminal or a store.
 */

/** The flags of `rule add` and `trigger add`, as the engine's commands take them. */
export type WizardRuleFlags = RuleFlags;
export type WizardTriggerFlags = TriggerFlags;

export interface WizardPipeline {
  id: number;
  name: string;
  type: string;
  isDefault: boolean;
  stages: { id: number; name: string; semantic: 'process' | 'success' | 'failure' }[];
  /** How many rules each stage has (by stage id): `--after-previous` is offered only after one. */
  rulesByStage?: ReadonlyMap<number, number>;
}

export interface WizardAction {
  name: string;
  description: string;
  parameters: readonly {
    name: string;
    description: string;
    required: boolean;
    default: string | null;
    template: boolean;
  }[];
}

export interface WizardEvent {
  name: string;
  description: string;
  triggerParams: readonly { name: string; description: string; required: boolean }[];
}

/** What the wizard may offer, read from the store by the command. */
export interface WizardChoices {
  pipelines: readonly WizardPipeline[];
  actions: readonly WizardAction[];
  users: readonly { login: string; name: string }[];
  /** Custom field names (without `fields.`) items have. */
  customFields: readonly string[];
  events: readonly WizardEvent[];
}

const semanticMarks = { process: '', success: ' ✓', failure: ' ✗' } as const;

/** A copy without a prototype, as `--param` collects them: a parameter named `__proto__` is one. */
function paramsOf(given: Record<string, string> | undefined): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, given);
}

/** Fills in every flag of `rule add` not given, asking for each in the order of the form. */
export async function fillRuleFlags(
  prompter: Prompter,
  choices: WizardChoices,
  given: WizardRuleFlags,
): Promise<WizardRuleFlags> {
  const flags: WizardRuleFlags = { ...given, params: paramsOf(given.params) };
  const pipeline = await askPipeline(prompter, choices, flags);
  if (flags.stage === undefined)
    flags.stage = await askStage(prompter, pipeline, 'Stage the rule is on');
  if (flags.action === undefined) {
    flags.action = await prompter.select(
      'Action',
      choices.actions.map((a) => ({ value: a.name, name: a.name, description: a.description })),
    );
  }
  const action = choices.actions.find((a) => a.name === flags.action);
  const params = flags.params ?? {};
  for (const parameter of action?.parameters ?? []) {
    if (params[parameter.name] !== undefined) continue;
    const value = await askParameter(prompter, choices, pipeline, action?.name ?? '', parameter);
    if (value !== undefined) params[parameter.name] = value;
  }
  flags.params = params;
  if (flags.if === undefined) {
    const condition = await askCondition(prompter, 'Run only when: a condition');
    if (condition !== undefined) flags.if = condition;
  }
  const timed =
    flags.delay !== undefined ||
    flags.atField !== undefined ||
    flags.workingHours !== undefined ||
    flags.afterPrevious !== undefined;
  if (!timed) await askTiming(prompter, choices, pipeline, flags);
  if (flags.name === undefined) {
    const name = (await prompter.input('Name (empty for none)', { validate: validName })).trim();
    if (name !== '') flags.name = name;
  }
  return flags;
}

/** Fills in every flag of `trigger add` not given. */
export async function fillTriggerFlags(
  prompter: Prompter,
  choices: WizardChoices,
  given: WizardTriggerFlags,
): Promise<WizardTriggerFlags> {
  const flags: WizardTriggerFlags = { ...given, params: paramsOf(given.params) };
  const pipeline = await askPipeline(prompter, choices, flags);
  if (flags.stage === undefined) {
    flags.stage = await askStage(prompter, pipeline, 'Stage the trigger moves items to');
  }
  if (flags.on === undefined) {
    flags.on = await prompter.select(
      'Event',
      choices.events.map((e) => ({ value: e.name, name: e.name, description: e.description })),
    );
  }
  const event = choices.events.find((e) => e.name === flags.on);
  const params = flags.params ?? {};
  for (const parameter of event?.triggerParams ?? []) {
    if (params[parameter.name] !== undefined) continue;
    const value = await askText(prompter, `${parameter.name}: ${parameter.description}`, {
      required: parameter.required,
      check: parameter.name === 'fields' ? (v) => checkFieldList(v, choices) : undefined,
    });
    if (value !== undefined) params[parameter.name] = value;
  }
  flags.params = params;
  if (flags.if === undefined) {
    const condition = await askCondition(prompter, 'Move only when: a condition');
    if (condition !== undefined) flags.if = condition;
  }
  if (flags.allowBack === undefined) {
    const back = await prompter.confirm(
      'Allow moving back (to this stage from later ones, and out of final stages)?',
      false,
    );
    if (back) flags.allowBack = true;
  }
  if (flags.name === undefined) {
    const name = (await prompter.input('Name (empty for none)', { validate: validName })).trim();
    if (name !== '') flags.name = name;
  }
  return flags;
}

function findPipeline(
  choices: WizardChoices,
  ref: string | undefined,
  type: string | undefined,
): WizardPipeline | undefined {
  const ofType = choices.pipelines.filter((p) => type === undefined || p.type === type);
  if (ref === undefined) {
    return ofType.find((p) => p.isDefault && p.type === (type ?? 'deal'));
  }
  const wanted = ref.trim().toLowerCase();
  return (
    ofType.find((p) => String(p.id) === wanted) ??
    ofType.find((p) => p.name.toLowerCase() === wanted)
  );
}

/** A pipeline by name when that is unambiguous, else by id (for the command line). */
function pipelineRef(choices: WizardChoices, pipeline: WizardPipeline, type?: string): string {
  const same = choices.pipelines.filter(
    (p) =>
      p.name.toLowerCase() === pipeline.name.toLowerCase() &&
      (type === undefined || p.type === type),
  );
  return same.length === 1 && !/^\d+$/.test(pipeline.name) ? pipeline.name : String(pipeline.id);
}

async function askPipeline(
  prompter: Prompter,
  choices: WizardChoices,
  flags: { pipeline?: string; type?: string },
): Promise<WizardPipeline | undefined> {
  if (flags.pipeline !== undefined) return findPipeline(choices, flags.pipeline, flags.type);
  const offered = choices.pipelines.filter(
    (p) => flags.type === undefined || p.type === flags.type,
  );
  if (offered.length === 0) return undefined;
  const fallback = findPipeline(choices, undefined, flags.type);
  const ordered = fallback ? [fallback, ...offered.filter((p) => p !== fallback)] : offered;
  const id =
    ordered.length === 1
      ? String(ordered[0]?.id)
      : await prompter.select(
          'Pipeline',
          ordered.map((p) => ({
            value: String(p.id),
            name: `${p.name} (${p.type}${p.isDefault ? ', default' : ''})`,
          })),
        );
  const chosen = ordered.find((p) => String(p.id) === id);
  // The default pipeline (of --type, else of deals) is what the command takes without --pipeline.
  if (chosen && chosen !== fallback) flags.pipeline = pipelineRef(choices, chosen, flags.type);
  return chosen;
}

async function askStage(
  prompter: Prompter,
  pipeline: WizardPipeline | undefined,
  message: string,
): Promise<string> {
  if (!pipeline)
    return askText(prompter, `${message} (name or id)`, { required: true }) as Promise<string>;
  const id = await prompter.select(
    message,
    pipeline.stages.map((s) => ({
      value: String(s.id),
      name: `${s.name}${semanticMarks[s.semantic]}`,
    })),
  );
  const stage = pipeline.stages.find((s) => String(s.id) === id);
  if (!stage) return id;
  const clash = pipeline.stages.filter((s) => s.name.toLowerCase() === stage.name.toLowerCase());
  return clash.length === 1 && !/^\d+$/.test(stage.name) ? stage.name : String(stage.id);
}

/** Asks a text; empty means left out (undefined) unless required. */
async function askText(
  prompter: Prompter,
  message: string,
  options: { required?: boolean; defaultValue?: string; check?: (value: string) => void } = {},
): Promise<string | undefined> {
  const value = await prompter.input(
    options.required ? message : `${message} (empty to leave out)`,
    {
      defaultValue: options.defaultValue,
      validate: (text) => {
        if (text.trim() === '') return options.required ? 'a value is needed' : true;
        try {
          options.check?.(text);
          return true;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      },
    },
  );
  return value.trim() === '' ? undefined : value;
}

async function askCondition(prompter: Prompter, message: string): Promise<string | undefined> {
  return askText(prompter, message, {
    check: (text) => parseCondition(text, itemFields),
  });
}

async function askParameter(
  prompter: Prompter,
  choices: WizardChoices,
  pipeline: WizardPipeline | undefined,
  action: string,
  parameter: WizardAction['parameters'][number],
): Promise<string | undefined> {
  const label = `${parameter.name}: ${parameter.description}`;
  const optional = !parameter.required;
  const leaveOut = parameter.default === null ? '(leave out)' : `(default: ${parameter.default})`;
  const select = async (options: { value: string; name?: string }[]) => {
    const skip = '\u0000skip';
    const value = await prompter.select(
      label,
      optional ? [{ value: skip, name: leaveOut }, ...options] : options,
    );
    return value === skip ? undefined : value;
  };
  const users = choices.users.map((u) => ({ value: u.login, name: `${u.login} (${u.name})` }));
  switch (`${action}:${parameter.name}`) {
    case 'change-stage:stage':
      if (!pipeline) break;
      return select(
        (pipeline?.stages ?? []).map((s) => ({
          value: s.name,
          name: `${s.name}${semanticMarks[s.semantic]}`,
        })),
      );
    case 'change-responsible:mode':
      return select([
        { value: 'fixed', name: 'fixed: the first of the users' },
        { value: 'round-robin', name: 'round-robin: each in turn' },
        { value: 'random', name: 'random (seeded, so runs repeat)' },
      ]);
    case 'create-task:assignee':
      return select(users);
    case 'notify:to':
      return select([
        { value: 'responsible', name: 'responsible: the item’s responsible person' },
        { value: 'supervisor', name: 'supervisor: their supervisor' },
        ...users,
      ]);
    case 'change-responsible:users':
      return askText(
        prompter,
        `${label}; logins: ${choices.users.map((u) => u.login).join(', ')}`,
        {
          required: parameter.required,
          check: (text) => checkLogins(text, choices),
        },
      );
    case 'set-field:field': {
      const other = '\u0000other';
      const field = await select([
        ...['title', 'amount', 'currency'].map((f) => ({ value: f, name: f })),
        ...choices.customFields.map((f) => ({
          value: `${customFieldPrefix}${f}`,
          name: `${customFieldPrefix}${f}`,
        })),
        { value: other, name: 'another custom field…' },
      ]);
      if (field !== other) return field;
      return askText(prompter, 'Custom field name', { required: true, check: checkFieldName });
    }
    case 'wait:until':
      return askText(prompter, `${label} (a condition)`, {
        required: parameter.required,
        check: (text) => parseCondition(text, itemFields, { flag: 'until' }),
      });
  }
  if (/^(for|deadline|timeout|delay)$/.test(parameter.name)) {
    return askText(prompter, `${label} (a duration: 30m, 2h, 1d)`, {
      required: parameter.required,
      check: (text) => parseDuration(text, parameter.name),
    });
  }
  const hint =
    parameter.template && !label.includes('{{') ? ' ({{field}} placeholders allowed)' : '';
  return askText(prompter, `${label}${hint}`, {
    required: parameter.required,
    check: parameter.template
      ? (text) => checkTemplate(parameter.name, text, itemFields)
      : undefined,
  });
}

async function askTiming(
  prompter: Prompter,
  choices: WizardChoices,
  pipeline: WizardPipeline | undefined,
  flags: WizardRuleFlags,
): Promise<void> {
  const stage = pipeline?.stages.find(
    (s) => String(s.id) === flags.stage || s.name.toLowerCase() === flags.stage?.toLowerCase(),
  );
  const hasRules = stage ? (pipeline?.rulesByStage?.get(stage.id) ?? 0) > 0 : false;
  const when = await prompter.select('When', [
    { value: 'now', name: 'immediately, when an item enters the stage' },
    { value: 'delay', name: 'after a delay (--delay)' },
    { value: 'field', name: 'before, at or after a date field of the item (--at-field)' },
    ...(hasRules
      ? [{ value: 'previous', name: 'after the rule above has finished (--after-previous)' }]
      : []),
  ]);
  if (when === 'previous') {
    flags.afterPrevious = true;
    const delay = await askText(prompter, 'Then wait (a duration: 30m, 2h, 1d)', {
      check: (text) => forwardDuration(text, '--delay'),
    });
    if (delay !== undefined) flags.delay = delay;
  }
  if (when === 'delay') {
    flags.delay = (await askText(prompter, 'Delay (a duration: 30m, 2h, 1d)', {
      required: true,
      check: (text) => forwardDuration(text, '--delay'),
    })) as string;
  }
  if (when === 'field') {
    const other = '\u0000other';
    const fields = [
      'createdAt',
      'updatedAt',
      ...choices.customFields.map((f) => `${customFieldPrefix}${f}`),
    ];
    let field = await prompter.select('Date field', [
      ...fields.map((f) => ({ value: f, name: f })),
      { value: other, name: 'another custom field…' },
    ]);
    if (field === other) {
      field = (await askText(prompter, 'Custom field name', {
        required: true,
        check: checkFieldName,
      })) as string;
    }
    flags.atField = field;
    const offset = await askText(prompter, 'Offset from it (-1d before, 2h after; empty: at it)', {
      check: (text) => parseDuration(text, '--offset'),
    });
    if (offset !== undefined) flags.offset = offset;
  }
  if (await prompter.confirm('Only in working hours (settings working-time)?', false)) {
    flags.workingHours = true;
  }
}

function forwardDuration(text: string, flag: string): void {
  if (parseDuration(text, flag) < 0) throw new Error('a duration forward in time, such as 2h');
}

function checkLogins(text: string, choices: WizardChoices): void {
  const logins = text.split(',').map((l) => l.trim());
  const unknown = logins.filter((l) => !choices.users.some((u) => u.login === l));
  if (logins.some((l) => l === '')) throw new Error('logins separated by commas, e.g. anna,bob');
  if (unknown.length > 0) throw new Error(`no user ${unknown.map((u) => `"${u}"`).join(', ')}`);
}

function checkFieldName(text: string): void {
  const name = text.trim();
  if (Object.hasOwn(itemFields.builtIn, name)) return;
  const custom = name.startsWith(customFieldPrefix) ? name.slice(customFieldPrefix.length) : name;
  if (!CUSTOM_FIELD_NAME.test(custom)) {
    throw new Error(`"${text}" is not a field name: letters, digits, _ . - (e.g. deadline)`);
  }
}

function checkFieldList(text: string, _choices: WizardChoices): void {
  const names = text.split(',').map((f) => f.trim());
  if (names.some((n) => n === ''))
    throw new Error('field names separated by commas, e.g. amount,deadline');
  names.forEach(checkFieldName);
}

function validName(text: string): true | string {
  const name = text.trim();
  if (name === '') return true;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters
  if (name.length > 200 || /[\u0000-\u001f\u007f]/.test(name)) {
    return '1 to 200 characters without control characters';
  }
  return true;
}

/** An argument as a POSIX shell takes it back: bare when safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The command line that adds the same rule without the wizard. */
export function ruleCommandLine(flags: WizardRuleFlags, prefix: readonly string[] = []): string {
  const words = ['crmctl', ...prefix, 'rule', 'add'];
  const add = (flag: string, value: string | undefined) => {
    if (value !== undefined) words.push(flag, value);
  };
  add('--pipeline', flags.pipeline);
  add('--type', flags.type);
  add('--stage', flags.stage);
  add('--action', flags.action);
  for (const [name, value] of Object.entries(flags.params ?? {}))
    words.push('--param', `${name}=${value}`);
  add('--if', flags.if);
  if (flags.afterPrevious) words.push('--after-previous');
  add('--delay', flags.delay);
  add('--at-field', flags.atField);
  // `--offset=-1d`: joined, so a shell and commander read the minus as the value's.
  if (flags.offset !== undefined) words.push(`--offset=${flags.offset}`);
  if (flags.workingHours) words.push('--working-hours');
  add('--name', flags.name);
  if (flags.disabled) words.push('--disabled');
  return words.map(shellWord).join(' ');
}

/** The command line that adds the same trigger without the wizard. */
export function triggerCommandLine(
  flags: WizardTriggerFlags,
  prefix: readonly string[] = [],
): string {
  const words = ['crmctl', ...prefix, 'trigger', 'add'];
  const add = (flag: string, value: string | undefined) => {
    if (value !== undefined) words.push(flag, value);
  };
  add('--pipeline', flags.pipeline);
  add('--type', flags.type);
  add('--stage', flags.stage);
  add('--on', flags.on);
  for (const [name, value] of Object.entries(flags.params ?? {}))
    words.push('--param', `${name}=${value}`);
  add('--if', flags.if);
  if (flags.allowBack) words.push('--allow-back');
  add('--name', flags.name);
  return words.map(shellWord).join(' ');
}
