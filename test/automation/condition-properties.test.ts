import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Comparison,
  type Condition,
  ConditionError,
  conditionFromJson,
  conditionToJson,
  evaluateCondition,
  fieldsOf,
  formatCondition,
  itemFields,
  type Literal,
  parseCondition,
  type ValueType,
} from '../../src/automation/condition.js';
import { readDate } from '../../src/automation/condition-values.js';

const seed = 20_260_510;
const parse = (text: string) => parseCondition(text, itemFields);
const dayMs = 86_400_000;

// --- Random conditions, in the canonical form the parser produces ---------------------------

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const dateText = fc
  .record({
    at: fc.date({
      min: new Date('1000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    precision: fc.constantFrom('day', 'minute', 'second', 'milli', 'nano'),
    zone: fc.constantFrom('', 'Z', '+05:30', '-0800', '+14:00'),
  })
  .map(({ at, precision, zone }) => {
    const day = `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
    if (precision === 'day') return day;
    const minute = `${day}T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
    const second = `${minute}:${pad(at.getUTCSeconds())}`;
    const time = {
      minute,
      second,
      milli: `${second}.${pad(at.getUTCMilliseconds(), 3)}`,
      nano: `${second}.${pad(at.getUTCMilliseconds(), 3)}123456`,
    }[precision];
    return `${time}${zone}`;
  });

const relative: fc.Arbitrary<Literal> = fc.oneof(
  fc.integer({ min: -36_500 * 86_400, max: 36_500 * 86_400 }).map((seconds) => ({
    kind: 'relative' as const,
    base: 'now' as const,
    offsetMs: seconds === 0 ? 0 : seconds * 1000,
  })),
  fc.integer({ min: -36_500, max: 36_500 }).map((days) => ({
    kind: 'relative' as const,
    base: 'today' as const,
    offsetMs: days === 0 ? 0 : days * dayMs,
  })),
);

/** Text with the characters the grammar cares about mixed in. */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({
    unit: fc.constantFrom('a', 'Z', ' ', '(', ')', ',', '"', "'", '\\', '\n', '\t', '=', '!', '-'),
  }),
  fc.constantFrom('and', 'OR', 'today', 'now-1d', 'Now', '10', '-2.5', '2026-05-01', '', ' '),
);

const literalOf = (valueType: ValueType): fc.Arbitrary<Literal> => {
  const text = anyText.map((value) => ({ kind: 'text' as const, value }));
  switch (valueType) {
    case 'number':
      return fc
        .oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))
        .map((value) => ({ kind: 'number' as const, value: value === 0 ? 0 : value }));
    case 'date':
      return fc.oneof(
        dateText.map((value) => ({ kind: 'date' as const, value })),
        relative,
      );
    case 'custom':
      return fc.oneof(text, relative);
    default:
      return text;
  }
};

const fieldArb: fc.Arbitrary<{ field: string; valueType: ValueType }> = fc.oneof(
  fc.constantFrom(
    ...Object.entries(itemFields.builtIn).map(([field, valueType]) => ({ field, valueType })),
  ),
  fc
    .stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,20}$/)
    .map((name) => ({ field: `fields.${name}`, valueType: 'custom' as const })),
);

const opsFor = (valueType: ValueType): Comparison['op'][] => {
  const common: Comparison['op'][] = ['=', '!=', 'in', '!in', 'is empty', 'is not empty'];
  const ordered: Comparison['op'][] = ['>', '>=', '<', '<=', 'between'];
  const text: Comparison['op'][] = ['contains', '!contains'];
  if (valueType === 'list') return [...common, ...text];
  if (valueType === 'number' || valueType === 'date') return [...common, ...ordered];
  return [...common, ...ordered, ...text];
};

