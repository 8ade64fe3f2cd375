import { UsageError } from '../errors.js';
import {
  type CompareOp,
  type Comparison,
  type Condition,
  customFieldPrefix,
  type FieldCatalogue,
  type Literal,
  type ValueType,
} from './condition-ast.js';
import { canonicalDate, readDate, readNumber, readRelative } from './condition-values.js';

/** A condition that does not parse: the column (1-based, in characters) of the mistake. */
export class ConditionError extends UsageError {
  constructor(
    /** What is wrong, without the flag and column. */
    readonly detail: string,
    readonly text: string,
    readonly column: number,
    readonly flag: string,
  ) {
    super(`${flag}: column ${column}: ${detail}`);
  }
}

/**
 * The condition on one line and a caret under `column` on the next, for a terminal: tabs and
 * other spacing or control characters are shown as one space each so the caret lines up.
 */
export function caretLine(text: string, column: number): string {
  const shown = [...text].map((char) => (/[\s\p{Cc}]/u.test(char) ? ' ' : char)).join('');
  return `${shown}\n${' '.repeat(Math.max(0, column - 1))}^`;
}

export interface ParseOptions {
  /** Names the option the text came from in messages (default `--if`). */
  flag?: string;
}

/** Longer conditions and deeper parentheses are mistakes, and would exhaust the stack. */
const maxLength = 10_000;
const maxDepth = 50;

/** Same rule as items/service.ts checkFields (test/automation/condition.test.ts keeps them equal). */
export const CUSTOM_FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const customNameRule = "a field name is a letter or '_' then letters, digits, '_', '.', '-'";

const operatorList =
  '=, !=, >, >=, <, <=, contains, !contains, in, !in, between, is empty, is not empty';

/**
 * Parses `--if` text once, at `rule add` / `trigger add` time. Keywords are case-insensitive,
 * built-in field names too; values are typed by their field (see Literal).
 */
