import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Context, type Env, type GlobalOptions } from '../../src/cli/context.js';
import { colourEnabled, type IOStreams } from '../../src/cli/io.js';
import type { Prompter } from '../../src/cli/prompter.js';
import { newStore } from '../helpers.js';

function context(
  terminals: { stdin?: boolean; stdout?: boolean; stderr?: boolean },
  env: Env = {},
  globals: GlobalOptions = {},
): Context {
  const io: IOStreams = {
    stdin: Readable.from([]),
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdinIsTTY: terminals.stdin ?? false,
    stdoutIsTTY: terminals.stdout ?? false,
    stderrIsTTY: terminals.stderr ?? false,
    columns: 80,
  };
  const ctx = new Context(io, env);
  ctx.configure(globals, 'test');
  return ctx;
}

describe('prompts', () => {
  it('only when stdin and stderr are terminals and --no-input / CRMCTL_NO_INPUT are not set', () => {
    const all = { stdin: true, stdout: true, stderr: true };
    expect(context(all).canPrompt).toBe(true);
    // stdout piped (`crmctl … | less`) still has a person at the keyboard.
    expect(context({ stdin: true, stderr: true }).canPrompt).toBe(true);
    expect(context({ stdout: true, stderr: true }).canPrompt).toBe(false);
    expect(context({ stdin: true, stdout: true }).canPrompt).toBe(false);
    expect(context({}).canPrompt).toBe(false);
    expect(context(all, {}, { input: false }).canPrompt).toBe(false);
    expect(context(all, { CRMCTL_NO_INPUT: '1' }).canPrompt).toBe(false);
    expect(context(all, { CRMCTL_NO_INPUT: 'yes' }).canPrompt).toBe(false);
    expect(context(all, { CRMCTL_NO_INPUT: '0' }).canPrompt).toBe(true);
    expect(context(all, { CRMCTL_NO_INPUT: '' }).canPrompt).toBe(true);
  });

  it('no foundation command asks anything, even on a terminal', async () => {
    const { cli } = await newStore({ now: '2026-03-01T09:00:00Z' });
    const refuse = () => {
      throw new Error('prompted');
    };
    const prompter: Prompter = { confirm: refuse, input: refuse, select: refuse };
    const commands = [
      ['user', 'add', 'bob'],
      ['pipeline', 'add', 'Shop'],
      ['stage', 'add', 'Measure', '--pipeline', 'Shop'],
      ['item', 'add', '--title', 'x', '--pipeline', 'Shop'],
      ['item', 'move', '1', '--stage', 'Won'],
      ['item', 'update', '1', '--title', 'y'],
      ['contact', 'add', '--name', 'A'],
      ['stage', 'remove', 'Measure', '--pipeline', 'Shop'],
      ['pipeline', 'remove', 'Shop', '--move-items-to', 'Default', '--type', 'deal'],
      ['user', 'remove', 'bob'],
      ['settings', 'set', 'currency', 'EUR'],
    ];
    for (const argv of commands) {
      const result = await cli(argv, { tty: true, prompter });
      expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
    }
  });
});

describe('colour decision', () => {
  it('--no-color and a non-empty NO_COLOR win; FORCE_COLOR forces; else only a terminal', () => {
    expect(colourEnabled(true, {}, false)).toBe(true);
    expect(colourEnabled(false, {}, false)).toBe(false);
    expect(colourEnabled(true, {}, true)).toBe(false);
    expect(colourEnabled(true, { NO_COLOR: '1' }, false)).toBe(false);
    expect(colourEnabled(true, { NO_COLOR: '' }, false)).toBe(true);
    expect(colourEnabled(false, { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colourEnabled(false, { FORCE_COLOR: '' }, false)).toBe(true);
    expect(colourEnabled(true, { FORCE_COLOR: '0' }, false)).toBe(false);
    expect(colourEnabled(true, { FORCE_COLOR: 'false' }, false)).toBe(false);
    expect(colourEnabled(false, { FORCE_COLOR: '1', NO_COLOR: 'x' }, false)).toBe(false);
    expect(colourEnabled(false, { FORCE_COLOR: '1' }, true)).toBe(false);
    // TERM=dumb: a terminal that shows escape codes as text (FORCE_COLOR still wins).
    expect(colourEnabled(true, { TERM: 'dumb' }, false)).toBe(false);
    expect(colourEnabled(true, { TERM: 'xterm-256color' }, false)).toBe(true);
    expect(colourEnabled(true, { TERM: 'dumb', FORCE_COLOR: '1' }, false)).toBe(true);
  });

  it('is decided per stream', () => {
    const ctx = context({ stdout: false, stderr: true });
    expect(ctx.colour('stdout')).toBe(false);
    expect(ctx.colour('stderr')).toBe(true);
    const noColor = context({ stdout: true, stderr: true }, {}, { color: false });
    expect(noColor.colour('stdout')).toBe(false);
    expect(noColor.colour('stderr')).toBe(false);
  });
});

describe('where the store is, and who acts', () => {
  it('--db, then CRMCTL_DB, then XDG_DATA_HOME, then ~/.local/share', () => {
    expect(context({}, { CRMCTL_DB: '/env.db' }, { db: '/flag.db' }).storePath).toBe('/flag.db');
    expect(context({}, { CRMCTL_DB: '/env.db', XDG_DATA_HOME: '/xdg' }).storePath).toBe('/env.db');
    expect(context({}, { XDG_DATA_HOME: '/xdg', HOME: '/home/a' }).storePath).toBe(
      '/xdg/crmctl/crm.db',
    );
    expect(context({}, { HOME: '/home/a' }).storePath).toBe('/home/a/.local/share/crmctl/crm.db');
  });

  it('--as, then CRMCTL_USER', () => {
    expect(context({}, { CRMCTL_USER: 'env' }, { as: 'flag' }).login).toBe('flag');
    expect(context({}, { CRMCTL_USER: 'env' }).login).toBe('env');
  });

  it('--wait and CRMCTL_WAIT in seconds; anything else is a usage error', () => {
    expect(context({}).waitMs).toBe(60_000);
    expect(context({}, { CRMCTL_WAIT: '2.5' }).waitMs).toBe(2500);
    expect(context({}, { CRMCTL_WAIT: '9' }, { wait: '0' }).waitMs).toBe(0);
    expect(() => context({}, {}, { wait: 'soon' }).waitMs).toThrow(
      /--wait takes a number of seconds/,
    );
    expect(() => context({}, {}, { wait: '-1' }).waitMs).toThrow(/--wait/);
    // Bounded to a day; -0, exponents and huge values are refused rather than overflowing.
    expect(context({}, {}, { wait: '86400' }).waitMs).toBe(86_400_000);
    for (const wait of ['-0', '86401', '2147484', '1e3', ' ']) {
      expect(() => context({}, {}, { wait }).waitMs, wait).toThrow(/from 0 to 86400/);
    }
    expect(() => context({}, { CRMCTL_WAIT: '5000000' }).waitMs).toThrow(/^CRMCTL_WAIT takes/);
  });

  it('the clock reads --now, then CRMCTL_NOW', () => {
    expect(context({}, { CRMCTL_NOW: '2026-01-01T00:00:00Z' }).clock.now().toISOString()).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    expect(
      context({}, { CRMCTL_NOW: '2026-01-01T00:00:00Z' }, { now: '2027-02-03T04:05:06Z' })
        .clock.now()
        .toISOString(),
    ).toBe('2027-02-03T04:05:06.000Z');
  });
});
