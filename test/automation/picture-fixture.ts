import type {
  PipelineAutomation,
  RuleTiming,
  RuleView,
  StageAutomation,
  TriggerView,
} from '../../src/pipelines/draw-model.js';
import { immediately } from '../../src/pipelines/draw-model.js';
import type { Semantic } from '../../src/pipelines/repo.js';

/** Plain automation structures for the picture and lint tests. */
export function rule(
  id: number,
  action: string,
  params: Record<string, string> = {},
  more: Partial<Omit<RuleView, 'timing'>> & { timing?: Partial<RuleTiming> } = {},
): RuleView {
  return {
    id,
    name: null,
    action,
    params,
    condition: null,
    conditionFields: [],
    enabled: true,
    ...more,
    timing: { ...immediately, ...more.timing },
  };
}

export function trigger(id: number, event: string, more: Partial<TriggerView> = {}): TriggerView {
  return {
    id,
    name: null,
    event,
    params: {},
    condition: null,
    conditionFields: [],
    allowBack: false,
    enabled: true,
    ...more,
  };
}

export function stage(
  id: number,
  name: string,
  parts: { semantic?: Semantic; items?: number; rules?: RuleView[]; triggers?: TriggerView[] } = {},
): StageAutomation {
  return {
    id,
    name,
    semantic: parts.semantic ?? 'process',
    items: parts.items ?? 0,
    rules: parts.rules ?? [],
    triggers: parts.triggers ?? [],
  };
}

export function pipeline(stages: StageAutomation[], name = 'Furniture store'): PipelineAutomation {
  return { pipeline: { id: 7, name, type: 'deal', isDefault: false }, stages };
}

/** Seed 002's furniture store, as the demo builds it. */
export function furnitureStore(): PipelineAutomation {
  return pipeline([
    stage(20, 'New', {
      items: 2,
      rules: [
        rule(1, 'send-sms', {
          text: 'Thank you for your order, {{title}}! A manager will call you within 30 minutes.',
        }),
      ],
    }),
    stage(21, 'Prepare documents', {
      rules: [
        rule(2, 'create-document', {
          name: 'Invoice',
          template: 'Invoice for {{title}}: {{amount}}',
        }),
        rule(
          3,
          'send-email',
          { subject: 'Your invoice', text: 'Dear customer, your invoice: {{amount}} {{currency}}' },
          { timing: { afterPrevious: true } },
        ),
      ],
    }),
    stage(22, 'Prepayment', {
      triggers: [trigger(4, 'payment-received')],
      rules: [
        rule(
          5,
          'create-task',
          { title: 'Prepare the order for delivery', assignee: 'anna', deadline: '1d' },
          { timing: { workingHours: true } },
        ),
      ],
    }),
    stage(23, 'Delivery'),
    stage(24, 'Final invoice'),
    stage(25, 'Won', { semantic: 'success' }),
    stage(26, 'Lost', { semantic: 'failure' }),
    stage(27, 'Spam', { semantic: 'failure', rules: [rule(6, 'add-to-exceptions')] }),
  ]);
}
