import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newStore, tempDir } from '../helpers.js';
import {
  type Cli,
  countedLines,
  csvRecords,
  entries,
  examplePhone,
  jsonLines,
  listed,
  ok,
  type ReportedJson,
  type SummaryJson,
  writeInput,
} from './support.js';

// DESIGN §3 and the README's "The exceptions list": every line of an import is accounted for,
// reported with its line number and reason; the whole import is one transaction.

const now = '2026-04-01T09:00:00.000Z';
const gb = examplePhone('GB'); // +447400123456, "07400 123456"
const de = examplePhone('DE');
const us = examplePhone('US');

async function batches(cli: Cli) {
  return ok<{ id: number; summary: Record<string, unknown>; undoneAt: string | null }[]>(
    await cli(['exceptions', 'batches', '--json']),
  );
}

describe('exceptions import: every line accounted for', () => {
  // 14 physical lines, 10 of them entries: a BOM, CRLF endings, blank and # lines, a duplicate spelled differently.
  const content = [
    `\uFEFF# exported from the old CRM\r`,
    `${gb.international};printing supplier; not a client\r`,
    `offers@Spam.Example\r`,
    `\r`,
    `hello;no number here\r`,
    `   \t\r`,
    `${gb.e164.replace('+44', '+44 (0)')};the same number again\r`,
    `bob@\r`,
    `  # an indented comment\r`,
    `${de.international.replaceAll(' ', '-')};Kunde sagt "nein"\r`,
    `07700 900123\r`,
    `${us.international} ext. 12\r`,
    `OFFERS@spam.example;again\r`,
    `;only a comment`,
  ].join('\n');

  it('adds the valid lines, reports each rejected line as FILE:LINE: reason: message, exit 3', async () => {
    const { cli } = await newStore({ now });
    const file = writeInput(tempDir(), 'spam.txt', content);
    const result = await cli(['exceptions', 'import', file]);
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toMatch(/^\d+\n$/);
    const batchId = Number(result.stdout);
    const stderr = result.stderr.split('\n');
    expect(stderr.filter((l) => l.startsWith(`${file}:`))).toEqual([
      `${file}:5: not-a-number: "hello" is neither an email address nor a phone number`,
      expect.stringMatching(new RegExp(`^${file}:8: not-an-email: "bob@" is not an email address`)),
      expect.stringMatching(new RegExp(`^${file}:11: needs-country: "07700 900123" is a national`)),
      `${file}:12: extension: "${us.international} ext. 12" has an extension: extensions are not supported, give the number without it`,
      `${file}:14: empty: empty phone number: nothing left once spaces are removed`,
    ]);
    expect(result.stderr).toContain(
      `Imported batch ${batchId} from ${file}: 10 lines, 3 added, 2 duplicates, 0 updated, 5 rejected`,
    );
    expect(await listed(cli)).toEqual([
      { type: 'phone', value: gb.e164, comment: 'printing supplier; not a client' },
      { type: 'email', value: 'offers@spam.example', comment: '' },
      { type: 'phone', value: de.e164, comment: 'Kunde sagt "nein"' },
    ]);
    const [first] = await entries(cli);
    expect(first).toMatchObject({
      raw: gb.international,
      source: 'import',
      createdAt: now,
      batchId,
    });
  });

  it('counts add up: added + duplicates + updated + rejected == lines == non-blank, non-# lines', async () => {
    const { cli } = await newStore({ now });
    const file = writeInput(tempDir(), 'spam.txt', content);
    const summary = (await cli(['exceptions', 'import', file, '-o', 'json'])).json<SummaryJson>();
    expect(summary).toEqual({
      batchId: expect.any(Number),
      dryRun: false,
      committed: true,
      lines: 10,
      added: 3,
      duplicates: 2,
      updated: 0,
      rejected: 5,
      rejectedByReason: {
        'not-a-number': 1,
        'not-an-email': 1,
        'needs-country': 1,
        extension: 1,
        empty: 1,
      },
      commentLines: 2,
    });
    expect(countedLines(content)).toBe(10);
    expect(summary.added + summary.duplicates + summary.updated + summary.rejected).toBe(
      summary.lines,
    );
    expect(Object.values(summary.rejectedByReason).reduce((a, b) => a + b, 0)).toBe(
      summary.rejected,
    );
  });

  it('writes rejected lines and duplicates to --rejects as CSV line,raw,reason,message', async () => {
    const { cli } = await newStore({ now });
    const dir = tempDir();
    const file = writeInput(dir, 'spam.txt', content);
    const rejects = join(dir, 'rejects.csv');
    const result = await cli(['exceptions', 'import', file, '--rejects', rejects]);
    expect(result.exitCode).toBe(3);
    // With --rejects the report goes to the file, not line by line to stderr.
    expect(result.stderr).not.toContain(`${file}:5:`);
    expect(result.stderr).toContain(`rejected lines are in ${rejects}`);
    const text = readFileSync(rejects, 'utf8');
    expect(text.split('\r\n')[0]).toBe('line,raw,reason,message');
    const rows = csvRecords(text);
    expect(rows.map((r) => [r.line, r.reason])).toEqual([
      ['5', 'not-a-number'],
      ['7', 'duplicate'],
      ['8', 'not-an-email'],
      ['11', 'needs-country'],
      ['12', 'extension'],
      ['13', 'duplicate'],
      ['14', 'empty'],
    ]);
    const byLine = Object.fromEntries(rows.map((r) => [r.line, r]));
    // Two spellings of one number are duplicates of each other; the message names the first line.
    expect(byLine['7']).toEqual({
      line: '7',
      raw: `${gb.e164.replace('+44', "'+44 (0)")};the same number again`,
      reason: 'duplicate',
      message: `${gb.e164} is a duplicate of line 2 (${JSON.stringify(gb.international)})`,
    });
    expect(byLine['13']?.message).toBe(
      'OFFERS@spam.example is a duplicate of line 3 ("offers@Spam.Example")',
    );
    expect(byLine['5']).toMatchObject({ raw: 'hello;no number here' });
    expect(byLine['14']).toMatchObject({ raw: ';only a comment' });
  });

  it('under -o json prints the summary on stdout and each rejected line as JSON on stderr', async () => {
    const { cli } = await newStore({ now });
    const file = writeInput(tempDir(), 'spam.txt', content);
    const result = await cli(['exceptions', 'import', file, '-o', 'json']);
    expect(result.exitCode).toBe(3);
    expect(result.json<SummaryJson>()).toMatchObject({ lines: 10, rejected: 5 });
    const reported = jsonLines<ReportedJson>(result.stderr);
    expect(reported.map((r) => r.line)).toEqual([5, 8, 11, 12, 14]);
    expect(reported[0]).toEqual({
      line: 5,
      raw: 'hello;no number here',
      reason: 'not-a-number',
      message: '"hello" is neither an email address nor a phone number',
    });
    for (const r of reported)
      expect(Object.keys(r).sort()).toEqual(['line', 'message', 'raw', 'reason']);
  });

  it('exits 0 and prints only the batch id when every line is good', async () => {
    const { cli } = await newStore({ now });
    const file = writeInput(tempDir(), 'ok.txt', `${gb.e164}\nanna@example.com;met at fair\n`);
    const result = await cli(['exceptions', 'import', file]);
    expect(result).toMatchObject({ exitCode: 0, stdout: '1\n' });
    expect(result.stderr).toBe(
      `Imported batch 1 from ${file}: 2 lines, 2 added, 0 duplicates, 0 updated, 0 rejected\n`,
    );
    // Importing it again: all duplicates ("already listed"), still exit 0.
    const again = await cli(['exceptions', 'import', file, '-o', 'json']);
    expect(again.exitCode).toBe(0);
    expect(again.json<SummaryJson>()).toMatchObject({ added: 0, duplicates: 2, lines: 2 });
    const rejects = join(tempDir(), 'r.csv');
    await cli(['exceptions', 'import', file, '--rejects', rejects]);
    expect(csvRecords(readFileSync(rejects, 'utf8'))).toEqual([
      {
        line: '1',
        raw: guardLike(gb.e164),
        reason: 'duplicate',
        message: `${gb.e164} is already listed (added ${now} by ${osLogin()})`,
      },
      {
        line: '2',
        raw: 'anna@example.com;met at fair',
        reason: 'duplicate',
        message: `anna@example.com is already listed (added ${now} by ${osLogin()})`,
      },
    ]);
  });

  it('property: for any mix of lines the counts add up and every rejected line is reported once', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', `${de.e164};listed before`, 'old@example.com']);
    const dir = tempDir();
    const pool = [
      gb.international,
      gb.e164,
      gb.national, // needs --country GB: rejected without it
      de.e164,
      us.international,
      'old@example.com',
      'OLD@EXAMPLE.COM;comment',
      'new@example.com',
      'x@y',
      'not a phone',
      '12',
      '+44 20 7946 0958 ext 12',
      'a@b.example;bad\u0007comment',
      '',
      '   ',
      '# a comment',
      ';',
      'new@example.com;a;b;c',
    ];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...pool), { maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        async (lines, eol, bom) => {
          const text = (bom ? '\uFEFF' : '') + lines.join(eol);
          const file = writeInput(dir, `mix${run++}.txt`, text);
          const rejects = join(dir, `mix${run}.csv`);
          const result = await cli([
            'exceptions',
            'import',
            file,
            '--dry-run',
            '-o',
            'json',
            '--rejects',
            rejects,
          ]);
          const summary = result.json<SummaryJson>();
          expect(summary.dryRun).toBe(true);
          expect(summary.lines).toBe(countedLines(text));
          expect(summary.added + summary.duplicates + summary.updated + summary.rejected).toBe(
            summary.lines,
          );
          expect(result.exitCode).toBe(summary.rejected > 0 ? 3 : 0);
          const rows = csvRecords(readFileSync(rejects, 'utf8'));
          expect(rows.filter((r) => r.reason !== 'duplicate')).toHaveLength(summary.rejected);
          expect(rows.filter((r) => r.reason === 'duplicate')).toHaveLength(summary.duplicates);
          expect(new Set(rows.map((r) => r.line)).size).toBe(rows.length);
          for (const row of rows) {
            const line = Number(row.line);
            expect(lines[line - 1]?.replace(/^\uFEFF/, '')).toBe(unguard(row.raw ?? ''));
          }
        },
      ),
      { numRuns: 25 },
    );
    // Dry runs keep nothing.
    expect(await listed(cli)).toEqual([
      { type: 'phone', value: de.e164, comment: 'listed before' },
      { type: 'email', value: 'old@example.com', comment: '' },
    ]);
  });
});

