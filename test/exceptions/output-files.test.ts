import {
  existsSync,
  linkSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newStore, tempDir } from '../helpers.js';
import { csvRecords, entries, type SummaryJson, writeInput } from './support.js';

// Issue 7 §1.1: `--rejects FILE` (and every file crmctl writes) behaves like `export`: an
// existing file is refused without --force, the store and the input always; the file is
// created only once the import runs, written whole or not at all.

const now = '2026-06-01T09:00:00.000Z';
const input = 'a@example.com\nnope\nb@example.com\n';

async function storeAndInput() {
  const store = await newStore({ now });
  const dir = tempDir();
  const file = writeInput(dir, 'in.txt', input);
  return { ...store, dir, file };
}

/** Files of `dir` other than the expected ones: temporary leftovers. */
function leftovers(dir: string, expected: string[]): string[] {
  return readdirSync(dir).filter((name) => !expected.includes(name));
}

describe('import --rejects FILE: never over what matters', () => {
  it('refuses the input itself, however it is named, even with --force: exit 5, the input intact', async () => {
    const { cli, dir, file } = await storeAndInput();
    symlinkSync(file, join(dir, 'link.txt'));
    linkSync(file, join(dir, 'hard.txt'));
    const spellings = [
      file,
      join(dir, '.', 'in.txt'),
      relative(process.cwd(), file),
      join(dir, 'link.txt'),
      join(dir, 'hard.txt'),
    ];
    for (const rejects of spellings) {
      for (const force of [[], ['--force']]) {
        const result = await cli(['exceptions', 'import', file, '--rejects', rejects, ...force]);
        expect(result.exitCode, `${rejects} ${force}`).toBe(5);
        expect(result.stderr).toContain('is the input being read');
      }
    }
    // Stdin redirected from the file is the same file: see the end-to-end test.
    expect(readFileSync(file, 'utf8')).toBe(input);
    expect(await entries(cli)).toEqual([]);
    expect(leftovers(dir, ['in.txt', 'link.txt', 'hard.txt'])).toEqual([]);
  });

  it('refuses the store and its -wal, -shm and -journal files, even with --force', async () => {
    const { cli, db, file } = await storeAndInput();
    const before = readFileSync(db);
    for (const target of [
      db,
      `${db}-wal`,
      `${db}-shm`,
      `${db}-journal`,
      join(db, '..', 'crm.db'),
    ]) {
      const result = await cli(['exceptions', 'import', file, '--rejects', target, '--force']);
      expect(result.exitCode, target).toBe(5);
      expect(result.stderr).toMatch(/is the store/);
    }
    expect(readFileSync(db)).toEqual(before);
    expect(existsSync(`${db}-journal`)).toBe(false);
    expect(await entries(cli)).toEqual([]);
  });

  it('refuses an existing file without --force (exit 5, the file untouched), replaces it with --force', async () => {
    const { cli, dir, file } = await storeAndInput();
    const rejects = writeInput(dir, 'r.csv', 'keep me');
    const refused = await cli(['exceptions', 'import', file, '--rejects', rejects]);
    expect(refused).toMatchObject({ exitCode: 5, stdout: '' });
    expect(refused.stderr).toBe(`error: ${rejects} exists: choose another file or add --force\n`);
    expect(readFileSync(rejects, 'utf8')).toBe('keep me');
    expect(await entries(cli)).toEqual([]);

    const forced = await cli(['exceptions', 'import', file, '--rejects', rejects, '--force']);
    expect(forced.exitCode).toBe(3);
    expect(csvRecords(readFileSync(rejects, 'utf8'))).toEqual([
      expect.objectContaining({ line: '2', reason: 'not-a-number' }),
    ]);
    expect(statSync(rejects).mode & 0o777).toBe(0o600);
    expect(leftovers(dir, ['in.txt', 'r.csv'])).toEqual([]);
  });

  it('is not created when the import is refused (--country ZZ, UTF-16, a bad CSV header, a bad --comment)', async () => {
    const { cli, dir, file } = await storeAndInput();
    const rejects = join(dir, 'r.csv');
    const utf16 = writeInput(
      dir,
      'u16.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(input, 'utf16le')]),
    );
    const badHeader = writeInput(dir, 'h.csv', 'value,value\na@example.com,b@example.com\n');
    for (const [argv, code] of [
      [[file, '--country', 'ZZ'], 2],
      [[utf16], 7],
      [[badHeader], 7],
      [[file, '--comment', 'x'.repeat(2001)], 2],
    ] as const) {
      const result = await cli(['exceptions', 'import', ...argv, '--rejects', rejects]);
      expect(result.exitCode, argv.join(' ')).toBe(code);
      expect(existsSync(rejects), argv.join(' ')).toBe(false);
      expect(leftovers(dir, ['in.txt', 'u16.txt', 'h.csv'])).toEqual([]);
    }
    expect(await entries(cli)).toEqual([]);
  });

  it('is written whole for a dry run and a --strict import that kept nothing: the report says why', async () => {
    const { cli, dir, file } = await storeAndInput();
    for (const flag of ['--dry-run', '--strict']) {
      const rejects = join(dir, `r${flag}.csv`);
      const result = await cli(['exceptions', 'import', file, flag, '--rejects', rejects]);
      expect(result.exitCode).toBe(flag === '--strict' ? 7 : 3);
      expect(csvRecords(readFileSync(rejects, 'utf8')).map((r) => r.line)).toEqual(['2']);
    }
    expect(await entries(cli)).toEqual([]);
  });

  it('--rejects - writes the report to stdout (the batch id then only in the note); with -o json it is a usage error', async () => {
    const { cli, dir, file } = await storeAndInput();
    const result = await cli(['exceptions', 'import', file, '--rejects', '-']);
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe(
      'line,raw,reason,message\r\n2,nope,not-a-number,"""nope"" is neither an email address nor a phone number"\r\n',
    );
    expect(result.stderr).toBe(
      `Imported batch 1 from ${file}: 3 lines, 2 added, 0 duplicates, 0 updated, 1 rejected (not-a-number 1)\n`,
    );
    expect(existsSync(join(dir, '-'))).toBe(false);
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
    const json = await cli(['exceptions', 'import', file, '--rejects', '-', '--json']);
    expect(json.exitCode).toBe(2);
    expect(json.stderr).toContain('--rejects -');
    expect(await entries(cli)).toHaveLength(2);
  });

  it('--rejects - on a terminal shows control characters escaped; piped it is exact', async () => {
    const { cli, dir } = await storeAndInput();
    const file = writeInput(dir, 'esc.txt', 'bad\u001b[2J value;x\n');
    const piped = await cli(['exceptions', 'import', file, '--rejects', '-', '-q']);
    expect(piped.stdout).toContain('bad\u001b[2J value;x');
    const terminal = await cli(['exceptions', 'import', file, '--rejects', '-', '-q'], {
      tty: true,
    });
    expect(terminal.stdout).not.toContain('\u001b');
    expect(terminal.stdout).toContain('bad\\x1b[2J value;x');
  });
});

