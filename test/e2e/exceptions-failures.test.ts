import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasControls } from '../../src/cli/escape.js';
import { writeInput } from '../exceptions/support.js';
import { binPath, newStore, tempDir } from '../helpers.js';
import { exitOf, initStore, ok, withDb } from './support.js';

// Issue 7 §3 for the exceptions list: a disk that fills up while an export or a rejects file
// is written, a corrupted page met during an export, hostile values: a clear exit code, never
// 70, and no partial file left behind.

const now = '2026-06-01T09:00:00Z';

/**
 * Runs the built binary with a file-size limit (`ulimit -f`, in the shell's blocks of 1 KiB
 * or 512 bytes): a write past it fails with EFBIG, as a full disk fails with ENOSPC — the
 * real system call failing, on every Unix, without a special file system.
 */
async function withSizeLimit(blocks: number, args: string[], env: Record<string, string>) {
  const quoted = [process.execPath, binPath, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`);
  const child = spawn('sh', ['-c', `ulimit -f ${blocks} && exec ${quoted.join(' ')}`], {
    env: { PATH: process.env.PATH, HOME: tempDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const { code } = await exitOf(child);
  return { code, stdout, stderr };
}

describe('a full disk while writing an output file', () => {
  it('export: exit 74 saying why, and neither FILE nor a temporary file is left', async () => {
    const crm = await initStore({ now });
    const dir = tempDir();
    // About 6 MB of export from a small input, imported without a limit.
    const lines = Array.from({ length: 3000 }, (_, i) => `e${i}@example.com;${'c'.repeat(1900)}`);
    const input = writeInput(dir, 'in.txt', `${lines.join('\n')}\n`);
    expect((await crm(['exceptions', 'import', input, '-q'])).exitCode).toBe(0);
    withDb(crm.db, (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
    const out = join(dir, 'out', 'export.txt');
    const folder = join(dir, 'out');
    mkdirSync(folder);
    const result = await withSizeLimit(2048, ['exceptions', 'export', out], { CRMCTL_DB: crm.db });
    expect(result.code).toBe(74);
    expect(result.stderr).toMatch(
      /^error: export: could not write .*export\.txt: the file is larger than this file system or process may write \(EFBIG\); the list is unchanged\n$/,
    );
    expect(readdirSync(folder)).toEqual([]);
  });

  it('import --rejects: exit 74 saying the import was committed, no rejects file left', async () => {
    const crm = await initStore({ now });
    const dir = tempDir();
    const lines = Array.from({ length: 3000 }, (_, i) =>
      i % 1000 === 0 ? `kept${i}@example.com` : `not a value ${'x'.repeat(1900)} ${i}`,
    );
    const input = writeInput(dir, 'in.txt', `${lines.join('\n')}\n`);
    const folder = join(dir, 'out');
    mkdirSync(folder);
    const rejects = join(folder, 'rejects.csv');
    const result = await withSizeLimit(
      2048,
      ['exceptions', 'import', input, '--rejects', rejects],
      {
        CRMCTL_DB: crm.db,
      },
    );
    expect(result.code).toBe(74);
    expect(result.stdout).toBe('1\n');
    expect(result.stderr).toContain(
      'Imported batch 1 from', // the summary is still told
    );
    expect(result.stderr).toMatch(
      /error: --rejects: could not write .*rejects\.csv: .*\(EFBIG\); the import was committed \(batch 1\)\n$/,
    );
    expect(readdirSync(folder)).toEqual([]);
    const listed = ok<{ value: string }[]>(await crm(['exceptions', 'list', '--json']));
    expect(listed.map((e) => e.value)).toEqual([
      'kept0@example.com',
      'kept1000@example.com',
      'kept2000@example.com',
    ]);
  });

  it.skipIf(!existsSync('/dev/full'))(
    'export to /dev/full (a device, written in place): exit 74, no space left',
    async () => {
      const crm = await initStore({ now });
      expect((await crm(['exceptions', 'add', 'a@example.com', '-q'])).exitCode).toBe(0);
      const result = await crm(['exceptions', 'export', '/dev/full']);
      expect(result.exitCode).toBe(74);
      expect(result.stderr).toBe(
        'error: export: could not write /dev/full: no space left on the device (ENOSPC); the list is unchanged\n',
      );
    },
  );
});

describe('a corrupted page met during an export', () => {
  it('exits 7 naming the store, and leaves no partial export', async () => {
    const crm = await initStore({ now });
    const dir = tempDir();
    const lines = Array.from({ length: 20_000 }, (_, i) => `user${i}@example.com;comment ${i}`);
    const input = writeInput(dir, 'in.txt', `${lines.join('\n')}\n`);
    expect((await crm(['exceptions', 'import', input, '-q'])).exitCode).toBe(0);
    // A leaf page of the exceptions table near its end: the export has written rows by then.
    const { page, pageSize } = withDb(crm.db, (db) => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      const leaves = db
        .prepare(
          "SELECT pageno FROM dbstat WHERE name = 'exceptions' AND pagetype = 'leaf' ORDER BY pageno",
        )
        .pluck()
        .all() as number[];
      return {
        page: leaves[Math.floor(leaves.length * 0.8)] as number,
        pageSize: db.pragma('page_size', { simple: true }) as number,
      };
    });
    const fd = openSync(crm.db, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);
    const out = join(dir, 'out');
    mkdirSync(out);
    for (const format of ['lines', 'csv']) {
      const result = await crm([
        'exceptions',
        'export',
        join(out, `e.${format}`),
        '--format',
        format,
      ]);
      expect(result.exitCode, result.stderr).toBe(7);
      expect(result.stderr).toMatch(/^error: the store cannot be used: .*SQLITE_CORRUPT/);
      expect(readdirSync(out)).toEqual([]);
    }
  });
});

describe('hostile values for check, add and remove', () => {
  const hostile = [
    '',
    ' ',
    'x'.repeat(1024 * 1024),
    `${'+44'.repeat(1000)}`,
    'a\u0000b@example.com',
    '\u0000',
    '\u001b[2J\u001b[H',
    '\u009b31m',
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    '@',
    ';',
    ';;;',
    'a@b;\u0000',
    '-0',
    '1e400',
    '+',
    '++44',
    '\u202e+44 20 7946 0958',
  ];

  it('never exit 70 nor print a stack trace (in-process: NUL cannot pass through argv)', async () => {
    const { cli } = await newStore({ now });
    for (const value of hostile) {
      for (const argv of [
        ['exceptions', 'check', value],
        ['exceptions', 'add', value],
        ['exceptions', 'add', `a@example.com;${value}`],
        ['exceptions', 'add', 'b@example.com', '--comment', value],
        ['exceptions', 'remove', value],
        ['exceptions', 'list', '--value', value],
        ['exceptions', 'remove', '--comment', value, '--yes', '--dry-run'],
      ]) {
        const result = await cli(argv);
        const shown = `${argv.slice(0, 2).join(' ')} ${JSON.stringify(value.slice(0, 40))}`;
        expect(result.exitCode, `${shown}: ${result.stderr.slice(0, 300)}`).not.toBe(70);
        expect([0, 1, 2, 3, 4, 5], shown).toContain(result.exitCode);
        expect(result.stderr, shown).not.toMatch(/\n\s+at /);
        // Whatever is echoed shows control characters escaped.
        expect(hasControls(result.stderr.replaceAll('\n', '')), shown).toBe(false);
        if (argv[1] !== 'check') expect(result.exitCode, shown).not.toBe(1);
      }
    }
  });
});
