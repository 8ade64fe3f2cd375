import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, tempDir } from '../helpers.js';
import { exitOf, initStore, linesOf, ok } from './support.js';

// DESIGN §8: a closed stdout or stderr never decides whether work is kept; any other failure
// to write output is exit 74, and the message says whether the change was committed.

const NOW = '2026-11-23T09:00:00Z';

/** Runs a shell pipeline with the built binary as $BIN; returns its stdout and PIPESTATUS[0]. */
async function pipeline(script: string, env: Record<string, string>) {
  const child = spawn('bash', ['-c', `${script}; echo "status=\${PIPESTATUS[0]}"`], {
    env: { PATH: process.env.PATH, HOME: tempDir(), BIN: binPath, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  await exitOf(child);
  const lines = linesOf(out);
  const status = Number(lines.at(-1)?.replace('status=', ''));
  return { lines: lines.slice(0, -1), status, stderr: err };
}

describe('a closed pipe', () => {
  it('keeps a whole import whose report went into head, and exits 3 for its rejects', async () => {
    const crm = await initStore({ now: NOW });
    const file = join(tempDir(), 'list.txt');
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++)
      lines.push(i % 3 === 0 ? `not a value ${i}` : `user${i}@spam.example`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const result = await pipeline(`node "$BIN" exceptions import "$FILE" 2>&1 | head -2`, {
      CRMCTL_DB: crm.db,
      FILE: file,
    });
    expect(result.lines).toHaveLength(2);
    expect(result.status).toBe(3);
    const listed = ok<unknown[]>(await crm(['exceptions', 'list', '--json']));
    expect(listed).toHaveLength(2000);
  });

  it('keeps what exceptions add added and exits 3 for its rejected value', async () => {
    const crm = await initStore({ now: NOW });
    const result = await pipeline(
      `node "$BIN" exceptions add a@spam.example nonsense b@spam.example 2>&1 | head -0`,
      { CRMCTL_DB: crm.db },
    );
    expect(result.status).toBe(3);
    const listed = ok<{ value: string }[]>(await crm(['exceptions', 'list', '--json']));
    expect(listed.map((e) => e.value)).toEqual(['a@spam.example', 'b@spam.example']);
  });
});

describe('output that cannot be written', () => {
  it.skipIf(!existsSync('/dev/full'))(
    'item list > /dev/full exits 74 without a stack trace',
    async () => {
      const crm = await initStore({ now: NOW });
      ok(await crm(['item', 'add', '--title', 'Sofa', '--json']));
      const result = await pipeline(`node "$BIN" item list > /dev/full`, { CRMCTL_DB: crm.db });
      expect(result.status).toBe(74);
      expect(result.stderr).toMatch(
        /^error: could not write output to stdout: .*; nothing was changed\n$/,
      );
    },
  );

  it.skipIf(!existsSync('/dev/full'))(
    'exceptions add > /dev/full exits 74 and says the change was committed',
    async () => {
      const crm = await initStore({ now: NOW });
      const result = await pipeline(`node "$BIN" exceptions add a@spam.example > /dev/full`, {
        CRMCTL_DB: crm.db,
      });
      expect(result.status).toBe(74);
      expect(result.stderr).toContain('the change was committed');
      expect(result.stderr).not.toContain('    at ');
      const listed = ok<unknown[]>(await crm(['exceptions', 'list', '--json']));
      expect(listed).toHaveLength(1);
    },
  );
});
