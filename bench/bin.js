// The recycle bin (issue 9): a store with 1,000,000 binned items, each with a contact and 3
// history rows, built with bulk SQL.
// - `recycle-bin purge --older-than 30d --yes` of half of them, against a bare
//   `DELETE FROM bin_entries WHERE deleted_at < ?` of the same rows on a copy of the same store,
//   in the same run, pair by pair: at most 3× the time; peak RSS of the purge under 200 MB.
// - `recycle-bin list --search PHONE` in another spelling (national, default country GB) than
//   stored (E.164): under 300 ms, the whole process.
// - `item delete --stage New --type lead --yes` of 100,000 items in one command: at least
//   20,000 items/s, the whole process.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bin, crmctl, dataDir, measurePeak, median, round, saveResult, summary } from './lib.js';

const require = createRequire(import.meta.url);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const searchRuns = Number(process.env.BENCH_SEARCH_RUNS ?? 10);
const binned = Number(process.env.BENCH_BIN_ITEMS ?? 1_000_000);
const deleting = Number(process.env.BENCH_DELETE_ITEMS ?? 100_000);
const dir = join(dataDir, 'bin');
const now = '2026-03-01T00:00:00.000Z';
const day = 86_400_000;
const targets = { purgeRatio: 3, purgePeakMb: 200, searchMs: 300, deletePerSecond: 20_000 };

const phoneOf = (i) => `+4420${String(70_000_000 + i).padStart(8, '0')}`;
/** The same number as a person in London writes it: 020 7xxx xxxx. */
const nationalOf = (i) => {
  const digits = phoneOf(i).slice(3);
  return `0${digits.slice(0, 2)} ${digits.slice(2, 6)} ${digits.slice(6)}`;
};

function removeStore(path) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * A store as a year of deleting leaves it: `count` deals in the bin, each with a live contact
 * (with a phone) and 3 history rows (created, updated, deleted); one operation per 1,000
 * deletions; half deleted 31 to 60 days ago, half in the last 29 days.
 */
function ensureBinStore(count) {
  const store = join(dir, `binned-${count}.db`);
  if (existsSync(store)) return store;
  console.log(`bin: seeding ${count.toLocaleString('en-US')} binned items → ${store}`);
  removeStore(store);
  crmctl(['init', '--quiet'], { CRMCTL_DB: store });
  crmctl(['settings', 'set', 'default-country', 'GB', '--quiet'], { CRMCTL_DB: store });
  const Database = require('better-sqlite3');
  const db = new Database(store);
  db.pragma('journal_mode = WAL');
  const pipeline = db
    .prepare("SELECT id, name FROM pipelines WHERE type = 'deal' AND is_default = 1")
    .get();
  const stage = db
    .prepare(
      'SELECT id, name, semantic FROM stages WHERE pipeline_id = ? ORDER BY position LIMIT 1',
    )
    .get(pipeline.id);
  const user = db.prepare('SELECT id, login FROM users ORDER BY id LIMIT 1').get();
  const insertContact = db.prepare(
    'INSERT INTO contacts (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)',
  );
  const insertPoint = db.prepare(
    `INSERT INTO contact_points (owner_type, owner_id, kind, value, match_key, raw) VALUES ('contact', ?, 'phone', ?, ?, ?)`,
  );
  const insertOperation = db.prepare(
    `INSERT INTO operations (id, kind, actor, command, at, summary) VALUES (?, 'item-delete', ?, 'item delete', ?, '{}')`,
  );
  const insertHistory = db.prepare(
    `INSERT INTO history (at, actor, cause_kind, command, action, entity_type, entity_id, changes, operation_id)
     VALUES (?, ?, 'user', ?, ?, 'item', ?, ?, ?)`,
  );
  const insertEntry = db.prepare(
    `INSERT INTO bin_entries (id, kind, entity_id, entity_type, title, deleted_at, deleted_by, operation_id, related, snapshot)
     VALUES (?, 'item', ?, 'deal', ?, ?, ?, ?, '[]', ?)`,
  );
  const insertKey = db.prepare('INSERT INTO bin_keys (bin_id, key) VALUES (?, ?)');
  const base = Date.parse(now);
  const firstOp = db.prepare('SELECT coalesce(max(id), 0) FROM operations').pluck().get();
  const created = '2025-06-01T09:00:00.000Z';
  db.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const phone = phoneOf(i);
      insertContact.run(i, `Contact ${i}`, created, created);
      insertPoint.run(i, phone, phone, phone);
      // Evenly from 60 days ago to 1 day ago, oldest first: the first half is past 30 days.
      const deletedAt = new Date(
        base - 60 * day + Math.floor(((i - 1) / count) * 59 * day),
      ).toISOString();
      const op = firstOp + Math.ceil(i / 1000);
      if (i % 1000 === 1) insertOperation.run(op, user.login, deletedAt);
      const title = `Deal ${i}`;
      insertHistory.run(
        created,
        user.login,
        'item add',
        'created',
        i,
        JSON.stringify({ type: 'deal', title }),
        null,
      );
      insertHistory.run(
        created,
        user.login,
        'item update',
        'updated',
        i,
        '{"amount":{"from":null,"to":100}}',
        null,
      );
      insertHistory.run(
        deletedAt,
        user.login,
        'item delete',
        'deleted',
        i,
        JSON.stringify({ title, type: 'deal', binId: i }),
        op,
      );
      const snapshot = {
        item: {
          id: i,
          type: 'deal',
          pipeline_id: pipeline.id,
          stage_id: stage.id,
          title,
          amount: 100,
          currency: 'USD',
          responsible_id: user.id,
          contact_id: i,
          company_id: null,
          source: 'manual',
          fields: '{}',
          created_at: created,
          updated_at: created,
          pipeline_name: pipeline.name,
          stage_name: stage.name,
          stage_semantic: stage.semantic,
          responsible_login: user.login,
          client_keys: [phone],
        },
      };
      insertEntry.run(i, i, title, deletedAt, user.login, op, JSON.stringify(snapshot));
      insertKey.run(i, phone);
    }
    // Items and contacts go on from here: ids are never reused.
    for (const table of ['items', 'contacts', 'bin_entries', 'operations']) {
      const seq = table === 'operations' ? firstOp + Math.ceil(count / 1000) : count;
      db.prepare('DELETE FROM sqlite_sequence WHERE name = ?').run(table);
      db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(table, seq);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return store;
}

