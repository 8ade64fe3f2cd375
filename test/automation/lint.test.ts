import { describe, expect, it } from 'vitest';
import { type LintFinding, lintAutomation, reachedStages } from '../../src/automation/lint.js';
import { furnitureStore, pipeline, rule, stage, trigger } from './picture-fixture.js';

const templated: Record<string, string[]> = {
  'send-sms': ['text'],
  'send-email': ['subject', 'text'],
  'create-document': ['template', 'name'],
  'create-task': ['title'],
};
const lint = (automation: ReturnType<typeof pipeline>, customFields: string[] = []) =>
  lintAutomation(automation, { customFields, templateParameters: (a) => templated[a] ?? [] });
const brief = (findings: LintFinding[]) =>
  findings.map((f) => [f.code, f.stage.name, f.ruleId, f.triggerId]);

describe('rule lint', () => {
  it('finds nothing wrong in the furniture store but its manual stages', () => {
    expect(brief(lint(furnitureStore()))).toEqual([
      ['unreached-stage', 'Prepare documents', 2, null],
      ['unreached-stage', 'Prepare documents', 3, null],
      ['unreached-stage', 'Spam', 6, null],
    ]);
    expect(
      lintAutomation(furnitureStore(), { customFields: [], ignore: ['unreached-stage'] }),
    ).toEqual([]);
  });

  it('reports two stages that move items to each other by change-stage rules', () => {
    const findings = lint(
      pipeline([
        stage(1, 'New', { rules: [rule(10, 'change-stage', { stage: 'Check' })] }),
        stage(2, 'Check', { rules: [rule(11, 'change-stage', { stage: '1' })] }),
        stage(3, 'Won', { semantic: 'success' }),
      ]),
    );
    expect(findings).toEqual([
      {
        code: 'stage-loop',
        severity: 'warning',
        pipeline: { id: 7, name: 'Furniture store' },
        stage: { id: 1, name: 'New' },
        ruleId: 10,
        triggerId: null,
        message:
          '"New" → "Check" → "New": rule #10 (change-stage) moves items from "New" to "Check"; rule #11 (change-stage) moves items from "Check" to "New"; an item entering any of them goes round until the loop guard stops the chain after 20 hops',
      },
    ]);
  });

  it('reports a loop through a trigger: a rule changes what a trigger of an earlier stage watches (with allow-back)', () => {
    const stages = [
      stage(1, 'New', {
        rules: [rule(10, 'change-stage', { stage: 'Review' })],
        triggers: [
          trigger(20, 'field-changed', { params: { fields: 'priority' }, allowBack: true }),
        ],
      }),
      stage(2, 'Review', {
        rules: [rule(11, 'set-field', { field: 'fields.priority', value: 'high' })],
      }),
    ];
    const findings = lint(pipeline(stages), ['priority']);
    expect(brief(findings)).toEqual([['stage-loop', 'New', 10, null]]);
    expect(findings[0]?.message).toContain(
      'rule #11 (set-field fields.priority) on "Review" fires trigger #20 (field-changed), which moves items to "New"',
    );
    // Without --allow-back the trigger cannot move items back: no loop.
    stages[0]?.triggers.splice(
      0,
      1,
      trigger(20, 'field-changed', { params: { fields: 'priority' } }),
    );
    expect(lint(pipeline(stages), ['priority'])).toEqual([]);
  });

  it('a disabled rule or trigger makes no loop', () => {
    const findings = lint(
      pipeline([
        stage(1, 'A', { rules: [rule(10, 'change-stage', { stage: 'B' })] }),
        stage(2, 'B', { rules: [rule(11, 'change-stage', { stage: 'A' }, { enabled: false })] }),
      ]),
    );
    expect(findings).toEqual([]);
  });

  it('reports a longer loop once, and a change-stage into its own stage', () => {
    const findings = lint(
      pipeline([
        stage(1, 'A', { rules: [rule(10, 'change-stage', { stage: 'B' })] }),
        stage(2, 'B', { rules: [rule(11, 'change-stage', { stage: 'C' })] }),
        stage(3, 'C', { rules: [rule(12, 'change-stage', { stage: 'A' })] }),
        stage(4, 'D', {
          triggers: [trigger(30, 'call-incoming')],
          rules: [rule(13, 'change-stage', { stage: 'D' })],
        }),
      ]),
    );
    expect(brief(findings)).toEqual([
      ['stage-loop', 'A', 10, null],
      ['stage-loop', 'D', 13, null],
    ]);
    expect(findings[0]?.message.startsWith('"A" → "B" → "C" → "A"')).toBe(true);
    expect(findings[1]?.message).toContain('its own stage');
  });

  it('reports a field-changed trigger watching a field its own stage sets', () => {
    const stages = [
      stage(1, 'New'),
      stage(2, 'Qualify', {
        triggers: [trigger(20, 'field-changed', { params: { fields: 'fields.score, amount' } })],
        rules: [
          rule(10, 'set-field', { field: 'score', value: '5' }),
          rule(11, 'set-field', { field: 'fields.other', value: '1' }),
        ],
      }),
    ];
    const findings = lint(pipeline(stages), ['score']);
    expect(brief(findings)).toEqual([['trigger-own-rule', 'Qualify', 10, 20]]);
    expect(findings[0]?.message).toBe(
      'trigger #20 on "Qualify" watches fields.score, which rule #10 (set-field) of the same stage changes: the item is already there, so that change never moves it; put the rule on an earlier stage or stop watching the field',
    );
    stages[1]?.triggers.splice(
      0,
      1,
      trigger(20, 'field-changed', { params: { fields: 'score' }, allowBack: true }),
    );
    const again = lint(pipeline(stages), ['score']);
    expect(brief(again)).toEqual([['trigger-own-rule', 'Qualify', 10, 20]]);
    expect(again[0]?.message).toContain(
      'with --allow-back each entry moves the item into "Qualify" again',
    );
  });

  it('reports responsible-changed triggers next to a change-responsible rule', () => {
    const findings = lint(
      pipeline([
        stage(1, 'New', {
          triggers: [trigger(20, 'responsible-changed', { allowBack: true })],
          rules: [rule(10, 'change-responsible', { users: 'anna,bob', mode: 'round-robin' })],
        }),
      ]),
    );
    expect(brief(findings)).toEqual([['trigger-own-rule', 'New', 10, 20]]);
  });

  it('reports rules waiting on a custom date field an item may not have, not on built-in dates', () => {
    const findings = lint(
      pipeline([
        stage(1, 'New', {
          rules: [
            rule(
              10,
              'send-sms',
              { text: 'Soon' },
              { timing: { atField: 'fields.deadline', offsetMs: -86_400_000 } },
            ),
            rule(
              11,
              'send-sms',
              { text: 'A week on' },
              { timing: { atField: 'createdAt', offsetMs: 604_800_000 } },
            ),
          ],
        }),
      ]),
      ['deadline'],
    );
    expect(brief(findings)).toEqual([['empty-date-field', 'New', 10, null]]);
    expect(findings[0]?.message).toContain('waits for fields.deadline, which an item may not have');
  });

  it('reports template and condition fields no item has and no rule sets', () => {
    const findings = lint(
      pipeline([
        stage(1, 'New', {
          triggers: [trigger(20, 'payment-received', { conditionFields: ['fields.paidVia'] })],
          rules: [
            rule(10, 'send-sms', {
              text: 'Your {{fields.colour}} sofa, {{title}} {{fields.size}}',
            }),
            rule(11, 'set-field', { field: 'size', value: 'L' }),
            rule(
              12,
              'send-email',
              { subject: 'Hi {{fields.nickname}}', text: 'ok' },
              { conditionFields: ['amount', 'fields.vip'] },
            ),
            // Not a template parameter: left alone.
            rule(13, 'create-task', { title: 'Call', deadline: '{{fields.x}}' }),
          ],
        }),
      ]),
      ['nickname'],
    );
    expect(brief(findings)).toEqual([
      ['unknown-template-field', 'New', 10, null],
      ['unknown-condition-field', 'New', null, 20],
      ['unknown-condition-field', 'New', 12, null],
    ]);
    expect(findings[0]?.message).toBe(
      'rule #10: {{fields.colour}} in --param text names a field no item of this pipeline has and no rule sets: it will be filled in empty',
    );
  });

  it('reaches the first stage, trigger stages and what change-stage rules of reached stages lead to', () => {
    const automation = pipeline([
      stage(1, 'New', { rules: [rule(10, 'change-stage', { stage: 'Two' })] }),
      stage(2, 'Two'),
      stage(3, 'Three', { rules: [rule(11, 'change-stage', { stage: 'Four' })] }),
      stage(4, 'Four'),
      stage(5, 'Five', {
        triggers: [trigger(20, 'call-missed')],
        rules: [rule(12, 'change-stage', { stage: 'Six' })],
      }),
      stage(6, 'Six'),
      stage(7, 'Seven', { triggers: [trigger(21, 'call-missed', { enabled: false })] }),
    ]);
    expect([...reachedStages(automation)].sort()).toEqual([0, 1, 4, 5]);
    expect(brief(lint(automation))).toEqual([['unreached-stage', 'Three', 11, null]]);
  });

  it('lints an empty pipeline and one with no automation as clean', () => {
    expect(lint(pipeline([]))).toEqual([]);
    expect(lint(pipeline([stage(1, 'New'), stage(2, 'Won', { semantic: 'success' })]))).toEqual([]);
  });

  it('a final stage moves items on only by an allow-back trigger', () => {
    const stages = [
      stage(1, 'New', { triggers: [trigger(20, 'email-sent')] }),
      stage(2, 'Lost', {
        semantic: 'failure',
        rules: [rule(10, 'send-email', { subject: 'Sorry', text: 'x' })],
        triggers: [trigger(21, 'call-incoming')],
      }),
      stage(3, 'Won', { semantic: 'success', triggers: [trigger(22, 'email-sent')] }),
    ];
    // A send-email on Lost fires email-sent; New's trigger would move back only with allow-back,
    // Won's is later but Lost is final: no move, no loop.
    expect(lint(pipeline(stages))).toEqual([]);
  });
});

