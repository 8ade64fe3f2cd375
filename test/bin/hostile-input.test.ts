import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

// Every new command with malformed, hostile and huge input: a clear error or the work, never
// exit 70, never a stack trace.

const megabyte = 'a'.repeat(1 << 20);
const hostile = [
  '',
  ' ',
  '\0',
  '\u202e',
  '-1',
  '0',
  '1e3',
  '0x10',
  '__proto__',
  'constructor',
  '%_%',
  '😀'.repeat(10_000),
  megabyte,
  '9'.repeat(40),
  "'; DROP TABLE items; --",
];

const cases: string[][] = [];
for (const value of hostile) {
  cases.push(
    ['item', 'delete', value],
    ['item', 'delete', '--stage', value, '--yes'],
    ['item', 'delete', '--stage', 'New', '--pipeline', value, '--yes', '--dry-run'],
    ['item', 'add-to-exceptions', value],
    ['item', 'add-to-exceptions', '1', '--comment', value, '--dry-run'],
    ['contact', 'delete', value],
    ['company', 'delete', value, '--with-items'],
    ['recycle-bin', 'list', '--search', value],
    ['recycle-bin', 'list', '--type', value],
    ['recycle-bin', 'list', '--deleted-by', value],
    ['recycle-bin', 'list', '--since', value],
    ['recycle-bin', 'list', '--older-than', value],
    ['recycle-bin', 'list', '--operation', value],
    ['recycle-bin', 'list', '--search', value, '--country', value],
    ['recycle-bin', 'show', value],
    ['recycle-bin', 'restore', value],
    ['recycle-bin', 'purge', '--older-than', value, '--dry-run'],
    ['recycle-bin', 'purge', '--limit', value, '--dry-run'],
    ['recycle-bin', 'settings', '--retention-days', value],
    ['cleanup', '-o', value],
  );
}

describe('hostile input to the recycle-bin commands', () => {
  it('answers each with a clear error or the work: never exit 70, never a stack trace', async () => {
    const { cli } = await newStore({ now: '2026-03-01T10:00:00Z' });
    await cli(['contact', 'add', '--name', 'Anna', '--email', 'anna@example.com']);
    await cli(['item', 'add', '--title', 'Sofa', '--contact', '1']);
    await cli(['item', 'add', '--title', 'Chair']);
    await cli(['item', 'delete', '2']);
    for (const argv of cases) {
      const result = await cli(argv);
      const shown = argv
        .map((a) => (a.length > 40 ? `${a.slice(0, 20)}…(${a.length})` : JSON.stringify(a)))
        .join(' ');
      expect(result.exitCode, `${shown}\n${result.stderr.slice(0, 500)}`).not.toBe(70);
      expect(result.exitCode, shown).not.toBe(1);
      expect(result.stderr, shown).not.toMatch(/\n\s+at /);
      if (result.exitCode !== 0)
        expect(result.stderr.split('\n').filter(Boolean).length, shown).toBeLessThanOrEqual(3);
    }
    // And the store is as it was where nothing was meant to change.
    const list = (await cli(['recycle-bin', 'list', '--json'])).json<{ entityId: number }[]>();
    expect(list.map((e) => e.entityId)).toContain(2);
    expect((await cli(['db', 'check', '--json'])).json()).toMatchObject({ ok: true });
  }, 120_000);

  it('errors under -o json are JSON on stderr', async () => {
    const { cli } = await newStore();
    const result = await cli(['recycle-bin', 'restore', '99', '--json']);
    expect(result.exitCode).toBe(4);
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: 'not-found', exitCode: 4 } });
  });
});
