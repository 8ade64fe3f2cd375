/**
 * The parsed form of a rule's or trigger's condition (DESIGN §2): plain data, stored in the
 * store as JSON and re-loaded at execution, so no classes and no functions in it.
 */

/** What a built-in field holds: phones and emails are lists of text. */
export type FieldType = 'text' | 'number' | 'date' | 'list';

/**
 * How a comparison reads its field: a built-in type, or `custom` for `fields.NAME`, whose values
 * are text that compares as a number or a date when both sides read as one.
 */
export type ValueType = FieldType | 'custom';

/** The fields a condition may name. */
export interface FieldCatalogue {
  /** The built-in fields by name, in the order messages list them, with their types. */
  readonly builtIn: Readonly<Record<string, FieldType>>;
  /** Whether custom fields (`fields.NAME`) may be named. */
  readonly custom: boolean;
}

export const customFieldPrefix = 'fields.';

/**
 * A value written in a condition, typed by its field at parse time: a number field holds
 * numbers, a date field dates, text and list fields text (`10` on `title` is the text "10").
 */
export type Literal =
  | { kind: 'text'; value: string }
  | { kind: 'number'; value: number }
  /** An ISO date (`2026-05-01`, compared by day) or date-time, as written (T and Z upper-cased). */
  | { kind: 'date'; value: string }
  /** `now`, `today`, `now-3d`, `today+1w`: read from the clock at evaluation. */
  | { kind: 'relative'; base: 'now' | 'today'; offsetMs: number };

export const compareOps = ['=', '!=', '>', '>=', '<', '<=', 'contains', '!contains'] as const;
export type CompareOp = (typeof compareOps)[number];

interface FieldTest {
  /** As written in the condition, canonical: a built-in name, or `fields.NAME`. */
  field: string;
  valueType: ValueType;
}

export type Comparison =
  | (FieldTest & { op: CompareOp; value: Literal })
  | (FieldTest & { op: 'in' | '!in'; values: Literal[] })
  | (FieldTest & { op: 'between'; from: Literal; to: Literal })
  | (FieldTest & { op: 'is empty' | 'is not empty' });

/** `and` binds tighter than `or`; `of` holds two or more conditions. */
export type Logical = { op: 'and'; of: Condition[] } | { op: 'or'; of: Condition[] };

export type Condition = Logical | Comparison;

export type ConditionOp = Condition['op'];

/** The fields a condition reads, each once, in the order they are written (for lint). */
export function fieldsOf(condition: Condition): string[] {
  const fields = new Set<string>();
  const visit = (node: Condition) => {
    if (node.op === 'and' || node.op === 'or') node.of.forEach(visit);
    else fields.add(node.field);
  };
  visit(condition);
  return [...fields];
}

/** True when the condition reads the clock (`now`, `today`): evaluation then needs `now`. */
export function readsClock(condition: Condition): boolean {
  return literalsOf(condition).some((literal) => literal.kind === 'relative');
}

function literalsOf(condition: Condition): Literal[] {
  switch (condition.op) {
    case 'and':
    case 'or':
      return condition.of.flatMap(literalsOf);
    case 'in':
    case '!in':
      return condition.values;
    case 'between':
      return [condition.from, condition.to];
    case 'is empty':
    case 'is not empty':
      return [];
    default:
      return [condition.value];
  }
}

export function conditionToJson(condition: Condition): string {
  return JSON.stringify(condition);
}

/**
 * A condition as stored by conditionToJson. What the store holds was parsed before it was
 * saved, so a shape that is not a condition is a broken store: a plain Error (internal).
 */
export function conditionFromJson(json: string): Condition {
  return checkCondition(JSON.parse(json) as unknown, '$');
}

const valueTypes: readonly string[] = ['text', 'number', 'date', 'list', 'custom'];

function checkCondition(node: unknown, path: string): Condition {
  const fail = (what: string): never => {
    throw new Error(`stored condition: ${path} ${what}`);
  };
  if (typeof node !== 'object' || node === null) return fail('is not an object');
  const record = node as Record<string, unknown>;
  const op = record.op;
  if (op === 'and' || op === 'or') {
    const of = record.of;
    if (!Array.isArray(of) || of.length < 2) return fail('needs two or more conditions in "of"');
    return { op, of: of.map((child, i) => checkCondition(child, `${path}.of[${i}]`)) };
  }
  const { field, valueType } = record;
  if (typeof field !== 'string' || field === '') fail('has no field');
  if (typeof valueType !== 'string' || !valueTypes.includes(valueType)) fail('has no value type');
  const test = { field: field as string, valueType: valueType as ValueType };
  const literal = (value: unknown, at: string) => checkLiteral(value, `${path}.${at}`);
  switch (op) {
    case 'in':
    case '!in': {
      const values = record.values;
      if (!Array.isArray(values) || values.length === 0) return fail('needs values');
      return { ...test, op, values: values.map((v, i) => literal(v, `values[${i}]`)) };
    }
    case 'between':
      return { ...test, op, from: literal(record.from, 'from'), to: literal(record.to, 'to') };
    case 'is empty':
    case 'is not empty':
      return { ...test, op };
    default:
      if (!compareOps.includes(op as CompareOp)) return fail(`has an unknown op ${String(op)}`);
      return { ...test, op: op as CompareOp, value: literal(record.value, 'value') };
  }
}

function checkLiteral(node: unknown, path: string): Literal {
  const literal = (typeof node === 'object' && node !== null ? node : {}) as Record<
    string,
    unknown
  >;
  const { kind, value } = literal;
  if (kind === 'text' && typeof value === 'string') return { kind, value };
  if (kind === 'date' && typeof value === 'string') return { kind, value };
  if (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) {
    return { kind, value };
  }
  const { base, offsetMs } = literal;
  if (
    kind === 'relative' &&
    (base === 'now' || base === 'today') &&
    typeof offsetMs === 'number' &&
    Number.isFinite(offsetMs)
  ) {
    return { kind, base, offsetMs };
  }
  throw new Error(`stored condition: ${path} is not a value`);
}
