import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newStore, tempDir } from '../helpers.js';
import {
  csvLine,
  type ExamplePhone,
  examplePhones,
  guardCell,
  listed,
  type SummaryJson,
  writeInput,
} from './support.js';

// Acceptance: import → export → import into an empty store reproduces the list exactly, values
// and comments byte for byte, in the lines format and in CSV.

interface Entry {
  type: 'phone' | 'email';
  /** As written in the imported file. */
  spelling: string;
  /** As the list stores it. */
  value: string;
  comment: string;
}

/** The countries national spellings are tried in (the import gets --country). */
const nationalCountries = ['GB', 'US', 'DE', 'FR', 'IN', 'BR', 'JP', 'AU', 'RU'] as const;

const fullWidth = (s: string) =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const arabicIndic = (s: string) =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));

/** Ways people write an international number; every one must read as the same E.164. */
const internationalSpellings: ((p: ExamplePhone) => string)[] = [
  (p) => p.e164,
  (p) => p.international,
  (p) => p.international.replaceAll(' ', '-'),
  (p) => p.international.replaceAll(' ', '.'),
  (p) => p.international.replace(/^(\+\d+) (\d+)/, '$1 ($2)'),
  (p) => `+${p.e164.slice(1).split('').join(' ')}`,
  (p) => `  ${p.international}\t`,
  (p) => p.international.replaceAll(' ', '\u00a0'),
  (p) => `\u200e${p.international}\u200f`,
  (p) => fullWidth(p.international),
  (p) => arabicIndic(p.international),
];

function phoneEntry(country: string) {
  return fc
    .record({
      phone: fc.constantFrom(...examplePhones),
      spell: fc.nat({ max: internationalSpellings.length }),
    })
    .map(({ phone, spell }): Omit<Entry, 'comment'> => {
      const national = phone.country === country && spell === internationalSpellings.length;
      const spelling = national
        ? phone.national
        : (
            internationalSpellings[spell % internationalSpellings.length] as (
              p: ExamplePhone,
            ) => string
          )(phone);
      return { type: 'phone', spelling, value: phone.e164 };
    });
}

const atext = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789!#$%&'*+/=?^_`{|}~-".split('');
const atom = fc
  .array(fc.constantFrom(...atext), { minLength: 1, maxLength: 8 })
  .map((c) => c.join(''));
const label = fc
  .stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,6}[a-z0-9])?$/)
  .filter((l) => !/^\d+$/.test(l));

const domain = fc.oneof(
  fc
    .tuple(
      fc.array(label, { minLength: 1, maxLength: 2 }),
      fc.constantFrom('com', 'example', 'co.uk', 'org'),
    )
    .map(([labels, tld]) => ({
      spelled: [...labels, tld].join('.'),
      stored: [...labels, tld].join('.'),
    })),
  fc.constantFrom(
    { spelled: 'Example.COM', stored: 'example.com' },
    { spelled: 'BÜCHER.example', stored: 'bücher.example' },
  ),
);

/** `#` first would make a line that reads back as a comment: lines exports refuse those. */
function emailEntry(allowHashFirst: boolean) {
  return fc
    .record({ atoms: fc.array(atom, { minLength: 1, maxLength: 3 }), domain })
    .filter(({ atoms }) => allowHashFirst || !atoms[0]?.startsWith('#'))
    .map(({ atoms, domain: d }): Omit<Entry, 'comment'> => {
      const local = atoms.join('.');
      return { type: 'email', spelling: `${local}@${d.spelled}`, value: `${local}@${d.stored}` };
    });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what comments may not hold
const printable = (s: string) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(s);

const comment = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'printing supplier; not a client',
      'said "stop calling"',
      'O\'Brien\'s "quote"',
      'newsletter bounce\tauto',
      '\tstarts with a tab',
      '=HYPERLINK("http://x.example")',
      '+ marketing list',
      '- duplicate agency',
      '@partner',
      "'=already guarded",
      "''+twice",
      'a,b,c',
      ';',
      ';;leading semicolons',
      '  spaces around  ',
      ' ',
      '#hash first',
      'אל תתקשרו — לקוח לשעבר',
      'مرحبا بالعالم',
      '\u202Eright-to-left override\u202C',
      'réclamation 😀👩‍👩‍👧🇬🇧',
      'zero\u200bwidth\u200d joiner \uFEFF bom',
      '\uFFFD replacement',
      'line\u2028separator',
      '%s%n{{x}}',
      "'; DROP TABLE exceptions; --",
      '$(reboot)',
      'é'.repeat(2000),
    ),
  },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).filter(printable) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('=', '+', '-', '@', '\t', "'", ';', '"', ' ', ''),
        fc.string({ maxLength: 20 }).filter(printable),
        fc.constantFrom('', ';', '"', ' ', '\t', '😀', 'שלום'),
      )
      .map((parts) => parts.join('')),
  },
);

