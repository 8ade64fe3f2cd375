import { describe, expect, it } from 'vitest';
import {
  fillRuleFlags,
  fillTriggerFlags,
  ruleCommandLine,
  triggerCommandLine,
  type WizardChoices,
} from '../../src/automation/wizard.js';
import type { Prompter } from '../../src/cli/prompter.js';

/**
 * A person at the keyboard, scripted: each question is answered by the first answer whose key
 * starts the question. Every question, its choices and what validation said are recorded.
 */
function scripted(answers: [string, string | boolean | string[]][]) {
  const asked: { message: string; choices?: string[]; refused?: string[] }[] = [];
  const take = (message: string) => {
    const at = answers.findIndex(([key]) => message.startsWith(key));
    if (at < 0) throw new Error(`unexpected question: ${message}`);
    const [, answer] = answers.splice(at, 1)[0] ?? [];
    return answer;
  };
  const prompter: Prompter = {
    async confirm(message) {
      asked.push({ message });
      return take(message) as boolean;
    },
    async input(message, options = {}) {
      const entry: { message: string; refused: string[] } = { message, refused: [] };
      asked.push(entry);
      const answer = take(message);
      // A list: the earlier answers are refused by validation before the last is taken.
      const tries = Array.isArray(answer) ? answer : [answer as string];
      for (const attempt of tries) {
        const verdict = options.validate?.(attempt) ?? true;
        if (verdict === true) return attempt === '' ? (options.defaultValue ?? '') : attempt;
        entry.refused.push(verdict);
      }
      throw new Error(`every answer to "${message}" was refused: ${entry.refused.join('; ')}`);
    },
    async select(message, choices) {
      asked.push({ message, choices: choices.map((c) => c.value) });
      const answer = take(message) as string;
      const choice = choices.find((c) => c.value === answer || c.name === answer);
      if (!choice)
        throw new Error(
          `"${answer}" is not offered for "${message}": ${choices.map((c) => c.value)}`,
        );
      return choice.value;
    },
  };
  return { prompter, asked, left: answers };
}

const choices: WizardChoices = {
  pipelines: [
    {
      id: 2,
      name: 'Default',
      type: 'deal',
      isDefault: true,
      stages: [
        { id: 5, name: 'New', semantic: 'process' },
        { id: 6, name: 'Won', semantic: 'success' },
      ],
    },
    {
      id: 7,
      name: 'Furniture store',
      type: 'deal',
      isDefault: false,
      stages: [
        { id: 20, name: 'New', semantic: 'process' },
        { id: 21, name: 'Prepare documents', semantic: 'process' },
        { id: 22, name: 'Prepayment', semantic: 'process' },
        { id: 25, name: 'Won', semantic: 'success' },
        { id: 27, name: 'Spam', semantic: 'failure' },
      ],
      rulesByStage: new Map([[21, 1]]),
    },
    {
      id: 3,
      name: 'Default',
      type: 'lead',
      isDefault: true,
      stages: [{ id: 9, name: 'New', semantic: 'process' }],
    },
  ],
  actions: [
    {
      name: 'send-sms',
      description: 'send a text message to the item’s phone',
      parameters: [
        { name: 'text', description: 'the message', required: true, default: null, template: true },
      ],
    },
    {
      name: 'create-task',
      description: 'create a task',
      parameters: [
        {
          name: 'title',
          description: 'the task title',
          required: true,
          default: null,
          template: true,
        },
        {
          name: 'assignee',
          description: 'who does it',
          required: false,
          default: 'responsible',
          template: false,
        },
        {
          name: 'deadline',
          description: 'how long they have',
          required: false,
          default: null,
          template: false,
        },
      ],
    },
    {
      name: 'change-stage',
      description: 'move the item',
      parameters: [
        { name: 'stage', description: 'the stage', required: true, default: null, template: false },
      ],
    },
    {
      name: 'change-responsible',
      description: 'another responsible',
      parameters: [
        { name: 'users', description: 'logins', required: true, default: null, template: false },
        {
          name: 'mode',
          description: 'how to choose',
          required: false,
          default: 'fixed',
          template: false,
        },
      ],
    },
    { name: 'convert-lead', description: 'lead to deal', parameters: [] },
  ],
  users: [
    { login: 'anna', name: 'Anna Novak' },
    { login: 'bob', name: 'Bob Reyes' },
  ],
  customFields: ['deadline'],
  events: [
    { name: 'payment-received', description: 'the customer paid', triggerParams: [] },
    {
      name: 'field-changed',
      description: 'a watched field changed',
      triggerParams: [{ name: 'fields', description: 'the watched fields', required: true }],
    },
  ],
};

