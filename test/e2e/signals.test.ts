import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { binPath, tempDir } from '../helpers.js';
import { collectOutput, exitOf, initStore, ok, waitForOutput } from './support.js';

// DESIGN §8: SIGINT exits 130 and SIGTERM 143; both roll back and print one `interrupted` line.

describe.each([
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const)('%s during an import from a pipe', (signal, code) => {
  it(`rolls the import back, says interrupted, and exits ${code}`, async () => {
    const crm = await initStore({ now: '2026-11-23T09:00:00Z' });
    const child = spawn(process.execPath, [binPath, 'exceptions', 'import', '-'], {
      env: { PATH: process.env.PATH, HOME: tempDir(), CRMCTL_DB: crm.db },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const output = collectOutput(child);
    // A rejected line is reported while the import's transaction is open.
    child.stdin.write('a@spam.example\nnot a value\nb@spam.example\n');
    await waitForOutput(child.stderr, 'stdin:2:');
    child.kill(signal);
    expect(await exitOf(child)).toEqual({ code, signal: null });
    expect(output().stderr.trim().split('\n').at(-1)).toBe('interrupted');
    expect(output().stdout).toBe('');
    expect(ok<unknown[]>(await crm(['exceptions', 'list', '--json']))).toEqual([]);
    expect(ok<{ ok: boolean }>(await crm(['db', 'check', '--json'])).ok).toBe(true);
  });
});
