import { describe, expect, it } from 'vitest';
import type { QueuedEvent, Session } from '../../src/session.js';
import { badIds, cliStore } from '../outbox/support.js';

interface TaskJson {
  id: number;
  title: string;
  assignee: string | null;
  deadline: string | null;
  status: string;
  itemId: number;
}

describe('crmctl task', () => {
  it('add, list, show and complete, in every format', async () => {
    const { cli } = await cliStore();
    const added = await cli(
      ['task', 'add', '--item', '1', '--title', 'Call back', '--deadline', '1d', '--json'],
      { as: 'anna' },
    );
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.json<TaskJson>()).toMatchObject({
      id: 1,
      title: 'Call back',
      assignee: 'anna',
      deadline: '2026-12-02T10:00:00.000Z',
      status: 'open',
      itemId: 1,
    });
    expect(added.stderr).toBe('Added task 1 to item 1\n');
    await cli([
      'task',
      'add',
      '--item',
      '1',
      '--title',
      'Check stock',
      '--assignee',
      'BOSS',
      '--deadline',
      '2026-12-24T17:00Z',
    ]);
    const plain = await cli(['task', 'list']);
    expect(plain.stdout).toBe(
      '1\topen\tCall back\tanna\t2026-12-02T10:00:00.000Z\t1\t\n' +
        '2\topen\tCheck stock\tboss\t2026-12-24T17:00:00.000Z\t1\t\n',
    );
    const csv = await cli([
      'task',
      'list',
      '--assignee',
      'boss',
      '-o',
      'csv',
      '--fields',
      'id,title',
    ]);
    expect(csv.stdout).toBe('id,title\r\n2,Check stock\r\n');
    const done = await cli(['task', 'complete', '1', '--json'], { now: '2026-12-01T15:00:00Z' });
    expect(done.exitCode, done.stderr).toBe(0);
    expect(done.json<TaskJson[]>()[0]).toMatchObject({ id: 1, status: 'done' });
    const open = await cli(['task', 'list', '--status', 'open', '-o', 'jsonl']);
    expect(
      open.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual([2]);
    const shown = await cli(['task', 'show', '1']);
    expect(shown.stdout).toContain('completedAt\t2026-12-01T15:00:00.000Z\n');
    const again = await cli(['task', 'complete', '1']);
    expect(again.exitCode).toBe(5);
    expect(again.stderr).toMatch(/task 1 was completed already/);
  });

  it('task complete fires task-completed for the task’s item, inside the command', async () => {
    const { cli } = await cliStore();
    await cli(['task', 'add', '--item', '1', '--title', 'Call']);
    const seen: QueuedEvent[] = [];
    const subscriber = (_session: Session, event: QueuedEvent) => {
      seen.push(event);
    };
    const done = await cli(['task', 'complete', '1'], { as: 'anna', subscribers: [subscriber] });
    expect(done.exitCode, done.stderr).toBe(0);
    expect(seen).toEqual([
      {
        type: 'outside-event',
        event: 'task-completed',
        itemId: 1,
        params: { taskId: '1' },
        cause: { kind: 'user', id: null },
      },
    ]);
  });

  it('completing several is all or none: one done already changes nothing', async () => {
    const { cli } = await cliStore();
    for (const title of ['a', 'b']) await cli(['task', 'add', '--item', '1', '--title', title]);
    await cli(['task', 'complete', '2']);
    const both = await cli(['task', 'complete', '1', '2']);
    expect(both.exitCode).toBe(5);
    const first = await cli(['task', 'show', '1', '--json']);
    expect(first.json<TaskJson>().status).toBe('open');
    const missing = await cli(['task', 'complete', '1', '77']);
    expect(missing.exitCode).toBe(4);
    expect((await cli(['task', 'show', '1', '--json'])).json<TaskJson>().status).toBe('open');
  });

  it('refuses hostile and malformed input with a clear error, changing nothing', async () => {
    const { cli } = await cliStore();
    const cases: [string[], number, RegExp][] = [
      [['--title', 'x'.repeat(1_000_000)], 2, /1 to 500 printable characters/],
      [['--title', 'clear\u001b[2J'], 2, /printable/],
      [['--title', 'line\nbreak'], 2, /printable/],
      [['--title', '\u200b\u200b'], 2, /no visible character/],
      [['--title', ''], 2, /--title needs a value/],
      [['--title', 'ok', '--deadline', 'tomorrow'], 2, /--deadline takes a duration/],
      [['--title', 'ok', '--deadline', '-2d'], 2, /--deadline/],
      [['--title', 'ok', '--deadline', '9'.repeat(5000)], 2, /--deadline/],
      [['--title', 'ok', '--assignee', 'ghost'], 4, /no user "ghost"/],
      [['--title', 'ok', '--assignee', 'x'.repeat(100_000)], 4, /no user/],
    ];
    for (const [flags, exitCode, message] of cases) {
      const result = await cli(['task', 'add', '--item', '1', ...flags]);
      expect(result.exitCode, `${flags.join(' ').slice(0, 80)}: ${result.stderr}`).toBe(exitCode);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain(String.fromCharCode(27));
      expect(result.stderr).not.toMatch(/at .*\.js/);
    }
    const noItem = await cli(['task', 'add', '--item', '404', '--title', 'ok']);
    expect(noItem.exitCode).toBe(4);
    expect((await cli(['task', 'add', '--title', 'ok'])).exitCode).toBe(2);
    expect((await cli(['task', 'list', '--json'])).json()).toEqual([]);
  });

  it('bad ids are usage errors and missing ones not found, for every verb', async () => {
    const { cli } = await cliStore();
    for (const id of badIds) {
      for (const argv of [
        ['task', 'show', id],
        ['task', 'complete', id],
        ['task', 'list', '--item', id],
        ['task', 'add', '--item', id, '--title', 'x'],
      ]) {
        const result = await cli(argv);
        expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(2);
      }
    }
    expect((await cli(['task', 'show', '12345'])).exitCode).toBe(4);
    expect((await cli(['task', 'list', '--assignee', ' '])).exitCode).toBe(2);
    expect((await cli(['task', 'list', '--status', 'later'])).exitCode).toBe(2);
  });

  it('reading needs items.view, changing items.edit', async () => {
    const { cli } = await cliStore();
    await cli(['task', 'add', '--item', '1', '--title', 'Call']);
    expect((await cli(['task', 'list'], { as: 'viewer' })).exitCode).toBe(0);
    expect((await cli(['task', 'show', '1'], { as: 'viewer' })).exitCode).toBe(0);
    const add = await cli(['task', 'add', '--item', '1', '--title', 'x'], { as: 'viewer' });
    expect(add.exitCode).toBe(6);
    expect(add.stderr).toMatch(/lacks items\.edit/);
    expect((await cli(['task', 'complete', '1'], { as: 'viewer' })).exitCode).toBe(6);
    const list = await cli(['task', 'list'], { as: 'outsider' });
    expect(list.exitCode).toBe(6);
    expect(list.stderr).toMatch(/lacks items\.view/);
    expect((await cli(['task', 'show', '1', '--json'])).json<TaskJson>().status).toBe('open');
  });

  it('a read on a missing store exits 4 and creates nothing', async () => {
    const { cli } = await cliStore();
    const missing = await cli(['task', 'list'], { env: { CRMCTL_DB: '/nonexistent/dir/crm.db' } });
    expect(missing.exitCode).toBe(4);
  });
});