/** The parser refuses bounds it can see the wrong way round: put them the right way. */
function ordered(from: Literal, to: Literal): [Literal, Literal] {
  const key = (l: Literal): { group: string; value: number | string } => {
    if (l.kind === 'number') return { group: 'number', value: l.value };
    if (l.kind === 'relative') return { group: l.base, value: l.offsetMs };
    const date = l.kind === 'date' ? readDate(l.value) : undefined;
    if (date?.dateOnly) return { group: 'day', value: date.day };
    if (date) return { group: 'instant', value: date.ms };
    return { group: 'text', value: 0 };
  };
  const [a, b] = [key(from), key(to)];
  return a.group === b.group && a.value > b.value ? [to, from] : [from, to];
}

const comparison: fc.Arbitrary<Condition> = fieldArb.chain(({ field, valueType }) =>
  fc.constantFrom(...opsFor(valueType)).chain((op): fc.Arbitrary<Condition> => {
    const test = { field, valueType };
    switch (op) {
      case 'is empty':
      case 'is not empty':
        return fc.constant({ ...test, op });
      case 'in':
      case '!in':
        return fc
          .array(literalOf(valueType), { minLength: 1, maxLength: 4 })
          .map((values) => ({ ...test, op, values }));
      case 'between':
        return fc
          .tuple(literalOf(valueType), literalOf(valueType))
          .map(([a, b]) => ordered(a, b))
          .map(([from, to]) => ({ ...test, op, from, to }));
      case 'contains':
      case '!contains':
        // Custom fields are searched as text: a clock value there would read back as a word.
        return literalOf(valueType === 'custom' ? 'text' : valueType).map((value) => ({
          ...test,
          op,
          value,
        }));
      default:
        return literalOf(valueType).map((value) => ({ ...test, op, value }));
    }
  }),
);

const { condition } = fc.letrec<{ condition: Condition; logical: Condition }>((tie) => ({
  condition: fc.oneof({ depthSize: 'small' }, comparison, tie('logical')),
  logical: fc
    .tuple(
      fc.constantFrom('and' as const, 'or' as const),
      fc.array(tie('condition'), { minLength: 2, maxLength: 4 }),
    )
    .map(([op, of]) => ({ op, of })),
}));

// --- Random text, close enough to the grammar to get deep into the parser --------------------

const piece = fc.oneof(
  fc.constantFrom(
    'amount',
    'title',
    'createdAt',
    'phone',
    'fields.x',
    'fields.',
    'fields',
    'AND',
    'or',
    'and',
    'not',
    '=',
    '==',
    '!=',
    '>',
    '>=',
    '<',
    '<=',
    '<>',
    '!',
    'contains',
    '!contains',
    'in',
    '!in',
    'between',
    'is',
    'empty',
    '(',
    ')',
    ',',
    '"',
    "'",
    '\\',
    '"a b"',
    "'x\\'y'",
    '"\\q"',
    '10',
    '-2.5',
    '1e999',
    '2026-05-01',
    '2026-02-30',
    '2026-05-01T10:00+02:00',
    'today',
    'now-3d',
    'today-1h',
    'now-',
    'now+99999999d',
  ),
  fc.string({ maxLength: 3 }),
  fc.string({ unit: 'binary', maxLength: 3 }),
);
const tokenSoup = fc
  .array(fc.tuple(piece, fc.constantFrom(' ', '', '  ', '\t')), { maxLength: 14 })
  .map((parts) => parts.map(([p, space]) => p + space).join(''));

/** A valid condition's text with a few characters deleted, inserted or upper-cased. */
const damagedText = fc
  .tuple(
    condition.map(formatCondition),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('delete', 'insert', 'upper'),
        fc.constantFrom(' ', '(', ')', ',', '"', "'", '\\', '!', '=', 'x', '5', '-'),
      ),
      { maxLength: 3 },
    ),
  )
  .map(([text, edits]) => {
    let damaged = text;
    for (const [position, edit, char] of edits) {
      const at = position % (damaged.length + 1);
      if (edit === 'delete') damaged = damaged.slice(0, at) + damaged.slice(at + 1);
      else if (edit === 'insert') damaged = damaged.slice(0, at) + char + damaged.slice(at);
      else damaged = damaged.toUpperCase();
    }
    return damaged;
  });

