import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, guardFormula, tsvCell, unguardFormula } from '../../src/formats/csv.js';

const formulaStarts = ['=', '+', '-', '@', '\t', '\r'];

/** Strings that often begin like a formula, or with apostrophes before one. */
const trickyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc
    .tuple(
      fc.string({ unit: fc.constantFrom("'"), maxLength: 4 }),
      fc.constantFrom(...formulaStarts, "'", 'a', ' ', ''),
      fc.string({ unit: 'grapheme' }),
    )
    .map(([quotes, start, rest]) => `${quotes}${start}${rest}`),
);

describe('formula guard', () => {
  it('guards each formula-starting character with one apostrophe', () => {
    expect(guardFormula('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(guardFormula('+44 20')).toBe("'+44 20");
    expect(guardFormula('-5')).toBe("'-5");
    expect(guardFormula('@cmd')).toBe("'@cmd");
    expect(guardFormula('\tx')).toBe("'\tx");
    expect(guardFormula('\rx')).toBe("'\rx");
    expect(guardFormula('plain')).toBe('plain');
    expect(guardFormula('a=b')).toBe('a=b');
    expect(guardFormula('')).toBe('');
    expect(guardFormula("'")).toBe("'");
    expect(guardFormula("it's")).toBe("it's");
  });

  it('adds an apostrophe to values already made of apostrophes before a formula', () => {
    expect(guardFormula("'=x")).toBe("''=x");
    expect(unguardFormula("''=x")).toBe("'=x");
    expect(unguardFormula("'=x")).toBe('=x');
    // An apostrophe that guards nothing stays.
    expect(unguardFormula("'plain")).toBe("'plain");
  });

  it('round-trips every string: unguardFormula(guardFormula(s)) === s', () => {
    fc.assert(
      fc.property(trickyString, (s) => {
        expect(unguardFormula(guardFormula(s))).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('guarded cells never start with = + - @ tab or CR', () => {
    fc.assert(
      fc.property(trickyString, (s) => {
        const guarded = guardFormula(s);
        expect(formulaStarts.some((c) => guarded.startsWith(c))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('values that need no guard are left exactly as they are', () => {
    fc.assert(
      fc.property(trickyString, (s) => {
        const needsGuard = /^'*[=+\-@\t\r]/.test(s);
        expect(guardFormula(s) === s).toBe(!needsGuard);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('csv cells (RFC 4180)', () => {
  it('quotes cells with a comma, quote, CR, LF or edge spaces, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(' lead')).toBe('" lead"');
    expect(csvCell('trail ')).toBe('"trail "');
    expect(csvCell('')).toBe('');
    expect(csvRow(['a', 'b,c', ''])).toBe('a,"b,c",\r\n');
  });

  it('a quoted cell parses back to the value (csv-parse, RFC 4180)', async () => {
    const { parse } = await import('csv-parse/sync');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 }),
        (cells) => {
          const rows = parse(csvRow(cells), { relax_column_count: false }) as string[][];
          expect(rows).toEqual([cells]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('tsv cells', () => {
  it('escape tabs, newlines, CRs and backslashes so a row stays one line', () => {
    expect(tsvCell('a\tb')).toBe('a\\tb');
    expect(tsvCell('a\nb')).toBe('a\\nb');
    expect(tsvCell('a\rb')).toBe('a\\rb');
    expect(tsvCell('a\\tb')).toBe('a\\\\tb');
    expect(tsvCell('plain')).toBe('plain');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(tsvCell(s)).not.toMatch(/[\t\n\r]/);
        const back = tsvCell(s).replace(/\\([\\tnr])/g, (_, c: string) =>
          c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : '\\',
        );
        expect(back).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
});
