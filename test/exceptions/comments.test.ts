import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasControls } from '../../src/cli/escape.js';
import { newStore, tempDir } from '../helpers.js';
import {
  csvLine,
  entries,
  guardCell,
  jsonLines,
  listed,
  ok,
  type ReportedJson,
  type SummaryJson,
  writeInput,
} from './support.js';

// Issue 7 §5: comments keep what people typed. Any character but NUL is stored byte for byte,
// control characters and line breaks included; a valid value is never lost over its comment;
// import → export → import stays exact in every format that can carry the comment.

const now = '2026-06-01T09:00:00.000Z';

/** Characters that trip up terminals, CSV and line readers, and any other code point. */
const awkward = fc.constantFrom(
  '\n',
  '\r',
  '\r\n',
  '\u001b',
  '\u001b[2J',
  '\u0007',
  '\b',
  '\u000b',
  '\f',
  '\u007f',
  '\u009b',
  '\u0085',
  '\u2028',
  '\u202e',
  '\ufeff',
  '"',
  "'",
  ',',
  ';',
  '\t',
  ' ',
  '=',
  '+',
  '-',
  '@',
  '#',
);
const anyCodePoint = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 1 })
  .filter((c) => c !== '\u0000');
const comment = fc
  .array(fc.oneof(awkward, anyCodePoint, fc.string({ unit: 'grapheme', maxLength: 6 })), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''))
  .filter((c) => (c as unknown as { isWellFormed(): boolean }).isWellFormed() && c.length <= 2000);

interface Entry {
  value: string;
  comment: string;
}

const list = (allowLineBreaks: boolean) =>
  fc
    .array(allowLineBreaks ? comment : comment.filter((c) => !/[\r\n]/.test(c)), {
      maxLength: 20,
    })
    .map((comments): Entry[] =>
      comments.map((c, i) => ({ value: `c${i}@example.com`, comment: c })),
    );

async function roundTrip(format: 'lines' | 'csv', file: string, expected: Entry[]) {
  const first = await newStore({ now });
  const imported = await first.cli(['exceptions', 'import', file, '--format', format, '--json']);
  expect(imported.exitCode, imported.stderr).toBe(0);
  expect(imported.json<SummaryJson>()).toMatchObject({ added: expected.length, rejected: 0 });
  const original = await listed(first.cli);
  expect(original.map(({ value, comment: c }) => ({ value, comment: c }))).toEqual(expected);
  const dir = tempDir();
  const exported = join(dir, `export.${format === 'csv' ? 'csv' : 'txt'}`);
  const exportResult = await first.cli(['exceptions', 'export', exported, '--format', format]);
  expect(exportResult.exitCode, exportResult.stderr).toBe(0);
  const second = await newStore({ now });
  const again = await second.cli(['exceptions', 'import', exported, '--format', format, '--json']);
  expect(again.exitCode, again.stderr).toBe(0);
  expect(await listed(second.cli)).toEqual(original);
  const twice = join(dir, 'twice');
  expect((await second.cli(['exceptions', 'export', twice, '--format', format])).exitCode).toBe(0);
  expect(readFileSync(twice)).toEqual(readFileSync(exported));
}

describe('property: import → export → import keeps any comment exactly', () => {
  it('in CSV, line breaks and control characters included', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(list(true), fc.constantFrom('\n', '\r\n'), async (entries, eol) => {
        const csv =
          csvLine(['value', 'comment']).replace('\r\n', eol) +
          entries
            .map((e) => csvLine([e.value, guardCell(e.comment)]).replace(/\r\n$/, eol))
            .join('');
        await roundTrip('csv', writeInput(dir, `c${run++}.csv`, csv), entries);
      }),
      { numRuns: 20 },
    );
  });

  it('in the lines format, for every comment it can carry (no line break)', {
    timeout: 120_000,
  }, async () => {
    const dir = tempDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(list(false), async (entries) => {
        const text = entries.map((e) => `${e.value};${e.comment}\n`).join('');
        const expected = entries.map((e) => ({ ...e }));
        await roundTrip('lines', writeInput(dir, `l${run++}.txt`, text), expected);
      }),
      { numRuns: 20 },
    );
  });
});

