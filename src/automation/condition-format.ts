import type { Condition, Literal, ValueType } from './condition-ast.js';
import { canonicalDate, formatOffset, looksRelative } from './condition-values.js';

/**
 * The canonical text of a condition (`rule show`, the pipeline picture, lint): lower-case
 * keywords, single spaces, every nested `and` / `or` in parentheses. It parses back to an equal
 * condition.
 */
export function formatCondition(condition: Condition): string {
  switch (condition.op) {
    case 'and':
    case 'or':
      return condition.of
        .map((child) =>
          child.op === 'and' || child.op === 'or'
            ? `(${formatCondition(child)})`
            : formatCondition(child),
        )
        .join(` ${condition.op} `);
    case 'is empty':
    case 'is not empty':
      return `${condition.field} ${condition.op}`;
    case 'in':
    case '!in': {
      const values = condition.values.map((v) => formatLiteral(v, condition.valueType));
      return `${condition.field} ${condition.op} (${values.join(', ')})`;
    }
    case 'between': {
      const { field, from, to, valueType } = condition;
      return `${field} between ${formatLiteral(from, valueType)} and ${formatLiteral(to, valueType)}`;
    }
    case 'contains':
    case '!contains':
      return `${condition.field} ${condition.op} ${formatLiteral(condition.value, 'text')}`;
    default:
      return `${condition.field} ${condition.op} ${formatLiteral(condition.value, condition.valueType)}`;
  }
}

export function formatLiteral(literal: Literal, valueType: ValueType): string {
  switch (literal.kind) {
    case 'number':
      return String(literal.value);
    case 'date':
      return canonicalDate(literal.value);
    case 'relative':
      return `${literal.base}${formatOffset(literal.offsetMs)}`;
    case 'text':
      return bareTextReadsBack(literal.value, valueType) ? literal.value : quote(literal.value);
  }
}

/**
 * Written bare, the text parses back as itself: a word of no spaces, parentheses, commas,
 * quotes, backslashes or control characters, not a keyword the parser stops at, and not
 * `now…` / `today…` where those are dates. Numbers and dates on text fields stay bare: text
 * fields read every value as text.
 */
function bareTextReadsBack(value: string, valueType: ValueType): boolean {
  if (!/^[^\s(),"'\\\p{Cc}]+$/u.test(value)) return false;
  if (/^(and|or)$/i.test(value)) return false;
  if (valueType === 'custom' && looksRelative(value)) return false;
  return true;
}

function quote(value: string): string {
  const escaped = value
    .replace(/[\\"]/g, '\\$&')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r');
  return `"${escaped}"`;
}