describe('rule add wizard', () => {
  it('asks for everything missing, offering only valid choices, and fills the flags of rule add', async () => {
    const { prompter, asked, left } = scripted([
      ['Pipeline', 'Furniture store (deal)'],
      ['Stage', 'Prepayment'],
      ['Action', 'create-task'],
      ['title', ['', 'Prepare {{nope}}', 'Prepare {{title}} for delivery']],
      ['assignee', 'anna'],
      ['deadline', ['tomorrow', '1d']],
      ['Run only when', ['amount >', 'amount >= 100']],
      ['When', 'delay'],
      ['Delay', ['-2h', '2h']],
      ['Only in working hours', true],
      ['Name', 'Warehouse task'],
    ]);
    const flags = await fillRuleFlags(prompter, choices, {});
    expect(left).toEqual([]);
    expect(flags).toEqual({
      pipeline: 'Furniture store',
      stage: 'Prepayment',
      action: 'create-task',
      params: { title: 'Prepare {{title}} for delivery', assignee: 'anna', deadline: '1d' },
      if: 'amount >= 100',
      delay: '2h',
      workingHours: true,
      name: 'Warehouse task',
    });
    const offered = (m: string) => asked.find((a) => a.message.startsWith(m))?.choices;
    // Deal pipelines first the default, then the others; the lead pipeline too (any type).
    expect(offered('Pipeline')).toEqual(['2', '7', '3']);
    expect(offered('Stage')).toEqual(['20', '21', '22', '25', '27']);
    expect(offered('Action')).toEqual([
      'send-sms',
      'create-task',
      'change-stage',
      'change-responsible',
      'convert-lead',
    ]);
    expect(offered('assignee')).toEqual(['\u0000skip', 'anna', 'bob']);
    // No --after-previous on a stage without rules.
    expect(offered('When')).toEqual(['now', 'delay', 'field']);
    const refused = (m: string) => asked.find((a) => a.message.startsWith(m))?.refused;
    expect(refused('title')?.[0]).toBe('a value is needed');
    expect(refused('title')?.[1]).toContain('no item field "nope"');
    expect(refused('deadline')?.[0]).toContain('takes a duration');
    expect(refused('Run only when')?.[0]).toContain('column');
    expect(refused('Delay')?.[0]).toContain('forward in time');
    expect(ruleCommandLine(flags)).toBe(
      "crmctl rule add --pipeline 'Furniture store' --stage Prepayment --action create-task --param 'title=Prepare {{title}} for delivery' --param assignee=anna --param deadline=1d --if 'amount >= 100' --delay 2h --working-hours --name 'Warehouse task'",
    );
  });

  it('asks only what was not given; the default deal pipeline needs no --pipeline', async () => {
    const { prompter, asked, left } = scripted([
      ['Pipeline', 'Default (deal, default)'],
      ['Stage', 'New'],
      ['Run only when', ''],
      ['Name', ''],
    ]);
    const flags = await fillRuleFlags(prompter, choices, {
      action: 'send-sms',
      params: { text: 'Hello' },
      delay: '30m',
    });
    expect(left).toEqual([]);
    expect(asked.map((a) => a.message.split(' ')[0])).toEqual(['Pipeline', 'Stage', 'Run', 'Name']);
    expect(flags).toEqual({
      stage: 'New',
      action: 'send-sms',
      params: { text: 'Hello' },
      delay: '30m',
    });
    expect(ruleCommandLine(flags, ['--db', '/tmp/my crm.db'])).toBe(
      "crmctl --db '/tmp/my crm.db' rule add --stage New --action send-sms --param text=Hello --delay 30m",
    );
  });

  it('offers the pipeline’s stages for change-stage, users and modes for change-responsible, date fields for --at-field', async () => {
    const { prompter, asked, left } = scripted([
      ['Stage', 'Prepare documents'],
      ['Action', 'change-responsible'],
      ['users', ['carol', 'anna,,bob', 'anna,bob']],
      ['mode', 'round-robin'],
      ['Run only when', ''],
      ['When', 'field'],
      ['Date field', 'fields.deadline'],
      ['Offset', '-1d'],
      ['Only in working hours', false],
      ['Name', ''],
    ]);
    const flags = await fillRuleFlags(prompter, choices, { pipeline: '7' });
    expect(left).toEqual([]);
    expect(flags).toMatchObject({
      pipeline: '7',
      stage: 'Prepare documents',
      params: { users: 'anna,bob', mode: 'round-robin' },
      atField: 'fields.deadline',
      offset: '-1d',
    });
    const entry = (m: string) => asked.find((a) => a.message.startsWith(m));
    expect(entry('users')?.message).toContain('logins: anna, bob');
    expect(entry('users')?.refused).toEqual([
      'no user "carol"',
      'logins separated by commas, e.g. anna,bob',
    ]);
    expect(entry('mode')?.choices).toEqual(['\u0000skip', 'fixed', 'round-robin', 'random']);
    expect(entry('Date field')?.choices).toEqual([
      'createdAt',
      'updatedAt',
      'fields.deadline',
      '\u0000other',
    ]);
    // Prepare documents has a rule already: after-previous is offered.
    expect(entry('When')?.choices).toContain('previous');
    expect(ruleCommandLine(flags)).toContain('--at-field fields.deadline --offset=-1d');

    const stageChoice = scripted([
      ['Stage', 'New'],
      ['Action', 'change-stage'],
      ['stage', 'Won'],
      ['Run only when', ''],
      ['When', 'now'],
      ['Only in working hours', false],
      ['Name', ''],
    ]);
    const moved = await fillRuleFlags(stageChoice.prompter, choices, {
      pipeline: 'Furniture store',
    });
    expect(moved.params).toEqual({ stage: 'Won' });
    expect(stageChoice.asked.find((a) => a.message.startsWith('stage'))?.choices).toEqual([
      'New',
      'Prepare documents',
      'Prepayment',
      'Won',
      'Spam',
    ]);
  });

  it('with --type, the default pipeline of that type needs no --pipeline', async () => {
    const { prompter } = scripted([
      ['Stage', 'New'],
      ['Action', 'convert-lead'],
      ['Run only when', ''],
      ['When', 'now'],
      ['Only in working hours', false],
      ['Name', ''],
    ]);
    const flags = await fillRuleFlags(prompter, choices, { type: 'lead' });
    // The only lead pipeline is chosen without a question; it is the default one of its type.
    expect(flags.pipeline).toBeUndefined();
    expect(flags.stage).toBe('New');
    expect(ruleCommandLine(flags)).toBe(
      'crmctl rule add --type lead --stage New --action convert-lead',
    );
  });
});

