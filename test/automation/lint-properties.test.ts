import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintAutomation, lintCodes } from '../../src/automation/lint.js';
import { pipeline, rule, stage, trigger } from './picture-fixture.js';

const events = [
  'field-changed',
  'responsible-changed',
  'email-sent',
  'task-completed',
  'payment-received',
];
const actions = [
  'change-stage',
  'set-field',
  'change-responsible',
  'send-email',
  'complete-tasks',
  'send-sms',
];

/** Random pipelines of up to 12 stages with rules and triggers pointing anywhere. */
const arbitraryPipeline = fc
  .record({
    stages: fc.integer({ min: 1, max: 12 }),
    rules: fc.array(
      fc.record({
        at: fc.nat(),
        action: fc.constantFrom(...actions),
        target: fc.nat(),
        field: fc.constantFrom('priority', 'fields.score', 'amount', 'x'),
        enabled: fc.boolean(),
        atField: fc.option(fc.constantFrom('fields.deadline', 'createdAt'), { nil: null }),
      }),
      { maxLength: 20 },
    ),
    triggers: fc.array(
      fc.record({
        at: fc.nat(),
        event: fc.constantFrom(...events),
        fields: fc.constantFrom('', 'priority', 'score,amount'),
        allowBack: fc.boolean(),
        enabled: fc.boolean(),
      }),
      { maxLength: 10 },
    ),
  })
  .map(({ stages, rules, triggers }) => {
    const all = Array.from({ length: stages }, (_, i) =>
      stage(i + 1, `S${i + 1}`, {
        semantic: i === stages - 1 && stages > 1 ? 'success' : 'process',
      }),
    );
    rules.forEach((r, i) => {
      const params: Record<string, string> =
        r.action === 'change-stage'
          ? { stage: `S${(r.target % stages) + 1}` }
          : r.action === 'set-field'
            ? { field: r.field, value: '1' }
            : { text: '{{fields.unknown}}' };
      all[r.at % stages]?.rules.push(
        rule(i + 1, r.action, params, { enabled: r.enabled, timing: { atField: r.atField } }),
      );
    });
    triggers.forEach((t, i) => {
      all[t.at % stages]?.triggers.push(
        trigger(100 + i, t.event, {
          params: t.fields ? { fields: t.fields } : {},
          allowBack: t.allowBack,
          enabled: t.enabled,
        }),
      );
    });
    return pipeline(all);
  });

describe('rule lint on random pipelines', () => {
  it('always ends, is deterministic, and every finding names a real stage, rule or trigger', () => {
    fc.assert(
      fc.property(arbitraryPipeline, (automation) => {
        const findings = lintAutomation(automation, { customFields: ['score'] });
        expect(lintAutomation(automation, { customFields: ['score'] })).toEqual(findings);
        const ruleIds = new Set(automation.stages.flatMap((s) => s.rules.map((r) => r.id)));
        const triggerIds = new Set(automation.stages.flatMap((s) => s.triggers.map((t) => t.id)));
        for (const finding of findings) {
          expect(lintCodes).toContain(finding.code);
          expect(automation.stages.some((s) => s.id === finding.stage.id)).toBe(true);
          if (finding.ruleId !== null) expect(ruleIds.has(finding.ruleId)).toBe(true);
          if (finding.triggerId !== null) expect(triggerIds.has(finding.triggerId)).toBe(true);
          expect(finding.ruleId ?? finding.triggerId).not.toBeNull();
          expect(finding.message.length).toBeGreaterThan(10);
        }
        // Leaving every check out leaves nothing.
        expect(lintAutomation(automation, { customFields: [], ignore: lintCodes })).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('finds a loop whenever change-stage rules alone make one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), (length) => {
        // A ring of stages, each moving items on to the next, the last back to the first.
        const ring = pipeline(
          Array.from({ length }, (_, i) =>
            stage(i + 1, `S${i + 1}`, {
              rules: [rule(i + 1, 'change-stage', { stage: `S${((i + 1) % length) + 1}` })],
            }),
          ),
        );
        const loops = lintAutomation(ring, { customFields: [] }).filter(
          (f) => f.code === 'stage-loop',
        );
        expect(loops).toHaveLength(1);
        expect(loops[0]?.message.split(' → ')).toHaveLength(length + 1);
      }),
    );
  });
});
