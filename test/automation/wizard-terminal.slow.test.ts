import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, runCli, tempDir } from '../helpers.js';

/**
 * The rule add wizard on a real terminal: tmux runs the built binary in a pseudo-terminal, the
 * test types as a person would and reads the screen. Skipped where there is no tmux.
 */
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

/** Waits (polling the screen, up to 20 s) until it shows `text`; returns the screen. */
async function screenShows(session: string, text: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p', '-J', '-t', session, '-S', '-100');
    if (screen.includes(text)) return screen;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`the screen never showed "${text}":\n${screen}`);
}

describe.skipIf(!hasTmux)('rule add wizard on a terminal (tmux)', () => {
  it('asks on the terminal, adds the rule and prints the same command line', async () => {
    const dir = tempDir();
    const db = join(dir, 'crm.db');
    expect(
      (
        await runCli([
          '--db',
          db,
          'pipeline',
          'add',
          'Shop',
          '--stages',
          'New,Paid,Won:success,Lost:failure',
        ])
      ).exitCode,
    ).toBe(0);
    const session = `crmctl-wizard-${process.pid}`;
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '120',
      '-y',
      '50',
      `node ${binPath} --db ${db} rule add; echo EXIT=$?; sleep 60`,
    );
    try {
      const keys = async (wait: string, ...typed: string[]) => {
        await screenShows(session, wait);
        tmux('send-keys', '-t', session, ...typed);
      };
      await keys('? Pipeline', 'Down', 'Enter'); // Default (deal, default), then Shop
      await keys('? Stage the rule is on', 'Down', 'Enter'); // Paid
      await keys('? Action', 'Enter'); // send-sms, the first action
      await keys('? text', 'Thanks {{title}}', 'Enter');
      await keys('? Run only when', 'Enter');
      await keys('? When', 'Down', 'Enter'); // after a delay
      await keys('? Delay', '2h', 'Enter');
      await keys('? Only in working hours', 'n', 'Enter');
      await keys('? Name', 'Enter');
      const screen = await screenShows(session, 'EXIT=');
      expect(screen).toContain('EXIT=0');
      expect(screen).toContain(
        'crmctl --db ' +
          db +
          " rule add --pipeline Shop --stage Paid --action send-sms --param 'text=Thanks {{title}}' --delay 2h",
      );
    } finally {
      tmux('kill-session', '-t', session);
    }
    const rules = (await runCli(['--db', db, 'rule', 'list', '--json'])).json<
      { action: string; delay: string; stage: { name: string } }[]
    >();
    expect(rules).toMatchObject([{ action: 'send-sms', delay: '2h', stage: { name: 'Paid' } }]);
  });
});
