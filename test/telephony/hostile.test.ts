import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, tempDir } from '../helpers.js';
import { at, type Cli, ok, storeWith } from './support.js';

// Malformed, hostile and huge input for every telephony command: a clear one-line error with
// the documented exit code, never exit 70, never a stack trace, nothing half-written.

const megabyte = '9'.repeat(1 << 20);
const hostileNumbers = [
  '',
  ' ',
  '\0',
  '+44 20 7946 0018\0',
  megabyte,
  '+'.repeat(10_000),
  'Phone: +44 20 7946 0018',
  '+44 20 7946 0018 ext 12',
  '-2147483648/-1',
  '__proto__',
  'constructor',
  '😀'.repeat(1000),
  "'; DROP TABLE blacklist; --",
  '%_%',
  'anna@example.com',
  '@'.repeat(5000),
];

function sane(result: CliResult, what: string, allowed: number[]) {
  expect(allowed, `${what}: exit ${result.exitCode}\n${result.stderr.slice(0, 500)}`).toContain(
    result.exitCode,
  );
  expect(result.stderr, what).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(result.stderr.length, what).toBeLessThan(20_000);
}

async function listed(cli: Cli): Promise<string[]> {
  return ok(await cli(['blacklist', 'list', '--json']))
    .json<{ number: string }[]>()
    .map((e) => e.number);
}