describe('comments with control characters', () => {
  it('never cost a value its place on the list (the spammer is listed), from a file or add', async () => {
    const { cli } = await newStore({ now });
    const file = writeInput(
      tempDir(),
      'spam.txt',
      'spammer@example.com;said \u001b[31mred\u001b[0m, rang \u0007, typed back\b\b\n',
    );
    const result = await cli(['exceptions', 'import', file]);
    expect(result.exitCode).toBe(0);
    const added = await cli(['exceptions', 'add', 'other@example.com;a\u001b]0;title\u0007b']);
    expect(added.exitCode).toBe(0);
    expect(await listed(cli)).toEqual([
      {
        type: 'email',
        value: 'spammer@example.com',
        comment: 'said \u001b[31mred\u001b[0m, rang \u0007, typed back\b\b',
      },
      { type: 'email', value: 'other@example.com', comment: 'a\u001b]0;title\u0007b' },
    ]);
  });

  it('a NUL rejects the line as bad-comment with a clear reason; the rest is kept', async () => {
    const { cli } = await newStore({ now });
    const filler = Array.from({ length: 800 }, (_, i) => `f${i}@example.com,`).join('\n');
    const file = writeInput(
      tempDir(),
      'n.csv',
      `value,comment\n${filler}\nnul@example.com,"a\u0000b"\n`,
    );
    const result = await cli(['exceptions', 'import', file, '--json']);
    expect(result.exitCode).toBe(3);
    expect(jsonLines<ReportedJson>(result.stderr)).toEqual([
      expect.objectContaining({
        line: 802,
        reason: 'bad-comment',
        message: 'the comment holds a NUL character: remove it',
      }),
    ]);
  });

  it('reject lines on stderr show control characters escaped; JSON lines escape them too and read back exact', async () => {
    const { cli } = await newStore({ now });
    const raw = 'evil\u001b[2J\u009b31m value;x';
    const file = writeInput(tempDir(), 'e.txt', `${raw}\n`);
    const plain = await cli(['exceptions', 'import', file]);
    expect(plain.exitCode).toBe(3);
    expect(hasControls(plain.stderr.replaceAll('\n', ''))).toBe(false);
    // The message quotes the value as JSON (\u001b); what JSON leaves raw is escaped (\x9b).
    expect(plain.stderr).toContain('"evil\\u001b[2J\\x9b31m value"');
    const json = await cli(['exceptions', 'import', file, '--json']);
    expect(hasControls(json.stderr.replaceAll('\n', ''))).toBe(false);
    expect(jsonLines<ReportedJson>(json.stderr)[0]?.raw).toBe(raw);
  });

  it('a bad --comment default is one usage error before anything is read or written', async () => {
    const { cli } = await newStore({ now });
    const dir = tempDir();
    const file = writeInput(dir, 'in.txt', 'a@example.com\nb@example.com\n');
    const rejects = join(dir, 'r.csv');
    for (const bad of ['x'.repeat(2001), 'nul\u0000']) {
      const result = await cli([
        'exceptions',
        'import',
        file,
        '--comment',
        bad,
        '--rejects',
        rejects,
      ]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^error: --comment: /);
      const add = await cli(['exceptions', 'add', 'a@example.com', '--comment', bad]);
      expect(add.exitCode).toBe(2);
    }
    expect(existsSync(rejects)).toBe(false);
    expect(await entries(cli)).toEqual([]);
    expect(ok<unknown[]>(await cli(['exceptions', 'batches', '--json']))).toEqual([]);
    // Control characters in a default are kept like any comment.
    const fine = await cli(['exceptions', 'import', file, '--comment', 'tab\there \u001b[1m']);
    expect(fine.exitCode).toBe(0);
    expect((await listed(cli))[0]?.comment).toBe('tab\there \u001b[1m');
  });

  it('the lines format refuses to export a comment with a line break, naming CSV; no file is left', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com;fine', 'b@example.com;two\nlines']);
    const dir = tempDir();
    const result = await cli(['exceptions', 'export', join(dir, 'out.txt')]);
    expect(result.exitCode).toBe(7);
    expect(result.stderr).toBe(
      'error: the comment of b@example.com holds a line break, which the lines format cannot carry: export with --format csv\n',
    );
    expect(readdirSync(dir)).toEqual([]);
    expect((await cli(['exceptions', 'export', join(dir, 'out.csv')])).exitCode).toBe(0);
  });
});
