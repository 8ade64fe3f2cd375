import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Condition,
  CUSTOM_FIELD_NAME,
  caretLine,
  conditionFromJson,
  conditionToJson,
  evaluateCondition,
  fieldsOf,
  formatCondition,
  itemFields,
  itemValues,
  parseCondition,
  readsClock,
} from '../../src/automation/condition.js';
import type { Item } from '../../src/items/service.js';

const parse = (text: string) => parseCondition(text, itemFields);
const now = new Date('2026-05-10T12:00:00Z');

/** Evaluates `text` against the given values (a missing key is a missing field). */
function holds(text: string, values: Record<string, unknown>, options = {}): boolean {
  return evaluateCondition(parse(text), (field) => values[field], now, options).result;
}

describe('parseCondition', () => {
  it('reads each comparison operator into a typed comparison', () => {
    for (const op of ['=', '!=', '>', '>=', '<', '<='] as const) {
      expect(parse(`amount ${op} 1000`)).toEqual({
        op,
        field: 'amount',
        valueType: 'number',
        value: { kind: 'number', value: 1000 },
      });
    }
    expect(parse('title contains sofa')).toEqual({
      op: 'contains',
      field: 'title',
      valueType: 'text',
      value: { kind: 'text', value: 'sofa' },
    });
    expect(parse('title !contains sofa')).toMatchObject({ op: '!contains' });
  });

  it('reads in, !in, between, is empty and is not empty', () => {
    expect(parse('stage in (New, "In progress", Won)')).toEqual({
      op: 'in',
      field: 'stage',
      valueType: 'text',
      values: [
        { kind: 'text', value: 'New' },
        { kind: 'text', value: 'In progress' },
        { kind: 'text', value: 'Won' },
      ],
    });
    expect(parse('source !in (import)')).toMatchObject({
      op: '!in',
      values: [{ value: 'import' }],
    });
    expect(parse('amount between 10 and 20.5')).toEqual({
      op: 'between',
      field: 'amount',
      valueType: 'number',
      from: { kind: 'number', value: 10 },
      to: { kind: 'number', value: 20.5 },
    });
    expect(parse('responsible is empty')).toEqual({
      op: 'is empty',
      field: 'responsible',
      valueType: 'text',
    });
    expect(parse('phone is not empty')).toEqual({
      op: 'is not empty',
      field: 'phone',
      valueType: 'list',
    });
  });

  it('binds and tighter than or', () => {
    const a = parse('amount > 1');
    const b = parse('title = b');
    const c = parse('stage = c');
    expect(parse('amount > 1 or title = b and stage = c')).toEqual({
      op: 'or',
      of: [a, { op: 'and', of: [b, c] }],
    });
    expect(parse('amount > 1 and title = b or stage = c')).toEqual({
      op: 'or',
      of: [{ op: 'and', of: [a, b] }, c],
    });
    expect(parse('amount > 1 or title = b or stage = c')).toEqual({ op: 'or', of: [a, b, c] });
  });

  it('groups with parentheses, keeping a group the text made', () => {
    const a = parse('amount > 1');
    const b = parse('title = b');
    const c = parse('stage = c');
    expect(parse('(amount > 1 or title = b) and stage = c')).toEqual({
      op: 'and',
      of: [{ op: 'or', of: [a, b] }, c],
    });
    expect(parse('((amount > 1))')).toEqual(a);
    expect(parse('amount > 1 and (title = b and stage = c)')).toEqual({
      op: 'and',
      of: [a, { op: 'and', of: [b, c] }],
    });
  });

  it('takes keywords and built-in field names in any case', () => {
    expect(parse('AMOUNT >= 5 AND Stage IN (a) Or Title IS NOT EMPTY Or email Is Empty')).toEqual(
      parse('amount >= 5 and stage in (a) or title is not empty or email is empty'),
    );
    expect(parse('title !CONTAINS x')).toMatchObject({ op: '!contains' });
    expect(parse('amount BETWEEN 1 AND 2')).toMatchObject({ op: 'between' });
    expect(parse('createdat > 2026-01-01')).toMatchObject({ field: 'createdAt' });
  });

  it('needs no spaces around symbols', () => {
    expect(parse('amount>=5')).toEqual(parse('amount >= 5'));
    expect(parse('amount>-5')).toMatchObject({ value: { value: -5 } });
    expect(parse('stage in(a,b)')).toEqual(parse('stage in (a, b)'));
    expect(parse('(amount>1)or(amount<0)')).toEqual(parse('amount > 1 or amount < 0'));
  });

  it('reads quoted text with escapes, and bare words up to a space, parenthesis or comma', () => {
    const value = (text: string) => {
      const parsed = parse(text);
      return 'value' in parsed ? parsed.value : undefined;
    };
    expect(value('title = "say \\"hi\\" and go"')).toEqual({
      kind: 'text',
      value: 'say "hi" and go',
    });
    expect(value("title = 'it\\'s (new), or not'")).toEqual({
      kind: 'text',
      value: "it's (new), or not",
    });
    expect(value('title = "a\\\\b\\nc\\td\\re"')).toEqual({ kind: 'text', value: 'a\\b\nc\td\re' });
    expect(value(`title = "it's"`)).toEqual({ kind: 'text', value: "it's" });
    expect(value('title = ""')).toEqual({ kind: 'text', value: '' });
    expect(value('title = C:\\dir/x:y#1')).toEqual({ kind: 'text', value: 'C:\\dir/x:y#1' });
    expect(value('title = "and"')).toEqual({ kind: 'text', value: 'and' });
  });

  it('types values by their field', () => {
    const value = (text: string) => {
      const parsed = parse(text);
      return 'value' in parsed ? parsed.value : undefined;
    };
    // Text fields read every value as text, as written.
    expect(value('title = 1.50')).toEqual({ kind: 'text', value: '1.50' });
    expect(value('title = today')).toEqual({ kind: 'text', value: 'today' });
    // Number and date fields take quoted numbers and dates too.
    expect(value('amount = "10"')).toEqual({ kind: 'number', value: 10 });
    expect(value('amount = -0')).toEqual({ kind: 'number', value: 0 });
    expect(value('amount = 1e3')).toEqual({ kind: 'number', value: 1000 });
    expect(value('createdAt = "2026-05-01 10:00"')).toEqual({
      kind: 'date',
      value: '2026-05-01T10:00',
    });
    expect(value('createdAt > 2026-05-01t10:00:00z')).toEqual({
      kind: 'date',
      value: '2026-05-01T10:00:00Z',
    });
    expect(value('createdAt > now-3d')).toEqual({
      kind: 'relative',
      base: 'now',
      offsetMs: -3 * 86_400_000,
    });
    expect(value('createdAt > TODAY+1W')).toEqual({
      kind: 'relative',
      base: 'today',
      offsetMs: 7 * 86_400_000,
    });
    // Custom fields hold text; bare now/today are the clock, quoted they are words.
    expect(value('fields.budget > 1000')).toEqual({ kind: 'text', value: '1000' });
    expect(value('fields.deadline <= today')).toEqual({
      kind: 'relative',
      base: 'today',
      offsetMs: 0,
    });
    expect(value('fields.word = "today"')).toEqual({ kind: 'text', value: 'today' });
    expect(parse('fields.my-field.x = 1')).toMatchObject({
      field: 'fields.my-field.x',
      valueType: 'custom',
    });
  });

  it('names the flag the text came from', () => {
    expect(() => parseCondition('amount >', itemFields, { flag: '--param until' })).toThrow(
      '--param until: column 9: expected a value after ">", found end of text',
    );
  });

  it('refuses custom fields where the catalogue has none', () => {
    const builtInOnly = { builtIn: { amount: 'number' as const }, custom: false };
    expect(() => parseCondition('fields.x = 1', builtInOnly)).toThrow(
      'unknown field "fields.x" (built-in fields: amount)',
    );
  });
});

