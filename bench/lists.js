// Long lists (issue 7 §6): `exceptions list --json`, `exceptions list -o csv` and `exceptions
// export` on stores of 200,000 and 2,000,000 entries, read through a pipe as fast as it comes:
// peak memory at most 150 MB and within 10% between the two sizes (memory flat as the list
// grows); and a terminal's table of the first 100 rows of the large store in under 300 ms,
// drawn on a real pseudo-terminal by `script` (util-linux).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bin, crmctl, dataDir, measurePeak, median, round, saveResult, summary } from './lib.js';

const require = createRequire(import.meta.url);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const ttyRuns = Number(process.env.BENCH_TTY_RUNS ?? 10);
const dir = join(dataDir, 'lists');
const sizes = { small: 200_000, large: 2_000_000 };
const targets = { peakMb: 150, growth: 0.1, ttyMs: 300 };

/** A store of `count` entries, half phones and half emails with comments, written straight by SQL. */
function ensureStore(name, count) {
  const store = join(dir, name);
  if (existsSync(store)) return store;
  console.log(`seeding ${count.toLocaleString('en-US')} entries → ${store}`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${store}${suffix}`, { force: true });
  crmctl(['init', '--quiet'], { CRMCTL_DB: store });
  const Database = require('better-sqlite3');
  const db = new Database(store);
  const insert = db.prepare(
    `INSERT INTO exceptions (type, value, match_key, raw, comment, source, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, 'import', ?, 'admin')`,
  );
  const at = '2026-01-01T00:00:00.000Z';
  db.transaction(() => {
    for (let i = 1; i <= count; i++) {
      if (i % 2) {
        const phone = `+4420${String(10_000_000 + i).padStart(8, '0')}`;
        insert.run('phone', phone, phone, phone, i % 10 === 1 ? 'cold caller' : '', at);
      } else {
        const email = `sender${i}@spam${i % 97}.example`;
        insert.run('email', email, email, email, `newsletter ${i % 1000}`, at);
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return store;
}

const commands = {
  'exceptions list --json': ['exceptions', 'list', '--json'],
  'exceptions list -o csv': ['exceptions', 'list', '-o', 'csv'],
  'exceptions export': ['exceptions', 'export'],
};

/** Median seconds and peak RSS of `runs` runs, and the bytes read from its stdout. */
async function measureRuns(args, store) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    results.push(await measurePeak([bin, ...args], { CRMCTL_DB: store }, { readStdout: true }));
  }
  return {
    seconds: summary(results.map((r) => r.seconds)),
    peakMb: summary(results.map((r) => r.peakMb)),
    stdoutMb: round(median(results.map((r) => r.stdoutBytes)) / 2 ** 20),
  };
}

/** Wall time of `crmctl exceptions list` drawing its table on a pseudo-terminal of 120 columns. */
function ttyTable(store) {
  const which = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (which.error) return { skipped: 'script (util-linux) is not installed' };
  const command = `stty cols 120 rows 50; exec "${process.execPath}" "${bin}" exceptions list`;
  const env = { ...process.env, CRMCTL_DB: store, NO_COLOR: '1' };
  const once = () => {
    const started = process.hrtime.bigint();
    const result = spawnSync('script', ['-qec', command, '/dev/null'], {
      env,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`script exited ${result.status}: ${result.stdout}`);
    return { ms, output: result.stdout };
  };
  const { output } = once();
  const rows = output.split('\n').filter((line) => /^│ \d/.test(line)).length;
  const note = /Showing 100 of [\d,]+/.exec(output)?.[0] ?? null;
  const times = Array.from({ length: ttyRuns }, () => once().ms);
  return {
    how: 'script -qec (a real pseudo-terminal), 120 columns',
    rows,
    note,
    ms: summary(times),
  };
}

export async function runLists() {
  mkdirSync(dir, { recursive: true });
  const stores = {
    small: ensureStore('small.db', sizes.small),
    large: ensureStore('large.db', sizes.large),
  };
  const measured = {};
  let pass = true;
  for (const [name, args] of Object.entries(commands)) {
    const small = await measureRuns(args, stores.small);
    const large = await measureRuns(args, stores.large);
    const growth = round(large.peakMb.median / small.peakMb.median - 1, 3);
    const ok = large.peakMb.median <= targets.peakMb && growth <= targets.growth;
    pass &&= ok;
    measured[name] = { [sizes.small]: small, [sizes.large]: large, peakGrowth: growth, pass: ok };
    console.log(
      `lists: ${name}: ${sizes.small.toLocaleString('en-US')} entries ${small.seconds.median} s ${small.peakMb.median} MB; ` +
        `${sizes.large.toLocaleString('en-US')} entries ${large.seconds.median} s ${large.peakMb.median} MB ` +
        `(${(growth * 100).toFixed(1)}%) → ${ok ? 'ok' : 'FAIL'}`,
    );
  }
  const tty = ttyTable(stores.large);
  if (!tty.skipped) {
    const ok = tty.ms.median < targets.ttyMs && tty.rows === 100;
    pass &&= ok;
    tty.pass = ok;
    console.log(
      `lists: exceptions list on a terminal (${sizes.large.toLocaleString('en-US')} entries): ` +
        `${tty.rows} rows, "${tty.note}", median ${tty.ms.median} ms → ${ok ? 'ok' : 'FAIL'}`,
    );
  } else {
    console.log(`lists: terminal table skipped: ${tty.skipped}`);
  }
  const result = {
    entries: sizes,
    targets,
    runs,
    pass,
    commands: measured,
    terminalTable: tty,
  };
  const file = saveResult('lists', result);
  console.log(`lists → ${file}`);
  return result;
}
