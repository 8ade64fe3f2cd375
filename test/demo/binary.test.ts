import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli, tempDir } from '../helpers.js';

const root = resolve(import.meta.dirname, '..', '..');

describe('the demo from the built binary', () => {
  it('npm run demo plays in a fresh temporary store (the quick start) and says where it is', async () => {
    const home = tempDir();
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (done, fail) => {
        const child = spawn('npm', ['run', '--silent', 'demo'], {
          cwd: root,
          env: { PATH: process.env.PATH, HOME: home, TMPDIR: home },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
        });
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
        });
        child.on('error', fail);
        child.on('close', (code) => done({ code, stdout, stderr }));
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.startsWith('Furniture store (deal pipeline #5)\n')).toBe(true);
    expect(result.stdout).toContain('⚑ #1 on payment-received');
    expect(result.stdout).toContain('\tOak dining table for six\trule #5\tcreate-task done\t');
    const store = /The demo store is (.*): explore it with/.exec(result.stderr)?.[1];
    expect(store?.startsWith(home)).toBe(true);
  });

  it('twice with the same --now, byte for byte, from the binary (--json but for the store path)', async () => {
    const play = async () => {
      const db = `${tempDir()}/demo.db`;
      const result = await spawnCli([
        '--now',
        '2026-12-07T08:00:00Z',
        '--db',
        db,
        'demo',
        '--json',
      ]);
      expect(result.exitCode, result.stderr).toBe(0);
      rmSync(dirname(db), { recursive: true, force: true });
      return result.stdout.replace(JSON.stringify(db), '"DB"');
    };
    const first = await play();
    expect(await play()).toBe(first);
    expect(JSON.parse(first).timeline[0].at).toBe('2026-12-07T08:15:00.000Z');
  });
});
