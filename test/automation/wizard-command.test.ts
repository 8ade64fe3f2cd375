import { describe, expect, it } from 'vitest';
import type { Prompter } from '../../src/cli/prompter.js';
import { newStore } from '../helpers.js';

const now = '2026-11-23T09:00:00Z';

/** Answers by question, recording what was asked. */
function person(answers: Record<string, string | boolean>) {
  const asked: string[] = [];
  const answer = (message: string) => {
    asked.push(message);
    const key = Object.keys(answers).find((k) => message.startsWith(k));
    if (key === undefined) throw new Error(`unexpected question: ${message}`);
    return answers[key];
  };
  const prompter: Prompter = {
    confirm: async (message) => answer(message) === true,
    input: async (message, options) => {
      const value = String(answer(message));
      const verdict = options?.validate?.(value) ?? true;
      if (verdict !== true) throw new Error(`refused "${value}" for ${message}: ${verdict}`);
      return value;
    },
    select: async (message, choices) => {
      const wanted = String(answer(message));
      const choice = choices.find(
        (c) => c.value === wanted || c.name === wanted || c.name?.startsWith(wanted),
      );
      if (!choice) throw new Error(`"${wanted}" not offered for ${message}`);
      return choice.value;
    },
  };
  return { prompter, asked };
}

/** The words of a command line as a POSIX shell reads them: bare, '…' quoted, \' escaped. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/(?:[^\s'\\]+|\\.|'[^']*')+/g)) {
    const pieces = match[0].match(/[^'\\]+|\\.|'[^']*'/g) ?? [];
    words.push(
      pieces
        .map((p) => (p.startsWith("'") ? p.slice(1, -1) : p.startsWith('\\') ? p.slice(1) : p))
        .join(''),
    );
  }
  return words;
}

async function store() {
  const { cli, db } = await newStore({ now });
  expect(
    (
      await cli([
        'pipeline',
        'add',
        'Furniture store',
        '--stages',
        'New,Prepayment,Won:success,Lost:failure',
      ])
    ).exitCode,
  ).toBe(0);
  return { cli, db };
}

describe('rule add and trigger add wizards', () => {
  it('on a terminal, rule add without flags asks, adds the rule, and prints the command that does the same', async () => {
    const { cli } = await store();
    const { prompter, asked } = person({
      Pipeline: 'Furniture store',
      Stage: 'Prepayment',
      Action: 'create-task',
      title: 'Prepare {{title}}',
      assignee: '\u0000skip',
      deadline: '1d',
      'Run only when': 'amount >= 100',
      When: 'delay',
      Delay: '2h',
      'Only in working hours': true,
      Name: "Bob's task",
    });
    const added = await cli(['rule', 'add', '--json'], { tty: true, prompter });
    expect(added.exitCode, added.stderr).toBe(0);
    expect(asked[0]).toBe('Pipeline');
    const rule = added.json<Record<string, unknown>>();
    expect(rule).toMatchObject({
      stage: { name: 'Prepayment' },
      action: 'create-task',
      params: { title: 'Prepare {{title}}', deadline: '1d' },
      condition: 'amount >= 100',
      delay: '2h',
      workingHours: true,
      name: "Bob's task",
    });
    const line = /The same without questions:\n {2}(.*)\n/.exec(added.stderr)?.[1] ?? '';
    expect(line).toBe(
      "crmctl rule add --pipeline 'Furniture store' --stage Prepayment --action create-task --param 'title=Prepare {{title}}' --param deadline=1d --if 'amount >= 100' --delay 2h --working-hours --name 'Bob'\\''s task'",
    );
    // The printed line, run without a terminal, adds the same rule.
    const again = await cli([...shellWords(line).slice(1), '--json']);
    expect(again.exitCode, again.stderr).toBe(0);
    const { id: _a, createdAt: _b, updatedAt: _c, position: _p, ...first } = rule;
    const {
      id: _d,
      createdAt: _e,
      updatedAt: _f,
      position: _q,
      ...second
    } = again.json<Record<string, unknown>>();
    expect(second).toEqual(first);
  });

  it('trigger add asks for the event and its parameters', async () => {
    const { cli } = await store();
    const { prompter } = person({
      Pipeline: 'Furniture store',
      Stage: 'Prepayment',
      Event: 'field-changed',
      fields: 'amount,deadline',
      'Move only when': '',
      'Allow moving back': false,
      Name: '',
    });
    const added = await cli(['trigger', 'add', '--json'], { tty: true, prompter });
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.json()).toMatchObject({
      event: 'field-changed',
      stage: { name: 'Prepayment' },
      allowBack: false,
    });
    expect(added.stderr).toContain(
      "crmctl trigger add --pipeline 'Furniture store' --stage Prepayment --on field-changed --param fields=amount,deadline",
    );
  });

  it('asks only what is missing: flags given stay as given', async () => {
    const { cli } = await store();
    const { prompter, asked } = person({ Stage: 'New', 'Run only when': '', Name: '' });
    const added = await cli(
      [
        'rule',
        'add',
        '--pipeline',
        'Furniture store',
        '--action',
        'add-comment',
        '--param',
        'text=hi',
        '--delay',
        '1h',
      ],
      { tty: true, prompter },
    );
    expect(added.exitCode, added.stderr).toBe(0);
    expect(asked).toEqual([
      'Stage the rule is on',
      'Run only when: a condition (empty to leave out)',
      'Name (empty for none)',
    ]);
  });

  it('off a terminal, or with --no-input, a missing flag is a usage error naming it; nothing is asked', async () => {
    const { cli } = await store();
    const { prompter, asked } = person({});
    const piped = await cli(['rule', 'add', '--action', 'add-comment'], { prompter });
    expect(piped.exitCode).toBe(2);
    expect(piped.stderr).toContain('--stage');
    const noInput = await cli(['--no-input', 'trigger', 'add', '--stage', 'New'], {
      tty: true,
      prompter,
    });
    expect(noInput.exitCode).toBe(2);
    expect(noInput.stderr).toContain('--on');
    const env = await cli(['rule', 'add'], { tty: true, prompter, env: { CRMCTL_NO_INPUT: '1' } });
    expect(env.exitCode).toBe(2);
    expect(asked).toEqual([]);
    expect((await cli(['rule', 'list', '--json'])).json()).toEqual([]);
  });

  it('a person who may not add rules is refused before the first question (exit 6)', async () => {
    const { cli } = await store();
    expect((await cli(['user', 'add', 'eve', '--role', 'employee'])).exitCode).toBe(0);
    const { prompter, asked } = person({});
    const refused = await cli(['rule', 'add'], { tty: true, prompter, as: 'eve' });
    expect(refused.exitCode).toBe(6);
    expect(asked).toEqual([]);
  });
});
