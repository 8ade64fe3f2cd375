import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, type CliResult, tempDir } from '../helpers.js';
import {
  crmctlFor,
  exitOf,
  initStore,
  linesOf,
  ok,
  runBuilt,
  Sqlite,
  snapshot,
} from './support.js';

// Bad input is refused with one clear line on stderr and the store left exactly as it was;
// hostile but valid text (SQL, shell, format strings) is stored literally and harms nothing.

const NOW = '2026-08-01T10:00:00Z';

/** A refusal: the exit code, nothing on stdout, one short line on stderr. */
function expectRefused(result: CliResult, exitCode: number, message: RegExp) {
  expect(result.exitCode, result.stderr).toBe(exitCode);
  expect(result.stdout).toBe('');
  const lines = linesOf(result.stderr);
  expect(lines, result.stderr.slice(0, 500)).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(lines[0]?.length ?? 0).toBeLessThan(400);
}

const megabyte = 'x'.repeat(1024 * 1024);
// Linux caps one argv string at 128 KiB, so the spawned binary gets the largest it can.
const nearArgMax = 'y'.repeat(120_000);

describe('hostile arguments are refused and change nothing', () => {
  it.each<[string, string[], RegExp]>([
    ['a 120 kB title', ['item', 'add', '--title', nearArgMax], /title needs 1 to 500/],
    ['a title with escape codes', ['item', 'add', '--title', 'ok\u001b[2J\u0007'], /title/],
    ['a title with a newline', ['item', 'add', '--title', 'two\nlines'], /title/],
    ['a blank title', ['item', 'add', '--title', '   '], /title/],
    ['a 120 kB contact name', ['contact', 'add', '--name', nearArgMax], /contact name/],
    ['a contact name with a bell', ['contact', 'add', '--name', 'Ann\u0007'], /contact name/],
    ['a 120 kB pipeline name', ['pipeline', 'add', nearArgMax], /pipeline name/],
    ['a stage name with a tab', ['stage', 'add', 'a\tb'], /stage name/],
    [
      'a user name with escape codes',
      ['user', 'add', 'eve', '--name', 'Eve\u001b]0;pwned\u0007'],
      /user name/,
    ],
    ['a 120 kB user name', ['user', 'add', 'eve', '--name', nearArgMax], /user name/],
    ['a shell snippet as a login', ['user', 'add', '$(touch pwned)'], /not a usable login/],
    [
      'SQL as a role name',
      ['role', 'add', "x'; DROP TABLE users;--", '--permissions', 'items.view'],
      /role name/,
    ],
    [
      'an unknown permission',
      ['role', 'add', 'r', '--permissions', 'items.view,root'],
      /unknown permission "root"/,
    ],
    ['SQL as a field name', ['item', 'add', '--title', 't', '--field', "a'b=1"], /field/],
    ['SQL as an id', ['item', 'show', '1; DROP TABLE items'], /positive whole number/],
    ['an infinite amount', ['item', 'add', '--title', 't', '--amount', '1e999'], /--amount/],
    ['a negative amount', ['item', 'add', '--title', 't', '--amount', '-5'], /--amount/],
    ['a hex amount', ['item', 'add', '--title', 't', '--amount', '0x10'], /--amount/],
    ['a negative --limit', ['item', 'list', '--limit', '-1'], /--limit/],
    [
      'a made-up currency',
      ['item', 'add', '--title', 't', '--amount', '5', '--currency', 'D$LLARS'],
      /currency/,
    ],
    [
      '--now garbage',
      ['--now', 'yesterday-ish', 'item', 'add', '--title', 't'],
      /--now takes an ISO-8601 time/,
    ],
    ['--now not a date', ['--now', '2026-02-30T10:00:00Z', 'item', 'add', '--title', 't'], /--now/],
    ['--now %n%s', ['--now', '%n%s%x', 'item', 'list'], /--now/],
    [
      '--wait garbage',
      ['--wait', 'soon', 'item', 'add', '--title', 't'],
      /--wait takes a number of seconds/,
    ],
    ['--wait negative', ['--wait', '-1', 'item', 'add', '--title', 't'], /--wait/],
    ['--wait NaN', ['--wait', 'NaN', 'item', 'list'], /--wait/],
    ['an empty --db', ['--db', '', 'item', 'list'], /--db/],
  ])('%s: exit 2', async (_what, args, message) => {
    const crm = await initStore({ now: NOW });
    const before = snapshot(crm.db);
    expectRefused(await crm(args), 2, message);
    expect(snapshot(crm.db)).toEqual(before);
  });

  it('a 1 MB title (in process: too long for one argv string) and a NUL byte are refused', async () => {
    const crm = await initStore({ now: NOW });
    const before = snapshot(crm.db);
    for (const title of [megabyte, 'nul\u0000byte']) {
      const result = await runBuilt(['item', 'add', '--title', title, '--json'], {
        CRMCTL_DB: crm.db,
        CRMCTL_NOW: NOW,
      });
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
      expect(JSON.parse(result.stderr)).toEqual({
        error: { code: 'usage', message: expect.stringMatching(/title/), exitCode: 2 },
      });
      expect(result.stderr.length).toBeLessThan(400);
    }
    expect(snapshot(crm.db)).toEqual(before);
  });

  it('a bad --now or --wait does not create a new store file', async () => {
    const dir = tempDir();
    const cases: [string, string][] = [
      ['--now', 'garbage'],
      ['--wait', 'soon'],
    ];
    for (const [flag, value] of cases) {
      const crm = crmctlFor(join(dir, `${flag.slice(2)}.db`));
      expectRefused(await crm([flag, value, 'init']), 2, new RegExp(flag));
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a --db that is not a store', () => {
  it('a directory: exit 7 naming it, and the directory is left alone', async () => {
    const dir = join(tempDir(), 'a-folder');
    mkdirSync(dir);
    const result = await crmctlFor(dir)(['item', 'list']);
    expectRefused(result, 7, /a-folder is a directory/);
    expect(readdirSync(dir)).toEqual([]);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it.each([
    ['random bytes', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 256))],
    ['a text file', Buffer.from('name,phone\nAnna,+442079460958\n'.repeat(200))],
    [
      'a truncated SQLite header',
      Buffer.from('SQLite format 3\u0000garbage'.padEnd(4096, '\u0000')),
    ],
  ])('%s: exit 7 naming it, the file byte-for-byte untouched', async (_what, bytes) => {
    const dir = tempDir();
    const file = join(dir, 'precious.db');
    writeFileSync(file, bytes);
    const { mtimeMs } = statSync(file);
    for (const args of [
      ['item', 'list'],
      ['init'],
      ['item', 'add', '--title', 'x'],
      ['db', 'check'],
    ]) {
      const result = await crmctlFor(file)(args);
      expect(result.exitCode, result.stderr).toBe(7);
      expect(linesOf(result.stderr)).toEqual([expect.stringContaining('precious.db')]);
    }
    const json = await crmctlFor(file)(['item', 'list', '--json']);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { exitCode: 7 } });
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtimeMs);
    expect(readdirSync(dir)).toEqual(['precious.db']);
  });

  it('a path under a file, or where folders cannot be made: exit 7 (no hang)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain-file'), 'x');
    const paths = [join(dir, 'plain-file', 'sub', 'crm.db')];
    if (existsSync('/proc/self')) paths.push('/proc/no-such-thing/crm.db');
    for (const path of paths) {
      const child = spawn(process.execPath, [binPath, 'init'], {
        env: { PATH: process.env.PATH, HOME: dir, CRMCTL_DB: path },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const exit = await exitOf(child);
      clearTimeout(timer);
      expect(exit, `${path}: ${stderr}`).toEqual({ code: 7, signal: null });
      expect(linesOf(stderr)).toEqual([expect.stringContaining(path)]);
    }
  });

  it('a store made by a newer crmctl is refused with exit 7 and left alone', async () => {
    const crm = await initStore({ now: NOW });
    const db = new Sqlite(crm.db);
    db.pragma('user_version = 999');
    db.close();
    const before = readFileSync(crm.db);
    expectRefused(await crm(['item', 'add', '--title', 'x']), 7, /newer crmctl.*upgrade/);
    expect(readFileSync(crm.db).equals(before)).toBe(true);
  });
});