describe('rules that wait for one that takes the item away', () => {
  it('reports after-previous rules below an unconditional change-stage or a lead’s convert-lead', () => {
    const automation = pipeline([
      stage(1, 'New', {
        rules: [
          rule(10, 'change-stage', { stage: 'Done' }, { timing: { delayMs: 3_600_000 } }),
          rule(11, 'add-comment', { text: 'never' }, { timing: { afterPrevious: true } }),
          rule(12, 'add-comment', { text: 'nor this' }, { timing: { afterPrevious: true } }),
          rule(13, 'add-comment', { text: 'a chain of its own' }),
          rule(14, 'change-stage', { stage: 'Done' }, { condition: 'amount > 5' }),
          rule(
            15,
            'add-comment',
            { text: 'runs when 14 is skipped' },
            { timing: { afterPrevious: true } },
          ),
        ],
      }),
      stage(2, 'Done', { semantic: 'success' }),
    ]);
    const findings = lint(automation).filter((f) => f.code === 'after-leaving');
    expect(findings.map((f) => f.ruleId)).toEqual([11, 12]);
    expect(findings[0]?.message).toBe(
      'rule #11 runs after rule #10 (change-stage), which always takes the item out of "New": leaving the stage cancels it, so it never runs',
    );
    const converting = (type: string) => {
      const p = pipeline([
        stage(1, 'New', {
          rules: [
            rule(10, 'convert-lead'),
            rule(11, 'add-comment', { text: 'x' }, { timing: { afterPrevious: true } }),
          ],
        }),
      ]);
      p.pipeline.type = type;
      return lint(p)
        .filter((f) => f.code === 'after-leaving')
        .map((f) => f.ruleId);
    };
    expect(converting('lead')).toEqual([11]);
    // On a deal, convert-lead is skipped: the rule below runs.
    expect(converting('deal')).toEqual([]);
  });
});
