import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { addImportCommand, importList } from '../../src/cli/import.js';
import type { Registrar } from '../../src/cli/registry.js';
import { fixedClock } from '../../src/clock.js';
import { InputError } from '../../src/errors.js';
import { type ImportSink, runImport } from '../../src/imports/run.js';
import { Session } from '../../src/session.js';
import { openStore, type Store } from '../../src/store/store.js';
import type { UndoHandler } from '../../src/undo/handler.js';
import { osLogin, withDb } from '../e2e/support.js';
import {
  csvRecords,
  jsonLines,
  type ReportedJson,
  type SummaryJson,
  writeInput,
} from '../exceptions/support.js';
import { newStore, tempDir } from '../helpers.js';

// Issue 8 §3: a second list imported through the same machine — reporting, rejects file,
// atomicity, dry run, strict and undo — with nothing but a sink, a command of a few lines and
// an undo handler. The list is a table of words this test creates in its store.

const now = '2026-07-01T09:00:00.000Z';

interface WordRow {
  id: number;
  word: string;
  comment: string;
  lang: string;
  operation_id: number;
}

/** A word list: lower-case words only; a CSV may say `lang` (en or empty). */
function wordsSink(
  session: Session,
  updateComments = false,
): ImportSink<{ ok: true; word: string }> {
  const db = session.db;
  return {
    list: 'words',
    holds: 'a list of words',
    columns: ['lang'],
    read(entry) {
      const word = entry.value.trim();
      if (entry.cells.lang !== '' && entry.cells.lang !== 'en')
        return {
          ok: false,
          reason: 'bad-row',
          message: `lang is ${JSON.stringify(entry.cells.lang)}`,
        };
      if (!/^[a-z]+$/.test(word))
        return {
          ok: false,
          reason: 'not-a-word',
          message: `${JSON.stringify(word)} is not a word`,
        };
      return { ok: true, word };
    },
    write({ word }, entry, batch) {
      // A failure halfway through: the whole import must be rolled back.
      if (word === 'explode')
        throw new InputError(`line ${entry.line}: the word list cannot take it`);
      const added = db
        .prepare(
          `INSERT INTO words (word, comment, lang, operation_id) VALUES (?, ?, ?, ?)
           ON CONFLICT (word) DO NOTHING`,
        )
        .run(word, entry.comment, entry.cells.lang ?? '', batch.id).changes;
      if (added === 1) return { outcome: 'added', value: word };
      if (updateComments && entry.ownComment !== '') {
        db.prepare('UPDATE words SET comment = ? WHERE word = ?').run(entry.comment, word);
        return { outcome: 'updated' };
      }
      return { outcome: 'duplicate', message: `${word} is already listed` };
    },
  };
}

/** `crmctl words import`: the ~20 lines a list needs for its import command. */
const wordsCommand: Registrar = (program, ctx) => {
  const words = program.command('words').description('A list of words (a test list)');
  addImportCommand(words, ctx, {
    description: 'Import words from FILE (or - for stdin), one per line: word;comment',
    examples: ['crmctl words import words.txt'],
    permission: 'exceptions.edit',
    sink: (session, flags) => wordsSink(session, flags.updateComments),
  });
};

/** How `crmctl undo` takes a words import back. */
const wordsUndo: UndoHandler = {
  feature: 'words',
  takesBack: { words: ['imported'] },
  permission: 'exceptions.edit',
  conflicts: () => [],
  undo(session, operation) {
    const removed = session.db
      .prepare('DELETE FROM words WHERE operation_id = ?')
      .run(operation.id).changes;
    return { counts: { removed }, said: `removed ${removed} words`, notes: [] };
  },
};

async function wordStore() {
  const store = await newStore({ now });
  withDb(store.db, (db) =>
    db.exec(`CREATE TABLE words (
      id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE, comment TEXT NOT NULL,
      lang TEXT NOT NULL, operation_id INTEGER)`),
  );
  const cli = (argv: string[]) =>
    store.cli(argv, { commands: { words: wordsCommand }, undoHandlers: [wordsUndo] });
  const words = () =>
    withDb(store.db, (db) => db.prepare('SELECT * FROM words ORDER BY id').all() as WordRow[]);
  return { ...store, cli, words };
}

