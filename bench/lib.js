// Small helpers shared by the benchmarks: run a command several times, take medians, save results.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = join(root, 'bin', 'crmctl.js');
export const dataDir = join(root, 'bench', 'data');

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summary(values) {
  return {
    median: round(median(values)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    runs: values.length,
  };
}

/**
 * How much slower A is than B: the median of the differences of runs taken side by side
 * (see `interleave`), which cancels the machine's drift better than a difference of medians.
 */
export function medianDifference(a, b) {
  return round(median(a.map((value, i) => value - b[i])));
}

export function round(value, digits = 1) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Wall time of one whole process, in milliseconds; fails loudly if the command fails. */
export function timeProcess(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && !(options.okStatuses ?? [0]).includes(result.status)) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return ms;
}

/**
 * Runs A and B in turn (A B A B …) after a warm-up, so that drift in the machine's speed
 * hits both alike, and returns each one's times.
 */
export function interleave(runs, a, b) {
  a();
  b();
  const timesA = [];
  const timesB = [];
  for (let i = 0; i < runs; i++) {
    timesA.push(a());
    timesB.push(b());
  }
  return { a: timesA, b: timesB };
}

export function saveResult(name, result) {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const stamped = {
    benchmark: name,
    at: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    ...result,
  };
  writeFileSync(file, `${JSON.stringify(stamped, null, 2)}\n`);
  return file;
}

export function crmctl(args, env) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0)
    throw new Error(`crmctl ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/**
 * Runs node with `args`, sampling its peak resident memory (VmHWM, which the kernel keeps) from
 * /proc until it exits. With `readStdout`, its stdout is a pipe read as fast as it comes (and
 * counted), as a script reading the output would; otherwise it goes nowhere.
 */
export function measurePeak(args, env, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', options.readStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    let peakKb = 0;
    let stderr = '';
    let stdoutBytes = 0;
    child.stdout?.on('data', (chunk) => {
      stdoutBytes += chunk.length;
    });
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
    child.on('close', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0 && !(options.okStatuses ?? []).includes(code))
        reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ seconds, peakMb: peakKb / 1024, stdoutBytes, code });
    });
  });
}
