import {
  type Comparison,
  type Condition,
  fieldsOf,
  type Literal,
  readsClock,
  type ValueType,
} from './condition-ast.js';
import {
  type DateValue,
  dayOf,
  readDate,
  readNumber,
  resolveRelative,
} from './condition-values.js';

export interface Evaluation {
  result: boolean;
  /** The value of every field the condition names (null when there is none), for the log. */
  seen: Record<string, unknown>;
}

export interface EvaluateOptions {
  /** The zone whose calendar days date-only values and `today` mean (default UTC). */
  timeZone?: string;
}

/**
 * Evaluates a parsed condition against an item's values, as the rule is about to execute.
 * `values` is asked once for every field the condition names, so `seen` shows them all even
 * where `and` / `or` stop early. `now` is needed when the condition reads the clock
 * (`today`, `now-3d`); leaving it out then is a programming error. Whatever `values` returns,
 * evaluation does not throw: a value a field cannot read (text on a number field, say) only
 * makes its comparisons false (and their negations true).
 */
export function evaluateCondition(
  condition: Condition,
  values: (field: string) => unknown,
  now?: Date,
  options: EvaluateOptions = {},
): Evaluation {
  if (now === undefined && readsClock(condition)) {
    throw new Error('evaluateCondition: the condition reads the clock (now, today): pass now');
  }
  const seen = Object.fromEntries(
    fieldsOf(condition).map((field) => [field, values(field) ?? null]),
  );
  const context: Context = { now: now ?? new Date(0), timeZone: options.timeZone ?? 'UTC' };
  const holds = (node: Condition): boolean => {
    if (node.op === 'and') return node.of.every(holds);
    if (node.op === 'or') return node.of.some(holds);
    return comparisonHolds(node, seen[node.field], context);
  };
  return { result: holds(condition), seen };
}

interface Context {
  now: Date;
  timeZone: string;
}

/** Each negated operator is exactly the negation of its positive one, missing values included. */
function comparisonHolds(node: Comparison, value: unknown, context: Context): boolean {
  const { valueType } = node;
  const cmp = (element: unknown, literal: Literal) => compare(element, literal, valueType, context);
  const any = (test: (element: unknown) => boolean) =>
    valueType === 'list' ? elementsOf(value).some(test) : test(value);
  switch (node.op) {
    case 'is empty':
      return isEmpty(value);
    case 'is not empty':
      return !isEmpty(value);
    case '=':
      return any((v) => cmp(v, node.value) === 0);
    case '!=':
      return !any((v) => cmp(v, node.value) === 0);
    case '>':
      return any((v) => (cmp(v, node.value) ?? 0) > 0);
    case '>=':
      return any((v) => (cmp(v, node.value) ?? -1) >= 0);
    case '<':
      return any((v) => (cmp(v, node.value) ?? 0) < 0);
    case '<=':
      return any((v) => (cmp(v, node.value) ?? 1) <= 0);
    case 'contains':
      return any((v) => contains(v, node.value));
    case '!contains':
      return !any((v) => contains(v, node.value));
    case 'in':
      return node.values.some((literal) => any((v) => cmp(v, literal) === 0));
    case '!in':
      return !node.values.some((literal) => any((v) => cmp(v, literal) === 0));
    case 'between':
      return any((v) => (cmp(v, node.from) ?? -1) >= 0 && (cmp(v, node.to) ?? 1) <= 0);
  }
}

/** Null, missing, blank text, an empty list. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

function elementsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === null || value === undefined ? [] : [value];
}

/** The sign of value − literal as the field reads them, or undefined when they do not compare. */
function compare(
  value: unknown,
  literal: Literal,
  valueType: ValueType,
  context: Context,
): number | undefined {
  switch (valueType) {
    case 'number':
      return compareNumbers(numberOf(value), literalNumber(literal));
    case 'date':
      return compareDates(dateOf(value), literalDate(literal, context), context);
    case 'custom': {
      const text = textOf(value);
      if (text === undefined) return undefined;
      if (literal.kind === 'relative') {
        return compareDates(readDate(text), literalDate(literal, context), context);
      }
      const other = literalText(literal);
      const numbers = [readNumber(text), readNumber(other)] as const;
      if (numbers[0] !== undefined && numbers[1] !== undefined) {
        return compareNumbers(...numbers);
      }
      const dates = [readDate(text), readDate(other)] as const;
      if (dates[0] && dates[1]) return compareDates(...dates, context);
      return compareTexts(text, other);
    }
    default: {
      const text = textOf(value);
      return text === undefined ? undefined : compareTexts(text, literalText(literal));
    }
  }
}

function compareNumbers(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  return Math.sign(a - b);
}

/** By day when either side is a date only (the day of an instant in the zone), else by instant. */
function compareDates(
  a: DateValue | undefined,
  b: DateValue | undefined,
  context: Context,
): number | undefined {
  if (!a || !b) return undefined;
  if (!a.dateOnly && !b.dateOnly) return Math.sign(a.ms - b.ms);
  const day = (d: DateValue) => (d.dateOnly ? d.day : dayOf(d.ms, context.timeZone));
  return compareTexts(day(a), day(b));
}

/** Case-insensitive; ordered by code unit, which is the same on every machine. */
function compareTexts(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

function contains(value: unknown, literal: Literal): boolean {
  const text = textOf(value);
  if (text === undefined) return false;
  return text.toLowerCase().includes(literalText(literal).toLowerCase());
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return typeof value === 'string' ? readNumber(value) : undefined;
}

function dateOf(value: unknown): DateValue | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : { dateOnly: false, ms };
  }
  return typeof value === 'string' ? readDate(value) : undefined;
}

/** Only plain values read as text: an object's own toString is not the item's value. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return undefined;
}

function literalNumber(literal: Literal): number | undefined {
  if (literal.kind === 'number') return literal.value;
  return literal.kind === 'text' ? readNumber(literal.value) : undefined;
}

function literalDate(literal: Literal, context: Context): DateValue | undefined {
  if (literal.kind === 'relative') return resolveRelative(literal, context.now, context.timeZone);
  return literal.kind === 'date' || literal.kind === 'text' ? readDate(literal.value) : undefined;
}

function literalText(literal: Literal): string {
  switch (literal.kind) {
    case 'number':
      return String(literal.value);
    case 'relative':
      return literal.base;
    default:
      return literal.value;
  }
}