const input = 'apple;a fruit\n# a comment line\n\nPear\nberry\napple;again\n\xff\n';

describe('a second list through the import machine', () => {
  it('reports like the exceptions import: each line, the summary, exit 3, the batch id on stdout', async () => {
    const { cli, words } = await wordStore();
    const file = writeInput(tempDir(), 'words.txt', Buffer.from(input, 'latin1'));
    const result = await cli(['words', 'import', file, '--comment', 'default']);
    expect(result.exitCode).toBe(3);
    const batch = Number(result.stdout);
    expect(result.stderr).toBe(
      `${file}:4: not-a-word: "Pear" is not a word\n` +
        `${file}:7: invalid-utf8: the line is not valid UTF-8: save the file as UTF-8\n` +
        `Imported batch ${batch} from ${file}: 5 lines, 2 added, 1 duplicates, 0 updated, 2 rejected (not-a-word 1, invalid-utf8 1)\n`,
    );
    expect(words()).toEqual([
      { id: 1, word: 'apple', comment: 'a fruit', lang: '', operation_id: batch },
      { id: 2, word: 'berry', comment: 'default', lang: '', operation_id: batch },
    ]);
    const history = await cli(['operation', 'show', String(batch), '--json']);
    expect(history.json()).toMatchObject({
      id: batch,
      kind: 'words-import',
      summary: { lines: 5, added: 2, duplicates: 1, rejected: 2 },
      history: [
        {
          action: 'imported',
          entity: { type: 'words', id: batch },
          changes: { values: ['apple', 'berry'] },
        },
      ],
    });
  });

  it('writes the rejects file (duplicates included) and the JSON summary; reads CSV with its own column', async () => {
    const { cli, words } = await wordStore();
    const dir = tempDir();
    const file = writeInput(
      dir,
      'words.csv',
      'value,comment,lang\nkiwi,green,en\nfig,,fr\n"Lime",,\nkiwi,,en\n',
    );
    const rejects = join(dir, 'rejects.csv');
    const result = await cli(['words', 'import', file, '--rejects', rejects, '--json']);
    expect(result.exitCode).toBe(3);
    expect(result.json<SummaryJson>()).toEqual({
      batchId: expect.any(Number),
      dryRun: false,
      committed: true,
      lines: 4,
      added: 1,
      duplicates: 1,
      updated: 0,
      rejected: 2,
      rejectedByReason: { 'bad-row': 1, 'not-a-word': 1 },
      commentLines: 0,
    });
    expect(csvRecords(readFileSync(rejects, 'utf8'))).toEqual([
      { line: '3', raw: 'fig,,fr', reason: 'bad-row', message: 'lang is "fr"' },
      { line: '4', raw: '"Lime",,', reason: 'not-a-word', message: '"Lime" is not a word' },
      { line: '5', raw: 'kiwi,,en', reason: 'duplicate', message: 'kiwi is already listed' },
    ]);
    expect(words().map((w) => [w.word, w.comment, w.lang])).toEqual([['kiwi', 'green', 'en']]);
  });

  it('keeps nothing on --dry-run (real counts) or --strict with a reject (exit 7, still reported)', async () => {
    const { cli, words } = await wordStore();
    const dir = tempDir();
    const file = writeInput(dir, 'words.txt', 'plum\nCherry\n');
    const dry = await cli(['words', 'import', file, '--dry-run', '--json']);
    expect(dry.exitCode).toBe(3);
    expect(dry.json<SummaryJson>()).toMatchObject({
      batchId: null,
      dryRun: true,
      added: 1,
      rejected: 1,
    });
    const rejects = join(dir, 'strict.csv');
    const strict = await cli(['words', 'import', file, '--strict', '--rejects', rejects]);
    expect(strict).toMatchObject({ exitCode: 7, stdout: '' });
    expect(strict.stderr).toContain(`Nothing imported from ${file}: 2 lines, 1 added`);
    expect(csvRecords(readFileSync(rejects, 'utf8')).map((r) => r.reason)).toEqual(['not-a-word']);
    expect(words()).toEqual([]);
    const operations = await cli(['operation', 'list', '--json']);
    expect(operations.json<{ kind: string }[]>().map((o) => o.kind)).not.toContain('words-import');
  });

  it('is one transaction: a failure halfway leaves the list as it was, and no rejects file', async () => {
    const { cli, words } = await wordStore();
    const dir = tempDir();
    const rejects = join(dir, 'r.csv');
    const file = writeInput(dir, 'words.txt', 'one\nTWO\nexplode\nthree\n');
    const result = await cli(['words', 'import', file, '--rejects', rejects]);
    expect(result).toMatchObject({
      exitCode: 7,
      stderr: 'error: line 3: the word list cannot take it\n',
    });
    expect(words()).toEqual([]);
    expect(existsSync(rejects)).toBe(false);
  });

  it('refuses binary input in its own words, before anything is written', async () => {
    const { cli, words } = await wordStore();
    const binary = writeInput(tempDir(), 'w.bin', Buffer.from([0x61, 0, 0x62, 0x0a]));
    const refused = await cli(['words', 'import', binary]);
    expect(refused).toMatchObject({
      exitCode: 7,
      stderr:
        'error: the input looks like a binary file, not a list of words: is this the right file?\n',
    });
    expect(words()).toEqual([]);
  });

  it('is undone by crmctl undo with the list’s own handler; twice is exit 5', async () => {
    const { cli, words } = await wordStore();
    const file = writeInput(tempDir(), 'words.txt', 'grape\nmelon;sweet\n');
    const batch = Number((await cli(['words', 'import', file])).stdout);
    expect(words()).toHaveLength(2);
    const undo = await cli(['undo', String(batch), '--json']);
    expect(undo.exitCode, undo.stderr).toBe(0);
    expect(undo.json()).toMatchObject({
      undone: batch,
      kind: 'words-import',
      dryRun: false,
      changes: { words: { removed: 2 } },
    });
    expect(words()).toEqual([]);
    const again = await cli(['undo', String(batch)]);
    expect(again.exitCode).toBe(5);
    expect(again.stderr).toMatch(/^error: operation \d+ \(words-import\) was already undone at /);
  });

  it('JSON lines on stderr under -o json, one per rejected line', async () => {
    const { cli } = await wordStore();
    const file = writeInput(tempDir(), 'w.txt', 'Bad\nok\n');
    const result = await cli(['words', 'import', file, '-o', 'json']);
    expect(result.exitCode).toBe(3);
    expect(jsonLines<ReportedJson>(result.stderr)).toEqual([
      { line: 1, raw: 'Bad', reason: 'not-a-word', message: '"Bad" is not a word' },
    ]);
  });
});

