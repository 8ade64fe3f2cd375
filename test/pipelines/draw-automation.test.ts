import { stripVTControlCharacters } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasControls } from '../../src/cli/escape.js';
import { automationFlowchart, drawAutomation, wrapLine } from '../../src/pipelines/draw.js';
import { ruleLines, ruleSummary, triggerLines } from '../../src/pipelines/draw-automation.js';
import { formatDuration, immediately, timingText } from '../../src/pipelines/draw-model.js';
import { furnitureStore, pipeline, rule, stage, trigger } from '../automation/picture-fixture.js';

const h = 3_600_000;
const d = 24 * h;

describe('timing in words', () => {
  it('says immediately, after a delay, before/after/at a date field, working hours, after previous', () => {
    const t = (timing: Partial<typeof immediately>) => timingText({ ...immediately, ...timing });
    expect(t({})).toBe('immediately');
    expect(t({ delayMs: 2 * h })).toBe('after 2h');
    expect(t({ delayMs: d + 4 * h + 30 * 60_000 })).toBe('after 1d4h30m');
    expect(t({ atField: 'fields.deadline', offsetMs: -d })).toBe('1d before fields.deadline');
    expect(t({ atField: 'fields.deadline', offsetMs: 2 * h })).toBe('2h after fields.deadline');
    expect(t({ atField: 'fields.deadline' })).toBe('at fields.deadline');
    expect(t({ workingHours: true })).toBe('in working hours');
    expect(t({ delayMs: 2 * h, workingHours: true })).toBe('after 2h, in working hours');
    expect(t({ afterPrevious: true })).toBe('after previous');
    expect(t({ afterPrevious: true, delayMs: 30 * 60_000 })).toBe('after previous, then after 30m');
  });

  it('writes durations as --delay takes them back', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(7 * d)).toBe('1w');
    expect(formatDuration(10 * d)).toBe('10d');
    expect(formatDuration(-d)).toBe('-1d');
  });
});

describe('rules and triggers in words', () => {
  it('names each action by its key parameter', () => {
    expect(ruleSummary(rule(1, 'send-sms', { text: 'Hello {{title}}' }))).toBe(
      'send-sms "Hello {{title}}"',
    );
    expect(ruleSummary(rule(1, 'set-field', { field: 'fields.priority', value: 'high' }))).toBe(
      'set-field fields.priority = high',
    );
    expect(ruleSummary(rule(1, 'change-stage', { stage: '23' }), () => 'Delivery')).toBe(
      'change-stage → Delivery',
    );
    expect(
      ruleSummary(rule(1, 'change-responsible', { users: 'anna,bob', mode: 'round-robin' })),
    ).toBe('change-responsible → anna,bob (round-robin)');
    expect(ruleSummary(rule(1, 'notify', { to: 'supervisor', text: 'Late' }))).toBe(
      'notify supervisor: "Late"',
    );
    expect(ruleSummary(rule(1, 'wait', { for: '2h' }))).toBe('wait 2h');
    expect(ruleSummary(rule(1, 'wait', { until: 'amount > 0' }))).toBe('wait until amount > 0');
    expect(ruleSummary(rule(1, 'convert-lead'))).toBe('convert-lead');
    expect(ruleSummary(rule(1, 'webhook', { url: 'https://example.com/hook' }))).toBe(
      'webhook "https://example.com/hook"',
    );
  });

  it('shortens long texts and escapes control characters', () => {
    const long = ruleSummary(rule(1, 'send-sms', { text: 'x'.repeat(500) }));
    expect([...long].length).toBeLessThan(60);
    expect(long.endsWith('…"')).toBe(true);
    const hostile = ruleLines(
      rule(2, 'add-comment', { text: 'a\u001b[31mred\u202e' }, { name: 'n\u0007' }),
    );
    expect(hasControls(hostile.join(' '))).toBe(false);
    expect(hostile.join('\n')).toContain('\\x1b[31mred\\u202e');
  });

  it('shows condition, timing, name and disabled for rules; event, fields, condition, allow-back for triggers', () => {
    expect(
      ruleLines(
        rule(
          9,
          'send-email',
          { subject: 'Reminder' },
          {
            name: 'Remind the client',
            condition: 'amount >= 1000',
            enabled: false,
            timing: { atField: 'fields.deadline', offsetMs: -d, workingHours: true },
          },
        ),
      ),
    ).toEqual([
      '#9 send-email "Reminder" (disabled)',
      '  Remind the client',
      '  1d before fields.deadline, in working hours',
      '  if amount >= 1000',
    ]);
    expect(
      triggerLines(
        trigger(4, 'field-changed', {
          params: { fields: 'fields.deadline,amount' },
          condition: 'amount > 0',
          allowBack: true,
        }),
      ),
    ).toEqual([
      '⚑ #4 on field-changed: fields.deadline,amount',
      '  if amount > 0',
      '  allows moving back',
    ]);
    expect(triggerLines(trigger(5, 'webhook', { params: { code: 'paid' } }))[0]).toBe(
      '⚑ #5 on webhook: code paid',
    );
  });
});