function listOf(country: string, allowHashFirst: boolean) {
  const entry = fc
    .tuple(fc.oneof(phoneEntry(country), emailEntry(allowHashFirst)), comment)
    .map(([e, c]): Entry => ({ ...e, comment: c }));
  return fc.uniqueArray(entry, {
    maxLength: 50,
    selector: (e) => (e.type === 'email' ? e.value.toLowerCase() : e.value),
  });
}

/** A lines file: `value;comment`, with blank and # lines, LF or CRLF, maybe a BOM. */
function linesFile(list: Entry[], eol: string, bom: boolean): string {
  const lines = ['# exceptions', ''];
  list.forEach((e, i) => {
    lines.push(e.comment === '' && i % 2 === 0 ? e.spelling : `${e.spelling};${e.comment}`);
    if (i % 7 === 3) lines.push('   ', '# more');
  });
  return (bom ? '\uFEFF' : '') + lines.join(eol) + eol;
}

/** A CSV file with the columns in another order than the export's, cells guarded. */
function csvFile(list: Entry[], bom: boolean): string {
  return (
    (bom ? '\uFEFF' : '') +
    csvLine(['comment', 'type', 'value']) +
    list.map((e) => csvLine([guardCell(e.comment), e.type, guardCell(e.spelling)])).join('')
  );
}

async function roundTrip(format: 'lines' | 'csv', country: string, list: Entry[], file: string) {
  const first = await newStore();
  const imported = await first.cli([
    'exceptions',
    'import',
    file,
    '--format',
    format,
    '--country',
    country,
    '-o',
    'json',
  ]);
  expect(imported.exitCode, imported.stderr).toBe(0);
  expect(imported.json<SummaryJson>()).toMatchObject({ lines: list.length, added: list.length });
  const original = await listed(first.cli);
  expect(original).toEqual(
    list.map(({ type, value, comment: c }) => ({ type, value, comment: c })),
  );

  const dir = tempDir();
  const exported = join(dir, format === 'csv' ? 'export.csv' : 'export.txt');
  const exportResult = await first.cli(['exceptions', 'export', exported]);
  expect(exportResult.exitCode, exportResult.stderr).toBe(0);

  const second = await newStore();
  const reimported = await second.cli(['exceptions', 'import', exported, '-o', 'json']);
  expect(reimported.exitCode, reimported.stderr).toBe(0);
  expect(reimported.json<SummaryJson>()).toMatchObject({
    lines: list.length,
    added: list.length,
    rejected: 0,
  });
  expect(await listed(second.cli)).toEqual(original);

  // And the second store exports the very same bytes.
  const again = join(dir, format === 'csv' ? 'again.csv' : 'again.txt');
  expect((await second.cli(['exceptions', 'export', again])).exitCode).toBe(0);
  expect(readFileSync(again)).toEqual(readFileSync(exported));
}

describe('import → export → import reproduces the list exactly', () => {
  it('in the lines format (value;comment)', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...nationalCountries)
          .chain((country) => fc.tuple(fc.constant(country), listOf(country, false))),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        async ([country, list], eol, bom) => {
          const file = writeInput(dir, `list${run++}.txt`, linesFile(list, eol, bom));
          await roundTrip('lines', country, list, file);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('in CSV (--format csv), values starting with # included', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...nationalCountries)
          .chain((country) => fc.tuple(fc.constant(country), listOf(country, true))),
        fc.boolean(),
        async ([country, list], bom) => {
          const file = writeInput(dir, `list${run++}.data`, csvFile(list, bom));
          await roundTrip('csv', country, list, file);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('keeps every awkward comment byte for byte in both formats (a fixed list)', async () => {
    const gb = examplePhones.find((p) => p.country === 'GB') as ExamplePhone;
    const awkward = [
      ';',
      '"',
      '\t',
      ' x ',
      '=1+1',
      '+1',
      '-1',
      '@a',
      "'",
      "'=x",
      'a;b"c\td',
      '😀'.repeat(500),
      'שלום',
      '\uFFFD',
    ];
    const list: Entry[] = awkward.map((c, i) => ({
      type: 'email',
      spelling: `a${i}@example.com`,
      value: `a${i}@example.com`,
      comment: c,
    }));
    list.push({ type: 'phone', spelling: gb.national, value: gb.e164, comment: '=+-@' });
    const dir = tempDir();
    await roundTrip('lines', 'GB', list, writeInput(dir, 'a.txt', linesFile(list, '\r\n', true)));
    await roundTrip('csv', 'GB', list, writeInput(dir, 'a.csv', csvFile(list, false)));
  });
});