function osLogin(): string {
  return userInfo().username;
}

/** The rejects CSV guards raw lines like any CSV export. */
function guardLike(value: string): string {
  return /^'*[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function unguard(value: string): string {
  return value.startsWith("'") && /^'*[=+\-@\t\r]/.test(value.slice(1)) ? value.slice(1) : value;
}

describe('exceptions import: options', () => {
  const mixed = `${gb.e164};kept\nnot a number\nnew@example.com\n`;

  it('--strict keeps nothing when any line is rejected, exit 7, and says so', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'before@example.com']);
    const before = await entries(cli);
    const file = writeInput(tempDir(), 'list.txt', mixed);
    const result = await cli(['exceptions', 'import', file, '--strict', '-o', 'json']);
    expect(result.exitCode).toBe(7);
    expect(result.json<SummaryJson>()).toMatchObject({
      dryRun: false,
      committed: false,
      lines: 3,
      rejected: 1,
      rejectedByReason: { 'not-a-number': 1 },
    });
    expect(jsonLines<ReportedJson>(result.stderr)).toEqual([
      expect.objectContaining({ line: 2, reason: 'not-a-number' }),
    ]);
    expect(result.stderr).toContain(`Nothing imported from ${file}: 3 lines`);
    expect(result.json<SummaryJson>().batchId).toBeNull();
    expect(await entries(cli)).toEqual(before);
    expect(await batches(cli)).toEqual([]);
    // With every line good, --strict imports as usual.
    const good = writeInput(tempDir(), 'good.txt', `${gb.e164};kept\n`);
    expect((await cli(['exceptions', 'import', good, '--strict'])).exitCode).toBe(0);
    expect(await listed(cli)).toContainEqual({ type: 'phone', value: gb.e164, comment: 'kept' });
  });

  it('--dry-run reports the real counts with dryRun: true and keeps nothing', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'new@example.com']);
    const before = await entries(cli);
    const file = writeInput(tempDir(), 'list.txt', mixed);
    const result = await cli(['exceptions', 'import', file, '--dry-run', '-o', 'json']);
    expect(result.exitCode).toBe(3);
    expect(result.json<SummaryJson>()).toMatchObject({
      dryRun: true,
      committed: false,
      lines: 3,
      added: 1,
      duplicates: 1,
      rejected: 1,
    });
    expect(result.stderr).toContain('Dry run of import');
    expect(await entries(cli)).toEqual(before);
    expect(await batches(cli)).toEqual([]);
    const history = ok<{ action: string }[]>(await cli(['history', '--json']));
    expect(history.filter((h) => h.action === 'imported')).toEqual([]);
  });

  it('--update-comments overwrites the comments of listed entries and counts them as updated', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', `${gb.e164};old comment`, 'same@example.com;same']);
    const file = writeInput(
      tempDir(),
      'list.txt',
      `${gb.international};new comment\nsame@example.com;same\nfresh@example.com;fresh\n`,
    );
    const plain = await cli(['exceptions', 'import', file, '--dry-run', '-o', 'json']);
    expect(plain.json<SummaryJson>()).toMatchObject({ added: 1, duplicates: 2, updated: 0 });
    const result = await cli(['exceptions', 'import', file, '--update-comments', '-o', 'json']);
    expect(result.exitCode).toBe(0);
    // An unchanged comment is a duplicate, not an update.
    expect(result.json<SummaryJson>()).toMatchObject({
      lines: 3,
      added: 1,
      duplicates: 1,
      updated: 1,
      rejected: 0,
    });
    expect(await listed(cli)).toEqual([
      { type: 'phone', value: gb.e164, comment: 'new comment' },
      { type: 'email', value: 'same@example.com', comment: 'same' },
      { type: 'email', value: 'fresh@example.com', comment: 'fresh' },
    ]);
    // The entry keeps its origin: only the comment changed.
    expect((await entries(cli))[0]).toMatchObject({ source: 'manual', raw: gb.e164 });
  });

  it('--comment fills in entries that have none and leaves given comments alone', async () => {
    const { cli } = await newStore({ now });
    const file = writeInput(
      tempDir(),
      'list.txt',
      `a@example.com\nb@example.com;mine\nc@example.com;\n`,
    );
    expect((await cli(['exceptions', 'import', file, '--comment', 'from the fair'])).exitCode).toBe(
      0,
    );
    expect(await listed(cli)).toEqual([
      { type: 'email', value: 'a@example.com', comment: 'from the fair' },
      { type: 'email', value: 'b@example.com', comment: 'mine' },
      { type: 'email', value: 'c@example.com', comment: 'from the fair' },
    ]);
  });

  it('--country reads national numbers; the default-country setting does too; neither: needs-country', async () => {
    const { cli } = await newStore({ now });
    const dir = tempDir();
    const gbFile = writeInput(dir, 'gb.txt', `${gb.national};uk\n`);
    const without = await cli(['exceptions', 'import', gbFile, '-o', 'json']);
    expect(without.exitCode).toBe(3);
    expect(without.json<SummaryJson>().rejectedByReason).toEqual({ 'needs-country': 1 });
    expect((await cli(['exceptions', 'import', gbFile, '--country', 'gb'])).exitCode).toBe(0);
    const deFile = writeInput(dir, 'de.txt', `${de.national};de\n`);
    await cli(['settings', 'set', 'default-country', 'DE']);
    expect((await cli(['exceptions', 'import', deFile])).exitCode).toBe(0);
    // --country wins over the setting.
    const asUs = await cli([
      'exceptions',
      'import',
      writeInput(dir, 'us.txt', `${us.national}\n`),
      '--country',
      'US',
    ]);
    expect(asUs.exitCode).toBe(0);
    expect(await listed(cli)).toEqual([
      { type: 'phone', value: gb.e164, comment: 'uk' },
      { type: 'phone', value: de.e164, comment: 'de' },
      { type: 'phone', value: us.e164, comment: '' },
    ]);
    const bad = await cli(['exceptions', 'import', gbFile, '--country', 'XX']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--country "XX"');
  });

  it('reads stdin for -, naming it "stdin" in messages', async () => {
    const { cli } = await newStore({ now });
    const result = await cli(['exceptions', 'import', '-'], {
      stdin: `\uFEFFa@example.com;x\r\nnope\r\n`,
    });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('stdin:2: not-a-number: "nope"');
    expect(result.stderr).toContain('Imported batch 1 from stdin: 2 lines, 1 added');
    expect(await listed(cli)).toEqual([{ type: 'email', value: 'a@example.com', comment: 'x' }]);
  });

  it('reads stdin without a FILE too, but never waits on a terminal: exit 2', async () => {
    const { cli } = await newStore({ now });
    expect((await cli(['exceptions', 'import'], { stdin: 'a@example.com\n' })).exitCode).toBe(0);
    for (const argv of [
      ['exceptions', 'import', '-'],
      ['exceptions', 'import'],
    ]) {
      const result = await cli(argv, { tty: true });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('stdin is a terminal');
    }
    expect(await listed(cli)).toEqual([{ type: 'email', value: 'a@example.com', comment: '' }]);
  });

  it('a missing FILE exits 4 naming the path; a directory exits 7; nothing is recorded', async () => {
    const { cli } = await newStore({ now });
    const dir = tempDir();
    const missing = join(dir, 'no-such.txt');
    const result = await cli(['exceptions', 'import', missing]);
    expect(result).toMatchObject({ exitCode: 4, stdout: '' });
    expect(result.stderr).toContain(missing);
    const json = await cli(['exceptions', 'import', missing, '-o', 'json']);
    expect(JSON.parse(json.stderr)).toEqual({
      error: { code: 'not-found', message: `no such file: ${missing}`, exitCode: 4 },
    });
    const folder = await cli(['exceptions', 'import', dir]);
    expect(folder.exitCode).toBe(7);
    expect(folder.stderr).toContain('is a directory');
    expect(await batches(cli)).toEqual([]);
    // --rejects is not created for an import that never started.
    const rejects = join(dir, 'r.csv');
    expect((await cli(['exceptions', 'import', missing, '--rejects', rejects])).exitCode).toBe(4);
    expect(existsSync(rejects)).toBe(false);
  });

  it('needs exceptions.edit: an employee is refused with exit 6 naming it, and nothing is imported', async () => {
    const { cli } = await newStore({ now });
    await cli(['user', 'add', 'emma', '--role', 'employee']);
    const file = writeInput(tempDir(), 'list.txt', 'a@example.com\n');
    const result = await cli(['exceptions', 'import', file], { as: 'emma' });
    expect(result.exitCode).toBe(6);
    expect(result.stderr).toContain('exceptions.edit');
    expect(await entries(cli)).toEqual([]);
  });
});

