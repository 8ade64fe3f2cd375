// The exceptions import benchmark (issue 3): a generated 1,000,000-line file imported into a
// store that already holds 1,000,000 entries, against a bare reference in the same run; peak
// memory at 1M and 3M lines; `exceptions check` start-up and `list --comment` on the 2M store.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { generateExceptions } from './generate-exceptions.js';
import {
  bin,
  crmctl,
  dataDir,
  interleave,
  median,
  medianDifference,
  round,
  saveResult,
  summary,
  timeProcess,
} from './lib.js';

const require = createRequire(import.meta.url);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dir = join(dataDir, 'import');

/** Runs a command, sampling its peak resident memory (VmHWM) from /proc until it exits. */
function measure(args, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let peakKb = 0;
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const match = /VmHWM:\s+(\d+) kB/.exec(status);
        if (match) peakKb = Math.max(peakKb, Number(match[1]));
      } catch {
        // the process has just exited
      }
    };
    const timer = setInterval(sample, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0 && code !== 3)
        reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ seconds, peakMb: peakKb / 1024 });
    });
  });
}

async function ensureFile(name, lines, seed) {
  const file = join(dir, name);
  if (!existsSync(file)) {
    console.log(`generating ${lines} lines → ${file}`);
    await generateExceptions(lines, file, seed);
  }
  return file;
}

function ensureBaseStore(baseFile) {
  const store = join(dir, 'base.db');
  const env = { CRMCTL_DB: store };
  if (existsSync(store)) {
    // Built by an earlier crmctl: migrate it once here, so that no timed run pays for it.
    crmctl(['settings', 'get', 'default-country'], env);
    return store;
  }
  console.log('building the base store with 1,000,000 entries');
  rmSync(`${store}-wal`, { force: true });
  crmctl(['init', '--quiet'], env);
  crmctl(['settings', 'set', 'default-country', 'GB', '--quiet'], env);
  try {
    crmctl(
      [
        'exceptions',
        'import',
        baseFile,
        '--quiet',
        '--force',
        '--rejects',
        join(dir, 'base-rejects.csv'),
      ],
      env,
    );
  } catch (error) {
    if (!String(error).includes('exited 3')) throw error;
  }
  return store;
}