describe('evaluateCondition', () => {
  it('compares numbers as numbers', () => {
    expect(holds('amount > 9', { amount: 10 })).toBe(true);
    expect(holds('amount >= 10', { amount: 10 })).toBe(true);
    expect(holds('amount < 10', { amount: 10 })).toBe(false);
    expect(holds('amount <= 10', { amount: 10 })).toBe(true);
    expect(holds('amount = 10', { amount: 10.0 })).toBe(true);
    expect(holds('amount != 10', { amount: 10 })).toBe(false);
    expect(holds('amount between 5 and 10', { amount: 10 })).toBe(true);
    expect(holds('amount between 5 and 10', { amount: 10.01 })).toBe(false);
    expect(holds('amount in (1, 2, 10)', { amount: 10 })).toBe(true);
    expect(holds('amount !in (1, 2, 10)', { amount: 10 })).toBe(false);
    expect(holds('contact = 7', { contact: 7 })).toBe(true);
  });

  it('compares text fields as text, case-insensitively', () => {
    expect(holds('title > 9', { title: '10' })).toBe(false); // "10" sorts before "9"
    expect(holds('title = SOFA', { title: 'sofa' })).toBe(true);
    expect(holds('title != Sofa', { title: 'SOFA' })).toBe(false);
    expect(holds('title contains "LEATHER sofa"', { title: 'Big leather Sofa' })).toBe(true);
    expect(holds('title !contains chair', { title: 'Big leather Sofa' })).toBe(true);
    expect(holds('stage in (new, WON)', { stage: 'Won' })).toBe(true);
    expect(holds('stage !in (new, WON)', { stage: 'Lost' })).toBe(true);
    expect(holds('title between b and d', { title: 'Cat' })).toBe(true);
    expect(holds('title < b', { title: 'Apple' })).toBe(true);
  });

  it('compares a custom field as a number or a date when both sides read as one, else as text', () => {
    expect(holds('fields.budget > 9', { 'fields.budget': '10' })).toBe(true);
    expect(holds('fields.budget = 10', { 'fields.budget': '10.0' })).toBe(true);
    expect(holds('fields.budget > "9"', { 'fields.budget': '10' })).toBe(true);
    expect(holds('fields.code > 9', { 'fields.code': '10a' })).toBe(false); // text: "10a" < "9"
    expect(holds('fields.code = ABC', { 'fields.code': 'abc' })).toBe(true);
    expect(holds('fields.due < 2026-06-01', { 'fields.due': '2026-05-31T23:00:00Z' })).toBe(true);
    expect(holds('fields.due = 2026-05-31', { 'fields.due': '2026-05-31T23:00:00Z' })).toBe(true);
    expect(holds('fields.due <= today', { 'fields.due': '2026-05-10' })).toBe(true);
    expect(holds('fields.due < today', { 'fields.due': 'soon' })).toBe(false);
    expect(holds('fields.due != today', { 'fields.due': 'soon' })).toBe(true);
    expect(holds('fields.budget contains 00', { 'fields.budget': '1000' })).toBe(true);
    expect(holds('fields.size in (s, m, 10)', { 'fields.size': '10.0' })).toBe(true);
  });

  it('compares dates as instants across zones', () => {
    const at = { createdAt: '2026-05-01T09:00:00.000Z' };
    expect(holds('createdAt > 2026-05-01T10:00+02:00', at)).toBe(true); // 08:00Z
    expect(holds('createdAt = 2026-05-01T11:00:00+02:00', at)).toBe(true);
    expect(holds('createdAt = 2026-05-01T09:00', at)).toBe(true); // no zone: UTC
    expect(holds('createdAt < 2026-05-01T04:00-05:00', at)).toBe(false); // 09:00Z
    expect(holds('createdAt between 2026-05-01T08:00Z and 2026-05-01T10:00Z', at)).toBe(true);
    expect(holds('createdAt > 2026-05-01T09:00:00.001Z', at)).toBe(false);
  });

  it('compares by day when the literal is a date only', () => {
    const late = { createdAt: '2026-05-01T23:59:59Z' };
    expect(holds('createdAt = 2026-05-01', late)).toBe(true);
    expect(holds('createdAt > 2026-05-01', late)).toBe(false);
    expect(holds('createdAt >= 2026-05-01', late)).toBe(true);
    expect(holds('createdAt < 2026-05-02', late)).toBe(true);
    expect(holds('createdAt = 2026-05-02', { createdAt: '2026-05-02T00:00:00Z' })).toBe(true);
    expect(holds('createdAt between 2026-04-01 and 2026-05-01', late)).toBe(true);
    expect(holds('createdAt in (2026-04-30, 2026-05-01)', late)).toBe(true);
    // The day of an instant is the day in the zone given (UTC by default).
    expect(holds('createdAt = 2026-05-02', late, { timeZone: 'Europe/Berlin' })).toBe(true);
    expect(holds('createdAt = 2026-05-01', late, { timeZone: 'Europe/Berlin' })).toBe(false);
    expect(
      holds(
        'createdAt = 2026-05-01',
        { createdAt: '2026-05-02T03:00Z' },
        { timeZone: 'America/New_York' },
      ),
    ).toBe(true);
  });

  it('reads now and today from the clock it is given', () => {
    const created = (createdAt: string) => ({ createdAt });
    expect(holds('createdAt < now-3d', created('2026-05-07T11:59:59Z'))).toBe(true);
    expect(holds('createdAt < now-3d', created('2026-05-07T12:00:01Z'))).toBe(false);
    expect(holds('createdAt = today', created('2026-05-10T00:00:00Z'))).toBe(true);
    expect(holds('createdAt = today-1d', created('2026-05-09T23:00:00Z'))).toBe(true);
    expect(holds('createdAt > now+1h30m', created('2026-05-10T13:31:00Z'))).toBe(true);
    expect(
      holds('createdAt = today', created('2026-05-10T23:00:00Z'), { timeZone: 'Asia/Tokyo' }),
    ).toBe(false);
    expect(readsClock(parse('createdAt < now'))).toBe(true);
    expect(readsClock(parse('createdAt < 2026-01-01 or title = now'))).toBe(false);
    expect(() => evaluateCondition(parse('createdAt < now'), () => null)).toThrow(/pass now/);
    expect(evaluateCondition(parse('createdAt < 2026-01-01'), () => null).result).toBe(false);
  });

  it('matches lists (phones, emails) when any element matches', () => {
    const item = { phone: ['+442071234567', '+15550001111'], email: ['Ann@Example.com'] };
    expect(holds('phone = +15550001111', item)).toBe(true);
    expect(holds('phone != +15550001111', item)).toBe(false);
    expect(holds('phone != +19999999999', item)).toBe(true);
    expect(holds('phone contains +44', item)).toBe(true);
    expect(holds('phone !contains +44', item)).toBe(false);
    expect(holds('email = ann@example.COM', item)).toBe(true);
    expect(holds('email in (bob@x.org, ann@example.com)', item)).toBe(true);
    expect(holds('email !in (bob@x.org)', item)).toBe(true);
    expect(holds('email contains example', item)).toBe(true);
    expect(holds('email is empty', item)).toBe(false);
    expect(holds('email is empty', { email: [] })).toBe(true);
    expect(holds('phone = +1', { phone: [] })).toBe(false);
  });

  it('takes null, blank text, a missing custom field and an empty list as empty', () => {
    for (const value of [null, undefined, '', '  ', []]) {
      expect(holds('fields.x is empty', { 'fields.x': value })).toBe(true);
      expect(holds('fields.x is not empty', { 'fields.x': value })).toBe(false);
    }
    expect(holds('fields.x is empty', {})).toBe(true);
    for (const value of ['a', 0, ['x'], '0']) {
      expect(holds('fields.x is empty', { 'fields.x': value })).toBe(false);
    }
    expect(holds('amount is empty', { amount: 0 })).toBe(false);
    expect(holds('responsible is not empty', { responsible: 'ann' })).toBe(true);
  });

  it('makes a comparison with a missing value false, and its negation true', () => {
    for (const [text, expected] of [
      ['amount = 1', false],
      ['amount != 1', true],
      ['amount > 1', false],
      ['amount < 1', false],
      ['amount between 0 and 9', false],
      ['amount in (1)', false],
      ['amount !in (1)', true],
      ['title contains a', false],
      ['title !contains a', true],
      ['createdAt > 2026-01-01', false],
      ['createdAt <= 2026-01-01', false],
    ] as const) {
      expect(holds(text, { amount: null, title: null, createdAt: null }), text).toBe(expected);
      expect(holds(text, { amount: 'n/a', title: {}, createdAt: 'soon' }), text).toBe(expected);
    }
  });

  it('evaluates and, or and parentheses', () => {
    const item = { amount: 500, stage: 'New', title: 'Sofa' };
    expect(holds('amount > 1000 or stage = new and title = sofa', item)).toBe(true);
    expect(holds('(amount > 1000 or stage = new) and title = chair', item)).toBe(false);
    expect(holds('amount > 1000 or (stage = won and title = sofa)', item)).toBe(false);
  });

  it('records in seen every field the condition names, read once, even past a short circuit', () => {
    const asked: string[] = [];
    const values: Record<string, unknown> = { amount: 5, stage: 'New' };
    const { result, seen } = evaluateCondition(
      parse('amount > 10 and (stage = New or fields.vip = yes) and amount < 100'),
      (field) => {
        asked.push(field);
        return values[field];
      },
      now,
    );
    expect(result).toBe(false);
    expect(seen).toEqual({ amount: 5, stage: 'New', 'fields.vip': null });
    expect(asked).toEqual(['amount', 'stage', 'fields.vip']);
    expect(JSON.parse(JSON.stringify(seen))).toEqual(seen);
  });
});

