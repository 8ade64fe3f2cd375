import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Prompter } from '../../src/cli/prompter.js';
import { newStore, tempDir } from '../helpers.js';
import {
  type Cli,
  csvRecords,
  type EntryJson,
  entries,
  examplePhone,
  listed,
  ok,
  writeInput,
} from './support.js';

// DESIGN §3 and §7: add, remove, list, export and check of the exceptions list, who may do
// what, and the history each change leaves.

const admin = userInfo().username;
const t0 = '2026-05-01T09:00:00.000Z';
const gb = examplePhone('GB');
const de = examplePhone('DE');
const fr = examplePhone('FR');

/** A prompter that answers every confirmation with `answer` and remembers the questions. */
function answering(answer: boolean): Prompter & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async confirm(message) {
      asked.push(message);
      return answer;
    },
    async input() {
      throw new Error('not expected');
    },
    async select() {
      throw new Error('not expected');
    },
  };
}

describe('exceptions add', () => {
  it('adds VALUE;comment entries, prints the stored values, and notes the counts', async () => {
    const { cli } = await newStore({ now: t0 });
    const result = await cli([
      'exceptions',
      'add',
      `${gb.international};printing supplier; calls daily`,
      '  Offers@SPAM.example ',
      `${de.e164};`,
    ]);
    expect(result).toMatchObject({
      exitCode: 0,
      stdout: `${gb.e164}\nOffers@spam.example\n${de.e164}\n`,
      stderr: 'Added 3, 0 already listed, 0 rejected\n',
    });
    expect(await entries(cli)).toEqual([
      {
        id: expect.any(Number),
        type: 'phone',
        value: gb.e164,
        raw: gb.international,
        comment: 'printing supplier; calls daily',
        source: 'manual',
        createdAt: t0,
        createdBy: admin,
        batchId: expect.any(Number),
      },
      expect.objectContaining({
        value: 'Offers@spam.example',
        raw: 'Offers@SPAM.example',
        comment: '',
      }),
      expect.objectContaining({ value: de.e164, comment: '' }),
    ]);
  });

  it('takes --comment for values without one and --country for national numbers', async () => {
    const { cli } = await newStore({ now: t0 });
    const result = await cli([
      'exceptions',
      'add',
      gb.national,
      'a@example.com;own comment',
      '--country',
      'GB',
      '--comment',
      'cold caller',
    ]);
    expect(result.exitCode).toBe(0);
    expect(await listed(cli)).toEqual([
      { type: 'phone', value: gb.e164, comment: 'cold caller' },
      { type: 'email', value: 'a@example.com', comment: 'own comment' },
    ]);
  });

  it('rejects invalid values with their reason (exit 3) and still adds the valid ones', async () => {
    const { cli } = await newStore({ now: t0 });
    const result = await cli([
      'exceptions',
      'add',
      'junk',
      gb.national,
      'ok@example.com',
      'bob@;no domain',
      'c@example.com;bell\u0007',
      'd@example.com;nul\u0000',
    ]);
    expect(result.exitCode).toBe(3);
    // A control character is no reason to lose a value (issue 7 §5): only NUL is refused.
    expect(result.stdout).toBe('ok@example.com\nc@example.com\n');
    const errors = result.stderr.split('\n');
    expect(errors).toContain(
      'junk: not-a-number: "junk" is neither an email address nor a phone number',
    );
    expect(errors.some((l) => l.startsWith(`${gb.national}: needs-country: `))).toBe(true);
    expect(errors.some((l) => l.startsWith('bob@;no domain: not-an-email: '))).toBe(true);
    expect(errors).toContain(
      'd@example.com;nul\\x00: bad-comment: the comment holds a NUL character: remove it',
    );
    expect(result.stderr).toContain('Added 2, 0 already listed, 4 rejected');
    expect(await listed(cli)).toEqual([
      { type: 'email', value: 'ok@example.com', comment: '' },
      { type: 'email', value: 'c@example.com', comment: 'bell\u0007' },
    ]);
  });

  it('skips values already listed, in any spelling, without changing them', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['exceptions', 'add', `${gb.e164};first`]);
    const result = await cli(
      [
        'exceptions',
        'add',
        `${gb.international.replaceAll(' ', '-')};second`,
        'n@example.com',
        'N@EXAMPLE.COM',
      ],
      { now: '2026-05-02T09:00:00Z' },
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('n@example.com\n');
    expect(result.stderr).toBe(
      `${gb.e164} is already listed\nn@example.com is already listed\nAdded 1, 2 already listed, 0 rejected\n`,
    );
    expect(await listed(cli)).toEqual([
      { type: 'phone', value: gb.e164, comment: 'first' },
      { type: 'email', value: 'n@example.com', comment: '' },
    ]);
  });

  it('prints the operation, the added entries, duplicates and rejects under -o json', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['exceptions', 'add', 'dup@example.com']);
    const result = await cli([
      'exceptions',
      'add',
      'new@example.com;hi',
      'dup@example.com',
      'nope',
      '--json',
    ]);
    expect(result.exitCode).toBe(3);
    expect(result.json()).toEqual({
      operationId: expect.any(Number),
      added: [
        {
          id: expect.any(Number),
          type: 'email',
          value: 'new@example.com',
          raw: 'new@example.com',
          comment: 'hi',
          source: 'manual',
          createdAt: t0,
          createdBy: admin,
          batchId: result.json<{ operationId: number }>().operationId,
        },
      ],
      duplicates: 1,
      rejected: [
        {
          raw: 'nope',
          reason: 'not-a-number',
          message: '"nope" is neither an email address nor a phone number',
        },
      ],
    });
  });
});