function freshCopy(base, name) {
  const store = join(dir, name);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${store}${suffix}`, { force: true });
  copyFileSync(base, store);
  return store;
}

export async function runImport() {
  mkdirSync(dir, { recursive: true });
  // About 89% of generated lines are new valid entries: 1.13M lines leave the base with ~1M.
  const baseFile = await ensureFile('base.txt', 1_130_000, 7);
  const file1m = await ensureFile('import-1m.txt', 1_000_000, 1);
  const file3m = await ensureFile('import-3m.txt', 3_000_000, 3);
  const base = ensureBaseStore(baseFile);
  checkpoint(base);

  const crmctlRuns = [];
  const referenceRuns = [];
  for (let i = 0; i < runs; i++) {
    const store = freshCopy(base, 'run.db');
    crmctlRuns.push(
      await measure(
        [
          bin,
          'exceptions',
          'import',
          file1m,
          '--country',
          'GB',
          '--quiet',
          // Each run replaces the last run's report.
          '--force',
          '--rejects',
          join(dir, 'rejects.csv'),
        ],
        { CRMCTL_DB: store },
      ),
    );
    const reference = freshCopy(base, 'reference.db');
    referenceRuns.push(
      await measure([join(import.meta.dirname, 'reference-import.js'), file1m, reference], {}),
    );
  }
  const store3m = freshCopy(base, 'run-3m.db');
  const run3m = await measure(
    [
      bin,
      'exceptions',
      'import',
      file3m,
      '--country',
      'GB',
      '--quiet',
      '--force',
      '--rejects',
      join(dir, 'rejects-3m.csv'),
    ],
    { CRMCTL_DB: store3m },
  );
  rmSync(store3m, { force: true });
  rmSync(`${store3m}-wal`, { force: true });

  // The 2M-entry store for the read benchmarks: the base plus the last 1M import.
  const twoMillion = join(dir, 'run.db');
  const entries = checkpoint(twoMillion);
  const pickEntry = (type) =>
    JSON.parse(
      crmctl(
        [
          'exceptions',
          'list',
          '--type',
          type,
          '--limit',
          '1',
          '--offset',
          String(Math.floor(entries / 3)),
          '--json',
        ],
        { CRMCTL_DB: twoMillion },
      ),
    )[0];
  const listedPhone = pickEntry('phone');
  const listedEmail = pickEntry('email');
  const env = { ...process.env, CRMCTL_DB: twoMillion };
  const node = () => timeProcess(process.execPath, ['-e', '0']);
  const check = (value) =>
    interleave(
      10,
      () =>
        timeProcess(process.execPath, [bin, 'exceptions', 'check', value, '-q'], {
          env,
          okStatuses: [0, 1],
        }),
      node,
    );
  const checks = {
    [`listed phone ${listedPhone.raw}`]: check(listedPhone.raw),
    [`listed email ${listedEmail.value}`]: check(listedEmail.value),
    'unlisted phone +1 650 253 0000': check('+1 650 253 0000'),
  };
  const listTimes = [];
  for (let i = 0; i < 5; i++) {
    listTimes.push(
      timeProcess(
        process.execPath,
        [bin, 'exceptions', 'list', '--comment', 'supplier', '--limit', '50', '--json'],
        { env },
      ),
    );
  }
  const listRare = [];
  for (let i = 0; i < 5; i++) {
    listRare.push(
      timeProcess(
        process.execPath,
        [
          bin,
          'exceptions',
          'list',
          '--comment',
          'no such comment anywhere',
          '--limit',
          '50',
          '--json',
        ],
        { env },
      ),
    );
  }

  const linesPerSecond = crmctlRuns.map((r) => 1_000_000 / r.seconds);
  const referencePerSecond = referenceRuns.map((r) => 1_000_000 / r.seconds);
  const peak1m = median(crmctlRuns.map((r) => r.peakMb));
  const result = {
    lines: 1_000_000,
    existingEntries: 1_000_000,
    storeEntriesAfter: entries,
    runs,
    crmctl: {
      linesPerSecond: summary(linesPerSecond),
      seconds: summary(crmctlRuns.map((r) => r.seconds)),
      peakRssMb: summary(crmctlRuns.map((r) => r.peakMb)),
    },
    reference: {
      linesPerSecond: summary(referencePerSecond),
      seconds: summary(referenceRuns.map((r) => r.seconds)),
      peakRssMb: summary(referenceRuns.map((r) => r.peakMb)),
    },
    throughputShareOfReference: round(median(linesPerSecond) / median(referencePerSecond), 3),
    threeMillion: {
      seconds: round(run3m.seconds),
      linesPerSecond: round(3_000_000 / run3m.seconds),
      peakRssMb: round(run3m.peakMb),
    },
    peakGrowth1mTo3m: round(run3m.peakMb / peak1m - 1, 3),
    check: Object.fromEntries(
      Object.entries(checks).map(([name, { a, b }]) => [
        name,
        { crmctlMs: summary(a), nodeMs: summary(b), differenceMs: medianDifference(a, b) },
      ]),
    ),
    listCommentLimit50Ms: summary(listTimes),
    listRareCommentLimit50Ms: summary(listRare),
    targets: {
      throughputShareOfReference: '>= 0.5',
      peakRssMb: '< 250',
      peakGrowth1mTo3m: '<= 0.10',
      checkDifferenceMs: '<= 60',
      listCommentMs: '< 300',
    },
  };
  const file = saveResult('import', result);
  console.log(
    `import: ${result.crmctl.linesPerSecond.median} lines/s vs reference ${result.reference.linesPerSecond.median} ` +
      `(${result.throughputShareOfReference}), peak ${result.crmctl.peakRssMb.median} MB (3M: ${result.threeMillion.peakRssMb} MB) → ${file}`,
  );
  return result;
}

/** Folds the WAL into the main file so the store is one file that can be copied; returns its entry count. */
function checkpoint(store) {
  const Database = require('better-sqlite3');
  const db = new Database(store);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const entries = db.prepare('SELECT count(*) FROM exceptions').pluck().get();
  db.close();
  return entries;
}