describe('itemValues', () => {
  const item: Item = {
    id: 1,
    type: 'deal',
    pipeline: { id: 2, name: 'Sales' },
    stage: { id: 3, name: 'Prepayment', semantic: 'process' },
    title: 'Corner sofa',
    amount: 1200,
    currency: 'EUR',
    responsible: 'ann',
    contactId: 4,
    companyId: null,
    source: 'form',
    phones: ['+442071234567'],
    emails: [],
    fields: { deadline: '2026-05-12', budget: '1500' },
    createdAt: '2026-05-01T09:00:00.000Z',
    updatedAt: '2026-05-02T09:00:00.000Z',
  };

  it('reads every built-in field and the custom ones off an item', () => {
    const read = itemValues(item);
    expect(Object.fromEntries(Object.keys(itemFields.builtIn).map((f) => [f, read(f)]))).toEqual({
      title: 'Corner sofa',
      amount: 1200,
      currency: 'EUR',
      responsible: 'ann',
      stage: 'Prepayment',
      pipeline: 'Sales',
      type: 'deal',
      source: 'form',
      contact: 4,
      company: null,
      phone: ['+442071234567'],
      email: [],
      createdAt: '2026-05-01T09:00:00.000Z',
      updatedAt: '2026-05-02T09:00:00.000Z',
    });
    expect(read('fields.budget')).toBe('1500');
    expect(read('fields.constructor')).toBeUndefined();
    expect(read('toString')).toBeUndefined();
  });

  it('lets a condition run against an item', () => {
    const condition = parse(
      'stage = prepayment and amount >= 1000 and fields.budget > 1400 and fields.deadline <= today+2d and company is empty',
    );
    expect(evaluateCondition(condition, itemValues(item), now).result).toBe(true);
  });

  it('uses the custom field name rule of items/service.ts', () => {
    const service = readFileSync(new URL('../../src/items/service.ts', import.meta.url), 'utf8');
    expect(service).toContain(CUSTOM_FIELD_NAME.source);
  });
});

