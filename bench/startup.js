// Cold start of a read command on a store with 100,000 items, against bare `node -e 0`
// in the same run (at most 30 ms slower, median of at least 10 runs), taken pair by pair.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  bin,
  crmctl,
  dataDir,
  interleave,
  medianDifference,
  saveResult,
  summary,
  timeProcess,
} from './lib.js';
import { seedItems } from './seed.js';

const itemCount = 100_000;
const runs = Number(process.env.BENCH_RUNS ?? 30);

export function runStartup() {
  const dir = join(dataDir, 'startup');
  const db = join(dir, 'crm.db');
  if (!existsSync(db)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    crmctl(['init', '--quiet'], { CRMCTL_DB: db });
    seedItems(db, itemCount);
  }
  const env = { ...process.env, CRMCTL_DB: db };
  const node = () => timeProcess(process.execPath, ['-e', '0']);
  const commands = {
    'item show 1 --json': ['item', 'show', '1', '--json'],
    '--version': ['--version'],
    'item list --limit 20 --json': ['item', 'list', '--limit', '20', '--json'],
  };
  const measured = {};
  for (const [name, args] of Object.entries(commands)) {
    const { a, b } = interleave(
      runs,
      () => timeProcess(process.execPath, [bin, ...args], { env }),
      node,
    );
    measured[name] = {
      crmctlMs: summary(a),
      nodeMs: summary(b),
      differenceMs: medianDifference(a, b),
    };
  }
  const headline = measured['item show 1 --json'];
  const result = {
    items: itemCount,
    targetDifferenceMs: 30,
    pass: headline.differenceMs <= 30,
    commands: measured,
  };
  const file = saveResult('startup', result);
  console.log(
    `startup: item show 1 --json median ${headline.crmctlMs.median} ms, node -e 0 ${headline.nodeMs.median} ms, ` +
      `difference ${headline.differenceMs} ms (target ≤ 30) → ${file}`,
  );
  return result;
}
