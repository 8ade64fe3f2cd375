import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newStore, tempDir } from '../helpers.js';
import {
  entries,
  jsonLines,
  listed,
  type ReportedJson,
  type SummaryJson,
  writeInput,
} from './support.js';

// Issue 7 §1.5: every physical line of a CSV is accounted for. A bad row is reported at its
// own line and the rows after it are read as rows; a quote left open never swallows the rest.

const now = '2026-06-01T09:00:00.000Z';

async function importCsv(csv: string | Buffer) {
  const { cli } = await newStore({ now });
  const result = await cli([
    'exceptions',
    'import',
    writeInput(tempDir(), 'l.csv', csv),
    '-o',
    'json',
  ]);
  return { cli, result, reported: jsonLines<ReportedJson>(result.stderr) };
}

describe('exceptions import --format csv: a bad row is one line', () => {
  it('reports b@x.example,"x"y at its own line and keeps the valid rows after it', async () => {
    const { cli, result, reported } = await importCsv(
      'value,comment\na@x.example,ok\nb@x.example,"x"y\nc@x.example,fine\nd@x.example,"also, fine"\n',
    );
    expect(result.exitCode).toBe(3);
    expect(result.json<SummaryJson>()).toMatchObject({ lines: 4, added: 3, rejected: 1 });
    expect(reported).toEqual([
      {
        line: 3,
        raw: 'b@x.example,"x"y',
        reason: 'bad-row',
        message:
          'not valid CSV: a quoted cell is followed by "y" instead of a comma or the end of the line',
      },
    ]);
    expect((await listed(cli)).map((e) => e.value)).toEqual([
      'a@x.example',
      'c@x.example',
      'd@x.example',
    ]);
  });

  it('a quote inside an unquoted cell is a bad row of its own line', async () => {
    const { cli, reported } = await importCsv(
      'value,comment\na@x.example,say "hi"\nb@x.example,"say ""hi"""\n',
    );
    expect(reported.map((r) => [r.line, r.reason])).toEqual([[2, 'bad-row']]);
    expect(reported[0]?.message).toContain('a quote inside a cell');
    expect(await listed(cli)).toEqual([
      { type: 'email', value: 'b@x.example', comment: 'say "hi"' },
    ]);
  });

  it('a row that opens a quote and runs into the next rows is given up at its first line', async () => {
    // The open quote of line 3 "closes" at line 4's first quote, which is followed by text:
    // not a row, so line 3 alone is bad and lines 4-5 are read again, as the row they are.
    const { cli, reported } = await importCsv(
      'value,comment\na@x.example,one\nb@x.example,"oops\nc@x.example,"two\nlines"\n',
    );
    expect(reported).toEqual([
      expect.objectContaining({ line: 3, raw: 'b@x.example,"oops', reason: 'bad-row' }),
    ]);
    expect(reported[0]?.message).toMatch(/^the row starting on this line runs on to line 4/);
    expect(await listed(cli)).toEqual([
      { type: 'email', value: 'a@x.example', comment: 'one' },
      { type: 'email', value: 'c@x.example', comment: 'two\nlines' },
    ]);
  });

  it('a quote left open before an undecodable line: both reported, in line order', async () => {
    const csv = Buffer.concat([
      Buffer.from('value,comment\nb@x.example,"oops\nc@x.example,after\n'),
      Buffer.from([0xff, 0x2c, 0x78, 0x0a]),
      Buffer.from('d@x.example,last\n'),
    ]);
    const { cli, reported } = await importCsv(csv);
    expect(reported.map((r) => [r.line, r.reason])).toEqual([
      [2, 'bad-row'],
      [4, 'invalid-utf8'],
    ]);
    expect((await listed(cli)).map((e) => e.value)).toEqual(['c@x.example', 'd@x.example']);
  });
});