describe('hostile arguments to every telephony command', () => {
  it('numbers: add, remove, check, allow, disallow, explain, call incoming, call log --from', async () => {
    const { cli } = await storeWith([['blacklist', 'add', '+442079460018']]);
    for (const value of hostileNumbers) {
      const shown = JSON.stringify(value.slice(0, 30));
      sane(await cli(['blacklist', 'add', value]), `add ${shown}`, [2, 3]);
      sane(await cli(['blacklist', 'remove', value]), `remove ${shown}`, [2, 3]);
      sane(await cli(['blacklist', 'check', value]), `check ${shown}`, [2]);
      sane(await cli(['blacklist', 'allow', value]), `allow ${shown}`, [2]);
      sane(await cli(['blacklist', 'disallow', value]), `disallow ${shown}`, [2]);
      sane(await cli(['blacklist', 'explain', value]), `explain ${shown}`, [2]);
      sane(await cli(['call', 'incoming', '--from', value]), `incoming ${shown}`, [2]);
      sane(await cli(['call', 'log', '--from', value]), `log ${shown}`, [2]);
    }
    expect(await listed(cli)).toEqual(['+442079460018']);
    expect(ok(await cli(['call', 'log', '--json'])).json()).toEqual([]);
  });

  it('an add with one bad value keeps the good ones and names the bad one', async () => {
    const { cli } = await storeWith([]);
    const result = await cli([
      'blacklist',
      'add',
      '+44 20 7946 0018',
      megabyte,
      '\u0663'.repeat(3),
    ]);
    sane(result, 'mixed add', [3]);
    expect(await listed(cli)).toEqual(['+442079460018']);
    // Full-width digits read as digits.
    ok(await cli(['blacklist', 'add', '＋４４ ２０ ７９４６ ００１９']));
    expect(await listed(cli)).toEqual(['+442079460018', '+442079460019']);
  });

  it('comments: NUL, over 2,000 characters, control characters', async () => {
    const { cli } = await storeWith([]);
    sane(await cli(['blacklist', 'add', '+442079460018;a\0b']), 'NUL comment', [3]);
    sane(await cli(['blacklist', 'add', `+442079460018;${'x'.repeat(2001)}`]), 'long comment', [3]);
    sane(
      await cli(['blacklist', 'add', '+442079460018', '--comment', 'x'.repeat(2001)]),
      '--comment',
      [2],
    );
    sane(
      await cli(['blacklist', 'allow', '+442079460018', '--comment', '\0']),
      'allow --comment',
      [2],
    );
    expect(await listed(cli)).toEqual([]);
    ok(await cli(['blacklist', 'add', '+442079460018;\u001b[31mred\ttab\r\nline']));
    const shown = await cli(['blacklist', 'list'], { tty: true });
    expect(shown.stdout).not.toContain('\u001b[31m');
    expect(shown.stdout).toContain('\\x1b[31m');
  });

  it('flags: --expires, list filters, settings values, --to, --duration, --since, --now', async () => {
    const { cli } = await storeWith([]);
    const cases: [string[], number[]][] = [
      [['blacklist', 'add', '+442079460018', '--expires', '-7d'], [2]],
      [['blacklist', 'add', '+442079460018', '--expires', '2020-01-01'], [2]],
      [['blacklist', 'add', '+442079460018', '--expires', '0s'], [2]],
      [['blacklist', 'add', '+442079460018', '--expires', '99999999999d'], [2]],
      [['blacklist', 'add', '+442079460018', '--expires', megabyte], [2]],
      [['blacklist', 'add', '+442079460018', '--country', 'XX'], [2]],
      [['blacklist', 'list', '--number', megabyte], [2]],
      [['blacklist', 'list', '--comment', '%_'.repeat(30_000)], [2]],
      [['blacklist', 'list', '--number', ''], [2]],
      [['blacklist', 'list', '--since', 'yesterday'], [2]],
      [['blacklist', 'list', '--source', 'robot'], [2]],
      [['blacklist', 'list', '--limit', '-1'], [2]],
      [['blacklist', 'settings', '--calls', megabyte], [2]],
      [['blacklist', 'settings', '--minutes', '0x10'], [2]],
      [['blacklist', 'settings', '--ban-minutes', '1e3'], [2]],
      [
        ['blacklist', 'settings', '--notify', megabyte],
        [2, 4],
      ],
      [['blacklist', 'settings', '--notify', '__proto__'], [4]],
      [['blacklist', 'settings', '--register-in-crm', ''], [2]],
      [['call', 'incoming', '--from', '+442079460018', '--to', '\u001b[2J'], [2]],
      [['call', 'incoming', '--from', '+442079460018', '--to', megabyte], [2]],
      [['call', 'incoming', '--from', '+442079460018', '--duration', '-1'], [2]],
      [['call', 'incoming', '--from', '+442079460018', '--duration', '1e9'], [2]],
      [['call', 'incoming', '--from', '+442079460018', '--duration', '9'.repeat(30)], [2]],
      [['call', 'incoming'], [2]],
      [['call', 'log', '--status', 'Hungup'], [2]],
      [['call', 'log', '--until', megabyte], [2]],
      [['--now', 'tomorrow', 'blacklist', 'explain', '+442079460018'], [2]],
      [['--now', '2026-02-30T10:00:00Z', 'call', 'incoming', '--from', '+442079460018'], [2]],
    ];
    for (const [argv, allowed] of cases)
      sane(await cli(argv), argv.join(' ').slice(0, 80), allowed);
    expect(await listed(cli)).toEqual([]);
    expect(ok(await cli(['blacklist', 'settings', '--json'])).json()).toMatchObject({
      calls: 5,
      notify: null,
    });
    expect(ok(await cli(['call', 'log', '--json'])).json()).toEqual([]);
  });
});