describe('formatCondition', () => {
  it('writes a canonical text: lower-case keywords, single spaces, nested groups in parentheses', () => {
    const cases: Array<[string, string]> = [
      ['AMOUNT>=5', 'amount >= 5'],
      ['title  =   "Sofa"', 'title = Sofa'],
      ['amount > 1 or title = b and stage = c', 'amount > 1 or (title = b and stage = c)'],
      ['(amount > 1 or title = b) and stage = c', '(amount > 1 or title = b) and stage = c'],
      ['amount > 1 and (title = b and stage = c)', 'amount > 1 and (title = b and stage = c)'],
      ['stage IN(a,"b c")', 'stage in (a, "b c")'],
      ['amount between 1 AND 2', 'amount between 1 and 2'],
      ['email IS NOT empty', 'email is not empty'],
      ['title = \'say "hi"\\n\'', 'title = "say \\"hi\\"\\n"'],
      ['title = "and"', 'title = "and"'],
      ['title = ""', 'title = ""'],
      ['title = today', 'title = today'],
      ['fields.x = "today"', 'fields.x = "today"'],
      ['fields.x = "now-1d"', 'fields.x = "now-1d"'],
      ['fields.x = Today-7D', 'fields.x = today-7d'],
      ['createdAt < now-90m', 'createdAt < now-1h30m'],
      ['createdAt < "2026-05-01 10:00z"', 'createdAt < 2026-05-01T10:00Z'],
      ['amount = "1e3"', 'amount = 1000'],
    ];
    for (const [text, canonical] of cases) {
      expect(formatCondition(parse(text)), text).toBe(canonical);
      expect(parse(canonical), canonical).toEqual(parse(text));
    }
  });
});

