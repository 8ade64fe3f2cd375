// Vitest's global setup: the end-to-end tests run the built program (dist/, bin/crmctl.js), so
// it is rebuilt first whenever a source file is newer than the bundle: a test never runs
// against a stale build, however vitest was started.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const built = 'dist/bundle/main.cjs.v8cache';
const sources = ['src', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

function builtAt() {
  try {
    return statSync(built).mtimeMs;
  } catch {
    return -1;
  }
}

export function setup() {
  const newest = Math.max(...sources.map(newestChange));
  if (builtAt() < newest) execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
