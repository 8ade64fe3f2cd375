// Automation (issue 10): 100,000 deals moved in one command into a stage with 3 immediate rules
// (send-sms, create-task, set-field) and 1 delayed rule, then `automation run --until` a day
// later: items/s of the move and jobs/s of the run, against a bare reference doing the same
// inserts and updates with prepared statements in one transaction. Target: within 4×, peak RSS
// under 300 MB. The reference writes the rows the actions write (outbox, tasks, history, log).
// Until send-sms and create-task exist (`rule actions`), add-comment stands in.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bin, crmctl, dataDir, measurePeak, round, saveResult, summary } from './lib.js';

const require = createRequire(import.meta.url);
const count = Number(process.env.BENCH_DEALS ?? 100_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const now = '2026-12-01T09:00:00Z';
const targets = { ratio: 4, peakMb: 300 };

function seed(store) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${store}${suffix}`, { force: true });
  const env = { CRMCTL_DB: store, CRMCTL_NOW: now };
  crmctl(['init', '--quiet'], env);
  const actions = JSON.parse(crmctl(['rule', 'actions', '--json'], env)).map((a) => a.name);
  const has = (name) => actions.includes(name);
  const rule = (...args) =>
    crmctl(['rule', 'add', '--stage', 'Preparing documents', ...args, '--quiet'], env);
  rule(
    ...(has('send-sms')
      ? ['--action', 'send-sms', '--param', 'text=Hello {{title}}']
      : ['--action', 'add-comment', '--param', 'text=sms {{title}}']),
  );
  rule(
    ...(has('create-task')
      ? ['--action', 'create-task', '--param', 'title=Call {{title}}']
      : ['--action', 'add-comment', '--param', 'text=task {{title}}']),
  );
  rule('--action', 'set-field', '--param', 'field=state', '--param', 'value=documents');
  // Every deal's client, with a phone the SMS goes to.
  crmctl(['contact', 'add', '--name', 'Ann Lee', '--phone', '+442079460958', '--quiet'], env);
  rule('--action', 'add-comment', '--param', 'text=reminder', '--delay', '2h');
  const Database = require('better-sqlite3');
  const db = new Database(store);
  const first = db
    .prepare(
      "SELECT id, pipeline_id FROM stages WHERE name = 'New' AND pipeline_id = (SELECT id FROM pipelines WHERE type = 'deal' AND is_default = 1)",
    )
    .get();
  const insert = db.prepare(
    `INSERT INTO items (type, pipeline_id, stage_id, title, fields, created_at, updated_at, source, contact_id)
     VALUES ('deal', ?, ?, ?, '{}', ?, ?, 'manual', 1)`,
  );
  db.transaction(() => {
    for (let i = 1; i <= count; i++) insert.run(first.pipeline_id, first.id, `Deal ${i}`, now, now);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { env, usedStandIns: !has('send-sms') || !has('create-task') };
}

/** The bare reference: the same rows written with prepared statements in one transaction. */
function reference(store) {
  const Database = require('better-sqlite3');
  const db = new Database(store);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const target = db
    .prepare(
      "SELECT id FROM stages WHERE name = 'Preparing documents' AND pipeline_id = (SELECT id FROM pipelines WHERE type = 'deal' AND is_default = 1)",
    )
    .pluck()
    .get();
  const ids = db.prepare("SELECT id FROM items WHERE type = 'deal'").pluck().all();
  const move = db.prepare('UPDATE items SET stage_id = ?, updated_at = ? WHERE id = ?');
  const history = db.prepare(
    `INSERT INTO history (at, actor, cause_kind, command, action, entity_type, entity_id, changes) VALUES (?, 'admin', 'user', 'ref', ?, 'item', ?, ?)`,
  );
  const sms = db.prepare(
    `INSERT INTO outbox (channel, recipient, text, item_id, rule_id, created_at, created_by) VALUES ('sms', '+442079460958', ?, ?, 1, ?, 'system')`,
  );
  const task = db.prepare(
    `INSERT INTO tasks (title, item_id, stage_id, rule_id, status, created_at, created_by) VALUES (?, ?, ?, 2, 'open', ?, 'system')`,
  );
  const setField = db.prepare(
    `UPDATE items SET fields = json_set(fields, '$.state', 'documents') WHERE id = ?`,
  );
  const log = db.prepare(
    `INSERT INTO automation_log (kind, rule_id, item_id, status, executed_at, detail) VALUES ('rule', ?, ?, 'done', ?, 'x')`,
  );
  const job = db.prepare(
    `INSERT INTO automation_jobs (rule_id, item_id, stage_id, status, due_at, chain_id, hop, path, created_at) VALUES (4, ?, ?, 'pending', ?, ?, 0, '[]', ?)`,
  );
  const at = new Date(now).toISOString();
  let started = process.hrtime.bigint();
  db.transaction(() => {
    for (const id of ids) {
      move.run(target, at, id);
      history.run(at, 'stage-changed', id, '{}');
      // send-sms and create-task: their row, its history entry and the log entry.
      sms.run(`Hello Deal ${id}`, id, at);
      history.run(at, 'sms-queued', id, '{"to":"+442079460958"}');
      log.run(1, id, at);
      task.run(`Call Deal ${id}`, id, target, at);
      history.run(at, 'task-created', id, '{"title":"Call"}');
      log.run(2, id, at);
      setField.run(id);
      history.run(at, 'updated', id, '{}');
      log.run(3, id, at);
      job.run(id, target, at, id, at);
    }
  })();
  const moveSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const pending = db
    .prepare(`SELECT id, item_id FROM automation_jobs WHERE status = 'pending' ORDER BY due_at, id`)
    .all();
  const done = db.prepare(`UPDATE automation_jobs SET status = 'done' WHERE id = ?`);
  started = process.hrtime.bigint();
  db.transaction(() => {
    for (const row of pending) {
      history.run(at, 'commented', row.item_id, '{"text":"reminder"}');
      done.run(row.id);
      log.run(4, row.item_id, at);
    }
  })();
  const runSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return { moveSeconds, runSeconds, jobs: pending.length };
}

export async function runAutomation() {
  const results = [];
  const refs = [];
  let usedStandIns = false;
  for (let i = 0; i < runs; i++) {
    const store = join(dataDir, 'automation', 'crm.db');
    const ref = join(dataDir, 'automation', 'ref.db');
    require('node:fs').mkdirSync(join(dataDir, 'automation'), { recursive: true });
    const seeded = seed(store);
    usedStandIns = seeded.usedStandIns;
    seed(ref);
    refs.push(reference(ref));
    const move = await measurePeak(
      [bin, 'item', 'move', '--from-stage', 'New', '--stage', 'Preparing documents', '--quiet'],
      seeded.env,
    );
    const run = await measurePeak(
      [bin, 'automation', 'run', '--until', '2026-12-02T09:00:00Z', '--quiet'],
      seeded.env,
    );
    results.push({ move, run });
  }
  const moveItemsPerSecond = summary(results.map((r) => count / r.move.seconds));
  const runJobsPerSecond = summary(results.map((r) => count / r.run.seconds));
  const refMove = summary(refs.map((r) => count / r.moveSeconds));
  const refRun = summary(refs.map((r) => r.jobs / r.runSeconds));
  const result = {
    deals: count,
    runs,
    usedStandIns,
    move: {
      itemsPerSecond: moveItemsPerSecond,
      peakMb: summary(results.map((r) => r.move.peakMb)),
    },
    run: { jobsPerSecond: runJobsPerSecond, peakMb: summary(results.map((r) => r.run.peakMb)) },
    reference: { moveItemsPerSecond: refMove, runJobsPerSecond: refRun },
    ratio: {
      move: round(refMove.median / moveItemsPerSecond.median, 2),
      run: round(refRun.median / runJobsPerSecond.median, 2),
    },
    targets,
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`→ ${saveResult('automation', result)}`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) await runAutomation();