export function parseCondition(
  text: string,
  fields: FieldCatalogue,
  options: ParseOptions = {},
): Condition {
  return new Parser(text, fields, options.flag ?? '--if').parse();
}

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly fields: FieldCatalogue,
    private readonly flag: string,
  ) {}

  parse(): Condition {
    if (this.text.length > maxLength) {
      this.fail(`a condition is at most ${maxLength} characters`, maxLength);
    }
    const condition = this.parseOr(0, null);
    this.skipSpaces();
    if (this.pos < this.text.length) {
      this.fail(`expected "and", "or" or end of text, found ${this.found()}${this.offsetHint()}`);
    }
    return condition;
  }

  private parseOr(depth: number, after: string | null): Condition {
    const of = [this.parseAnd(depth, after)];
    while (this.keyword('or')) of.push(this.parseAnd(depth, 'or'));
    return of.length === 1 ? (of[0] as Condition) : { op: 'or', of };
  }

  private parseAnd(depth: number, after: string | null): Condition {
    const of = [this.parsePrimary(depth, after)];
    while (this.keyword('and')) of.push(this.parsePrimary(depth, 'and'));
    return of.length === 1 ? (of[0] as Condition) : { op: 'and', of };
  }

  private parsePrimary(depth: number, after: string | null): Condition {
    this.skipSpaces();
    if (
      this.pos >= this.text.length ||
      this.text[this.pos] === ')' ||
      /^(and|or)$/i.test(this.wordAt(this.pos))
    ) {
      this.fail(`expected a condition${after ? ` after "${after}"` : ''}, found ${this.found()}`);
    }
    if (this.text[this.pos] !== '(') return this.parseComparison();
    const open = this.pos;
    if (depth >= maxDepth) this.fail(`parentheses nest at most ${maxDepth} deep`);
    this.pos++;
    const inner = this.parseOr(depth + 1, '(');
    this.skipSpaces();
    if (this.text[this.pos] !== ')') {
      this.fail(
        `expected "and", "or" or ")" to close the "(" at column ${this.column(open)}, found ${this.found()}${this.offsetHint()}`,
      );
    }
    this.pos++;
    return inner;
  }

  private parseComparison(): Comparison {
    const start = this.pos;
    const name = /[A-Za-z_][A-Za-z0-9_.-]*/y;
    name.lastIndex = start;
    const written = name.exec(this.text)?.[0];
    if (written === undefined) {
      const quoted = /["']/.test(this.text[start] ?? '');
      const hint = quoted ? ' (field names are written without quotes)' : '';
      return this.fail(`expected a field name, found ${this.found()}${hint}`);
    }
    this.pos += written.length;
    const test = this.resolveField(written, start);
    const opAt = this.skipSpaces();
    const op = this.parseOperator(test.field);
    this.checkApplies(op, test, opAt);
    switch (op) {
      case 'is empty':
      case 'is not empty':
        return { ...test, op };
      case 'in':
      case '!in':
        return { ...test, op, values: this.parseList(op, test) };
      case 'between': {
        const fromAt = this.skipSpaces();
        const from = this.parseValue('between', test);
        if (!this.keyword('and')) {
          this.fail(`expected "and" after the first value of "between", found ${this.found()}`);
        }
        const to = this.parseValue('and', test);
        if ((boundsOrder(from, to) ?? 0) > 0) {
          this.fail('the smaller value of "between … and …" comes first', fromAt);
        }
        return { ...test, op, from, to };
      }
      case 'contains':
      case '!contains':
        // A custom field's value is searched as text: `today` there is the word, not the date.
        return { ...test, op, value: this.parseValue(op, test, 'text') };
      default:
        return { ...test, op, value: this.parseValue(op, test) };
    }
  }

  private resolveField(written: string, at: number): { field: string; valueType: ValueType } {
    const lower = written.toLowerCase();
    if (lower === 'fields' && this.fields.custom) {
      this.fail('a custom field is written fields.NAME', at + written.length);
    }
    const builtIn = Object.keys(this.fields.builtIn);
    if (lower.startsWith(customFieldPrefix) && this.fields.custom) {
      const name = written.slice(customFieldPrefix.length);
      if (!CUSTOM_FIELD_NAME.test(name)) {
        this.fail(`"${written}" is not a custom field: ${customNameRule}`, at);
      }
      return { field: `${customFieldPrefix}${name}`, valueType: 'custom' };
    }
    const field = builtIn.find((candidate) => candidate.toLowerCase() === lower);
    const type = field === undefined ? undefined : this.fields.builtIn[field];
    if (field !== undefined && type !== undefined) return { field, valueType: type };
    const known = `built-in fields: ${builtIn.join(', ')}`;
    if (!this.fields.custom) {
      const close = closest(lower, builtIn);
      this.fail(
        `unknown field "${written}"${close ? `: did you mean ${close}?` : ''} (${known})`,
        at,
      );
    }
    const dot = written.indexOf('.');
    if (dot > 0 && distance(lower.slice(0, dot), 'fields') <= 2) {
      const name = written.slice(dot + 1);
      this.fail(`unknown field "${written}": a custom field is written fields.${name}`, at);
    }
    const close = closest(lower, builtIn);
    if (close) {
      this.fail(
        `unknown field "${written}": did you mean ${close}? (${known}; custom fields are written fields.NAME)`,
        at,
      );
    }
    return this.fail(
      `unknown field "${written}": a custom field is written fields.${written} (${known})`,
      at,
    );
  }

  private parseOperator(field: string): Comparison['op'] {
    const at = this.pos;
    const text = this.text;
    const char = text[at];
    if (char === '=') {
      if (text[at + 1] === '=') this.fail('"==" is written "="');
      this.pos += 1;
      return '=';
    }
    if (char === '<' || char === '>') {
      if (char === '<' && text[at + 1] === '>') this.fail('"<>" is written "!="');
      const withEquals = text[at + 1] === '=';
      this.pos += withEquals ? 2 : 1;
      return withEquals ? (`${char}=` as CompareOp) : char;
    }
    const negated = char === '!';
    if (negated && text[at + 1] === '=') {
      this.pos += 2;
      return '!=';
    }
    const wordAt = negated ? at + 1 : at;
    const letters = /[A-Za-z]+/y;
    letters.lastIndex = wordAt;
    const word = letters.exec(text)?.[0]?.toLowerCase();
    const end = wordAt + (word?.length ?? 0);
    if (word === undefined || (end < text.length && !/[\s('"]/.test(text[end] ?? ''))) {
      return this.unknownOperator(field);
    }
    if (word === 'contains' || word === 'in') {
      this.pos = end;
      return negated ? `!${word}` : word;
    }
    if (negated) return this.unknownOperator(field, ' (! goes with =, contains and in)');
    if (word === 'between') {
      this.pos = end;
      return 'between';
    }
    if (word === 'is') {
      this.pos = end;
      if (this.keyword('empty')) return 'is empty';
      if (!this.keyword('not')) {
        return this.fail(`expected "empty" or "not empty" after "is", found ${this.found()}`);
      }
      if (this.keyword('empty')) return 'is not empty';
      return this.fail(`expected "empty" after "is not", found ${this.found()}`);
    }
    const hint = word === 'not' ? ' (write !=, !contains, !in or is not empty)' : '';
    return this.unknownOperator(field, hint);
  }

  private unknownOperator(field: string, hint = ''): never {
    return this.fail(
      `expected an operator (${operatorList}) after "${field}", found ${this.found()}${hint}`,
    );
  }

  /** Operators that cannot apply to the field's type, at the operator's column. */
  private checkApplies(
    op: Comparison['op'],
    test: { field: string; valueType: ValueType },
    at: number,
  ) {
    const { field, valueType } = test;
    if (
      (op === 'contains' || op === '!contains') &&
      (valueType === 'number' || valueType === 'date')
    ) {
      this.fail(`${op} looks for text, and ${field} is a ${valueType}`, at);
    }
    if (valueType === 'list' && ['>', '>=', '<', '<=', 'between'].includes(op)) {
      this.fail(
        `${op} does not apply to ${field}, a list (use =, !=, contains, in or is empty)`,
        at,
      );
    }
  }

  private parseList(op: 'in' | '!in', test: { field: string; valueType: ValueType }): Literal[] {
    this.skipSpaces();
    const open = this.pos;
    if (this.text[open] !== '(') this.fail(`expected "(" after "${op}", found ${this.found()}`);
    this.pos++;
    const values = [this.parseValue('(', test)];
    for (;;) {
      this.skipSpaces();
      const next = this.text[this.pos];
      if (next === ')') break;
      if (next !== ',') {
        this.fail(
          `expected "," or ")" to close the "(" at column ${this.column(open)}, found ${this.found()}`,
        );
      }
      this.pos++;
      values.push(this.parseValue(',', test));
    }
    this.pos++;
    return values;
  }

  private parseValue(
    after: string,
    test: { field: string; valueType: ValueType },
    read: 'typed' | 'text' = 'typed',
  ): Literal {
    const start = this.skipSpaces();
    const char = this.text[start];
    if (char === undefined || char === '(' || char === ')' || char === ',') {
      this.fail(`expected a value after "${after}", found ${this.found()}`);
    }
    const quoted = char === '"' || char === "'";
    const raw = quoted ? this.readQuoted() : this.readWord();
    if (!quoted && /^(and|or)$/i.test(raw)) {
      this.fail(
        `expected a value after "${after}", found "${raw}" (the text ${raw} is written in quotes)`,
        start,
      );
    }
    return read === 'text' && test.valueType === 'custom'
      ? { kind: 'text', value: raw }
      : this.typed(raw, quoted, start, test);
  }

  /** The value as its field reads it; a mismatch seen now is an error at the value's column. */
  private typed(
    raw: string,
    quoted: boolean,
    at: number,
    { field, valueType }: { field: string; valueType: ValueType },
  ): Literal {
    switch (valueType) {
      case 'number': {
        const value = readNumber(raw);
        if (value === undefined) {
          this.fail(`${field} is a number: expected a number, found ${show(raw, quoted)}`, at);
        }
        return { kind: 'number', value };
      }
      case 'date': {
        const relative = this.relative(raw, at);
        if (relative) return relative;
        if (readDate(raw)) return { kind: 'date', value: canonicalDate(raw) };
        return this.fail(
          `${field} is a date: expected a date such as 2026-05-01, 2026-05-01T09:30:00Z, today or now-3d, found ${show(raw, quoted)}`,
          at,
        );
      }
      case 'custom':
        return (!quoted && this.relative(raw, at)) || { kind: 'text', value: raw };
      default:
        // Phones are kept as written: the engine may normalise a phone literal to E.164 later;
        // the item's phones already are.
        return { kind: 'text', value: raw };
    }
  }

  private relative(raw: string, at: number): Literal | undefined {
    const relative = readRelative(raw);
    if (relative === undefined) return undefined;
    if ('problem' in relative) this.fail(relative.problem, at);
    return { kind: 'relative', ...relative };
  }

  private readQuoted(): string {
    const open = this.pos;
    const quote = this.text[open];
    const escapes: Record<string, string> = {
      '\\': '\\',
      '"': '"',
      "'": "'",
      n: '\n',
      t: '\t',
      r: '\r',
    };
    let value = '';
    let at = open + 1;
    for (;;) {
      const char = this.text[at];
      if (char === undefined) this.fail(`unterminated text: no closing ${quote}`, open);
      if (char === quote) break;
      if (char === '\\') {
        const next = this.text[at + 1];
        if (next === undefined) this.fail(`unterminated text: no closing ${quote}`, open);
        const escaped = escapes[next];
        if (escaped === undefined) {
          this.fail(`unknown escape "\\${next}" (escapes: \\\\ \\" \\' \\n \\t \\r)`, at);
        }
        value += escaped;
        at += 2;
        continue;
      }
      value += char;
      at++;
    }
    this.pos = at + 1;
    return value;
  }

  private readWord(): string {
    const word = this.wordAt(this.pos);
    this.pos += word.length;
    return word;
  }

  private wordAt(at: number): string {
    const word = /[^\s(),]*/y;
    word.lastIndex = at;
    return word.exec(this.text)?.[0] ?? '';
  }

  /** Consumes the keyword (any case) when it is the next word. */
  private keyword(keyword: string): boolean {
    const at = this.skipSpaces();
    const word = this.wordAt(at);
    if (word.toLowerCase() !== keyword) return false;
    this.pos = at + word.length;
    return true;
  }

  private skipSpaces(): number {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? '')) this.pos++;
    return this.pos;
  }

  /** What stands at the current position, for "found …". */
  private found(): string {
    const at = this.skipSpaces();
    const char = this.text[at];
    if (char === undefined) return 'end of text';
    if (char === '(' || char === ')' || char === ',') return `"${char}"`;
    if (char === '"' || char === "'") {
      const close = this.text.indexOf(char, at + 1);
      return shorten(this.text.slice(at, close < 0 ? undefined : close + 1), '');
    }
    return shorten(this.wordAt(at), '"');
  }

  /** `now - 3d` with spaces reads as `now` followed by junk. */
  private offsetHint(): string {
    return /^[+-](\d|$)/.test(this.wordAt(this.pos))
      ? ' (an offset is written without spaces, as in now-3d)'
      : '';
  }

  private column(index: number): number {
    return [...this.text.slice(0, index)].length + 1;
  }

  private fail(detail: string, at = this.pos): never {
    throw new ConditionError(detail, this.text, this.column(at), this.flag);
  }
}

function shorten(word: string, quote: string): string {
  const chars = [...word];
  const shown = chars.length > 30 ? `${chars.slice(0, 30).join('')}…` : word;
  return `${quote}${shown}${quote}`;
}

function show(raw: string, quoted: boolean): string {
  return quoted ? JSON.stringify(raw) : `"${raw}"`;
}

/** Bounds the parser can see are the wrong way round (only like against like). */
function boundsOrder(from: Literal, to: Literal): number | undefined {
  if (from.kind === 'number' && to.kind === 'number') return from.value - to.value;
  if (from.kind === 'relative' && to.kind === 'relative' && from.base === to.base) {
    return from.offsetMs - to.offsetMs;
  }
  if (from.kind === 'date' && to.kind === 'date') {
    const [a, b] = [readDate(from.value), readDate(to.value)];
    if (a?.dateOnly && b?.dateOnly) return a.day < b.day ? -1 : a.day > b.day ? 1 : 0;
    if (a && b && !a.dateOnly && !b.dateOnly) return a.ms - b.ms;
  }
  return undefined;
}

function closest(name: string, candidates: string[]): string | undefined {
  const limit = name.length <= 3 ? 1 : 2;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(name, candidate.toLowerCase());
    if (d <= limit && (!best || d < best.distance)) best = { candidate, distance: d };
  }
  return best?.candidate;
}

/** Edit distance, a swap of neighbours counting one (titel → title). */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, at(i - 2, j - 2) + 1);
      }
      row[j] = d;
    }
  }
  return at(a.length, b.length);
}