describe('hostile input to blacklist import', () => {
  it('binary, invalid UTF-8, huge lines, broken CSV, a directory, missing files', async () => {
    const dir = tempDir();
    const file = (name: string, content: string | Buffer) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };
    const { cli } = await storeWith([['settings', 'set', 'default-country', 'GB']]);
    mkdirSync(join(dir, 'folder'));
    const cases: [string[], number[], string?][] = [
      [
        [
          'blacklist',
          'import',
          file('binary.bin', Buffer.from([0, 1, 2, 0xff, 0, 0x89, 0x50, 0x4e, 0x47])),
        ],
        [7],
      ],
      [
        [
          'blacklist',
          'import',
          file('latin1.txt', Buffer.from('+44 20 7946 0018;caf\xe9\n', 'latin1')),
        ],
        [0, 3],
      ],
      [
        ['blacklist', 'import', file('huge-line.txt', `+44 20 7946 0018;${'x'.repeat(3 << 20)}\n`)],
        [3, 7],
      ],
      [
        ['blacklist', 'import', file('one-huge-value.txt', `${megabyte}\n`)],
        [3, 7],
      ],
      [
        [
          'blacklist',
          'import',
          file('bad.csv', 'value,comment\n"+44 20 7946 0018,open quote\n020 7946 0019,ok\n'),
        ],
        [3],
      ],
      [['blacklist', 'import', file('nocol.csv', 'number,comment\n+442079460018,x\n')], [7]],
      [['blacklist', 'import', file('dup-col.csv', 'value,value\n+442079460018,x\n')], [7]],
      [['blacklist', 'import', file('empty.txt', '')], [0]],
      [['blacklist', 'import', file('only-comments.txt', '# a\n\n   \n#b\n')], [0]],
      [['blacklist', 'import', join(dir, 'folder')], [7]],
      [['blacklist', 'import', join(dir, 'missing.txt')], [4]],
      [['blacklist', 'import', file('x.txt', '+442079460018\n'), '--format', 'xml'], [2]],
      [['blacklist', 'import', file('y.txt', '+442079460018\n'), '--comment', '\0'], [2]],
      [['blacklist', 'import', file('z.txt', '+442079460018\n'), '--country', 'ZZ'], [2]],
    ];
    for (const [argv, allowed] of cases)
      sane(await cli(argv), argv.slice(2).join(' ').slice(-60), allowed);
    sane(await cli(['blacklist', 'import', '-'], { tty: true }), 'stdin on a terminal', [2]);
  });

  it('100,000 lines of garbage: every line rejected with its reason, exit 3, nothing kept', async () => {
    const { cli } = await storeWith([]);
    const lines = Array.from(
      { length: 100_000 },
      (_, i) => ['hello', `caller${i}@example.com`, '12', '+999 1234', '020 7946 0018'][i % 5],
    );
    const result = await cli(['blacklist', 'import', '-', '--json'], {
      stdin: `${lines.join('\n')}\n`,
    });
    expect(result.exitCode).toBe(3);
    const summary = result.json<{
      added: number;
      rejected: number;
      rejectedByReason: Record<string, number>;
    }>();
    expect(summary).toMatchObject({ added: 0, rejected: 100_000 });
    expect(summary.rejectedByReason).toEqual({
      'not-a-number': 40_000,
      'needs-country': 40_000,
      'invalid-number': 20_000,
    });
    expect(await listed(cli)).toEqual([]);
  });

  it('export refuses to overwrite without --force, and never writes over the store', async () => {
    const { cli, db } = await storeWith([['blacklist', 'add', '+442079460018;a\nb']]);
    const dir = tempDir();
    const target = join(dir, 'out.txt');
    writeFileSync(target, 'keep');
    sane(await cli(['blacklist', 'export', target]), 'existing file', [5]);
    sane(await cli(['blacklist', 'export', db, '--force']), 'the store', [5, 7]);
    sane(await cli(['blacklist', 'export', join(dir, 'a.txt')]), 'line break needs CSV', [7]);
    ok(await cli(['blacklist', 'export', join(dir, 'a.csv')]));
    expect(await listed(cli)).toEqual(['+442079460018']);
  });
});

describe('call incoming keeps one unit of work', () => {
  it('a refused call writes nothing: no call, no lead, no blacklist entry', async () => {
    const { cli } = await storeWith([
      ['blacklist', 'settings', '--auto-block', 'on', '--calls', '1'],
    ]);
    sane(
      await cli(['call', 'incoming', '--from', '+442079460018', '--to', '\u0007'], {
        now: at('22:00'),
      }),
      'bell',
      [2],
    );
    expect(await listed(cli)).toEqual([]);
    expect(ok(await cli(['call', 'log', '--json'])).json()).toEqual([]);
    expect(ok(await cli(['item', 'list', '--json'])).json()).toEqual([]);
  });
});
