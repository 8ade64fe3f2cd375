import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeInput } from '../exceptions/support.js';
import { binPath, runCli, tempDir } from '../helpers.js';
import { exitOf, initStore } from './support.js';

// Issue 7 §7.1: an import on a real terminal. Reject lines go above the progress bar, and
// after any import the bar is gone, the cursor visible, the screen clean. The built binary
// runs on a pseudo-terminal (util-linux `script`); a small terminal model replays its bytes.

const hasScript = spawnSync('script', ['--version']).status === 0;
const now = '2026-06-01T09:00:00Z';

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Runs `node bin/crmctl.js …args` on an 80×24 pseudo-terminal; `stdin` redirects from a file. */
async function onTerminal(args: string[], env: Record<string, string>, stdin?: string) {
  const command = `stty cols 80 rows 24; exec ${quote(process.execPath)} ${quote(binPath)} ${args
    .map(quote)
    .join(' ')}${stdin ? ` < ${quote(stdin)}` : ''}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH, HOME: tempDir(), TERM: 'xterm', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const { code } = await exitOf(child);
  return { code, raw: Buffer.concat(chunks).toString('utf8') };
}

/**
 * What a person sees once the program has finished: a VT100-style screen of 80×24 with its
 * scrollback, fed the raw bytes (text, CR, LF, erase in line/display, cursor moves, save and
 * restore, cursor shown/hidden).
 */
function replay(raw: string) {
  const columns = 80;
  const rows = 24;
  const blank = () => Array.from({ length: columns }, () => ' ');
  const screen = Array.from({ length: rows }, blank);
  const scrolledOff: string[][] = [];
  // Rows continued from the row above (the text wrapped at the right margin).
  const continued = Array.from({ length: rows }, () => false);
  const continuedOff: boolean[] = [];
  let row = 0;
  let col = 0;
  let saved = { row: 0, col: 0 };
  let cursorVisible = true;
  const lineFeed = (wrapping = false) => {
    if (row === rows - 1) {
      scrolledOff.push(screen.shift() as string[]);
      continuedOff.push(continued.shift() as boolean);
      screen.push(blank());
      continued.push(false);
    } else row++;
    continued[row] = wrapping;
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '\x1b') {
      const next = raw[i + 1];
      if (next === '7') {
        saved = { row, col };
        i++;
        continue;
      }
      if (next === '8') {
        ({ row, col } = saved);
        i++;
        continue;
      }
      if (next === '[') {
        const match = /^\[(\??)([\d;]*)([A-Za-z])/.exec(raw.slice(i + 1));
        if (!match) continue;
        i += match[0].length;
        const [, privateMode, params, command] = match;
        const n = Number((params ?? '').split(';')[0] || 0);
        if (privateMode === '?') {
          if (params === '25') cursorVisible = command === 'h';
          continue;
        }
        const line = screen[row] as string[];
        if (command === 'K') {
          const [from, to] = n === 0 ? [col, columns] : n === 1 ? [0, col + 1] : [0, columns];
          for (let x = from; x < to; x++) line[x] = ' ';
        } else if (command === 'J') {
          for (let x = col; x < columns; x++) line[x] = ' ';
          for (let y = row + 1; y < rows; y++) screen[y] = blank();
        } else if (command === 'G') col = Math.max(0, (n || 1) - 1);
        else if (command === 'A') row = Math.max(0, row - (n || 1));
        else if (command === 'B') row = Math.min(rows - 1, row + (n || 1));
        else if (command === 'C') col = Math.min(columns - 1, col + (n || 1));
        else if (command === 'D') col = Math.max(0, col - (n || 1));
        continue;
      }
      continue;
    }
    if (c === '\r') col = 0;
    else if (c === '\n') lineFeed();
    else {
      if (col === columns) {
        col = 0;
        lineFeed(true);
      }
      (screen[row] as string[])[col++] = c;
    }
  }
  const all = [...scrolledOff, ...screen].map((line) => line.join(''));
  const wraps = [...continuedOff, ...continued];
  // Lines as printed: a wrapped line joined back with its continuation rows.
  const text: string[] = [];
  all.forEach((line, i) => {
    if (wraps[i] && text.length > 0) text[text.length - 1] += line;
    else text.push(line);
  });
  const lines = text.map((line) => line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const cursorRow =
    scrolledOff.length + row - wraps.slice(0, scrolledOff.length + row + 1).filter(Boolean).length;
  return { lines, cursorVisible, cursorRow, cursorCol: col };
}

describe.skipIf(!hasScript)('exceptions import on a real terminal', () => {
  it('prints reject lines above the bar; at the end the bar is gone, the summary last, the cursor shown', async () => {
    const crm = await initStore({ now });
    const dir = tempDir();
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++)
      lines.push(i % 2000 === 5 ? `nope ${i}` : `u${i}@spam.example`);
    const file = writeInput(dir, 'list.txt', `${lines.join('\n')}\n`);
    const rejected = lines.flatMap((l, i) => (l.startsWith('nope') ? [i + 1] : []));
    const { code, raw } = await onTerminal(['exceptions', 'import', file], { CRMCTL_DB: crm.db });
    expect(code).toBe(3);
    // The bar was drawn…
    expect(raw).toMatch(/Importing \[[=-]+\] \d+% \| [\d.]+ (KB|MB) of [\d.]+ (KB|MB)/);
    const seen = replay(raw);
    // …and what is left is exactly the reject lines, then the summary, each whole, nothing else.
    expect(seen.lines).toEqual([
      ...rejected.map((n) =>
        expect.stringMatching(new RegExp(`^${file}:${n}: not-a-number: "nope ${n - 1}"`)),
      ),
      '1', // the batch id, on stdout: the same terminal
      `Imported batch 1 from ${file}: 60000 lines, ${60_000 - rejected.length} added, 0 duplicates, 0 updated, ${rejected.length} rejected (not-a-number ${rejected.length})`,
    ]);
    expect(seen.lines.join('\n')).not.toContain('Importing');
    expect(seen.cursorVisible).toBe(true);
    expect(seen.cursorCol).toBe(0);
    expect(seen.cursorRow).toBe(seen.lines.length);
  });

  it('from stdin, the bar shows bytes read with a unit and lines read', async () => {
    const crm = await initStore({ now });
    const file = writeInput(
      tempDir(),
      'list.txt',
      `${Array.from({ length: 30_000 }, (_, i) => `s${i}@spam.example`).join('\n')}\n`,
    );
    const { code, raw } = await onTerminal(
      ['exceptions', 'import', '-'],
      { CRMCTL_DB: crm.db },
      file,
    );
    expect(code).toBe(0);
    expect(raw).toMatch(/Importing [\d.]+ (KB|MB) read \| [\d,]+ lines/);
    const seen = replay(raw);
    expect(seen.lines).toEqual([
      '1',
      'Imported batch 1 from stdin: 30000 lines, 30000 added, 0 duplicates, 0 updated, 0 rejected',
    ]);
    expect(seen.cursorVisible).toBe(true);
  });

  it('a refused input and a failed import leave a clean screen too: the error alone, the cursor shown', async () => {
    const crm = await initStore({ now });
    const dir = tempDir();
    const utf16 = writeInput(
      dir,
      'u16.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a@example.com\n', 'utf16le')]),
    );
    const refused = await onTerminal(['exceptions', 'import', utf16, '--no-color'], {
      CRMCTL_DB: crm.db,
    });
    expect(refused.code).toBe(7);
    const seen = replay(refused.raw);
    expect(seen.lines).toEqual(['error: the input is UTF-16: save it as UTF-8 and import again']);
    expect(seen.cursorVisible).toBe(true);

    const badHeader = writeInput(dir, 'h.csv', `value,value\n${'a@x.example,b\n'.repeat(5000)}`);
    const failed = await onTerminal(['exceptions', 'import', badHeader, '--no-color'], {
      CRMCTL_DB: crm.db,
    });
    expect(failed.code).toBe(7);
    const after = replay(failed.raw);
    expect(after.lines).toEqual([
      'error: line 1: the CSV header names "value" twice (columns 1 and 2): keep one',
    ]);
    expect(after.cursorVisible).toBe(true);
  });
});

describe('exceptions import with a terminal on stderr (in-process)', () => {
  it('logs reject lines above the bar: each preceded by clearing the bar line, the cursor shown at the end', async () => {
    const dir = tempDir();
    const db = join(dir, 'crm.db');
    await runCli(['init', '-q'], { env: { CRMCTL_DB: db } });
    const file = writeInput(dir, 'in.txt', 'a@x.example\nnope\nb@x.example\n');
    const result = await runCli(['exceptions', 'import', file], {
      tty: true,
      env: { CRMCTL_DB: db, CRMCTL_NOW: now },
    });
    expect(result.exitCode).toBe(3);
    const stderr = result.stderr;
    expect(stderr.startsWith('\x1b[?25l')).toBe(true);
    expect(stderr).toContain(`\r\x1b[2K${file}:2: not-a-number:`);
    const end = stderr.lastIndexOf('\x1b[?25h');
    expect(end).toBeGreaterThan(-1);
    expect(stderr.slice(end)).toBe(
      `\x1b[?25h\r\x1b[2KImported batch 1 from ${file}: 3 lines, 2 added, 0 duplicates, 0 updated, 1 rejected (not-a-number 1)\n`,
    );
  });
});
