import { escapeControls } from '../cli/escape.js';
import { type RuleView, type TriggerView, timingText } from './draw-model.js';

/**
 * The words of the picture: each trigger and rule of a stage as the CRM's automation screen
 * shows it, a few short lines each. Pure; control characters escaped (it is drawn on terminals).
 */

/** The parameter a rule is known by on the screen: the SMS text, the task title, the URL. */
const keyParameters: Record<string, readonly string[]> = {
  'send-sms': ['text'],
  'send-email': ['subject', 'text'],
  notify: ['to', 'text'],
  'create-task': ['title'],
  'change-responsible': ['users', 'mode'],
  'create-document': ['name', 'template'],
  'set-field': ['field', 'value'],
  'change-stage': ['stage'],
  'add-comment': ['text'],
  webhook: ['url'],
  wait: ['until', 'for'],
};

/** The longest a parameter is quoted in the picture; `rule show` gives it whole. */
const quoteLength = 40;

function shorten(text: string, length = quoteLength): string {
  const flat = escapeControls(text.replace(/\s+/g, ' ').trim());
  const chars = [...flat];
  return chars.length <= length ? flat : `${chars.slice(0, length - 1).join('')}…`;
}

/** `send-sms "We will call you…"`, `set-field deadline = 2026-12-01`, `change-stage → Won`. */
export function ruleSummary(rule: RuleView, stageName?: (ref: string) => string): string {
  const p = rule.params;
  const named = (key: string) => (p[key] === undefined ? undefined : shorten(p[key]));
  switch (rule.action) {
    case 'set-field':
      return `set-field ${named('field') ?? '?'} = ${named('value') ?? ''}`;
    case 'change-stage':
      return `change-stage → ${p.stage === undefined ? '?' : shorten(stageName ? stageName(p.stage) : p.stage)}`;
    case 'change-responsible':
      return `change-responsible → ${named('users') ?? '?'}${p.mode && p.mode !== 'fixed' ? ` (${p.mode})` : ''}`;
    case 'notify':
      return `notify ${named('to') ?? 'responsible'}${p.text ? `: "${shorten(p.text)}"` : ''}`;
    case 'wait':
      return p.until !== undefined ? `wait until ${named('until')}` : `wait ${named('for') ?? ''}`;
  }
  const key = (keyParameters[rule.action] ?? Object.keys(p)).find((k) => p[k] !== undefined);
  return key === undefined
    ? escapeControls(rule.action)
    : `${escapeControls(rule.action)} "${shorten(p[key] ?? '')}"`;
}

/** The lines of one rule in its stage's column. */
export function ruleLines(rule: RuleView, stageName?: (ref: string) => string): string[] {
  const head = `#${rule.id} ${ruleSummary(rule, stageName)}`;
  const lines = [rule.enabled ? head : `${head} (disabled)`];
  if (rule.name) lines.push(`  ${shorten(rule.name)}`);
  lines.push(`  ${timingText(rule.timing)}`);
  if (rule.condition) lines.push(`  if ${shorten(rule.condition, 80)}`);
  return lines;
}

/** `payment-received`, `field-changed: deadline, amount`, `webhook: code abc`. */
export function triggerSummary(trigger: TriggerView): string {
  const event = escapeControls(trigger.event);
  const params = Object.entries(trigger.params).filter(([, v]) => v !== '');
  if (params.length === 0) return event;
  if (params.length === 1 && params[0]?.[0] === 'fields')
    return `${event}: ${shorten(params[0][1])}`;
  return `${event}: ${params.map(([k, v]) => `${escapeControls(k)} ${shorten(v)}`).join(', ')}`;
}

/** The lines of one trigger in its stage's column. */
export function triggerLines(trigger: TriggerView): string[] {
  const head = `⚑ #${trigger.id} on ${triggerSummary(trigger)}`;
  const lines = [trigger.enabled ? head : `${head} (disabled)`];
  if (trigger.name) lines.push(`  ${shorten(trigger.name)}`);
  if (trigger.condition) lines.push(`  if ${shorten(trigger.condition, 80)}`);
  if (trigger.allowBack) lines.push('  allows moving back');
  return lines;
}
