import { tmpdir } from 'node:os';
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { withDb } from '../e2e/support.js';
import { newStore } from '../helpers.js';

const now = '2026-03-01T09:00:00.000Z';

/** `count` exceptions entries straight into the store: a@1.example, a@2.example, … */
function seedEntries(db: string, count: number): void {
  withDb(db, (sqlite) => {
    const insert = sqlite.prepare(
      `INSERT INTO exceptions (type, value, match_key, raw, comment, source, created_at, created_by)
       VALUES ('email', ?, ?, ?, ?, 'import', ?, 'admin')`,
    );
    sqlite.transaction(() => {
      for (let i = 1; i <= count; i++) {
        const value = `a@${i}.example`;
        insert.run(value, value, value, `entry ${i}`, now);
      }
    })();
  });
}

/** `count` deals, each with a contact holding one phone: the item list looks phones up per page. */
function seedDealsWithPhones(db: string, count: number): void {
  withDb(db, (sqlite) => {
    const { pipeline, stage } = sqlite
      .prepare(
        `SELECT p.id AS pipeline, s.id AS stage FROM pipelines p JOIN stages s ON s.pipeline_id = p.id
         WHERE p.type = 'deal' AND p.is_default = 1 ORDER BY s.position LIMIT 1`,
      )
      .get() as { pipeline: number; stage: number };
    const contact = sqlite.prepare(
      'INSERT INTO contacts (name, created_at, updated_at) VALUES (?, ?, ?)',
    );
    const point = sqlite.prepare(
      `INSERT INTO contact_points (owner_type, owner_id, kind, value, match_key, raw)
       VALUES ('contact', ?, 'phone', ?, ?, ?)`,
    );
    const item = sqlite.prepare(
      `INSERT INTO items (type, pipeline_id, stage_id, title, contact_id, source, fields, created_at, updated_at)
       VALUES ('deal', ?, ?, ?, ?, 'import', '{}', ?, ?)`,
    );
    sqlite.transaction(() => {
      for (let i = 1; i <= count; i++) {
        const id = Number(contact.run(`Contact ${i}`, now, now).lastInsertRowid);
        const phone = `+4420${String(70000000 + i)}`;
        point.run(id, phone, phone, phone);
        item.run(pipeline, stage, `Deal ${i}`, id, now, now);
      }
    })();
  });
}

const dataLines = (text: string) => text.split('\n').filter((line) => line.startsWith('│ '));

describe('a list on a terminal without --limit', () => {
  it('shows the first 100 rows and says on stderr how many there are; piped, every row', async () => {
    const { db, cli } = await newStore({ now });
    seedEntries(db, 158);
    const env = { NO_COLOR: '1' };
    const table = await cli(['exceptions', 'list', '--fields', 'id,value'], { tty: true, env });
    expect(table.exitCode).toBe(0);
    // The header row, then entries 1 … 100.
    const rows = dataLines(table.stdout);
    expect(rows).toHaveLength(101);
    expect(rows[100]).toMatch(/^│ 100 +│ a@100\.example +│$/);
    expect(table.stdout.trimEnd().endsWith('┘')).toBe(true);
    expect(table.stderr).toBe('Showing 100 of 158: use --limit N, or pipe the output\n');

    // Every format on a terminal: the same 100, the same note.
    const json = await cli(['exceptions', 'list', '--json'], { tty: true, env });
    expect(json.json<unknown[]>()).toHaveLength(100);
    expect(json.stderr).toBe(table.stderr);
    const csv = await cli(['exceptions', 'list', '-o', 'csv'], { tty: true, env });
    expect(csv.stdout.split('\r\n').filter(Boolean)).toHaveLength(101);

    const piped = await cli(['exceptions', 'list', '--fields', 'id']);
    expect(piped.stdout).toBe(`${Array.from({ length: 158 }, (_, i) => i + 1).join('\n')}\n`);
    expect(piped.stderr).toBe('');
  });

  it('--limit shows what it asks for, with no note; --offset counts from there', async () => {
    const { db, cli } = await newStore({ now });
    seedEntries(db, 1500);
    const env = { NO_COLOR: '1' };
    const limited = await cli(['exceptions', 'list', '--fields', 'id', '--limit', '1200'], {
      tty: true,
      env,
    });
    expect(dataLines(limited.stdout)).toHaveLength(1201);
    expect(limited.stderr).toBe('');
    // Drawn in chunks, it is still one table: one top border, one rule, one bottom border.
    expect(limited.stdout.match(/[┌├└]/g)).toEqual(['┌', '├', '└']);
    const offset = await cli(['exceptions', 'list', '--fields', 'id', '--offset', '10'], {
      tty: true,
      env,
    });
    expect(dataLines(offset.stdout)[1]).toMatch(/^│ 11 +│$/);
    expect(offset.stderr).toBe('Showing 100 of 1,490: use --limit N, or pipe the output\n');
  });

  it('applies to every list command', async () => {
    const { db, cli } = await newStore({ now });
    seedDealsWithPhones(db, 120);
    const env = { NO_COLOR: '1' };
    for (const argv of [
      ['item', 'list'],
      ['contact', 'list'],
    ]) {
      const result = await cli(argv, { tty: true, env });
      expect(result.stderr, argv.join(' ')).toBe(
        'Showing 100 of 120: use --limit N, or pipe the output\n',
      );
    }
    const history = await cli(['history'], { tty: true, env });
    expect(history.stderr).toBe('');
    for (const argv of [
      ['user', 'list'],
      ['role', 'list'],
      ['pipeline', 'list'],
      ['type', 'list'],
      ['stage', 'list'],
      ['email', 'log'],
      ['exceptions', 'batches'],
    ]) {
      const result = await cli([...argv, '--limit', '1', '--json'], { tty: true, env });
      expect(result.exitCode, argv.join(' ')).toBe(0);
      expect(result.json<unknown[]>().length, argv.join(' ')).toBeLessThanOrEqual(1);
    }
  });
});