describe('exceptions undo-import', () => {
  it('removes exactly what the batch added, restores overwritten comments, and says how many', async () => {
    const { cli } = await newStore({ now });
    const dir = tempDir();
    await cli(['exceptions', 'add', `${gb.e164};manual comment`, 'kept@example.com;kept']);
    const first = writeInput(dir, 'first.txt', 'earlier@example.com;first import\n');
    const firstBatch = Number((await cli(['exceptions', 'import', first])).stdout);
    const before = await entries(cli);

    const file = writeInput(
      dir,
      'second.txt',
      [
        `${gb.international};overwritten`,
        'kept@example.com;kept',
        'earlier@example.com;also overwritten',
        'new1@example.com;one',
        `${de.e164};two`,
        'garbage',
      ].join('\n'),
    );
    const imported = await cli(['exceptions', 'import', file, '--update-comments', '-o', 'json']);
    const summary = imported.json<SummaryJson>();
    expect(summary).toMatchObject({ added: 2, updated: 2, duplicates: 1, rejected: 1 });
    expect(await listed(cli)).toHaveLength(5);

    const undo = await cli(['exceptions', 'undo-import', String(summary.batchId)], {
      now: '2026-04-02T09:00:00Z',
    });
    expect(undo).toMatchObject({ exitCode: 0, stdout: '2\n' });
    expect(undo.stderr).toBe(
      `Undid import ${summary.batchId}: removed 2 entries, restored 2 comments\n`,
    );
    // Exactly the list as it was before the batch: same ids, comments, origins.
    expect(await entries(cli)).toEqual(before);

    const again = await cli(['exceptions', 'undo-import', String(summary.batchId)]);
    expect(again.exitCode).toBe(5);
    expect(again.stderr).toContain(
      `import ${summary.batchId} was already undone at 2026-04-02T09:00:00.000Z`,
    );
    expect(await entries(cli)).toEqual(before);

    const list = await batches(cli);
    expect(list.map((b) => [b.id, b.undoneAt])).toEqual([
      [firstBatch, null],
      [summary.batchId, '2026-04-02T09:00:00.000Z'],
    ]);
  });

  it('prints JSON with -o json, and leaves entries other batches added', async () => {
    const { cli } = await newStore({ now });
    const dir = tempDir();
    const a = Number(
      (
        await cli([
          'exceptions',
          'import',
          writeInput(dir, 'a.txt', 'a@example.com\nb@example.com\n'),
        ])
      ).stdout,
    );
    const b = Number(
      (
        await cli([
          'exceptions',
          'import',
          writeInput(dir, 'b.txt', 'b@example.com\nc@example.com\n'),
        ])
      ).stdout,
    );
    // An entry of batch a removed by hand is simply no longer there to undo.
    await cli(['exceptions', 'remove', 'a@example.com']);
    const undo = await cli(['exceptions', 'undo-import', String(a), '-o', 'json']);
    expect(undo.json()).toEqual({
      batchId: a,
      removed: 1,
      commentsRestored: 0,
      commentsKept: 0,
      keptExamples: [],
    });
    expect(await listed(cli)).toEqual([{ type: 'email', value: 'c@example.com', comment: '' }]);
    expect((await entries(cli))[0]?.batchId).toBe(b);
  });

  it('an unknown batch exits 4; an id that is not an import exits 4; a non-number exits 2', async () => {
    const { cli } = await newStore({ now });
    const added = ok<{ operationId: number }>(
      await cli(['exceptions', 'add', 'a@example.com', '-o', 'json']),
    );
    const unknown = await cli(['exceptions', 'undo-import', '999']);
    expect(unknown.exitCode).toBe(4);
    expect(unknown.stderr).toContain('999');
    const notImport = await cli(['exceptions', 'undo-import', String(added.operationId)]);
    expect(notImport.exitCode).toBe(4);
    expect(notImport.stderr).toContain('is not an import batch');
    expect((await cli(['exceptions', 'undo-import', 'last'])).exitCode).toBe(2);
    expect(await listed(cli)).toEqual([{ type: 'email', value: 'a@example.com', comment: '' }]);
  });

  it('a dry run or a refused --strict import names no batch: its number goes to the next import', async () => {
    const { cli } = await newStore({ now });
    const file = writeInput(tempDir(), 'a.txt', 'a@example.com\nnope\n');
    const dry = await cli(['exceptions', 'import', file, '--dry-run']);
    expect(dry.stdout).toBe('');
    expect(dry.stderr).toContain(`Dry run of import from ${file}: 2 lines, 1 added`);
    const dryJson = await cli(['exceptions', 'import', file, '--dry-run', '-o', 'json']);
    expect(dryJson.json<SummaryJson>()).toMatchObject({ batchId: null, dryRun: true, added: 1 });
    const strict = await cli(['exceptions', 'import', file, '--strict', '-o', 'json']);
    expect(strict.json<SummaryJson>()).toMatchObject({ batchId: null, committed: false });
    const real = await cli(['exceptions', 'import', file]);
    const batch = Number(real.stdout);
    expect(batch).toBeGreaterThan(0);
    expect((await entries(cli))[0]?.batchId).toBe(batch);
  });

  it('--update-comments never clears a comment, nor overwrites it with the --comment default', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com;keep me']);
    const file = writeInput(
      tempDir(),
      'list.txt',
      'a@example.com\na@example.com;\na@example.com;  \n',
    );
    const result = await cli([
      'exceptions',
      'import',
      file,
      '--update-comments',
      '--comment',
      'default',
      '-o',
      'json',
    ]);
    expect(result.json<SummaryJson>()).toMatchObject({ duplicates: 3, updated: 0 });
    expect(await listed(cli)).toEqual([
      { type: 'email', value: 'a@example.com', comment: 'keep me' },
    ]);
  });

  it('needs exceptions.edit', async () => {
    const { cli } = await newStore({ now });
    await cli(['user', 'add', 'emma', '--role', 'employee']);
    const batch = (
      await cli(['exceptions', 'import', '-'], { stdin: 'a@example.com\n' })
    ).stdout.trim();
    const result = await cli(['exceptions', 'undo-import', batch], { as: 'emma' });
    expect(result.exitCode).toBe(6);
    expect(result.stderr).toContain('exceptions.edit');
    expect(await listed(cli)).toHaveLength(1);
  });
});

