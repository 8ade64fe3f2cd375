import { userInfo } from 'node:os';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

const admin = userInfo().username;
const now = '2026-03-01T09:00:00.000Z';
const stripAnsi = stripVTControlCharacters;
const ANSI = { test: (text: string) => stripAnsi(text) !== text };

/**
 * Three items whose titles and fields exercise every escaping rule:
 * 1 "Plain sofa", amount 1200.5
 * 2 "=HYPERLINK(""x""), 1" with a tab/newline field
 * 3 " -5 @ edge " (lead with two phones)
 */
async function store() {
  const s = await newStore({ now });
  const steps = [
    ['item', 'add', '--title', 'Plain sofa', '--amount', '1200.5'],
    ['item', 'add', '--title', '=HYPERLINK("x"), 1', '--field', 'note=a\tb\nc\\d'],
    [
      'item',
      'add',
      '--type',
      'lead',
      '--title',
      '-5 @ edge',
      '--phone',
      '+442079460958',
      '--phone',
      '+16502530000',
    ],
  ];
  for (const argv of steps) {
    const result = await s.cli(argv);
    if (result.exitCode !== 0) throw new Error(result.stderr);
  }
  return s;
}

describe('-o table', () => {
  it('piped: tab-separated rows, no header, tabs and newlines in values shown as \\t and \\n', async () => {
    const { cli } = await store();
    const result = await cli(['item', 'list', '--fields', 'id,title,fields,phones']);
    expect(result.stdout).toBe(
      [
        '1\tPlain sofa\t\t',
        '2\t=HYPERLINK("x"), 1\tnote=a\\tb\\nc\\d\t',
        '3\t-5 @ edge\t\t+442079460958, +16502530000',
        '',
      ].join('\n'),
    );
    expect(ANSI.test(result.stdout)).toBe(false);
  });

  it('piped: never truncated', async () => {
    const { cli } = await newStore({ now });
    const title = 'Long '.repeat(100).trim();
    await cli(['item', 'add', '--title', title]);
    const result = await cli(['item', 'list'], { columns: 40 });
    expect(result.stdout).toBe(`1\tdeal\tDefault\tNew\t${title}\t\t${admin}\n`);
  });

  it('on a terminal: bordered, headers as words, no rule between rows, cells wrapped to the width', async () => {
    const { cli } = await store();
    const wide = await cli(['item', 'list', '--fields', 'id,title,createdAt'], {
      tty: true,
      columns: 100,
      env: { NO_COLOR: '1' },
    });
    expect(wide.stdout).toBe(
      [
        '┌────┬────────────────────┬──────────────────────────┐',
        '│ ID │ Title              │ Created at               │',
        '├────┼────────────────────┼──────────────────────────┤',
        `│ 1  │ Plain sofa         │ ${now} │`,
        `│ 2  │ =HYPERLINK("x"), 1 │ ${now} │`,
        `│ 3  │ -5 @ edge          │ ${now} │`,
        '└────┴────────────────────┴──────────────────────────┘',
        '',
      ].join('\n'),
    );

    const narrow = await cli(['item', 'list', '--fields', 'id,title'], {
      tty: true,
      columns: 16,
      env: { NO_COLOR: '1' },
    });
    const lines = narrow.stdout.split('\n').filter(Boolean);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(16);
    expect(lines).toEqual([
      '┌────┬─────────┐',
      '│ ID │ Title   │',
      '├────┼─────────┤',
      '│ 1  │ Plain   │',
      '│    │ sofa    │',
      '│ 2  │ =HYPERL │',
      '│    │ INK("x" │',
      '│    │ ), 1    │',
      '│ 3  │ -5 @    │',
      '│    │ edge    │',
      '└────┴─────────┘',
    ]);
  });

  it('at 60 columns: ids, numbers and times keep their full width, text wraps', async () => {
    const { cli } = await store();
    await cli(['item', 'update', '1', '--title', 'A sofa with a long title that must wrap']);
    const result = await cli(
      ['item', 'list', '--fields', 'id,title,amount,responsible,createdAt'],
      { tty: true, columns: 60, env: { NO_COLOR: '1' } },
    );
    const lines = result.stdout.split('\n').filter(Boolean);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(60);
    expect(lines[1]).toMatch(/^│ ID │ Title +│ Amount │ Respon\S* +│ Created at +│$/);
    expect(lines.filter((line) => line.includes(now))).toHaveLength(3);
    expect(result.stdout).toContain('│ 1200.5 │');
    // Nothing is cut: every word of the title is there, on lines of its own cell.
    const titleCells = lines.slice(3, -1).map((line) => line.split('│')[2]?.trim());
    expect(titleCells.join(' ')).toContain('A sofa with a long title that must wrap');
    expect(result.stdout).not.toContain('…');
  });

  it('wide characters count two columns: the borders stay aligned', async () => {
    const { cli } = await newStore({ now });
    await cli(['contact', 'add', '--name', '山田太郎']);
    await cli(['contact', 'add', '--name', 'Ann']);
    const result = await cli(['contact', 'list', '--fields', 'id,name'], {
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expect(result.stdout).toBe(
      [
        '┌────┬──────────┐',
        '│ ID │ Name     │',
        '├────┼──────────┤',
        '│ 1  │ 山田太郎 │',
        '│ 2  │ Ann      │',
        '└────┴──────────┘',
        '',
      ].join('\n'),
    );
    // Wrapped by display width, never split inside a character: each line fits 16 columns.
    await cli(['contact', 'add', '--name', '東京都千代田区丸の内一丁目']);
    const narrow = await cli(['contact', 'list', '--fields', 'id,name'], {
      tty: true,
      columns: 16,
      env: { NO_COLOR: '1' },
    });
    const width = (line: string) =>
      [...line].reduce((w, c) => w + (/[\u3000-\u9fff]/.test(c) ? 2 : 1), 0);
    const lines = narrow.stdout.split('\n').filter(Boolean);
    for (const line of lines) expect(width(line), line).toBeLessThanOrEqual(16);
    expect(lines.map((line) => line.split('│')[2]?.trim()).join('')).toContain(
      '東京都千代田区丸の内一丁目',
    );
  });

  it('too narrow for a readable table: each row as a block of labelled lines', async () => {
    const { cli } = await store();
    const result = await cli(['item', 'list', '--fields', 'id,title,createdAt,updatedAt'], {
      tty: true,
      columns: 40,
      env: { NO_COLOR: '1' },
    });
    expect(result.stdout.split('\n').slice(0, 6)).toEqual([
      'ID          1',
      'Title       Plain sofa',
      `Created at  ${now}`,
      `Updated at  ${now}`,
      '─'.repeat(40),
      'ID          2',
    ]);
  });

  it('on a terminal: the default columns fit an 80-column screen', async () => {
    const { cli } = await store();
    await cli(['item', 'add', '--title', 'x'.repeat(200)]);
    const result = await cli(['item', 'list'], { tty: true, columns: 80 });
    const lines = stripAnsi(result.stdout).split('\n').filter(Boolean);
    expect(lines[1]).toMatch(
      /^│ ID +│ Type +│ Pipeline +│ Stage +│ Title +│ Amount +│ Responsible +│$/,
    );
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    // Wrapped, not cut: all 200 characters of the long title are on the screen.
    expect(stripAnsi(result.stdout)).not.toContain('…');
    // (200 of the long title, one of =HYPERLINK("x").)
    expect(stripAnsi(result.stdout).match(/x/g)).toHaveLength(201);
  });

  it('a show command on a terminal prints aligned field names; piped, field<TAB>value', async () => {
    const { cli } = await store();
    const tty = await cli(['item', 'show', '1', '--fields', 'id,title,amount'], {
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expect(tty.stdout).toBe('id      1\ntitle   Plain sofa\namount  1200.5\n');
    const piped = await cli(['item', 'show', '1', '--fields', 'id,title,amount']);
    expect(piped.stdout).toBe('id\t1\ntitle\tPlain sofa\namount\t1200.5\n');
  });
});

describe('-o json / jsonl', () => {
  it('json: a list is an indented array, a show an object', async () => {
    const { cli } = await store();
    const list = await cli(['item', 'list', '-o', 'json', '--fields', 'id,title']);
    expect(list.stdout).toBe(
      `${JSON.stringify(
        [
          { id: 1, title: 'Plain sofa' },
          { id: 2, title: '=HYPERLINK("x"), 1' },
          { id: 3, title: '-5 @ edge' },
        ],
        null,
        2,
      )}\n`,
    );
    const shown = await cli(['contact', 'add', '--name', 'A', '-o', 'json']);
    expect(shown.json()).toEqual({
      id: 1,
      name: 'A',
      phones: [],
      emails: [],
      companyIds: [],
      createdAt: now,
      updatedAt: now,
    });
    // --json is the short form; with -o json it agrees, with another -o it conflicts.
    expect((await cli(['item', 'list', '--json', '--fields', 'id'])).json()).toEqual([
      { id: 1 },
      { id: 2 },
      { id: 3 },
    ]);
    expect((await cli(['item', 'list', '-o', 'json', '--json', '--fields', 'id'])).json()).toEqual([
      { id: 1 },
      { id: 2 },
      { id: 3 },
    ]);
  });

  it('jsonl: one compact object per line, the same objects as json', async () => {
    const { cli } = await store();
    const json = (await cli(['item', 'list', '--json'])).json<unknown[]>();
    const jsonl = await cli(['item', 'list', '-o', 'jsonl']);
    expect(jsonl.stdout).toBe(json.map((item) => `${JSON.stringify(item)}\n`).join(''));
    expect(jsonl.stdout.split('\n')).toHaveLength(4);
  });

  it('keeps the full JSON shape of an item (DESIGN §8a)', async () => {
    const { cli } = await store();
    const [lead] = (await cli(['item', 'list', '--type', 'lead', '--json'])).json<
      Record<string, unknown>[]
    >();
    expect(Object.keys(lead ?? {})).toEqual([
      'id',
      'type',
      'pipeline',
      'stage',
      'title',
      'amount',
      'currency',
      'responsible',
      'contactId',
      'companyId',
      'source',
      'phones',
      'emails',
      'fields',
      'createdAt',
      'updatedAt',
    ]);
  });
});

describe('-o csv / tsv', () => {
  it('csv: RFC 4180 with a header, CRLF rows, quoting, and the formula guard', async () => {
    const { cli } = await store();
    const csv = await cli([
      'item',
      'list',
      '-o',
      'csv',
      '--fields',
      'id,title,amount,fields,phones',
    ]);
    expect(csv.stdout).toBe(
      [
        'id,title,amount,fields,phones',
        '1,Plain sofa,1200.5,,',
        `2,"'=HYPERLINK(""x""), 1",,"note=a\tb\nc\\d",`,
        `3,'-5 @ edge,,,"'+442079460958, +16502530000"`,
        '',
      ].join('\r\n'),
    );
  });

  it('csv guards each formula prefix: = + - @ tab and CR', async () => {
    const { cli } = await newStore({ now });
    const titles = ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', "'=already", 'a=b', 'plain'];
    for (const title of titles) {
      await cli(['item', 'add', '--title', 'x', '--field', `v=${title}`]);
    }
    const csv = await cli(['item', 'list', '-o', 'csv', '--fields', 'fields']);
    expect(csv.stdout).toBe(
      [
        'fields',
        'v==1+1',
        'v=+1',
        'v=-1',
        'v=@SUM(A1)',
        'v=\tx',
        "v='=already",
        'v=a=b',
        'v=plain',
        '',
      ].join('\r\n'),
    );
    // The cell starts with "v=", so nothing is guarded there; a title is the whole cell.
    await cli(['item', 'update', '1', '--title', '=1+1']);
    await cli(['item', 'update', '2', '--title', '@SUM(A1)']);
    const titlesCsv = await cli(['item', 'list', '-o', 'csv', '--fields', 'title', '--limit', '2']);
    expect(titlesCsv.stdout).toBe("title\r\n'=1+1\r\n'@SUM(A1)\r\n");
  });

  it('tsv: a header, and tabs, newlines, CRs and backslashes escaped', async () => {
    const { cli } = await store();
    const tsv = await cli(['item', 'list', '-o', 'tsv', '--fields', 'id,title,fields']);
    expect(tsv.stdout).toBe(
      [
        'id\ttitle\tfields',
        '1\tPlain sofa\t',
        '2\t=HYPERLINK("x"), 1\tnote=a\\tb\\nc\\\\d',
        '3\t-5 @ edge\t',
        '',
      ].join('\n'),
    );
  });

  it('csv and tsv of a show command are one header and one row', async () => {
    const { cli } = await store();
    expect((await cli(['item', 'show', '1', '-o', 'csv', '--fields', 'id,title'])).stdout).toBe(
      'id,title\r\n1,Plain sofa\r\n',
    );
    expect((await cli(['item', 'show', '1', '-o', 'tsv', '--fields', 'title,id'])).stdout).toBe(
      'title\tid\nPlain sofa\t1\n',
    );
  });
});

describe('--fields', () => {
  it('picks and orders fields in every format', async () => {
    const { cli } = await store();
    const argv = ['item', 'list', '--limit', '1', '--fields', 'title, id'];
    expect((await cli(argv)).stdout).toBe('Plain sofa\t1\n');
    expect((await cli([...argv, '--json'])).stdout).toBe(
      '[\n  {\n    "title": "Plain sofa",\n    "id": 1\n  }\n]\n',
    );
    expect((await cli([...argv, '-o', 'jsonl'])).stdout).toBe('{"title":"Plain sofa","id":1}\n');
    expect((await cli([...argv, '-o', 'csv'])).stdout).toBe('title,id\r\nPlain sofa,1\r\n');
    expect((await cli([...argv, '-o', 'tsv'])).stdout).toBe('title\tid\nPlain sofa\t1\n');
  });

  it('an unknown field is a usage error listing the available ones, printing no data', async () => {
    const { cli } = await store();
    const result = await cli(['item', 'list', '--fields', 'id,colour,size']);
    expect(result).toMatchObject({
      exitCode: 2,
      stdout: '',
      stderr:
        'error: unknown field "colour", "size"; available: id, type, pipeline, stage, title, amount, currency, responsible, contactId, companyId, source, phones, emails, fields, createdAt, updatedAt\n',
    });
    const none = await cli(['user', 'list', '--fields', ' , ']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toBe(
      'error: unknown field (none given); available: id, login, name, role, supervisor, createdAt\n',
    );
    const json = await cli(['item', 'list', '--json', '--fields', 'nope']);
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'usage', exitCode: 2 } });
  });

  it('an unknown format is a usage error', async () => {
    const { cli } = await store();
    const result = await cli(['item', 'list', '-o', 'xml']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      "argument 'xml' is invalid. Allowed choices are table, json, jsonl, csv, tsv.",
    );
  });
});

describe('an empty list is not an error', () => {
  it('prints nothing, [] or just the header, and exits 0', async () => {
    const { cli } = await newStore({ now });
    const expected: Record<string, string> = {
      table: '┌────┬──────┐\n│ ID │ Name │\n└────┴──────┘\n',
      json: '[]\n',
      jsonl: '',
      csv: 'id,name\r\n',
      tsv: 'id\tname\n',
    };
    for (const [format, stdout] of Object.entries(expected)) {
      const result = await cli(['contact', 'list', '-o', format, '--fields', 'id,name']);
      expect(result, format).toMatchObject({ exitCode: 0, stdout, stderr: '' });
    }
    expect(await cli(['contact', 'list', '--fields', 'id,name'])).toMatchObject({
      exitCode: 0,
      stdout: '',
    });
    const tty = await cli(['contact', 'list', '--fields', 'id,name'], {
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expect(tty).toMatchObject({
      exitCode: 0,
      stdout: '┌────┬──────┐\n│ ID │ Name │\n└────┴──────┘\n',
    });
  });
});

describe('colour', () => {
  const hasColour = (text: string) => ANSI.test(text);

  it('none when piped: tables, drawings and errors', async () => {
    const { cli } = await store();
    expect(hasColour((await cli(['item', 'list'])).stdout)).toBe(false);
    expect(hasColour((await cli(['pipeline', 'show'])).stdout)).toBe(false);
    const error = await cli(['item', 'show', '99']);
    expect(error.stderr).toBe('error: no item with id 99 (see crmctl item list)\n');
  });

  it('on a terminal: bold headers, grey borders, a red error label', async () => {
    const { cli } = await store();
    const table = await cli(['item', 'list', '--fields', 'id'], { tty: true });
    expect(table.stdout).toContain('\x1b[1m ID \x1b[22m');
    expect(table.stdout).toContain('\x1b[90m┌────┐\x1b[39m');
    expect(stripAnsi(table.stdout)).toBe(
      '┌────┐\n│ ID │\n├────┤\n│ 1  │\n│ 2  │\n│ 3  │\n└────┘\n',
    );
    const show = await cli(['item', 'show', '1', '--fields', 'id'], { tty: true });
    expect(show.stdout).toBe('\x1b[1mid\x1b[22m  1\n');
    const drawing = await cli(['pipeline', 'show'], { tty: true, columns: 200 });
    expect(hasColour(drawing.stdout)).toBe(true);
    const error = await cli(['item', 'show', '99'], { tty: true });
    expect(error.stderr).toBe('\x1b[31merror:\x1b[39m no item with id 99 (see crmctl item list)\n');
  });

  it('none on a terminal with NO_COLOR (non-empty), --no-color or FORCE_COLOR=0', async () => {
    const { cli } = await store();
    const ways: { argv: string[]; env?: Record<string, string> }[] = [
      { argv: [], env: { NO_COLOR: '1' } },
      { argv: ['--no-color'] },
      { argv: [], env: { FORCE_COLOR: '0' } },
      { argv: [], env: { NO_COLOR: '1', FORCE_COLOR: '1' } },
    ];
    for (const { argv, env } of ways) {
      const label = `${argv.join(' ')} ${JSON.stringify(env ?? {})}`;
      const table = await cli([...argv, 'item', 'list'], { tty: true, env });
      expect(hasColour(table.stdout), label).toBe(false);
      expect(table.stdout.startsWith('┌')).toBe(true);
      const drawing = await cli([...argv, 'pipeline', 'show'], { tty: true, env });
      expect(hasColour(drawing.stdout), label).toBe(false);
      const error = await cli([...argv, 'item', 'show', '99'], { tty: true, env });
      expect(error.stderr, label).toBe('error: no item with id 99 (see crmctl item list)\n');
    }
    // An empty NO_COLOR does not count.
    const empty = await cli(['item', 'list'], { tty: true, env: { NO_COLOR: '' } });
    expect(hasColour(empty.stdout)).toBe(true);
  });

  it('forced with FORCE_COLOR even when piped', async () => {
    const { cli } = await store();
    const env = { FORCE_COLOR: '1' };
    const error = await cli(['item', 'show', '99'], { env });
    expect(error.stderr).toBe('\x1b[31merror:\x1b[39m no item with id 99 (see crmctl item list)\n');
    const drawing = await cli(['pipeline', 'show'], { env });
    expect(hasColour(drawing.stdout)).toBe(true);
    expect(stripAnsi(drawing.stdout)).toBe(stripAnsi((await cli(['pipeline', 'show'])).stdout));
    // Piped tables stay plain rows, which have nothing to colour.
    expect((await cli(['item', 'list', '--fields', 'id'], { env })).stdout).toBe('1\n2\n3\n');
  });
});

describe('changes and notes', () => {
  it('a change prints the id on stdout and a note on stderr; --quiet silences the note', async () => {
    const { cli } = await newStore({ now });
    expect(await cli(['contact', 'add', '--name', 'A'])).toMatchObject({
      exitCode: 0,
      stdout: '1\n',
      stderr: 'Added contact #1 A\n',
    });
    expect(await cli(['--quiet', 'contact', 'add', '--name', 'B'])).toMatchObject({
      exitCode: 0,
      stdout: '2\n',
      stderr: '',
    });
    expect(
      await cli(['-q', 'item', 'move', '--from-stage', 'New', '--stage', 'Won']),
    ).toMatchObject({
      exitCode: 0,
      stdout: '',
      stderr: '',
    });
    // Errors are not notes: --quiet keeps them.
    expect((await cli(['-q', 'contact', 'show', '9'])).stderr).toBe(
      'error: no contact with id 9 (see crmctl contact list)\n',
    );
  });

  it('with -o json a change prints the whole record and no note', async () => {
    const { cli } = await newStore({ now });
    const result = await cli(['company', 'add', '--name', 'Acme', '-o', 'json']);
    expect(result.stderr).toBe('');
    expect(result.json()).toEqual({
      id: 1,
      name: 'Acme',
      phones: [],
      emails: [],
      contactIds: [],
      createdAt: now,
      updatedAt: now,
    });
  });
});

describe('errors', () => {
  it('are one line on stderr; under -o json an object with code, message and exit code', async () => {
    const { cli } = await store();
    const text = await cli(['item', 'move', '1', '--stage', 'Nowhere']);
    expect(text.exitCode).toBe(4);
    expect(text.stdout).toBe('');
    expect(text.stderr.split('\n')).toHaveLength(2);
    const json = await cli(['item', 'move', '1', '--stage', 'Nowhere', '-o', 'json']);
    expect(JSON.parse(json.stderr)).toEqual({
      error: {
        code: 'not-found',
        message:
          'no stage "Nowhere" in pipeline "Default"; stages: New, Preparing documents, Prepayment invoice, In progress, Final invoice, Won, Lost',
        exitCode: 4,
      },
    });
    const usage = await cli(['item', 'list', '--bogus', '--json']);
    expect(usage.exitCode).toBe(2);
    expect(JSON.parse(usage.stderr)).toEqual({
      error: { code: 'usage', message: "unknown option '--bogus'", exitCode: 2 },
    });
  });

  it('under -o json a parser usage error is exactly one JSON object on stderr', async () => {
    const { cli } = await newStore({ now });
    for (const argv of [
      ['item', 'list', '--bogus', '--json'],
      ['item', 'list', '-o', 'json', '-o', 'xml'],
      ['item', 'show', '--json'],
    ]) {
      const usage = await cli(argv);
      expect(usage.exitCode, argv.join(' ')).toBe(2);
      expect(JSON.parse(usage.stderr), argv.join(' ')).toMatchObject({
        error: { code: 'usage', exitCode: 2 },
      });
    }
  });

  it('an unknown command or option is exit 2 with usage help', async () => {
    const { cli } = await store();
    const command = await cli(['itme', 'list']);
    expect(command.exitCode).toBe(2);
    expect(command.stderr).toContain("unknown command 'itme'");
    const option = await cli(['item', 'list', '--bogus']);
    expect(option.exitCode).toBe(2);
    expect(option.stderr).toContain("error: unknown option '--bogus'");
    expect(option.stderr).toContain('(add --help for usage)');
  });
});