/** A store with `count` leads (each with its own phone) in the first stage of the lead pipeline. */
function ensureDeleteStore(count) {
  const store = join(dir, `leads-${count}.db`);
  if (existsSync(store)) return store;
  console.log(`bin: seeding ${count.toLocaleString('en-US')} leads → ${store}`);
  removeStore(store);
  crmctl(['init', '--quiet'], { CRMCTL_DB: store });
  const Database = require('better-sqlite3');
  const db = new Database(store);
  db.pragma('journal_mode = WAL');
  const pipeline = db
    .prepare("SELECT id FROM pipelines WHERE type = 'lead' AND is_default = 1")
    .get();
  const stage = db
    .prepare('SELECT id FROM stages WHERE pipeline_id = ? ORDER BY position LIMIT 1')
    .get(pipeline.id);
  const insertItem = db.prepare(
    `INSERT INTO items (type, pipeline_id, stage_id, title, amount, currency, responsible_id, contact_id, company_id, source, fields, created_at, updated_at)
     VALUES ('lead', ?, ?, ?, NULL, NULL, NULL, NULL, NULL, 'form', '{"campaign":"spring"}', ?, ?)`,
  );
  const insertPoint = db.prepare(
    `INSERT INTO contact_points (owner_type, owner_id, kind, value, match_key, raw) VALUES ('item', ?, 'phone', ?, ?, ?)`,
  );
  const at = '2026-02-01T00:00:00.000Z';
  db.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const id = Number(insertItem.run(pipeline.id, stage.id, `Lead ${i}`, at, at).lastInsertRowid);
      const phone = phoneOf(i);
      insertPoint.run(id, phone, phone, phone);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return store;
}

function copyStore(from, to) {
  removeStore(to);
  copyFileSync(from, to);
  return to;
}

/** The bare reference: one DELETE of the same rows, on a connection set up as crmctl sets its own. */
const referenceScript = `
const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
const db = new Database(process.argv[1]);
db.pragma('foreign_keys = ON');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('BEGIN IMMEDIATE');
const { changes } = db.prepare('DELETE FROM bin_entries WHERE deleted_at < ?').run(process.argv[2]);
db.exec('COMMIT');
db.close();
process.stdout.write(String(changes));
`;

async function purgeRuns(store) {
  const purge = [];
  const reference = [];
  const cutoff = new Date(Date.parse(now) - 30 * day).toISOString();
  let purged = 0;
  let deletedByReference = 0;
  for (let i = 0; i < runs; i++) {
    const a = copyStore(store, join(dir, 'purge.db'));
    const measured = await measurePeak(
      [bin, 'recycle-bin', 'purge', '--older-than', '30d', '--yes', '--json'],
      { CRMCTL_DB: a, CRMCTL_NOW: now, CRMCTL_USER: '' },
      { readStdout: false },
    );
    purge.push(measured);
    if (i === 0) {
      const Database = require('better-sqlite3');
      const db = new Database(a, { readonly: true });
      purged = binned - db.prepare('SELECT count(*) FROM bin_entries').pluck().get();
      db.close();
    }
    const b = copyStore(store, join(dir, 'reference.db'));
    const started = process.hrtime.bigint();
    const ref = spawnSync(process.execPath, ['-e', referenceScript, b, cutoff], {
      encoding: 'utf8',
    });
    if (ref.status !== 0) throw new Error(`reference failed: ${ref.stderr}`);
    reference.push(Number(process.hrtime.bigint() - started) / 1e9);
    deletedByReference = Number(ref.stdout);
  }
  rmSync(join(dir, 'purge.db'), { force: true });
  rmSync(join(dir, 'reference.db'), { force: true });
  const ratios = purge.map((p, i) => p.seconds / reference[i]);
  return {
    purged,
    deletedByReference,
    seconds: summary(purge.map((p) => p.seconds)),
    referenceSeconds: summary(reference),
    ratio: round(median(ratios), 2),
    peakMb: summary(purge.map((p) => p.peakMb)),
  };
}