describe('exceptions import: malformed input, each with a clear message and nothing lost', () => {
  async function storeWithList() {
    const store = await newStore({ now });
    await store.cli(['exceptions', 'add', `${gb.e164};before`, 'before@example.com']);
    return { ...store, before: await entries(store.cli) };
  }

  /** Deterministic pseudo-random bytes (an LCG), with NULs sprinkled in. */
  function garbage(length: number): Buffer {
    const bytes = Buffer.alloc(length);
    let state = 12345;
    for (let i = 0; i < length; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      bytes[i] = i % 97 === 5 ? 0 : state >>> 24;
    }
    return bytes;
  }

  it('refuses binary garbage whole: exit 7, the list unchanged, nothing recorded', async () => {
    const { cli, before } = await storeWithList();
    const file = writeInput(tempDir(), 'photo.jpg', garbage(100_000));
    for (const format of ['lines', 'csv']) {
      const result = await cli(['exceptions', 'import', file, '--format', format]);
      expect(result.exitCode).toBe(7);
      expect(result.stderr).toMatch(/binary file/);
      expect(result.stdout).toBe('');
    }
    // Valid-looking lines first, NULs inside the first 8 KiB: still refused whole.
    const sneaky = Buffer.concat([Buffer.from('a@example.com\n'), garbage(5000)]);
    expect(
      (await cli(['exceptions', 'import', writeInput(tempDir(), 'x.txt', sneaky)])).exitCode,
    ).toBe(7);
    expect(await entries(cli)).toEqual(before);
    expect(await batches(cli)).toEqual([]);
  });

  it('refuses UTF-16 (either byte order, with or without a BOM): exit 7, saying to save as UTF-8', async () => {
    const { cli, before } = await storeWithList();
    const text = 'new@example.com;x\r\n+1 650 253 0000\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    const inputs = {
      le,
      be: Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
      bare: Buffer.from(text, 'utf16le'),
    };
    for (const [name, bytes] of Object.entries(inputs)) {
      const result = await cli([
        'exceptions',
        'import',
        writeInput(tempDir(), `${name}.txt`, bytes),
      ]);
      expect(result.exitCode, name).toBe(7);
      if (name !== 'bare') expect(result.stderr).toContain('UTF-16: save it as UTF-8');
    }
    expect(await entries(cli)).toEqual(before);
  });

  it('a file of only a BOM (or empty, or only comments) is fine: exit 0, 0 lines, a note', async () => {
    const { cli, before } = await storeWithList();
    for (const [name, content] of [
      ['bom.txt', '\uFEFF'],
      ['empty.txt', ''],
      ['comments.txt', '# nothing\n\n   \n#more\n'],
    ] as const) {
      const file = writeInput(tempDir(), name, content);
      const result = await cli(['exceptions', 'import', file, '-o', 'json']);
      expect(result.exitCode, name).toBe(0);
      expect(result.json<SummaryJson>()).toMatchObject({ lines: 0, added: 0, rejected: 0 });
      expect(result.stderr).toContain(`no entries found in ${file}`);
    }
    expect(await entries(cli)).toEqual(before);
  });

  it('rejects a 10 MB line with no newline as line-too-long, and imports a valid line after it', async () => {
    const { cli } = await storeWithList();
    const dir = tempDir();
    const long = '7'.repeat(10 * 1024 * 1024);
    const alone = await cli(['exceptions', 'import', writeInput(dir, 'a.txt', long), '-o', 'json']);
    expect(alone.exitCode).toBe(3);
    expect(alone.json<SummaryJson>()).toMatchObject({
      lines: 1,
      rejected: 1,
      rejectedByReason: { 'line-too-long': 1 },
    });
    const [reported] = jsonLines<ReportedJson>(alone.stderr);
    expect(reported).toEqual({
      line: 1,
      raw: '7'.repeat(200),
      reason: 'line-too-long',
      message: 'the line is longer than 64 KiB: is this the right file?',
    });

    const file = writeInput(dir, 'b.txt', `first@example.com\n${long}\nafter@example.com;kept\n`);
    const rejects = join(dir, 'r.csv');
    const result = await cli(['exceptions', 'import', file, '-o', 'json', '--rejects', rejects]);
    expect(result.json<SummaryJson>()).toMatchObject({ lines: 3, added: 2, rejected: 1 });
    expect(csvRecords(readFileSync(rejects, 'utf8'))).toEqual([
      expect.objectContaining({ line: '2', reason: 'line-too-long' }),
    ]);
    expect(await listed(cli, ['--type', 'email'])).toEqual([
      { type: 'email', value: 'before@example.com', comment: '' },
      { type: 'email', value: 'first@example.com', comment: '' },
      { type: 'email', value: 'after@example.com', comment: 'kept' },
    ]);
  });

  it('rejects a line holding NUL bytes past the first 64 KB, and keeps the rest', async () => {
    const { cli } = await storeWithList();
    const head = Array.from({ length: 3000 }, (_, i) => `user${i}@example.com;filler comment`).join(
      '\n',
    );
    expect(head.length).toBeGreaterThan(64 * 1024);
    const content = `${head}\nnul\u0000inside@example.com\nok@example.com;nul\u0000in comment\nlast@example.com\n`;
    const result = await cli([
      'exceptions',
      'import',
      writeInput(tempDir(), 'n.txt', content),
      '-o',
      'json',
    ]);
    expect(result.exitCode).toBe(3);
    expect(result.json<SummaryJson>()).toMatchObject({
      lines: 3003,
      added: 3001,
      rejected: 2,
      rejectedByReason: { 'not-an-email': 1, 'bad-comment': 1 },
    });
    expect(jsonLines<ReportedJson>(result.stderr).map((r) => [r.line, r.reason])).toEqual([
      [3001, 'not-an-email'],
      [3002, 'bad-comment'],
    ]);
    expect(await listed(cli, ['--value', 'last@example.com'])).toHaveLength(1);
  });

  it('rejects invalid UTF-8 lines as invalid-utf8 and keeps the rest (lines and CSV)', async () => {
    const { cli } = await storeWithList();
    const bad = Buffer.from([
      0x78, 0x40, 0x65, 0x78, 0x2e, 0x63, 0x6f, 0x6d, 0x3b, 0xe9, 0x74, 0xe9,
    ]); // Latin-1 "été"
    const lines = Buffer.concat([
      Buffer.from('one@example.com\n'),
      bad,
      Buffer.from('\ntwo@example.com;été\n'),
    ]);
    const result = await cli([
      'exceptions',
      'import',
      writeInput(tempDir(), 'l.txt', lines),
      '-o',
      'json',
    ]);
    expect(result.json<SummaryJson>()).toMatchObject({
      lines: 3,
      added: 2,
      rejectedByReason: { 'invalid-utf8': 1 },
    });
    expect(jsonLines<ReportedJson>(result.stderr)).toEqual([
      {
        line: 2,
        raw: 'x@ex.com;\uFFFDt\uFFFD',
        reason: 'invalid-utf8',
        message: 'the line is not valid UTF-8: save the file as UTF-8',
      },
    ]);
    const csv = Buffer.concat([
      Buffer.from('value,comment\nthree@example.com,a\n'),
      bad.subarray(0, 8),
      Buffer.from(','),
      bad.subarray(9),
      Buffer.from('\nfour@example.com,b\n'),
    ]);
    const fromCsv = await cli([
      'exceptions',
      'import',
      writeInput(tempDir(), 'c.csv', csv),
      '-o',
      'json',
    ]);
    expect(fromCsv.json<SummaryJson>()).toMatchObject({
      lines: 3,
      added: 2,
      rejectedByReason: { 'invalid-utf8': 1 },
    });
    expect(jsonLines<ReportedJson>(fromCsv.stderr).map((r) => [r.line, r.reason])).toEqual([
      [3, 'invalid-utf8'],
    ]);
    expect(await listed(cli, ['--comment', 'été'])).toEqual([
      { type: 'email', value: 'two@example.com', comment: 'été' },
    ]);
  });

  it('stores naughty comments byte for byte, control characters included, and rejects only comments over 2,000 characters', async () => {
    const { cli } = await newStore({ now });
    const naughty = [
      "'; DROP TABLE exceptions; --",
      '" OR 1=1 --',
      '$(rm -rf /) `reboot` && echo pwned | sh',
      '%s%n%x%d %1$s',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the point
      '{{x}} {{7*7}} ${x} #{x} <%= x %>',
      '<script>alert(1)</script>',
      '=HYPERLINK("http://evil.example","click")',
      '+SUM(A1) -1 @cmd',
      '\ttab at the start and\tinside',
      '  leading and trailing spaces  ',
      ';;;',
      '"',
      'שלום עולם – مرحبا بالعالم',
      '😀👩‍👩‍👧🇬🇧 Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
      '\u202Eevil\u202C \u200B\u200D\uFEFF',
      'x'.repeat(2000),
      '\uFFFD replacement char',
      // Issue 7 §5: what people typed is kept, and shown escaped on a terminal.
      'bell\u0007',
      'vertical\u000btab',
      'escape \u001b[31m red',
      'del\u007f',
      'cr\rinside',
      'backspace\u0008 and C1 \u009b',
    ];
    const values = naughty.map((_, i) => `n${i}@example.com`);
    const content = naughty.map((c, i) => `${values[i]};${c}`).join('\n');
    const result = await cli(['exceptions', 'import', writeInput(tempDir(), 'n.txt', content)]);
    expect(result.stderr).toContain(`${naughty.length} added`);
    expect(result.exitCode).toBe(0);
    expect(await listed(cli)).toEqual(
      naughty.map((comment, i) => ({ type: 'email', value: values[i], comment })),
    );

    const bad = `bad0@example.com;${'y'.repeat(2001)}\n`;
    const rejected = await cli([
      'exceptions',
      'import',
      writeInput(tempDir(), 'b.txt', bad),
      '-o',
      'json',
    ]);
    expect(rejected.exitCode).toBe(3);
    const reported = jsonLines<ReportedJson>(rejected.stderr);
    expect(reported.map((r) => r.reason)).toEqual(['bad-comment']);
    expect(reported[0]?.message).toContain('at most 2,000');
    expect(await listed(cli, ['--value', 'bad'])).toEqual([]);
  });
});