describe('trigger add wizard', () => {
  it('asks for pipeline, stage, event, its parameters, condition, allow-back and name', async () => {
    const { prompter, asked, left } = scripted([
      ['Pipeline', '7'],
      ['Stage', 'Prepayment'],
      ['Event', 'field-changed'],
      ['fields', [' ', 'amount,', 'amount,fields.deadline']],
      ['Move only when', 'amount > 0'],
      ['Allow moving back', true],
      ['Name', 'Paid'],
    ]);
    const flags = await fillTriggerFlags(prompter, choices, {});
    expect(left).toEqual([]);
    expect(flags).toEqual({
      pipeline: 'Furniture store',
      stage: 'Prepayment',
      on: 'field-changed',
      params: { fields: 'amount,fields.deadline' },
      if: 'amount > 0',
      allowBack: true,
      name: 'Paid',
    });
    expect(asked.find((a) => a.message.startsWith('Event'))?.choices).toEqual([
      'payment-received',
      'field-changed',
    ]);
    expect(asked.find((a) => a.message.startsWith('fields'))?.refused).toEqual([
      'a value is needed',
      'field names separated by commas, e.g. amount,deadline',
    ]);
    expect(triggerCommandLine(flags)).toBe(
      "crmctl trigger add --pipeline 'Furniture store' --stage Prepayment --on field-changed --param fields=amount,fields.deadline --if 'amount > 0' --allow-back --name Paid",
    );
  });

  it('quotes what a shell would otherwise read: quotes, spaces, $ and ;', () => {
    expect(
      triggerCommandLine({ stage: "Bob's $stage; rm -rf", on: 'webhook', params: { code: 'a b' } }),
    ).toBe("crmctl trigger add --stage 'Bob'\\''s $stage; rm -rf' --on webhook --param 'code=a b'");
  });
});

describe('set-field in the wizard', () => {
  it('offers the fields set-field may change and the custom fields items have, or another one', async () => {
    const known = scripted([
      ['Stage', 'New'],
      ['Action', 'set-field'],
      ['field', 'fields.deadline'],
      ['value', '2026-12-01'],
      ['Run only when', ''],
      ['When', 'now'],
      ['Only in working hours', false],
      ['Name', ''],
    ]);
    const withSetField: WizardChoices = {
      ...choices,
      actions: [
        {
          name: 'set-field',
          description: 'set a field',
          parameters: [
            {
              name: 'field',
              description: 'the field',
              required: true,
              default: null,
              template: false,
            },
            {
              name: 'value',
              description: 'its value',
              required: true,
              default: null,
              template: true,
            },
          ],
        },
      ],
    };
    const flags = await fillRuleFlags(known.prompter, withSetField, { pipeline: '7' });
    expect(flags.params).toEqual({ field: 'fields.deadline', value: '2026-12-01' });
    expect(known.asked.find((a) => a.message.startsWith('field'))?.choices).toEqual([
      'title',
      'amount',
      'currency',
      'fields.deadline',
      '\u0000other',
    ]);
    const other = scripted([
      ['Stage', 'New'],
      ['Action', 'set-field'],
      ['field', '\u0000other'],
      ['Custom field name', ['bad name!', 'priority']],
      ['value', 'high'],
      ['Run only when', ''],
      ['When', 'now'],
      ['Only in working hours', false],
      ['Name', ''],
    ]);
    expect((await fillRuleFlags(other.prompter, withSetField, { pipeline: '7' })).params).toEqual({
      field: 'priority',
      value: 'high',
    });
  });
});