describe('lists stream from the store', () => {
  it('item list over several pages of lookups: every item with its own phone, the same JSON bytes', async () => {
    const { db, cli } = await newStore({ now });
    seedDealsWithPhones(db, 2345);
    const result = await cli(['item', 'list', '--json', '--fields', 'id,title,phones']);
    const items = result.json<{ id: number; title: string; phones: string[] }[]>();
    expect(items).toHaveLength(2345);
    for (const i of [1, 1000, 1001, 2000, 2001, 2345]) {
      expect(items[i - 1]).toEqual({
        id: i,
        title: `Deal ${i}`,
        phones: [`+4420${String(70000000 + i)}`],
      });
    }
    // Written row by row, it is byte for byte what JSON.stringify of the whole list gives.
    expect(result.stdout).toBe(`${JSON.stringify(items, null, 2)}\n`);
    const jsonl = await cli(['item', 'list', '-o', 'jsonl', '--fields', 'id,title,phones']);
    expect(jsonl.stdout).toBe(items.map((item) => `${JSON.stringify(item)}\n`).join(''));
    const contacts = await cli(['contact', 'list', '-o', 'csv', '--fields', 'id,phones']);
    expect(contacts.stdout.split('\r\n')[2001]).toBe(`2001,'+4420${70002001}`);
  });

  it('waits for a slow reader instead of buffering the list (backpressure)', async () => {
    const { db } = await newStore({ now });
    seedEntries(db, 20_000);
    let received = 0;
    let mostQueued = 0;
    let calls = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        calls++;
        mostQueued = Math.max(mostQueued, slow.writableLength);
        setImmediate(done);
      },
    });
    const exitCode = await run(['exceptions', 'list', '-o', 'jsonl'], {
      io: {
        stdin: Readable.from([]),
        stdout: slow,
        stderr: new PassThrough(),
        stdinIsTTY: false,
        stdoutIsTTY: false,
        stderrIsTTY: false,
        columns: 100,
      },
      env: { HOME: tmpdir(), CRMCTL_DB: db },
    });
    expect(exitCode).toBe(0);
    expect(received).toBeGreaterThan(2_000_000);
    expect(calls).toBeGreaterThan(20);
    // Never more than one write's worth waits in the stream: the list waited for 'drain'.
    expect(mostQueued).toBeLessThanOrEqual(80 * 1024);
  });

  it('stops reading when the reader goes away, and ends well', async () => {
    const { db } = await newStore({ now });
    seedEntries(db, 20_000);
    let chunks = 0;
    const closing = new Writable({
      write(_chunk, _encoding, done) {
        chunks++;
        done();
        // `crmctl … | head -c 1000`: the reader closes the pipe after the first chunk.
        closing.destroy();
      },
    });
    closing.on('error', () => {});
    const exitCode = await run(['exceptions', 'list', '--json'], {
      io: {
        stdin: Readable.from([]),
        stdout: closing,
        stderr: new PassThrough(),
        stdinIsTTY: false,
        stdoutIsTTY: false,
        stderrIsTTY: false,
        columns: 100,
      },
      env: { HOME: tmpdir(), CRMCTL_DB: db },
    });
    expect(exitCode).toBe(0);
    expect(chunks).toBe(1);
  });
});

describe('format flags (DESIGN §8)', () => {
  it('--json with another -o is a usage error naming both; with -o json it is fine', async () => {
    const { cli } = await newStore({ now });
    await cli(['contact', 'add', '--name', 'Anna']);
    for (const argv of [
      ['contact', 'list', '--json', '-o', 'csv'],
      ['contact', 'list', '-o', 'tsv', '--json'],
      ['contact', 'show', '1', '--json', '-o', 'table'],
      ['exceptions', 'list', '--json', '-o', 'jsonl'],
      ['contact', 'add', '--name', 'Bob', '--json', '-o', 'csv'],
    ]) {
      const result = await cli(argv);
      expect(result.exitCode, argv.join(' ')).toBe(2);
      const other = argv[argv.indexOf('-o') + 1];
      expect(JSON.parse(result.stderr).error.message).toBe(
        `--json and -o ${other} ask for different formats: give one of them`,
      );
    }
    // Nothing was added by the refused `contact add`.
    expect((await cli(['contact', 'list', '--json'])).json()).toHaveLength(1);
    expect((await cli(['contact', 'list', '--json', '-o', 'json'])).exitCode).toBe(0);
  });

  it('-o table asked for prints a table even when piped; the default there is plain rows', async () => {
    const { cli } = await newStore({ now });
    await cli(['contact', 'add', '--name', 'Anna']);
    const asked = await cli(['contact', 'list', '-o', 'table', '--fields', 'id,name']);
    expect(asked.stdout).toBe(
      '┌────┬──────┐\n│ ID │ Name │\n├────┼──────┤\n│ 1  │ Anna │\n└────┴──────┘\n',
    );
    expect((await cli(['contact', 'list', '--fields', 'id,name'])).stdout).toBe('1\tAnna\n');
    // A show command: aligned names, as on a terminal; a change: the record, not just its id.
    expect((await cli(['contact', 'show', '1', '-o', 'table', '--fields', 'id,name'])).stdout).toBe(
      'id    1\nname  Anna\n',
    );
    const added = await cli(['contact', 'add', '--name', 'Bob', '-o', 'table']);
    expect(added.stdout).toContain('name        Bob\n');
  });
});