describe('exceptions import --format csv', () => {
  it('reads a header naming value, comment and type in any order, ignoring other columns', async () => {
    const { cli } = await newStore({ now });
    const csv = [
      '\uFEFFNotes,Type, Value ,COMMENT',
      `"ignored, really",phone,${gb.international},"has, a comma"`,
      `x,,offers@spam.example,"says ""hi"""`,
      `y,email,'=cmd@example.com,'=SUM(A1)`,
      `z,phone,a@example.com,typed as a phone`,
      `w,fax,b@example.com,`,
      '',
      `v,,${de.e164},"multi`,
      `line comment"`,
    ].join('\r\n');
    const file = writeInput(tempDir(), 'list.csv', csv);
    const result = await cli(['exceptions', 'import', file, '-o', 'json']);
    expect(result.exitCode).toBe(3);
    expect(result.json<SummaryJson>()).toMatchObject({ lines: 6, added: 4, rejected: 2 });
    expect(jsonLines<ReportedJson>(result.stderr).map((r) => [r.line, r.reason])).toEqual([
      [5, 'not-a-number'],
      [6, 'bad-row'],
    ]);
    expect(await listed(cli)).toEqual([
      { type: 'phone', value: gb.e164, comment: 'has, a comma' },
      { type: 'email', value: 'offers@spam.example', comment: 'says "hi"' },
      { type: 'email', value: '=cmd@example.com', comment: '=SUM(A1)' },
      // A quoted line break is kept as the file has it (CRLF here).
      { type: 'phone', value: de.e164, comment: 'multi\r\nline comment' },
    ]);
  });

  it('is chosen by a .csv name, or by --format csv for any name', async () => {
    const { cli } = await newStore({ now });
    const dir = tempDir();
    const csv = 'value,comment\na@example.com,x\n';
    expect((await cli(['exceptions', 'import', writeInput(dir, 'LIST.CSV', csv)])).exitCode).toBe(
      0,
    );
    expect(
      (
        await cli(['exceptions', 'import', '-', '--format', 'csv'], {
          stdin: csv.replace('a@', 'b@'),
        })
      ).exitCode,
    ).toBe(0);
    // Read as lines, the header is just a rejected line.
    const asLines = await cli([
      'exceptions',
      'import',
      writeInput(dir, 'list.txt', csv.replace('a@', 'c@')),
      '-o',
      'json',
    ]);
    expect(asLines.json<SummaryJson>().rejected).toBe(2);
    expect((await listed(cli)).map((e) => e.value)).toEqual(['a@example.com', 'b@example.com']);
  });

  it('a CSV without a value column exits 7 naming the columns found, and writes nothing', async () => {
    const { cli } = await newStore({ now });
    const result = await cli([
      'exceptions',
      'import',
      writeInput(tempDir(), 'l.csv', 'email,comment\na@example.com,x\n'),
    ]);
    expect(result.exitCode).toBe(7);
    expect(result.stderr).toContain('no "value" column (found: "email", "comment")');
    const empty = await cli(['exceptions', 'import', writeInput(tempDir(), 'e.csv', '')]);
    expect(empty.exitCode).toBe(7);
    expect(empty.stderr).toContain('no header row');
    expect(await entries(cli)).toEqual([]);
    expect(await batches(cli)).toEqual([]);
  });

  it('reports wrong column counts as bad-row with the counts, keeping the good rows', async () => {
    const { cli } = await newStore({ now });
    const csv = 'value,comment\na@example.com,x,extra\nb@example.com\nc@example.com,ok\n';
    const result = await cli([
      'exceptions',
      'import',
      writeInput(tempDir(), 'l.csv', csv),
      '-o',
      'json',
    ]);
    expect(result.exitCode).toBe(3);
    expect(jsonLines<ReportedJson>(result.stderr)).toEqual([
      {
        line: 2,
        raw: 'a@example.com,x,extra',
        reason: 'bad-row',
        message: 'the row has 3 cells, the header has 2',
      },
      {
        line: 3,
        raw: 'b@example.com',
        reason: 'bad-row',
        message: 'the row has 1 cells, the header has 2',
      },
    ]);
    expect(await listed(cli)).toEqual([{ type: 'email', value: 'c@example.com', comment: 'ok' }]);
  });

  it('reports an unclosed quote as bad-row at its line and reads the rows after it as rows', async () => {
    const { cli } = await newStore({ now });
    const csv =
      'value,comment\na@example.com,fine\nb@example.com,"never closed\nc@example.com,not swallowed\n';
    const result = await cli([
      'exceptions',
      'import',
      writeInput(tempDir(), 'l.csv', csv),
      '-o',
      'json',
    ]);
    expect(result.exitCode).toBe(3);
    expect(jsonLines<ReportedJson>(result.stderr)).toEqual([
      {
        line: 3,
        raw: 'b@example.com,"never closed',
        reason: 'bad-row',
        message:
          'a quoted cell opened on this line is not closed by the end of the input: is a closing quote missing?',
      },
    ]);
    expect(await listed(cli)).toEqual([
      { type: 'email', value: 'a@example.com', comment: 'fine' },
      { type: 'email', value: 'c@example.com', comment: 'not swallowed' },
    ]);
  });

  it('rejects a row over 64 KiB as line-too-long, once, and keeps every row after it', async () => {
    const { cli } = await newStore({ now });
    const after = Array.from({ length: 2000 }, (_, i) => `after${i}@example.com,c${i}`);
    for (const size of [70 * 1024, 10 * 1024 * 1024]) {
      const csv = `value,comment\nfirst@example.com,a\n${'5'.repeat(size)},x\n${after.join('\n')}\n`;
      const file = writeInput(tempDir(), 'big.csv', csv);
      const result = await cli(['exceptions', 'import', file, '--dry-run', '-o', 'json']);
      expect(result.json<SummaryJson>()).toMatchObject({
        lines: 2002,
        added: 2001,
        rejected: 1,
        rejectedByReason: { 'line-too-long': 1 },
      });
      expect(jsonLines<ReportedJson>(result.stderr).map((r) => [r.line, r.reason])).toEqual([
        [3, 'line-too-long'],
      ]);
    }
  });
});

