// The telephony benchmark (issue 11):
// - a replay of 1,000,000 simulated calls from 50,000 numbers over a simulated week through
//   receiveIncomingCall, the service `call incoming` runs, in one process (telephony-replay.js):
//   calls/s, target ≥ 20,000;
// - `blacklist check NUMBER` cold on a store with 1,000,000 blacklist entries, against bare
//   `node -e 0` in the same run: target ≤ 30 ms slower;
// - a 1,000,000-line `blacklist import` against the exceptions import of the same file into an
//   empty store, interleaved in the same run: target within ±15% of its throughput.
// BENCH_RUNS sets the runs of the imports (default 3), BENCH_REPLAY_RUNS those of the replay
// (default 3; each 1M-call replay takes minutes), BENCH_CALLS the calls.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  bin,
  crmctl,
  dataDir,
  interleave,
  measurePeak,
  median,
  medianDifference,
  round,
  saveResult,
  summary,
  timeProcess,
} from './lib.js';

const require = createRequire(import.meta.url);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const replayRuns = Number(process.env.BENCH_REPLAY_RUNS ?? 3);
const calls = Number(process.env.BENCH_CALLS ?? 1_000_000);
const dir = join(dataDir, 'telephony');

function freshStore(name) {
  const store = join(dir, name);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${store}${suffix}`, { force: true });
  crmctl(['init', '--quiet'], { CRMCTL_DB: store });
  return store;
}

/** One replay in its own process; returns its JSON line. */
function replay(env, count = calls) {
  const store = freshStore('replay.db');
  const result = spawnSync(
    process.execPath,
    [join(import.meta.dirname, 'telephony-replay.js'), store, String(count), '50000'],
    { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (result.status !== 0) throw new Error(`replay failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

/** mulberry32: the same numbers and calls every run. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * LINES lines of London numbers in mixed spellings (E.164, international with spaces,
 * national), half with a comment, ~2% duplicates in another spelling, ~1% invalid, ~0.5%
 * emails: the same file for both lists.
 */
async function generateNumbers(lines, file, seed) {
  const next = random(seed);
  const out = createWriteStream(file);
  const comments = [
    'robocaller',
    'said "stop calling"; twice',
    'spam',
    '=HYPERLINK("x")',
    'réclamation',
  ];
  const seen = [];
  let buffer = '';
  for (let i = 0; i < lines; i++) {
    const roll = next();
    let digits;
    if (roll < 0.02 && seen.length > 0) digits = seen[Math.floor(next() * seen.length)];
    else {
      digits = String(70_000_000 + Math.floor(next() * 19_999_999));
      if (seen.length < 100_000) seen.push(digits);
    }
    const style = next();
    let value =
      style < 0.4
        ? `+4420${digits}`
        : style < 0.7
          ? `+44 20 ${digits.slice(0, 4)} ${digits.slice(4)}`
          : `020 ${digits.slice(0, 4)} ${digits.slice(4)}`;
    if (roll > 0.99) value = '12';
    else if (roll > 0.985) value = `caller${i}@example.com`;
    const comment = next() < 0.5 ? `;${comments[Math.floor(next() * comments.length)]}` : '';
    buffer += `${value}${comment}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await new Promise((resolve) => out.once('drain', resolve));
      buffer = '';
    }
  }
  out.end(buffer);
  await new Promise((resolve) => out.on('finish', resolve));
}

/** Tops the blacklist up to `count` entries straight through SQLite; returns one listed number. */
function fillBlacklist(store, count) {
  const Database = require('better-sqlite3');
  const db = new Database(store);
  db.pragma('journal_mode = WAL');
  const have = db.prepare('SELECT count(*) FROM blacklist').pluck().get();
  const insert = db.prepare(
    `INSERT INTO blacklist (number, raw, comment, source, created_at, created_by)
     VALUES (?, ?, '', 'manual', '2026-06-01T00:00:00.000Z', 'bench') ON CONFLICT DO NOTHING`,
  );
  db.transaction(() => {
    let added = have;
    for (let n = 0; added < count; n++) {
      const number = `+1650${String(2_000_000 + n).padStart(7, '0')}`;
      added += insert.run(number, number).changes;
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const total = db.prepare('SELECT count(*) FROM blacklist').pluck().get();
  const listed = db
    .prepare('SELECT raw FROM blacklist WHERE id = (SELECT max(id) / 2 FROM blacklist)')
    .pluck()
    .get();
  db.close();
  return { total, listed };
}

export async function runTelephony() {
  mkdirSync(dir, { recursive: true });
  // BENCH_TELEPHONY_ONLY=replay: only the replays with leads from calls off (BENCH_REPLAY_RUNS
  // of BENCH_CALLS calls), printed; the imports and checks take many minutes more. The result
  // file is left alone.
  if (process.env.BENCH_TELEPHONY_ONLY === 'replay') {
    const runs = [];
    for (let i = 0; i < replayRuns; i++) runs.push(replay({ BENCH_LEADS: 'off' }));
    const rates = summary(runs.map((r) => r.callsPerSecond));
    console.log(
      `telephony: replay of ${calls.toLocaleString('en-US')} calls (leads off): median ${rates.median} calls/s (${rates.min}-${rates.max}, ${rates.runs} runs; target >= 20000)`,
    );
    return { replay: rates };
  }

  // 1. The replay: batches of 1,000 calls a unit of work; leads from calls on (the default)
  // and off (then callers no item holds start nothing: the telephony path and the log alone).
  const replays = { off: [], on: [] };
  for (let i = 0; i < replayRuns; i++) replays.off.push(replay({ BENCH_LEADS: 'off' }));
  // With leads on, every new caller starts a lead (item, contact points, history): ~1 ms each.
  const leadsOnCount = Number(process.env.BENCH_CALLS_LEADS_ON ?? Math.min(calls, 200_000));
  replays.on.push(replay({ BENCH_LEADS: 'on' }, leadsOnCount));
  const perCallCount = Number(process.env.BENCH_CALLS_PER_CALL ?? Math.min(calls, 100_000));
  const perCall = replay({ BENCH_LEADS: 'off', BENCH_BATCH: '1' }, perCallCount);

  // 2. The imports: the same 1,000,000-line file into empty stores, interleaved.
  const file = join(dir, 'numbers-1m.txt');
  if (!existsSync(file)) {
    console.log(`generating 1,000,000 lines → ${file}`);
    await generateNumbers(1_000_000, file, 11);
  }
  const imports = { exceptions: [], blacklist: [] };
  for (let i = 0; i < runs; i++) {
    for (const list of ['exceptions', 'blacklist']) {
      const store = freshStore(`${list}-import.db`);
      const run = await measurePeak(
        [
          bin,
          list,
          'import',
          file,
          '--country',
          'GB',
          '--quiet',
          '--force',
          '--rejects',
          join(dir, `${list}-rejects.csv`),
        ],
        { CRMCTL_DB: store },
        { okStatuses: [3] },
      );
      imports[list].push({ ...run, linesPerSecond: 1_000_000 / run.seconds });
    }
  }
  const rate = (list) => median(imports[list].map((r) => r.linesPerSecond));
  const share = round(rate('blacklist') / rate('exceptions'), 3);

  // 3. `blacklist check` cold on 1,000,000 entries: the imported store, topped up.
  const store = join(dir, 'blacklist-import.db');
  const { total, listed } = fillBlacklist(store, 1_000_000);
  const env = { ...process.env, CRMCTL_DB: store };
  const node = () => timeProcess(process.execPath, ['-e', '0']);
  const check = (number) =>
    interleave(
      20,
      () =>
        timeProcess(process.execPath, [bin, 'blacklist', 'check', number, '-q'], {
          env,
          okStatuses: [0, 1],
        }),
      node,
    );
  const checks = {
    [`listed ${listed}`]: check(listed),
    'not listed +44 20 7946 0999': check('+44 20 7946 0999'),
    'national 020 7946 0999 (--country GB)': interleave(
      20,
      () =>
        timeProcess(
          process.execPath,
          [bin, 'blacklist', 'check', '020 7946 0999', '--country', 'GB', '-q'],
          {
            env,
            okStatuses: [0, 1],
          },
        ),
      node,
    ),
  };

  const callsPerSecond = (list) => summary(list.map((r) => r.callsPerSecond));
  const result = {
    replay: {
      calls,
      numbers: 50_000,
      batch: 1000,
      leadsFromCallsOff: {
        callsPerSecond: callsPerSecond(replays.off),
        verdicts: replays.off[0]?.verdicts,
      },
      leadsFromCallsOn: {
        calls: leadsOnCount,
        callsPerSecond: callsPerSecond(replays.on),
        verdicts: replays.on[0]?.verdicts,
      },
      oneTransactionPerCall: {
        calls: perCallCount,
        callsPerSecond: round(perCall.callsPerSecond),
        leads: 'off',
      },
      target: '>= 20000 calls/s',
    },
    import: {
      lines: 1_000_000,
      exceptions: {
        linesPerSecond: summary(imports.exceptions.map((r) => r.linesPerSecond)),
        peakRssMb: summary(imports.exceptions.map((r) => r.peakMb)),
      },
      blacklist: {
        linesPerSecond: summary(imports.blacklist.map((r) => r.linesPerSecond)),
        peakRssMb: summary(imports.blacklist.map((r) => r.peakMb)),
      },
      blacklistShareOfExceptions: share,
      target: '0.85 to 1.15',
    },
    check: {
      entries: total,
      ...Object.fromEntries(
        Object.entries(checks).map(([name, { a, b }]) => [
          name,
          { crmctlMs: summary(a), nodeMs: summary(b), differenceMs: medianDifference(a, b) },
        ]),
      ),
      target: 'differenceMs <= 30',
    },
  };
  const saved = saveResult('telephony', result);
  console.log(
    `telephony: replay ${result.replay.leadsFromCallsOff.callsPerSecond.median} calls/s (leads off), ` +
      `${result.replay.leadsFromCallsOn.callsPerSecond.median} (leads on); import ${share} of the exceptions import; ` +
      `check +${result.check[`listed ${listed}`].differenceMs} ms over node -e 0 → ${saved}`,
  );
  return result;
}
