import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Context, type Env, type GlobalOptions } from '../../src/cli/context.js';
import type { IOStreams } from '../../src/cli/io.js';
import { inquirerPrompter } from '../../src/cli/prompter.js';

// Issue 7 §7.4: --no-color did not reach the prompts (inquirer colours with node:util's
// styleText, which looks only at process.stdout and the environment), and TERM=dumb meant
// colour. Prompts now follow the colour decision for stderr, like everything else.

/** Colour codes (SGR), as opposed to the cursor movements a prompt also draws. */
const esc = '\u001b';
const sgr = new RegExp(`${esc}\\[[0-9;]*m`);

function terminal(): { io: IOStreams; stdin: PassThrough; drawn: () => string } {
  const stdin = new PassThrough();
  const stderr = new PassThrough();
  let drawn = '';
  stderr.on('data', (chunk: Buffer) => {
    drawn += chunk.toString();
  });
  const io: IOStreams = {
    stdin,
    stdout: new PassThrough(),
    stderr,
    stdinIsTTY: true,
    stdoutIsTTY: true,
    stderrIsTTY: true,
    columns: 80,
  };
  return { io, stdin, drawn: () => drawn };
}

/** Answers a prompt once it is drawn: types `keys`, returns the answer and what was drawn. */
async function answer<T>(
  term: ReturnType<typeof terminal>,
  ask: Promise<T>,
  keys: string,
): Promise<{ value: T; drawn: string }> {
  await new Promise<void>((resolve) => {
    const check = () => {
      if (term.drawn().includes('?')) {
        term.io.stderr.off('data', check);
        resolve();
      }
    };
    term.io.stderr.on('data', check);
    check();
  });
  term.stdin.write(keys);
  return { value: await ask, drawn: term.drawn() };
}

async function confirmDrawn(env: Env, globals: GlobalOptions): Promise<string> {
  const term = terminal();
  const ctx = new Context(term.io, env);
  ctx.configure(globals, 'test');
  const { value, drawn } = await answer(term, ctx.prompter.confirm('Remove 3 entries?'), 'y\r');
  expect(value).toBe(true);
  return drawn;
}

describe('prompt colours', () => {
  // As on a terminal: styleText colours whenever FORCE_COLOR says so, whatever crmctl decided.
  const saved = process.env.FORCE_COLOR;
  beforeEach(() => {
    process.env.FORCE_COLOR = '1';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.FORCE_COLOR;
    else process.env.FORCE_COLOR = saved;
  });

  it('are on for a terminal', async () => {
    expect(await confirmDrawn({}, {})).toMatch(sgr);
  });

  it('are off with --no-color', async () => {
    const drawn = await confirmDrawn({}, { color: false });
    expect(drawn).toContain('Remove 3 entries?');
    expect(drawn).not.toMatch(sgr);
  });

  it('are off with NO_COLOR and with TERM=dumb (the environment crmctl was given)', async () => {
    expect(await confirmDrawn({ NO_COLOR: '1' }, {})).not.toMatch(sgr);
    expect(await confirmDrawn({ TERM: 'dumb' }, {})).not.toMatch(sgr);
  });

  it('input and select draw no colour either when it is off', async () => {
    const term = terminal();
    const input = await answer(
      term,
      inquirerPrompter(term.io, false).input('Rule name?', { defaultValue: 'x' }),
      'abc\r',
    );
    expect(input.value).toBe('abc');
    expect(input.drawn).not.toMatch(sgr);

    const other = terminal();
    const select = await answer(
      other,
      inquirerPrompter(other.io, false).select('Action?', [
        { value: 'notify', description: 'tell someone' },
        { value: 'send-sms', description: 'text the client' },
      ]),
      '\x1b[B\r',
    );
    expect(select.value).toBe('send-sms');
    expect(select.drawn).toContain('text the client');
    expect(select.drawn).not.toMatch(sgr);
  });
});