describe('hostile but valid text is stored literally', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  const formatProbe = '%s%s%n%x %d {0} {{7*7}} ${7*7} #{7*7}';
  const titles = [
    "'; DROP TABLE items; --",
    "Robert'); DELETE FROM history WHERE ('1'='1",
    '$(touch pwned) `touch pwned2` ; rm -rf ~ && echo',
    formatProbe,
    '100% off_sale \\ backslash',
    '-rf',
    '=HYPERLINK("http://evil.example")',
    'Ünïcødé 🚀 سلام 中文',
  ];

  it('as titles, contact and pipeline names: round-trip exactly, search matches literally', async () => {
    const crm = await initStore({ now: NOW });
    const ids: number[] = [];
    for (const title of titles) {
      const added = ok<{ id: number; title: string }>(
        await crm(['item', 'add', '--title', title, '--json']),
      );
      expect(added.title).toBe(title);
      ids.push(added.id);
    }
    const listed = ok<{ id: number; title: string }[]>(
      await crm(['item', 'list', '--json', '--fields', 'id,title']),
    );
    expect(listed).toEqual(titles.map((title, i) => ({ id: ids[i], title })));
    for (const [search, expected] of [
      ['%', [formatProbe, '100% off_sale \\ backslash']],
      ['_', ['100% off_sale \\ backslash']],
      ['\\', ['100% off_sale \\ backslash']],
      ["'", ["'; DROP TABLE items; --", "Robert'); DELETE FROM history WHERE ('1'='1"]],
      ['DROP TABLE', ["'; DROP TABLE items; --"]],
    ] as const) {
      const found = ok<{ title: string }[]>(
        await crm(['item', 'list', '--search', search, '--json', '--fields', 'title']),
      );
      expect(found.map((f) => f.title)).toEqual(expected);
    }
    const shown = ok<{ title: string }>(await crm(['item', 'show', String(ids[0]), '--json']));
    expect(shown.title).toBe(titles[0]);

    const name = 'O\'Brien "Deals"; DROP TABLE pipelines;--';
    ok(await crm(['pipeline', 'add', name, '--json']));
    expect(
      ok<{ name: string }[]>(await crm(['pipeline', 'list', '--json'])).map((p) => p.name),
    ).toContain(name);
    const inIt = ok<{ pipeline: { name: string } }>(
      await crm(['item', 'add', '--pipeline', name.toUpperCase(), '--title', 'x', '--json']),
    );
    expect(inIt.pipeline.name).toBe(name);
    const contact = ok<{ name: string }>(
      await crm(['contact', 'add', '--name', "Zoë O'Hara; $(id) %n", '--json']),
    );
    expect(contact.name).toBe("Zoë O'Hara; $(id) %n");

    // Nothing ran, nothing else was touched.
    expect(existsSync('pwned')).toBe(false);
    expect(existsSync('pwned2')).toBe(false);
    expect(ok(await crm(['db', 'check', '--json']))).toMatchObject({ ok: true });
    expect(ok<unknown[]>(await crm(['item', 'list', '--json']))).toHaveLength(titles.length + 1);
    expect(ok<unknown[]>(await crm(['user', 'list', '--json']))).toHaveLength(1);
  });

  it('CSV output guards cells that a spreadsheet would run as formulas', async () => {
    const crm = await initStore({ now: NOW });
    ok(await crm(['item', 'add', '--title', '=HYPERLINK("http://evil.example")', '--json']));
    ok(await crm(['item', 'add', '--title', '@SUM(A1)', '--json']));
    const csv = await crm(['item', 'list', '-o', 'csv', '--fields', 'title']);
    expect(csv.stdout).toBe(
      ['title', '"\'=HYPERLINK(""http://evil.example"")"', "'@SUM(A1)", ''].join('\r\n'),
    );
  });
});

describe('the process exits when it is done', () => {
  it('does not wait on stdin when none is needed', async () => {
    const crm = await initStore({ now: NOW });
    const child = spawn(process.execPath, [binPath, 'item', 'list', '--json'], {
      env: { PATH: process.env.PATH, HOME: tempDir(), CRMCTL_DB: crm.db },
      stdio: ['pipe', 'pipe', 'pipe'], // stdin left open: crmctl must not read it
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const exit = await exitOf(child);
    clearTimeout(timer);
    child.stdin.destroy();
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
