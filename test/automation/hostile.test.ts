import { describe, expect, it } from 'vitest';
import { automationStore } from './support.js';

const docs = 'Preparing documents';

describe('hostile input to the automation commands', () => {
  it('refuses bad flags with usage errors, never a crash', async () => {
    const s = await automationStore();
    const cases: [string[], RegExp][] = [
      [['rule', 'add', '--stage', docs, '--action', 'nope'], /no action "nope"/],
      [
        ['rule', 'add', '--stage', 'Nowhere', '--action', 'add-comment', '--param', 'text=x'],
        /no stage/,
      ],
      [
        [
          'rule',
          'add',
          '--stage',
          docs,
          '--action',
          'add-comment',
          '--param',
          'text=x',
          '--if',
          'amount >',
        ],
        /--if/,
      ],
      [
        [
          'rule',
          'add',
          '--stage',
          docs,
          '--action',
          'add-comment',
          '--param',
          'text=x',
          '--if',
          'nofield = 1',
        ],
        /nofield/,
      ],
      [
        [
          'rule',
          'add',
          '--stage',
          docs,
          '--action',
          'add-comment',
          '--param',
          'text=x',
          '--delay',
          '-3d',
        ],
        /--delay/,
      ],
      [
        [
          'rule',
          'add',
          '--stage',
          docs,
          '--action',
          'add-comment',
          '--param',
          'text=x',
          '--delay',
          '99999999d',
        ],
        /--delay/,
      ],
      [
        [
          'rule',
          'add',
          '--stage',
          docs,
          '--action',
          'add-comment',
          '--param',
          'text=x',
          '--offset',
          '1d',
        ],
        /--at-field/,
      ],
      [
        [
          'rule',
          'add',
          '--stage',
          docs,
          '--action',
          'add-comment',
          '--param',
          '__proto__=x',
          '--param',
          'text=y',
        ],
        /no parameter "__proto__"/,
      ],
      [
        ['rule', 'add', '--stage', docs, '--action', 'add-comment', '--param', 'noequals'],
        /name=value/,
      ],
      [
        [
          'rule',
          'add',
          '--stage',
          docs,
          '--action',
          'webhook',
          '--param',
          'url=file:///etc/passwd',
        ],
        /only http and https/,
      ],
      [
        [
          'rule',
          'add',
          '--stage',
          docs,
          '--action',
          'webhook',
          '--param',
          'url=http://x',
          '--param',
          'timeout=1h',
        ],
        /timeout/,
      ],
      [['rule', 'add', '--stage', docs, '--action', 'wait'], /one of --param until/],
      [
        ['rule', 'add', '--stage', docs, '--action', 'change-stage', '--param', 'stage=Nowhere'],
        /no stage/,
      ],
      [
        [
          'rule',
          'add',
          '--stage',
          docs,
          '--action',
          'add-comment',
          '--param',
          'text=x',
          '--name',
          '\u0007',
        ],
        /--name/,
      ],
      [['rule', 'show', '0'], /positive whole number/],
      [['rule', 'show', '99'], /no rule with id 99/],
      [['trigger', 'add', '--stage', docs, '--on', 'nope'], /no event "nope"/],
      [['trigger', 'add', '--stage', docs, '--on', 'field-changed'], /fields=… is required/],
      [
        ['trigger', 'add', '--stage', docs, '--on', 'webhook', '--param', 'code='],
        /code=… is required/,
      ],
      [['trigger', 'add', '--on', 'email-opened'], /missing --stage/],
      [['event', 'nope', '--item', '1'], /no event "nope"/],
      [['event', 'email-opened'], /--item ID/],
      [['event', 'email-opened', '--item', '1', '--contact', '1'], /one of --item/],
      [
        ['event', 'payment-received', '--item', '1', '--param', 'colour=red'],
        /carries no "colour"/,
      ],
      [['automation', 'log', '--status', 'weird'], /--status/],
      [['automation', 'log', '--explain'], /--item/],
      [['automation', 'run', '--until', 'tomorrow'], /--until/],
    ];
    for (const [argv, message] of cases) {
      const result = await s.cli(argv);
      expect(
        result.exitCode === 2 || result.exitCode === 4,
        `${argv.join(' ')}: ${result.exitCode} ${result.stderr}`,
      ).toBe(true);
      expect(result.stderr).toMatch(message);
    }
    const missing = await s.cli(['event', 'email-opened', '--item', '999']);
    expect(missing.exitCode).toBe(4);
    const huge = await s.cli([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      `text=${'é'.repeat(200_000)}`,
    ]);
    expect([0, 2]).toContain(huge.exitCode);
  });

  it('needs automation.edit to change rules', async () => {
    const s = await automationStore();
    await s.ok(['user', 'add', 'emma', '--role', 'employee']);
    const refused = await s.cli(
      ['rule', 'add', '--stage', docs, '--action', 'add-comment', '--param', 'text=x'],
      { as: 'emma' },
    );
    expect(refused.exitCode).toBe(6);
    expect(refused.stderr).toMatch(/automation.edit/);
  });
});
