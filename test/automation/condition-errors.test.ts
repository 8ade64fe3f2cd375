import { describe, expect, it } from 'vitest';
import {
  ConditionError,
  caretLine,
  itemFields,
  parseCondition,
} from '../../src/automation/condition.js';
import { ExitCode, UsageError } from '../../src/errors.js';

function errorOf(text: string): ConditionError {
  try {
    parseCondition(text, itemFields);
  } catch (error) {
    if (error instanceof ConditionError) return error;
    throw error;
  }
  throw new Error(`"${text}" parsed`);
}

// [text, column, detail]: the column is where the mistake is, the detail what the user reads.
const mistakes: Array<[string, number, string]> = [
  ['', 1, 'expected a condition, found end of text'],
  ['   ', 4, 'expected a condition, found end of text'],
  [
    'amount',
    7,
    'expected an operator (=, !=, >, >=, <, <=, contains, !contains, in, !in, between, is empty, is not empty) after "amount", found end of text',
  ],
  [
    'amount ~ 5',
    8,
    'expected an operator (=, !=, >, >=, <, <=, contains, !contains, in, !in, between, is empty, is not empty) after "amount", found "~"',
  ],
  ['title containsx', 7, 'found "containsx"'],
  ['title not contains x', 7, 'found "not" (write !=, !contains, !in or is not empty)'],
  ['title !between a and b', 7, 'found "!between" (! goes with =, contains and in)'],
  ['amount == 5', 8, '"==" is written "="'],
  ['amount <> 5', 8, '"<>" is written "!="'],
  ['title = x and amount >=', 24, 'expected a value after ">=", found end of text'],
  [
    'amount >= and title = x',
    11,
    'expected a value after ">=", found "and" (the text and is written in quotes)',
  ],
  ['title = )', 9, 'expected a value after "=", found ")"'],
  ['amount > "abc"', 10, 'amount is a number: expected a number, found "abc"'],
  ['amount > 12abc', 10, 'amount is a number: expected a number, found "12abc"'],
  ['amount > today', 10, 'amount is a number: expected a number, found "today"'],
  ['amount > 1e999', 10, 'amount is a number: expected a number, found "1e999"'],
  [
    'createdAt between 5 and x',
    19,
    'createdAt is a date: expected a date such as 2026-05-01, 2026-05-01T09:30:00Z, today or now-3d, found "5"',
  ],
  [
    'createdAt between 2026-01-01 and x',
    34,
    'createdAt is a date: expected a date such as 2026-05-01, 2026-05-01T09:30:00Z, today or now-3d, found "x"',
  ],
  ['createdAt = 2026-02-30', 13, 'createdAt is a date'],
  ['createdAt = 2026-05-01T24:00', 13, 'createdAt is a date'],
  ['createdAt < now-3', 13, 'expected a duration after "now-", such as now-3d'],
  ['createdAt < today-12h', 13, 'today moves in whole days (today-1d); for hours use now-…'],
  ['fields.due < today+1x', 14, 'expected a duration after "today+", such as today+3d'],
  ['createdAt < now-99999d', 13, 'now can move by at most 100 years (36500d)'],
  [
    'createdAt < now - 3d',
    17,
    'expected "and", "or" or end of text, found "-" (an offset is written without spaces, as in now-3d)',
  ],
  ['amount contains 5', 8, 'contains looks for text, and amount is a number'],
  ['createdAt !contains 5', 11, '!contains looks for text, and createdAt is a date'],
  ['phone > 5', 7, '> does not apply to phone, a list (use =, !=, contains, in or is empty)'],
  ['email between a and b', 7, 'between does not apply to email, a list'],
  ['amount between 5 and 1', 16, 'the smaller value of "between … and …" comes first'],
  [
    'createdAt between 2026-02-01 and 2026-01-01',
    19,
    'the smaller value of "between … and …" comes first',
  ],
  ['amount between 1 5', 18, 'expected "and" after the first value of "between", found "5"'],
  ['amount between 1', 17, 'expected "and" after the first value of "between", found end of text'],
  ['amount is 5', 11, 'expected "empty" or "not empty" after "is", found "5"'],
  ['amount is not', 14, 'expected "empty" after "is not", found end of text'],
  ['stage in a, b', 10, 'expected "(" after "in", found "a"'],
  ['stage in ()', 11, 'expected a value after "(", found ")"'],
  ['stage in (a b)', 13, 'expected "," or ")" to close the "(" at column 10, found "b"'],
  ['stage in (a,', 13, 'expected a value after ",", found end of text'],
  ['stage !in (a', 13, 'expected "," or ")" to close the "(" at column 11, found end of text'],
  [
    '(amount > 1',
    12,
    'expected "and", "or" or ")" to close the "(" at column 1, found end of text',
  ],
  [
    '(amount > 1 or (title = a)',
    27,
    'expected "and", "or" or ")" to close the "(" at column 1, found end of text',
  ],
  ['amount > 1)', 11, 'expected "and", "or" or end of text, found ")"'],
  ['amount > 1 stage = a', 12, 'expected "and", "or" or end of text, found "stage"'],
  ['amount > 1 and', 15, 'expected a condition after "and", found end of text'],
  ['amount > 1 or or', 15, 'expected a condition after "or", found "or"'],
  ['()', 2, 'expected a condition after "(", found ")"'],
  ['> 5', 1, 'expected a field name, found ">"'],
  [
    '"title" = x',
    1,
    'expected a field name, found "title" (field names are written without quotes)',
  ],
  ['title = "abc', 9, 'unterminated text: no closing "'],
  ["title = 'abc\\'", 9, "unterminated text: no closing '"],
  ['title = "a\\q"', 11, 'unknown escape "\\q" (escapes: \\\\ \\" \\\' \\n \\t \\r)'],
  [
    'amout > 5',
    1,
    'unknown field "amout": did you mean amount? (built-in fields: title, amount, currency, responsible, stage, pipeline, type, source, contact, company, phone, email, createdAt, updatedAt; custom fields are written fields.NAME)',
  ],
  ['titel = x', 1, 'unknown field "titel": did you mean title?'],
  ['phones = x', 1, 'unknown field "phones": did you mean phone?'],
  [
    'budget > 5',
    1,
    'unknown field "budget": a custom field is written fields.budget (built-in fields: title, amount,',
  ],
  [
    'amount = 1 and field.budget > 5',
    16,
    'unknown field "field.budget": a custom field is written fields.budget',
  ],
  ['fields = 1', 7, 'a custom field is written fields.NAME'],
  [
    'fields. > 5',
    1,
    `"fields." is not a custom field: a field name is a letter or '_' then letters, digits, '_', '.', '-'`,
  ],
  ['fields.9lives = 1', 1, '"fields.9lives" is not a custom field'],
  [`fields.${'x'.repeat(65)} = 1`, 1, 'is not a custom field'],
  ['"😀" = 1', 1, 'expected a field name'],
  ['title = "😀" x', 13, 'expected "and", "or" or end of text, found "x"'],
  [`${'('.repeat(51)}amount > 1${')'.repeat(51)}`, 51, 'parentheses nest at most 50 deep'],
  [`title = "${'x'.repeat(10_000)}"`, 10_001, 'a condition is at most 10000 characters'],
];

describe('parse errors', () => {
  const cases = mistakes.map(([text, column, detail]) => ({
    shown: text.length > 60 ? `${text.slice(0, 60)}…` : text,
    text,
    column,
    detail,
  }));
  it.each(cases)('$shown → column $column', ({ text, column, detail }) => {
    const error = errorOf(text);
    expect(error.column).toBe(column);
    expect(error.detail).toContain(detail);
    expect(error.message).toBe(`--if: column ${column}: ${error.detail}`);
  });

  it('are usage errors (exit 2) that carry the text for a caret line', () => {
    const error = errorOf('title = x and amount >=');
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toBe('--if: column 24: expected a value after ">=", found end of text');
    expect(caretLine(error.text, error.column)).toBe(
      'title = x and amount >=\n                       ^',
    );
  });

  it('shorten a long word they found', () => {
    expect(errorOf(`amount > 1 ${'y'.repeat(40)}`).detail).toBe(
      `expected "and", "or" or end of text, found "${'y'.repeat(30)}…"`,
    );
  });
});