describe('stored conditions', () => {
  const condition: Condition = parse(
    'amount between 1 and 2 and (title = "a b" or createdAt < today-1d) and phone !in (+1)',
  );

  it('are plain JSON that reads back equal', () => {
    const json = conditionToJson(condition);
    expect(JSON.parse(json)).toEqual(condition);
    expect(conditionFromJson(json)).toEqual(condition);
  });

  it('refuses a stored shape that is not a condition', () => {
    for (const bad of [
      'null',
      '{"op":"and","of":[]}',
      '{"op":"~","field":"amount","valueType":"number","value":{"kind":"number","value":1}}',
      '{"op":"=","field":"amount","valueType":"money","value":{"kind":"number","value":1}}',
      '{"op":"=","field":"amount","valueType":"number","value":{"kind":"number","value":"1"}}',
      '{"op":"in","field":"amount","valueType":"number","values":[]}',
    ]) {
      expect(() => conditionFromJson(bad), bad).toThrow(/stored condition/);
    }
  });

  it('tell which fields they read, each once, in order', () => {
    expect(fieldsOf(condition)).toEqual(['amount', 'title', 'createdAt', 'phone']);
    expect(fieldsOf(parse('fields.a = 1 or fields.a = 2 and title = x'))).toEqual([
      'fields.a',
      'title',
    ]);
  });
});

describe('caretLine', () => {
  it('puts a caret under the column, spacing characters shown as spaces', () => {
    expect(caretLine('amount >= ', 11)).toBe('amount >= \n          ^');
    expect(caretLine('a\tb', 3)).toBe('a b\n  ^');
    expect(caretLine('"😀" x', 5)).toBe('"😀" x\n    ^');
  });
});