describe('runImport, called by a service', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  async function session(): Promise<Session> {
    const { db } = await wordStore();
    store = openStore(db, { busyTimeoutMs: 1000 });
    return new Session({
      store,
      clock: fixedClock(new Date(now)),
      actor: { login: osLogin, cause: { kind: 'user', id: null }, command: 'words import' },
    });
  }

  it('runs inside the caller’s write, under its operation; outside one it fails loudly', async () => {
    const words = await session();
    const sink = wordsSink(words);
    const open = () => Readable.from([Buffer.from('alpha\nbeta\nalpha\n')]);
    await expect(runImport(words, open, { format: 'lines' }, sink)).rejects.toThrow(
      /must run inside session\.write/,
    );
    const summary = await words.writeAsync(() => runImport(words, open, { format: 'lines' }, sink));
    expect(summary).toMatchObject({ batchId: words.operationId, added: 2, duplicates: 1 });
    expect(words.db.prepare('SELECT word, operation_id FROM words').all()).toEqual([
      { word: 'alpha', operation_id: words.operationId },
      { word: 'beta', operation_id: words.operationId },
    ]);
  });

  it('importList: a strict rejection rolls back and names no batch; the hooks see each line', async () => {
    const words = await session();
    const seen: string[] = [];
    const summary = await importList(
      words,
      () => Readable.from([Buffer.from('alpha\nBeta\n')]),
      { format: 'lines', strict: true },
      wordsSink(words),
      { onRejected: (line) => seen.push(`${line.line}:${line.reason}`) },
    );
    expect(summary).toMatchObject({ batchId: null, committed: false, added: 1, rejected: 1 });
    expect(seen).toEqual(['2:not-a-word']);
    expect(words.db.prepare('SELECT count(*) FROM words').pluck().get()).toBe(0);
  });
});