describe('the picture', () => {
  it('draws seed 002 as the automation screen: stages as columns, a row of triggers, a row of rules', () => {
    const drawn = drawAutomation(furnitureStore(), 120, false);
    const lines = drawn.split('\n');
    expect(lines[0]).toBe('Furniture store (deal pipeline #7)');
    expect(lines[2]).toMatch(/^│ New +│ Prepare documents +│ Prepayment +│ Delivery +│$/);
    expect(drawn).toContain('⚑ #4 on payment-received');
    expect(drawn).toContain('#1 send-sms "Thank you for');
    expect(drawn).toContain('#2 create-document "Invoice"');
    expect(drawn).toContain('#3 send-email "Your invoice"');
    expect(drawn).toContain('after previous');
    expect(drawn).toContain('#6 add-to-exceptions');
    expect(drawn).toContain('in working hours');
    // Two bands at 120 columns, each a table of its own.
    expect(drawn.match(/┌/g)?.length).toBe(2);
    // The Prepayment column holds its trigger on the triggers row.
    const triggersRow = lines.find((l) => l.includes('⚑'));
    expect(triggersRow).toMatch(/│ no triggers +│ no triggers +│ ⚑ #4 on payment-received +│/);
  });

  it('without automation draws only the stages, as before', () => {
    const plain = pipeline([
      stage(1, 'New', { items: 1 }),
      stage(2, 'Won', { semantic: 'success' }),
    ]);
    expect(drawAutomation(plain, 80, false)).toBe(
      [
        'Furniture store (deal pipeline #7)',
        '┌──────────────┬──────────────┐',
        '│ New          │ Won ✓        │',
        '├──────────────┼──────────────┤',
        '│ 1 item       │ 0 items      │',
        '└──────────────┴──────────────┘',
        '',
      ].join('\n'),
    );
  });

  it('fits any width: random pipelines with long, hostile names never draw a line wider than the terminal', () => {
    const text = fc.string({
      minLength: 1,
      maxLength: 80,
      unit: fc.constantFrom('a', 'b', ' ', 'é', '\u001b', '\n', '{', 'x'),
    });
    const arbitrary = fc.record({
      width: fc.integer({ min: 20, max: 220 }),
      stages: fc.array(
        fc.record({
          name: text,
          rules: fc.array(text, { maxLength: 3 }),
          triggers: fc.array(text, { maxLength: 2 }),
        }),
        { minLength: 1, maxLength: 9 },
      ),
    });
    fc.assert(
      fc.property(arbitrary, ({ width, stages }) => {
        let id = 1;
        const automation = pipeline(
          stages.map((s, i) =>
            stage(100 + i, s.name, {
              rules: s.rules.map((t) =>
                rule(id++, 'send-sms', { text: t }, { condition: `title contains "${t}"` }),
              ),
              triggers: s.triggers.map((t) => trigger(id++, 'webhook', { params: { code: t } })),
            }),
          ),
        );
        const drawn = drawAutomation(automation, width, false);
        for (const line of drawn.split('\n').slice(1)) {
          expect([...stripVTControlCharacters(line)].length).toBeLessThanOrEqual(width);
        }
        expect(hasControls(drawn.replaceAll('\n', ''))).toBe(false);
        for (let n = 1; n < id; n++) expect(drawn.replace(/\s+/g, '')).toContain(`#${n}`);
      }),
      { numRuns: 25 },
    );
  });

  it('wraps cell lines at spaces with a hanging indent', () => {
    expect(wrapLine('  immediately, in working hours', 20)).toEqual([
      '  immediately, in',
      '    working hours',
    ]);
    expect(wrapLine('abcdefghij', 4)).toEqual(['abcd', '  ef', '  gh', '  ij']);
    expect(wrapLine('short', 10)).toEqual(['short']);
  });
});

describe('the flowchart', () => {
  it('draws stages, rules hanging off them, change-stage rules as arrows, triggers as flags', () => {
    const automation = furnitureStore();
    automation.stages[3]?.rules.push(
      rule(7, 'change-stage', { stage: 'Final invoice' }, { timing: { delayMs: 3 * d } }),
    );
    const chart = automationFlowchart(automation);
    const lines = chart.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('  s20 --> s21');
    expect(lines).toContain(
      '  r1(["#35;1 send-sms #quot;Thank you for your order, {{title}}! A …#quot;<br/>immediately"])',
    );
    expect(lines).toContain('  s20 -.- r1');
    expect(lines).toContain('  s23 ==>|"#35;7 change-stage → Final invoice<br/>after 3d"| s24');
    expect(lines.some((l) => l.startsWith('  r7'))).toBe(false);
    expect(lines).toContain('  t4>"⚑ #35;4 on payment-received"]');
    expect(lines).toContain('  t4 ==> s22');
  });

  it('keeps hostile names and texts inside their labels', () => {
    const chart = automationFlowchart(
      pipeline([
        stage(1, '<img src=x onerror=alert(1)>"]', {
          rules: [rule(1, 'send-sms', { text: '"] --> evil["' })],
          triggers: [trigger(2, 'webhook', { params: { code: '<b>' } })],
        }),
      ]),
    );
    expect(chart).not.toMatch(/<img|<b>|"\] -->/);
    for (const line of chart.split('\n').slice(1, -1)) {
      // Every label's quotes are the drawing's own: two per node line, none inside.
      expect(line.match(/"/g)?.length ?? 0).toBeLessThanOrEqual(2);
    }
  });
});