describe('exceptions remove', () => {
  async function storeWithList() {
    const store = await newStore({ now: t0 });
    await store.cli(['exceptions', 'add', `${gb.e164};supplier`, `${de.e164};cold caller`]);
    await store.cli(['exceptions', 'import', '-'], {
      stdin: `a@example.com;newsletter\nb@example.com;supplier too\n${fr.international}\n`,
      now: '2026-05-03T09:00:00Z',
    });
    return store;
  }

  it('removes values given in any spelling and prints what it removed', async () => {
    const { cli } = await storeWithList();
    const result = await cli([
      'exceptions',
      'remove',
      gb.international.replace(' ', ' (0)'),
      'A@Example.COM',
    ]);
    expect(result).toMatchObject({
      exitCode: 0,
      stdout: `${gb.e164}\na@example.com\n`,
      stderr: 'Removed 2; 0 not listed; 0 rejected\n',
    });
    expect((await listed(cli)).map((e) => e.value)).toEqual([de.e164, 'b@example.com', fr.e164]);
  });

  it('national numbers with --country; unlisted values exit 3 (some removed) or 4 (none)', async () => {
    const { cli } = await storeWithList();
    const some = await cli([
      'exceptions',
      'remove',
      de.national,
      'nobody@example.com',
      '--country',
      'DE',
    ]);
    expect(some.exitCode).toBe(3);
    expect(some.stdout).toBe(`${de.e164}\n`);
    expect(some.stderr).toContain('nobody@example.com: not listed');
    const none = await cli(['exceptions', 'remove', 'nobody@example.com']);
    expect(none.exitCode).toBe(4);
    const invalid = await cli(['exceptions', 'remove', 'junk', 'b@example.com']);
    expect(invalid.exitCode).toBe(3);
    expect(invalid.stderr).toContain('junk: not-a-number');
    expect((await listed(cli)).map((e) => e.value)).toEqual([gb.e164, 'a@example.com', fr.e164]);
  });

  it('removes the values of --file (or - for stdin), skipping blank and # lines', async () => {
    const { cli } = await storeWithList();
    const file = writeInput(
      tempDir(),
      'mistakes.txt',
      `# undo these\n\n${gb.international};comment ignored\r\na@example.com\n`,
    );
    const result = await cli(['exceptions', 'remove', '--file', file]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${gb.e164}\na@example.com\n`);
    const stdin = await cli(['exceptions', 'remove', '--file', '-'], { stdin: 'b@example.com\n' });
    expect(stdin.stdout).toBe('b@example.com\n');
    expect((await listed(cli)).map((e) => e.value)).toEqual([de.e164, fr.e164]);
    const missing = await cli(['exceptions', 'remove', '--file', join(tempDir(), 'none.txt')]);
    expect(missing.exitCode).toBe(4);
  });

  it('refuses to remove by filter without --yes when nobody can be asked (exit 2), naming the count', async () => {
    const { cli } = await storeWithList();
    const before = await entries(cli);
    const result = await cli(['exceptions', 'remove', '--comment', 'supplier']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('this removes 2 entries: add --yes');
    // A terminal with --no-input is nobody to ask, too.
    const prompter = answering(true);
    const noInput = await cli(['--no-input', 'exceptions', 'remove', '--comment', 'supplier'], {
      tty: true,
      prompter,
    });
    expect(noInput.exitCode).toBe(2);
    expect(prompter.asked).toEqual([]);
    expect(await entries(cli)).toEqual(before);
  });

  it('asks on a terminal: yes removes the matching entries, no exits 5 and removes nothing', async () => {
    const { cli } = await storeWithList();
    const before = await entries(cli);
    const no = answering(false);
    const declined = await cli(['exceptions', 'remove', '--comment', 'supplier'], {
      tty: true,
      prompter: no,
    });
    expect(declined.exitCode).toBe(5);
    expect(no.asked).toEqual(['Remove 2 entries from the exceptions list?']);
    expect(declined.stderr).toContain('nothing removed');
    expect(await entries(cli)).toEqual(before);

    const yes = answering(true);
    const confirmed = await cli(['exceptions', 'remove', '--comment', 'supplier'], {
      tty: true,
      prompter: yes,
    });
    expect(confirmed.exitCode).toBe(0);
    expect(yes.asked).toHaveLength(1);
    expect(confirmed.stdout).toBe('2\n');
    expect((await listed(cli)).map((e) => e.value)).toEqual([de.e164, 'a@example.com', fr.e164]);
  });

  it('removes by filter with --yes; --dry-run counts without removing or asking', async () => {
    const { cli } = await storeWithList();
    const before = await entries(cli);
    const dry = await cli(['exceptions', 'remove', '--source', 'import', '--dry-run', '--json']);
    expect(dry.exitCode).toBe(0);
    // A dry run keeps nothing, so it names no operation (DESIGN §8a).
    expect(dry.json()).toEqual({ operationId: null, dryRun: true, removed: 3 });
    const dryValues = await cli(['exceptions', 'remove', gb.e164, '--dry-run', '--json']);
    expect(dryValues.json()).toMatchObject({
      dryRun: true,
      removed: [expect.objectContaining({ value: gb.e164 })],
    });
    expect(await entries(cli)).toEqual(before);

    const removed = await cli([
      'exceptions',
      'remove',
      '--source',
      'import',
      '--type',
      'email',
      '--yes',
    ]);
    expect(removed).toMatchObject({ exitCode: 0, stdout: '2\n', stderr: 'Removed 2 entries\n' });
    expect((await listed(cli)).map((e) => e.value)).toEqual([gb.e164, de.e164, fr.e164]);
    const all = await cli(['exceptions', 'remove', '--all', '--yes']);
    expect(all.stdout).toBe('3\n');
    expect(await entries(cli)).toEqual([]);
  });

  it('is a usage error to give nothing, or values and filters together', async () => {
    const { cli } = await storeWithList();
    const before = await entries(cli);
    const nothing = await cli(['exceptions', 'remove']);
    expect(nothing.exitCode).toBe(2);
    expect(nothing.stderr).toContain('say what to remove');
    const both = await cli(['exceptions', 'remove', gb.e164, '--type', 'phone', '--yes']);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('give values or filters, not both');
    expect(await entries(cli)).toEqual(before);
  });
});

describe('exceptions list', () => {
  /** Four entries at different times, by different users, from add and import. */
  async function storeWithHistory() {
    const store = await newStore({ now: t0 });
    const { cli } = store;
    await cli(['user', 'add', 'sue', '--role', 'supervisor']);
    await cli(['exceptions', 'add', `${gb.e164};Printing supplier`], {
      now: '2026-05-01T10:00:00Z',
    });
    await cli(['exceptions', 'add', 'offers@spam.example;newsletter'], {
      now: '2026-05-02T10:00:00Z',
      as: 'sue',
    });
    const batch = await cli(['exceptions', 'import', '-'], {
      stdin: `${de.international};supplier of paper\nsales@spam.example\n`,
      now: '2026-05-03T10:00:00Z',
      as: 'sue',
    });
    return { ...store, batch: Number(batch.stdout) };
  }

  const values = (list: EntryJson[]) => list.map((e) => e.value);

  it('lists everything in the order added, with the §8a fields', async () => {
    const { cli } = await storeWithHistory();
    const all = await entries(cli);
    expect(values(all)).toEqual([gb.e164, 'offers@spam.example', de.e164, 'sales@spam.example']);
    expect(Object.keys(all[0] ?? {})).toEqual([
      'id',
      'type',
      'value',
      'raw',
      'comment',
      'source',
      'createdAt',
      'createdBy',
      'batchId',
    ]);
  });

  it('filters by --type, --comment (case-insensitive), --source, --added-by and --batch', async () => {
    const { cli, batch } = await storeWithHistory();
    expect(values(await entries(cli, ['--type', 'email']))).toEqual([
      'offers@spam.example',
      'sales@spam.example',
    ]);
    expect(values(await entries(cli, ['--comment', 'SUPPLIER']))).toEqual([gb.e164, de.e164]);
    expect(values(await entries(cli, ['--source', 'import']))).toEqual([
      de.e164,
      'sales@spam.example',
    ]);
    expect(values(await entries(cli, ['--added-by', 'sue']))).toEqual([
      'offers@spam.example',
      de.e164,
      'sales@spam.example',
    ]);
    expect(values(await entries(cli, ['--batch', String(batch)]))).toEqual([
      de.e164,
      'sales@spam.example',
    ]);
    expect(values(await entries(cli, ['--type', 'phone', '--added-by', 'sue']))).toEqual([de.e164]);
    expect(await entries(cli, ['--comment', 'no such text'])).toEqual([]);
    expect((await cli(['exceptions', 'list', '--type', 'fax'])).exitCode).toBe(2);
    expect((await cli(['exceptions', 'list', '--source', 'nowhere'])).exitCode).toBe(2);
  });

  it('filters by --value: a substring of the stored value, or the same number in any spelling', async () => {
    const { cli } = await storeWithHistory();
    expect(values(await entries(cli, ['--value', 'spam']))).toEqual([
      'offers@spam.example',
      'sales@spam.example',
    ]);
    expect(values(await entries(cli, ['--value', gb.e164.slice(3, 8)]))).toEqual([gb.e164]);
    expect(values(await entries(cli, ['--value', gb.international.replaceAll(' ', '.')]))).toEqual([
      gb.e164,
    ]);
    expect(values(await entries(cli, ['--value', de.national, '--country', 'DE']))).toEqual([
      de.e164,
    ]);
    expect(values(await entries(cli, ['--value', 'OFFERS@SPAM.EXAMPLE']))).toEqual([
      'offers@spam.example',
    ]);
    expect(await entries(cli, ['--value', '%'])).toEqual([]);
    expect(await entries(cli, ['--value', '_'])).toEqual([]);
  });

  it('filters by --since and --until (ISO times or durations back from now)', async () => {
    const { cli } = await storeWithHistory();
    expect(values(await entries(cli, ['--since', '2026-05-02T10:00:00Z']))).toEqual([
      'offers@spam.example',
      de.e164,
      'sales@spam.example',
    ]);
    expect(values(await entries(cli, ['--until', '2026-05-02T10:00:00Z']))).toEqual([gb.e164]);
    expect(
      values(
        await entries(cli, ['--since', '2026-05-01T12:00:00Z', '--until', '2026-05-03T00:00:00Z']),
      ),
    ).toEqual(['offers@spam.example']);
    const recent = await cli(['exceptions', 'list', '--since', '36h', '--json'], {
      now: '2026-05-03T12:00:00Z',
    });
    expect(values(recent.json<EntryJson[]>())).toEqual([
      'offers@spam.example',
      de.e164,
      'sales@spam.example',
    ]);
    expect((await cli(['exceptions', 'list', '--since', 'yesterday'])).exitCode).toBe(2);
  });

  it('pages with --limit and --offset', async () => {
    const { cli } = await storeWithHistory();
    expect(values(await entries(cli, ['--limit', '2']))).toEqual([gb.e164, 'offers@spam.example']);
    expect(values(await entries(cli, ['--limit', '2', '--offset', '2']))).toEqual([
      de.e164,
      'sales@spam.example',
    ]);
    expect(values(await entries(cli, ['--offset', '3']))).toEqual(['sales@spam.example']);
    expect(await entries(cli, ['--limit', '0'])).toEqual([]);
    expect((await cli(['exceptions', 'list', '--limit', '-1'])).exitCode).toBe(2);
  });

  it('prints plain tab-separated rows when piped, and an empty list is not an error', async () => {
    const { cli } = await newStore({ now: t0 });
    expect(await cli(['exceptions', 'list'])).toMatchObject({ exitCode: 0, stdout: '' });
    await cli(['exceptions', 'add', 'a@example.com;tab\there']);
    const piped = await cli(['exceptions', 'list', '--fields', 'value,comment', '-o', 'tsv']);
    expect(piped.stdout).toBe('value\tcomment\na@example.com\ttab\\there\n');
  });
});

describe('exceptions export', () => {
  async function storeWithList() {
    const store = await newStore({ now: t0 });
    await store.cli([
      'exceptions',
      'add',
      `${gb.e164};supplier; "the big one"`,
      '=cmd@example.com;=HYPERLINK("x")',
      'plain@example.com',
      `${de.e164};\ttabbed, with comma`,
    ]);
    return store;
  }

  it('writes value;comment lines to stdout, the value alone when there is no comment', async () => {
    const { cli } = await storeWithList();
    const result = await cli(['exceptions', 'export']);
    expect(result).toMatchObject({ exitCode: 0, stderr: 'Exported 4 entries\n' });
    expect(result.stdout).toBe(
      [
        `${gb.e164};supplier; "the big one"`,
        '=cmd@example.com;=HYPERLINK("x")',
        'plain@example.com',
        `${de.e164};\ttabbed, with comma`,
        '',
      ].join('\n'),
    );
  });

  it('writes CSV with a header, quoting, and a formula guard the importer undoes', async () => {
    const { cli } = await storeWithList();
    const result = await cli(['exceptions', 'export', '--format', 'csv', '--type', 'email']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      'value,comment,type\r\n\'=cmd@example.com,"\'=HYPERLINK(""x"")",email\r\nplain@example.com,,email\r\n',
    );
    expect(csvRecords(result.stdout)).toEqual([
      { value: "'=cmd@example.com", comment: '\'=HYPERLINK("x")', type: 'email' },
      { value: 'plain@example.com', comment: '', type: 'email' },
    ]);
  });

  it('writes FILE (CSV for *.csv), refuses an existing FILE without --force (exit 5), replaces it with', async () => {
    const { cli } = await storeWithList();
    const dir = tempDir();
    const file = join(dir, 'backup.csv');
    const result = await cli(['exceptions', 'export', file]);
    expect(result).toMatchObject({
      exitCode: 0,
      stdout: '',
      stderr: `Exported 4 entries to ${file}\n`,
    });
    expect(readFileSync(file, 'utf8').startsWith('value,comment,type\r\n')).toBe(true);

    writeFileSync(file, 'precious');
    const refused = await cli(['exceptions', 'export', file]);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(file, 'utf8')).toBe('precious');
    expect(
      (await cli(['exceptions', 'export', file, '--force', '--format', 'lines'])).exitCode,
    ).toBe(0);
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(5);
    expect(readdirSync(dir)).toEqual(['backup.csv']);
  });

  it('refuses to write a value starting with # as a line (exit 7), leaving no file behind', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['exceptions', 'add', 'a@example.com', '#hash@example.com']);
    const dir = tempDir();
    const file = join(dir, 'out.txt');
    const result = await cli(['exceptions', 'export', file]);
    expect(result.exitCode).toBe(7);
    expect(result.stderr).toContain(
      '#hash@example.com starts with # and would read back as a comment',
    );
    expect(result.stderr).toContain('--format csv');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    // As CSV it is fine, and reads back as itself.
    const csv = await cli(['exceptions', 'export', '--format', 'csv']);
    expect(csv.exitCode).toBe(0);
    const other = await newStore({ now: t0 });
    expect(
      (await other.cli(['exceptions', 'import', '-', '--format', 'csv'], { stdin: csv.stdout }))
        .exitCode,
    ).toBe(0);
    expect(await listed(other.cli)).toEqual(await listed(cli));
  });
});

describe('exceptions check', () => {
  async function storeWithList() {
    const store = await newStore({ now: t0 });
    await store.cli(['exceptions', 'add', `${gb.e164};supplier`, 'Offers@Spam.example;news']);
    return store;
  }

  it('exits 0 when listed and prints the entry and what it blocks, for any spelling', async () => {
    const { cli } = await storeWithList();
    const digits = gb.e164.slice(1);
    for (const spelling of [
      gb.e164,
      gb.international,
      `+${digits.replace(/(\d\d)(\d\d\d\d)/, '$1 ($2) ')}`,
      `  +${digits.split('').join(' ')}  `,
      `+${digits.slice(0, 2)}-${digits.slice(2, 6)}-${digits.slice(6)}`,
      `00${digits}`,
    ]) {
      const result = await cli(['exceptions', 'check', spelling, '--country', 'GB']);
      expect(result.exitCode, spelling).toBe(0);
      expect(result.stdout).toContain(`value\t${gb.e164}\n`);
      expect(result.stdout).toContain('comment\tsupplier\n');
      expect(result.stdout).toContain(
        'blocks\tnew leads and deals from inbound calls from this number',
      );
    }
    const national = await cli(['exceptions', 'check', gb.national, '--country', 'GB']);
    expect(national.exitCode).toBe(0);
    const email = await cli(['exceptions', 'check', 'OFFERS@spam.EXAMPLE']);
    expect(email.exitCode).toBe(0);
    expect(email.stdout).toContain(
      'blocks\tnew leads and deals from inbound emails from this address',
    );
  });

  it('exits 1 when not listed, 2 for a value that is neither a phone nor an email', async () => {
    const { cli } = await storeWithList();
    expect(await cli(['exceptions', 'check', de.international])).toMatchObject({
      exitCode: 1,
      stdout: `${de.e164} is not listed\n`,
    });
    expect((await cli(['exceptions', 'check', 'other@spam.example'])).exitCode).toBe(1);
    const invalid = await cli(['exceptions', 'check', 'call me maybe']);
    expect(invalid).toMatchObject({ exitCode: 2, stdout: '' });
    expect(invalid.stderr).toContain('not-a-number');
    const national = await cli(['exceptions', 'check', gb.national]);
    expect(national.exitCode).toBe(2);
    expect(national.stderr).toContain('needs-country');
    await cli(['settings', 'set', 'default-country', 'GB']);
    expect((await cli(['exceptions', 'check', gb.national])).exitCode).toBe(0);
  });

  it('prints nothing with -q but keeps the exit code; -o json has listed, value, type, entry, blocks', async () => {
    const { cli } = await storeWithList();
    expect(await cli(['exceptions', 'check', gb.e164, '-q'])).toMatchObject({
      exitCode: 0,
      stdout: '',
      stderr: '',
    });
    expect(await cli(['exceptions', 'check', de.e164, '-q'])).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: '',
    });
    const listedJson = await cli(['exceptions', 'check', gb.international, '--json']);
    expect(listedJson.exitCode).toBe(0);
    expect(listedJson.json()).toEqual({
      listed: true,
      value: gb.e164,
      type: 'phone',
      entry: expect.objectContaining({ value: gb.e164, comment: 'supplier', source: 'manual' }),
      blocks: expect.stringContaining('inbound calls'),
    });
    const notListed = await cli(['exceptions', 'check', 'x@example.com', '--json']);
    expect(notListed.exitCode).toBe(1);
    expect(notListed.json()).toEqual({
      listed: false,
      value: 'x@example.com',
      type: 'email',
      entry: null,
      blocks: null,
    });
  });
});

describe('exceptions permissions (exceptions.view, exceptions.edit)', () => {
  async function storeWithPeople() {
    const store = await newStore({ now: t0 });
    const { cli } = store;
    for (const argv of [
      ['user', 'add', 'emma', '--role', 'employee'],
      ['user', 'add', 'sue', '--role', 'supervisor'],
      ['role', 'add', 'sales', '--permissions', 'items.view,items.edit'],
      ['user', 'add', 'sam', '--role', 'sales'],
      ['exceptions', 'add', `${gb.e164};listed`],
    ]) {
      const result = await cli(argv);
      if (result.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
    }
    return store;
  }

  it('an employee may list, check and export, but not add, remove, import or undo (exit 6 naming exceptions.edit)', async () => {
    const { cli } = await storeWithPeople();
    const before = await entries(cli);
    expect(await listed(cli, ['--as', 'emma'])).toHaveLength(1);
    expect((await cli(['exceptions', 'check', gb.e164], { as: 'emma' })).exitCode).toBe(0);
    expect((await cli(['exceptions', 'export'], { as: 'emma' })).exitCode).toBe(0);
    expect((await cli(['exceptions', 'batches'], { as: 'emma' })).exitCode).toBe(0);
    for (const argv of [
      ['exceptions', 'add', 'x@example.com'],
      ['exceptions', 'remove', gb.e164],
      ['exceptions', 'remove', '--all', '--yes'],
      ['exceptions', 'import', '-'],
      ['exceptions', 'undo-import', '1'],
    ]) {
      const result = await cli(argv, { as: 'emma', stdin: 'y@example.com\n' });
      expect(result.exitCode, argv.join(' ')).toBe(6);
      expect(result.stderr).toBe(
        'error: permission denied: "emma" lacks exceptions.edit (add to, import into and remove from the exceptions list)\n',
      );
    }
    expect(await entries(cli)).toEqual(before);
  });

  it('a role without exceptions.view cannot even list or check (exit 6 naming it); a supervisor can edit', async () => {
    const { cli } = await storeWithPeople();
    for (const argv of [
      ['exceptions', 'list'],
      ['exceptions', 'check', gb.e164],
      ['exceptions', 'export'],
    ]) {
      const result = await cli(argv, { as: 'sam' });
      expect(result.exitCode, argv.join(' ')).toBe(6);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('exceptions.view');
    }
    const json = await cli(['exceptions', 'list', '--json'], { as: 'sam' });
    expect(JSON.parse(json.stderr)).toEqual({
      error: {
        code: 'permission-denied',
        message: expect.stringContaining('exceptions.view'),
        exitCode: 6,
      },
    });
    const unknown = await cli(['exceptions', 'list'], { as: 'nobody' });
    expect(unknown.exitCode).toBe(6);
    expect((await cli(['exceptions', 'add', 'sue@example.com'], { as: 'sue' })).exitCode).toBe(0);
    expect(await entries(cli, ['--added-by', 'sue'])).toHaveLength(1);
  });
});

describe('exceptions history', () => {
  interface HistoryJson {
    actor: string;
    command: string | null;
    action: string;
    entity: { type: string; id: number };
    changes: Record<string, unknown>;
  }

  async function exceptionsHistory(cli: Cli) {
    const all = ok<HistoryJson[]>(await cli(['history', '--json']));
    return all.filter((h) => h.entity.type === 'exceptions');
  }

  it('records each add, import, remove and undo once, with its actor, command, counts and values', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['user', 'add', 'sue', '--role', 'supervisor']);
    const add = await cli(
      ['exceptions', 'add', 'a@example.com', 'a@example.com', 'junk', '--json'],
      {
        as: 'sue',
      },
    );
    expect(add.exitCode).toBe(3);
    const added = add.json<{ operationId: number }>();
    const batch = Number(
      (await cli(['exceptions', 'import', '-'], { stdin: `${gb.e164}\nb@example.com\nnope\n` }))
        .stdout,
    );
    const removed = ok<{ operationId: number }>(
      await cli(['exceptions', 'remove', 'a@example.com', '--json'], { as: 'sue' }),
    );
    const filterRemoved = ok<{ operationId: number }>(
      await cli(['exceptions', 'remove', '--type', 'email', '--yes', '--json']),
    );
    await cli(['exceptions', 'undo-import', String(batch)], { as: 'sue' });
    // Refused and dry-run commands leave no trace.
    await cli(['exceptions', 'add', 'c@example.com'], { as: 'nobody' });
    await cli(['exceptions', 'remove', '--all', '--dry-run']);

    expect(await exceptionsHistory(cli)).toEqual([
      {
        id: expect.any(Number),
        at: t0,
        actor: 'sue',
        cause: { kind: 'user', id: null },
        command: 'exceptions add',
        action: 'added',
        entity: { type: 'exceptions', id: added.operationId },
        changes: { added: 1, duplicates: 1, rejected: 1, values: ['a@example.com'] },
      },
      expect.objectContaining({
        actor: admin,
        command: 'exceptions import',
        action: 'imported',
        entity: { type: 'exceptions', id: batch },
        changes: expect.objectContaining({
          lines: 3,
          added: 2,
          rejected: 1,
          values: [gb.e164, 'b@example.com'],
        }),
      }),
      expect.objectContaining({
        actor: 'sue',
        command: 'exceptions remove',
        action: 'removed',
        entity: { type: 'exceptions', id: removed.operationId },
        changes: { removed: 1, values: ['a@example.com'] },
      }),
      expect.objectContaining({
        actor: admin,
        command: 'exceptions remove',
        action: 'removed',
        entity: { type: 'exceptions', id: filterRemoved.operationId },
        changes: expect.objectContaining({ removed: 1, values: ['b@example.com'] }),
      }),
      expect.objectContaining({
        actor: 'sue',
        command: 'exceptions undo-import',
        action: 'import-undone',
        entity: { type: 'exceptions', id: batch },
        changes: {
          batchId: batch,
          removed: 1,
          commentsRestored: 0,
          commentsKept: 0,
          values: [gb.e164],
        },
      }),
    ]);
  });

  it('keeps at most 100 values in an entry', async () => {
    const { cli } = await newStore({ now: t0 });
    const lines = Array.from({ length: 150 }, (_, i) => `u${i}@example.com`).join('\n');
    const batch = Number((await cli(['exceptions', 'import', '-'], { stdin: lines })).stdout);
    await cli(['exceptions', 'undo-import', String(batch)]);
    const [imported, undone] = await exceptionsHistory(cli);
    expect(imported?.changes.added).toBe(150);
    expect(imported?.changes.values).toHaveLength(100);
    expect((imported?.changes.values as string[] | undefined)?.[99]).toBe('u99@example.com');
    expect(undone?.changes.removed).toBe(150);
    expect(undone?.changes.values).toHaveLength(100);
  });
});

describe('exceptions export and import --rejects: unwritable paths', () => {
  it('export to a missing folder or onto a folder is a usage error (exit 2) naming FILE, leaving nothing behind', async () => {
    const { cli } = await newStore({ now: t0 });
    await cli(['exceptions', 'add', 'a@example.com']);
    const dir = tempDir();
    const missing = join(dir, 'no-such-folder', 'out.txt');
    const result = await cli(['exceptions', 'export', missing]);
    expect(result).toMatchObject({
      exitCode: 2,
      stdout: '',
      stderr: `error: export: cannot write ${missing}: its folder does not exist\n`,
    });
    const onFolder = await cli(['exceptions', 'export', dir, '--force']);
    expect(onFolder).toMatchObject({
      exitCode: 2,
      stderr: `error: export: cannot write ${dir}: it is a folder\n`,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an unwritable --rejects file is a usage error (exit 2) before anything is imported', async () => {
    const { cli } = await newStore({ now: t0 });
    const dir = tempDir();
    const input = writeInput(dir, 'in.txt', 'a@example.com\nnope\n');
    for (const rejects of [join(dir, 'missing', 'r.csv'), dir]) {
      const result = await cli(['exceptions', 'import', input, '--rejects', rejects]);
      expect(result.exitCode, rejects).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^error: --rejects: cannot write ${rejects}: `));
    }
    expect(await entries(cli)).toEqual([]);
  });
});
