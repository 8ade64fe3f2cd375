import { tmpdir } from 'node:os';
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { builtModule, initStore, type MainModule, withDb } from './support.js';

// Issue 7 §6: a long list is written while it is read from the store, and waits for its
// reader. The built program lists 100,000 entries into a reader that takes the first piece and
// then holds it: the program must stop there (nothing more is read or buffered) until the
// reader lets go, and then finish. Memory is measured by `npm run bench` (bench/lists.js).

const entries = 100_000;

describe('a long list streams to a slow reader', () => {
  it('sends its first rows at once, then waits for the reader instead of reading on', async () => {
    const crm = await initStore();
    withDb(crm.db, (db) => {
      const insert = db.prepare(
        `INSERT INTO exceptions (type, value, match_key, raw, comment, source, created_at, created_by)
         VALUES ('email', ?, ?, ?, 'seeded', 'import', '2026-01-01T00:00:00.000Z', 'admin')`,
      );
      db.transaction(() => {
        for (let i = 1; i <= entries; i++) {
          const value = `sender${i}@example.com`;
          insert.run(value, value, value);
        }
      })();
    });

    const pieces: Buffer[] = [];
    let release: (() => void) | undefined;
    const reader = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        pieces.push(chunk);
        // The first piece is held: like a pipe whose reader has stopped reading.
        if (pieces.length === 1) release = done;
        else done();
      },
    });
    const { run } = await builtModule<MainModule>('cli/main.js');
    let finished = false;
    const exit = run(['exceptions', 'list', '-o', 'jsonl'], {
      io: {
        stdin: Readable.from([]),
        stdout: reader,
        stderr: new PassThrough(),
        stdinIsTTY: false,
        stdoutIsTTY: false,
        stderrIsTTY: false,
        columns: 100,
      },
      env: { HOME: tmpdir(), CRMCTL_DB: crm.db },
    }).finally(() => {
      finished = true;
    });

    // Let the program run as far as it can on its own: it can only go on once 'drain' comes.
    while (release === undefined) await new Promise((resolve) => setImmediate(resolve));
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    expect(pieces).toHaveLength(1);
    const firstPiece = pieces[0]?.toString('utf8') ?? '';
    expect(firstPiece.startsWith('{"id":1,"type":"email","value":"sender1@example.com"')).toBe(
      true,
    );
    // One piece of the list, not the list: about 64 KB of some 14 MB.
    expect(reader.writableLength).toBeLessThanOrEqual(64 * 1024);

    release?.();
    expect(await exit).toBe(0);
    const lines = Buffer.concat(pieces).toString('utf8').split('\n');
    expect(lines).toHaveLength(entries + 1);
    expect(JSON.parse(lines[entries - 1] ?? '')).toMatchObject({
      id: entries,
      value: `sender${entries}@example.com`,
    });
  });
});