function searchRuns_(store) {
  const i = Math.floor(binned * 0.73);
  const spelling = nationalOf(i);
  const times = [];
  // Bare `node -e 0` taken between the searches: how loaded the machine was.
  const bare = [];
  let found = 0;
  for (let run = 0; run < searchRuns + 1; run++) {
    const nodeStarted = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    if (run > 0) bare.push(Number(process.hrtime.bigint() - nodeStarted) / 1e6);
    const started = process.hrtime.bigint();
    const result = spawnSync(
      process.execPath,
      [bin, 'recycle-bin', 'list', '--search', spelling, '--json'],
      {
        env: { ...process.env, CRMCTL_DB: store, CRMCTL_NOW: now },
        encoding: 'utf8',
      },
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`search failed: ${result.stderr}`);
    found = JSON.parse(result.stdout).length;
    if (run > 0) times.push(ms);
  }
  return { spelling, stored: phoneOf(i), found, ms: summary(times), bareNodeMs: summary(bare) };
}

async function deleteRuns(store) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const copy = copyStore(store, join(dir, 'delete.db'));
    const measured = await measurePeak(
      [bin, 'item', 'delete', '--stage', 'New', '--type', 'lead', '--yes', '--json', '--quiet'],
      { CRMCTL_DB: copy, CRMCTL_NOW: now },
      { readStdout: true },
    );
    // CPU seconds too (user + system, GNU time): on a loaded machine the wall time is mostly waiting.
    const again = copyStore(store, join(dir, 'delete.db'));
    const timed = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        '%U %S',
        process.execPath,
        bin,
        'item',
        'delete',
        '--stage',
        'New',
        '--type',
        'lead',
        '--yes',
        '--quiet',
      ],
      { env: { ...process.env, CRMCTL_DB: again, CRMCTL_NOW: now }, encoding: 'utf8' },
    );
    const [user, system] = (timed.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    measured.cpuSeconds = timed.status === 0 ? (user ?? 0) + (system ?? 0) : null;
    results.push(measured);
  }
  rmSync(join(dir, 'delete.db'), { force: true });
  const cpu = results.map((r) => r.cpuSeconds).filter((c) => typeof c === 'number');
  return {
    items: deleting,
    seconds: summary(results.map((r) => r.seconds)),
    itemsPerSecond: Math.round(deleting / median(results.map((r) => r.seconds))),
    cpuSeconds: cpu.length ? summary(cpu) : null,
    itemsPerCpuSecond: cpu.length ? Math.round(deleting / median(cpu)) : null,
    peakMb: summary(results.map((r) => r.peakMb)),
  };
}

export async function runBin() {
  mkdirSync(dir, { recursive: true });
  const store = ensureBinStore(binned);
  const leads = ensureDeleteStore(deleting);
  const sizeMb = round(statSync(store).size / 2 ** 20);
  const purge = await purgeRuns(store);
  const search = searchRuns_(store);
  const del = await deleteRuns(leads);
  const pass = {
    purgeRatio: purge.ratio <= targets.purgeRatio,
    purgePeak: purge.peakMb.median < targets.purgePeakMb,
    search: search.ms.median < targets.searchMs && search.found === 1,
    delete: del.itemsPerSecond >= targets.deletePerSecond,
  };
  console.log(
    `bin: purge --older-than 30d of ${purge.purged.toLocaleString('en-US')} of ${binned.toLocaleString('en-US')} entries (${sizeMb} MB store): ` +
      `${purge.seconds.median} s vs bare DELETE ${purge.referenceSeconds.median} s (×${purge.ratio}, target ≤ ${targets.purgeRatio}), ` +
      `peak ${purge.peakMb.median} MB (target < ${targets.purgePeakMb}) → ${pass.purgeRatio && pass.purgePeak ? 'ok' : 'FAIL'}`,
  );
  console.log(
    `bin: list --search "${search.spelling}" (stored ${search.stored}): ${search.found} found, median ${search.ms.median} ms (target < ${targets.searchMs}; bare node -e 0 ${search.bareNodeMs.median} ms in the same run) → ${pass.search ? 'ok' : 'FAIL'}`,
  );
  console.log(
    `bin: item delete --stage of ${deleting.toLocaleString('en-US')} items: ${del.seconds.median} s, ${del.itemsPerSecond.toLocaleString('en-US')} items/s (target ≥ ${targets.deletePerSecond.toLocaleString('en-US')}; ${del.itemsPerCpuSecond?.toLocaleString('en-US')} items per CPU second), peak ${del.peakMb.median} MB → ${pass.delete ? 'ok' : 'FAIL'}`,
  );
  const result = {
    binnedItems: binned,
    storeMb: sizeMb,
    targets,
    runs,
    pass: Object.values(pass).every(Boolean),
    purge,
    search,
    delete: del,
  };
  const file = saveResult('bin', result);
  console.log(`bin → ${file}`);
  return result;
}