const randomText = fc.oneof(tokenSoup, damagedText, fc.string(), fc.string({ unit: 'binary' }));

// --- Random values: what a broken or surprising `values` might return ------------------------

const valueArb = fc.oneof(
  fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withSparseArray: true,
    withTypedArray: true,
  }),
  fc.constantFrom(null, undefined, '', ' ', '10', '9.5', 'abc', '2026-05-01', '2026-05-01T10:00Z'),
  fc.constantFrom(new Date(Number.NaN), new Date('2026-05-01T00:00:00Z'), Number.NaN, -0),
  fc.array(fc.oneof(fc.string(), fc.constant(null), fc.integer()), { maxLength: 3 }),
  dateText,
);
const zone = fc.constantFrom('UTC', 'Europe/London', 'Asia/Kolkata', 'America/St_Johns');
const now = fc.date({
  min: new Date('1970-01-01T00:00:00Z'),
  max: new Date('9999-01-01T00:00:00Z'),
  noInvalidDate: true,
});

function valuesFrom(pool: unknown[]): (field: string) => unknown {
  return (field) => pool[[...field].reduce((h, c) => h + (c.codePointAt(0) ?? 0), 0) % pool.length];
}

const negations: Partial<Record<Comparison['op'], Comparison['op']>> = {
  '=': '!=',
  contains: '!contains',
  in: '!in',
  'is empty': 'is not empty',
};

describe('condition properties', () => {
  // Plain checks inside the properties (no expect): thousands of runs stay well under a second.
  it('parses the canonical text of any condition back to an equal condition', () => {
    fc.assert(
      fc.property(condition, (c) => {
        const text = formatCondition(c);
        return isDeepStrictEqual(parse(text), c) && formatCondition(parse(text)) === text;
      }),
      { seed, numRuns: 1000 },
    );
  });

  it('stores any condition as JSON that reads back equal', () => {
    fc.assert(
      fc.property(condition, (c) => isDeepStrictEqual(conditionFromJson(conditionToJson(c)), c)),
      { seed, numRuns: 300 },
    );
  });

  it('throws nothing but a ConditionError on any text, with a column inside it', () => {
    let parsed = 0;
    fc.assert(
      fc.property(randomText, (text) => {
        let condition: Condition;
        try {
          condition = parse(text);
        } catch (error) {
          if (!(error instanceof ConditionError)) throw error;
          const { column } = error;
          return column >= 1 && column <= [...text].length + 1;
        }
        parsed++;
        // Whatever parses, however written, has a canonical text that reads back.
        return isDeepStrictEqual(parse(formatCondition(condition)), condition);
      }),
      { seed, numRuns: 5000 },
    );
    // The texts reach past the first token often enough to test the rest of the grammar.
    expect(parsed).toBeGreaterThan(200);
  });

  it('evaluates any condition on any values without throwing, and sees every field it names', () => {
    fc.assert(
      fc.property(
        condition,
        fc.array(valueArb, { minLength: 1, maxLength: 5 }),
        now,
        zone,
        (c, pool, at, timeZone) => {
          const { result, seen } = evaluateCondition(c, valuesFrom(pool), at, { timeZone });
          return typeof result === 'boolean' && isDeepStrictEqual(Object.keys(seen), fieldsOf(c));
        },
      ),
      { seed, numRuns: 1500 },
    );
  });

  it('makes each negated operator exactly the negation of its positive one', () => {
    const negatable = comparison.filter((c) => c.op in negations);
    fc.assert(
      fc.property(negatable, fc.array(valueArb, { minLength: 1 }), now, (c, pool, at) => {
        const negated = { ...c, op: negations[c.op as Comparison['op']] } as Condition;
        const values = valuesFrom(pool);
        return (
          evaluateCondition(negated, values, at).result !== evaluateCondition(c, values, at).result
        );
      }),
      { seed, numRuns: 1000 },
    );
  });
});