describe('export FILE: the same writer', () => {
  it('refuses the store (and its -wal), even with --force: exit 5, the store intact', async () => {
    const { cli, db } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com']);
    const before = readFileSync(db);
    for (const target of [db, `${db}-wal`, join(db, '..', '.', 'crm.db')]) {
      const result = await cli(['exceptions', 'export', target, '--force']);
      expect(result.exitCode, target).toBe(5);
      expect(result.stderr).toContain('is the store');
    }
    expect(readFileSync(db)).toEqual(before);
    expect(await entries(cli)).toHaveLength(1);
  });

  it('writes devices in place, never renaming over them', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com']);
    const result = await cli(['exceptions', 'export', '/dev/null']);
    expect(result.exitCode).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('creates the file 0600 and leaves no temporary file', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com;x']);
    const dir = tempDir();
    const target = join(dir, 'out.txt');
    expect((await cli(['exceptions', 'export', target])).exitCode).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('a@example.com;x\n');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['out.txt']);
    writeFileSync(target, 'old');
    expect((await cli(['exceptions', 'export', target])).exitCode).toBe(5);
    expect(readFileSync(target, 'utf8')).toBe('old');
  });
});

describe('the rejects report and the summary agree', () => {
  it('a report of only duplicates is still written (a header and its rows)', async () => {
    const { cli, dir } = await storeAndInput();
    const file = writeInput(dir, 'ok.txt', 'a@example.com\n');
    expect((await cli(['exceptions', 'import', file])).exitCode).toBe(0);
    const rejects = join(dir, 'r.csv');
    const again = await cli(['exceptions', 'import', file, '--rejects', rejects, '--json']);
    expect(again.json<SummaryJson>()).toMatchObject({ duplicates: 1, rejected: 0 });
    expect(csvRecords(readFileSync(rejects, 'utf8'))).toEqual([
      expect.objectContaining({ line: '1', reason: 'duplicate' }),
    ]);
  });
});