describe('exceptions import --format csv: the header', () => {
  it('a column named twice (value, comment or type, in any case) exits 7 and keeps nothing', async () => {
    for (const header of ['value,Value', 'value,comment, COMMENT ', 'type,value,type']) {
      const { cli, result } = await importCsv(`${header}\na@x.example,b,c\n`);
      expect(result.exitCode, header).toBe(7);
      expect(result.stderr).toMatch(
        /the CSV header names \\"(value|comment|type)\\" twice \(columns/,
      );
      expect(await entries(cli)).toEqual([]);
    }
  });

  it('a header that is not valid CSV exits 7', async () => {
    const { result } = await importCsv('value,"comment\na@x.example,b\n');
    expect(result.exitCode).toBe(7);
    expect(result.stderr).toContain('the CSV header row cannot be read');
  });
});

/** Kinds of rows: the valid ones must all be kept, each bad one reported at its line. */
type Row =
  | { kind: 'good'; text: string; value: string; comment: string }
  | { kind: 'bad'; text: string };

const row = (n: number): fc.Arbitrary<Row> =>
  fc.constantFrom<Row>(
    {
      kind: 'good',
      text: `g${n}@x.example,plain ${n}`,
      value: `g${n}@x.example`,
      comment: `plain ${n}`,
    },
    {
      kind: 'good',
      text: `g${n}@x.example,"quoted, ""${n}"""`,
      value: `g${n}@x.example`,
      comment: `quoted, "${n}"`,
    },
    {
      kind: 'good',
      text: `g${n}@x.example,"two\nlines ${n}"`,
      value: `g${n}@x.example`,
      comment: `two\nlines ${n}`,
    },
    { kind: 'good', text: `"g${n}@x.example",`, value: `g${n}@x.example`, comment: '' },
    { kind: 'bad', text: `b${n}@x.example,"x"y` },
    { kind: 'bad', text: `b${n}@x.example,"never closed ${n}` },
    { kind: 'bad', text: `b${n}@x.example,a"b` },
    { kind: 'bad', text: `b${n}@x.example,one,two` },
  );

describe('property: every physical line is accounted for', () => {
  it('for any mix of good and broken rows, LF or CRLF', { timeout: 60_000 }, async () => {
    const { cli } = await newStore({ now });
    const dir = tempDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 25 })
          .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => row(run * 100 + i)))),
        fc.constantFrom('\n', '\r\n'),
        async (rows, eol) => {
          run++;
          const lines = ['value,comment', ...rows.map((r) => r.text)];
          const csv = `${lines.join('\n').replaceAll('\n', eol)}${eol}`;
          const file = writeInput(dir, `p${run}.csv`, csv);
          const result = await cli(['exceptions', 'import', file, '--dry-run', '-o', 'json']);
          const summary = result.json<SummaryJson>();
          const good = rows.filter((r) => r.kind === 'good');
          const bad = rows.filter((r) => r.kind === 'bad');
          expect(summary).toMatchObject({
            lines: rows.length,
            added: good.length,
            rejected: bad.length,
          });
          // Each bad row at the physical line it starts on, with its own text.
          const starts: number[] = [];
          let line = 2;
          for (const r of rows) {
            starts.push(line);
            line += r.text.split('\n').length;
          }
          const expected = rows.flatMap((r, i) =>
            r.kind === 'bad' ? [{ line: starts[i], raw: r.text.replaceAll('\n', eol) }] : [],
          );
          expect(
            jsonLines<ReportedJson>(result.stderr).map((r) => ({ line: r.line, raw: r.raw })),
          ).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps the comments of valid rows exactly (checked by importing for real)', async () => {
    const rows = fc.sample(fc.tuple(...Array.from({ length: 30 }, (_, i) => row(i))), {
      numRuns: 1,
      seed: 7,
    })[0] as Row[];
    const csv = `value,comment\r\n${rows.map((r) => r.text.replaceAll('\n', '\r\n')).join('\r\n')}\r\n`;
    const { cli } = await importCsv(csv);
    expect(await listed(cli)).toEqual(
      rows.flatMap((r) =>
        r.kind === 'good'
          ? [{ type: 'email', value: r.value, comment: r.comment.replaceAll('\n', '\r\n') }]
          : [],
      ),
    );
  });
});