describe('exceptions import --format csv: hostile files', () => {
  it('gives up a quoted cell still open after 64 KiB: its line is bad-row, every row after it is read', async () => {
    const { cli } = await newStore({ now });
    const rows = Array.from({ length: 5000 }, (_, i) => `r${i}@example.com,c${i}`);
    const csv = `value,comment\nfirst@example.com,ok\nsecond@example.com,"oops\n${rows.join('\n')}\n`;
    const result = await cli([
      'exceptions',
      'import',
      writeInput(tempDir(), 'q.csv', csv),
      '-o',
      'json',
    ]);
    expect(result.exitCode).toBe(3);
    expect(result.json<SummaryJson>()).toMatchObject({ lines: 5002, added: 5001, rejected: 1 });
    expect(jsonLines<ReportedJson>(result.stderr)).toEqual([
      expect.objectContaining({
        line: 3,
        reason: 'bad-row',
        message:
          'a quoted cell opened on this line is still open after 64 KiB: is a closing quote missing?',
      }),
    ]);
    expect(await listed(cli, ['--value', 'r4999@example.com'])).toHaveLength(1);
  });

  it('keeps a comment holding U+FFFD (valid UTF-8) and rejects only undecodable rows', async () => {
    const { cli } = await newStore({ now });
    const csv = Buffer.concat([
      Buffer.from('value,comment\r\nok@example.com,"bad \uFFFD char, but valid"\r\n'),
      Buffer.from([0x62, 0x40, 0x65, 0x2e, 0x63, 0x6f, 0x2c, 0xc3, 0x28, 0x0d, 0x0a]),
      Buffer.from('c@example.com,after\r\n'),
    ]);
    const result = await cli([
      'exceptions',
      'import',
      writeInput(tempDir(), 'u.csv', csv),
      '-o',
      'json',
    ]);
    expect(result.json<SummaryJson>()).toMatchObject({ lines: 3, added: 2, rejected: 1 });
    expect(jsonLines<ReportedJson>(result.stderr)).toEqual([
      expect.objectContaining({ line: 3, reason: 'invalid-utf8' }),
    ]);
    expect(await listed(cli)).toEqual([
      { type: 'email', value: 'ok@example.com', comment: 'bad \uFFFD char, but valid' },
      { type: 'email', value: 'c@example.com', comment: 'after' },
    ]);
  });

  it('numbers rows right after a quoted line break in a CRLF file', async () => {
    const { cli } = await newStore({ now });
    const csv = 'value,comment\r\na@example.com,"two\r\nlines"\r\nnope,x\r\n';
    const result = await cli([
      'exceptions',
      'import',
      writeInput(tempDir(), 'l.csv', csv),
      '-o',
      'json',
    ]);
    expect(jsonLines<ReportedJson>(result.stderr).map((r) => [r.line, r.reason])).toEqual([
      [4, 'not-a-number'],
    ]);
    expect(await listed(cli)).toEqual([
      { type: 'email', value: 'a@example.com', comment: 'two\r\nlines' },
    ]);
  });
});
